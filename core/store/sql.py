"""Types of what the store hands out: connections and rows (sqlcipher3 ships no hints).

A write transaction's connection (`Database.write`) follows `sqlite3.Connection`; these
protocols name the part of it Konspekt uses, so code that takes a connection says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Protocol, TypeAlias

Row: TypeAlias = tuple[Any, ...]
"""One result row; its columns' types are the query's."""
Params: TypeAlias = Sequence[Any] | Mapping[str, Any]


class Cursor(Protocol):
    """The result of a statement."""

    @property
    def lastrowid(self) -> int | None:
        """The id of the row an INSERT made."""
        ...

    @property
    def rowcount(self) -> int:
        """How many rows an UPDATE or DELETE changed."""
        ...

    def fetchone(self) -> Any:
        """The next row, or None."""
        ...

    def fetchall(self) -> list[Row]:
        """The remaining rows."""
        ...

    def fetchmany(self, size: int = ...) -> list[Row]:
        """Up to `size` of the remaining rows ([] at the end)."""
        ...

    def __iter__(self) -> Iterator[Row]: ...


class Connection(Protocol):
    """A connection inside a transaction the caller holds."""

    def execute(self, sql: str, parameters: Params = ..., /) -> Cursor:
        """Run one statement."""
        ...

    def executemany(self, sql: str, parameters: Iterable[Params], /) -> Cursor:
        """Run one statement for each set of parameters."""
        ...

    def create_function(
        self, name: str, narg: int, func: Callable[..., object], /, *, deterministic: bool = ...
    ) -> None:
        """Make a Python function callable from SQL on this connection."""
        ...
