"""Schema migrations: small functions, applied once each, recorded in the database.

A migration that reads every chunk is a generator: it yields (chunks done, chunks in
all) before its first batch and after each one, so opening a big store can show how far
its upgrade has come (`apply_migrations`' `progress`), and be stopped there.
"""

from __future__ import annotations

import contextlib
import secrets
import time
from collections.abc import Callable, Generator
from typing import Any

from core.store import postings
from core.store.navigation import is_navigation
from core.store.sql import Connection, Row

Migration = Callable[[Any], Generator[tuple[int, int]] | None]

Progress = Callable[[str, int, int], None]
"""(migration, chunks done, chunks in all): called as a long migration goes; it may raise
to stop, which rolls the whole upgrade back."""

BATCH = 5000
"""Chunks a long migration reads at a time: ~1 s of work each on 2 cores (m016)."""


def m001_documents_and_chunks(con: Connection) -> None:
    """Knowledge bases, documents, chunks, the keyword index, id counters, settings."""
    _run_script(
        con,
        """
        CREATE TABLE knowledge_bases (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            created_at REAL NOT NULL
        );
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            kb_id INTEGER NOT NULL REFERENCES knowledge_bases(id) ON DELETE CASCADE,
            source TEXT NOT NULL,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            size INTEGER NOT NULL,
            status TEXT NOT NULL,
            error_key TEXT NOT NULL DEFAULT '',
            error_params TEXT NOT NULL DEFAULT '{}',
            pages INTEGER NOT NULL DEFAULT 0,
            chunk_count INTEGER NOT NULL DEFAULT 0,
            embedder TEXT NOT NULL DEFAULT '',
            indexed_at REAL NOT NULL,
            UNIQUE (kb_id, source)
        );
        CREATE TABLE chunks (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            kb_id INTEGER NOT NULL,
            ordinal INTEGER NOT NULL,
            text TEXT NOT NULL,
            heading TEXT NOT NULL DEFAULT '',
            page INTEGER,
            page_label TEXT NOT NULL DEFAULT '',
            char_start INTEGER NOT NULL,
            char_end INTEGER NOT NULL,
            tokens INTEGER NOT NULL
        );
        CREATE INDEX chunks_document ON chunks(document_id);
        CREATE INDEX chunks_kb ON chunks(kb_id);
        CREATE VIRTUAL TABLE chunk_terms USING fts5(
            terms, content='', contentless_delete=1,
            tokenize="unicode61 remove_diacritics 0 tokenchars '_'"
        );
        CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
        INSERT INTO counters VALUES ('chunk_id', 0);
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """,
    )


def m002_identity(con: Connection) -> None:
    """Accounts, groups, invites, KB ownership and sharing, the audit chain, blobs."""
    _run_script(
        con,
        """
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL,
            username_key TEXT NOT NULL UNIQUE,
            display_name TEXT NOT NULL DEFAULT '',
            password_hash TEXT NOT NULL,
            role TEXT NOT NULL,
            status TEXT NOT NULL,
            must_change_password INTEGER NOT NULL DEFAULT 0,
            failed_logins INTEGER NOT NULL DEFAULT 0,
            locked_until REAL NOT NULL DEFAULT 0,
            created_at REAL NOT NULL,
            last_login REAL
        );
        CREATE TABLE groups (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            created_at REAL NOT NULL
        );
        CREATE TABLE group_members (
            group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            PRIMARY KEY (group_id, user_id)
        );
        CREATE TABLE invites (
            id INTEGER PRIMARY KEY,
            code_hash TEXT NOT NULL UNIQUE,
            role TEXT NOT NULL,
            created_by INTEGER NOT NULL REFERENCES users(id),
            created_at REAL NOT NULL,
            expires_at REAL NOT NULL,
            used_by INTEGER REFERENCES users(id)
        );
        ALTER TABLE knowledge_bases ADD COLUMN owner_id INTEGER REFERENCES users(id);
        ALTER TABLE knowledge_bases ADD COLUMN visibility TEXT NOT NULL DEFAULT 'private';
        ALTER TABLE knowledge_bases ADD COLUMN personal INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE kb_grants (
            kb_id INTEGER NOT NULL REFERENCES knowledge_bases(id) ON DELETE CASCADE,
            principal TEXT NOT NULL CHECK (principal IN ('user', 'group')),
            principal_id INTEGER NOT NULL,
            access TEXT NOT NULL CHECK (access IN ('read', 'write')),
            granted_by INTEGER NOT NULL,
            granted_at REAL NOT NULL,
            PRIMARY KEY (kb_id, principal, principal_id)
        );
        CREATE INDEX kb_grants_principal ON kb_grants(principal, principal_id);
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at REAL NOT NULL,
            actor_id INTEGER,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT NOT NULL DEFAULT '',
            detail TEXT NOT NULL DEFAULT '{}',
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        ALTER TABLE documents ADD COLUMN blob_id TEXT NOT NULL DEFAULT ''
        """,
    )
    # The secret behind the vector rotation and the blob key; it never leaves the database.
    con.execute(
        "INSERT OR IGNORE INTO settings (key, value) VALUES ('data_secret', ?)",
        (secrets.token_hex(32),),
    )


def m003_chats(con: Connection) -> None:
    """Chats and their messages, owned by one user each."""
    _run_script(
        con,
        """
        CREATE TABLE chats (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            title TEXT NOT NULL DEFAULT '',
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL
        );
        CREATE INDEX chats_user ON chats(user_id, updated_at);
        CREATE TABLE messages (
            id INTEGER PRIMARY KEY,
            chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
            role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
            text TEXT NOT NULL,
            sources TEXT NOT NULL DEFAULT '[]',
            created_at REAL NOT NULL
        );
        CREATE INDEX messages_chat ON messages(chat_id)
        """,
    )


def m004_memory(con: Connection) -> None:
    """Session summaries and the persisted queue of background jobs."""
    _run_script(
        con,
        """
        CREATE TABLE summaries (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            created_at REAL NOT NULL,
            reason TEXT NOT NULL,
            language TEXT NOT NULL,
            text TEXT NOT NULL,
            pinned INTEGER NOT NULL DEFAULT 0,
            shown INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX summaries_user ON summaries(user_id, created_at);
        CREATE TABLE jobs (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
            payload TEXT NOT NULL,
            created_at REAL NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            error TEXT NOT NULL DEFAULT ''
        )
        """,
    )


def m005_upkeep(con: Connection) -> None:
    """A rolling digest per chat, file stamps, watched folders, and the maintenance log."""
    _run_script(
        con,
        """
        ALTER TABLE chats ADD COLUMN digest TEXT NOT NULL DEFAULT '';
        ALTER TABLE chats ADD COLUMN digest_upto INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE documents ADD COLUMN stamp TEXT NOT NULL DEFAULT '';
        CREATE TABLE watches (
            id INTEGER PRIMARY KEY,
            kb_id INTEGER NOT NULL REFERENCES knowledge_bases(id) ON DELETE CASCADE,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            created_at REAL NOT NULL,
            scanned_at REAL NOT NULL DEFAULT 0,
            state TEXT NOT NULL DEFAULT 'waiting',
            indexed INTEGER NOT NULL DEFAULT 0,
            removed INTEGER NOT NULL DEFAULT 0,
            failed INTEGER NOT NULL DEFAULT 0,
            error TEXT NOT NULL DEFAULT '',
            UNIQUE (kb_id, path)
        );
        CREATE TABLE maintenance_log (
            id INTEGER PRIMARY KEY,
            task TEXT NOT NULL,
            started_at REAL NOT NULL,
            seconds REAL NOT NULL,
            ok INTEGER NOT NULL,
            detail TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX maintenance_log_task ON maintenance_log(task, started_at)
        """,
    )


def m006_sessions(con: Connection) -> None:
    """Sessions a restarted server keeps (tokens only as hashes)."""
    _run_script(
        con,
        """
        CREATE TABLE sessions (
            token_hash TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            started_at REAL NOT NULL,
            last_seen REAL NOT NULL,
            locked INTEGER NOT NULL DEFAULT 0
        )
        """,
    )


def m007_directory_accounts(con: Connection) -> None:
    """Accounts and groups the LDAP / AD directory manages (source 'ldap'), and e-mail."""
    _run_script(
        con,
        """
        ALTER TABLE users ADD COLUMN source TEXT NOT NULL DEFAULT 'local'
            CHECK (source IN ('local', 'ldap'));
        ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
        ALTER TABLE groups ADD COLUMN source TEXT NOT NULL DEFAULT 'local'
            CHECK (source IN ('local', 'ldap'))
        """,
    )


def m008_api_keys(con: Connection) -> None:
    """Keys integrations use instead of a login (only a hash of each key is stored)."""
    _run_script(
        con,
        """
        CREATE TABLE api_keys (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            prefix TEXT NOT NULL,
            secret_hash TEXT NOT NULL UNIQUE,
            created_at REAL NOT NULL,
            last_used REAL,
            revoked_at REAL
        );
        CREATE INDEX api_keys_user ON api_keys(user_id)
        """,
    )


def m009_token_quotas(con: Connection) -> None:
    """Daily token quotas an admin sets per user, and each user's use of the model per day."""
    _run_script(
        con,
        """
        CREATE TABLE token_quotas (
            user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
            tokens_per_day INTEGER NOT NULL CHECK (tokens_per_day > 0)
        );
        CREATE TABLE token_usage (
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            day TEXT NOT NULL,
            tokens INTEGER NOT NULL,
            PRIMARY KEY (user_id, day)
        ) WITHOUT ROWID
        """,
    )


def m010_sync(con: Connection) -> None:
    """The per-KB change log a team server keeps, and a desktop's servers and copies.

    Triggers write the log in the same transaction as the change, so no path that adds,
    re-indexes or removes a document (uploads, watched folders, deletions) can miss it;
    versions count up per knowledge base. A re-index bumps `indexed_at`; keeping a
    stamp, renewing the secret or marking a document stale do not, and are not changes.
    """
    _run_script(
        con,
        """
        CREATE TABLE kb_changes (
            kb_id INTEGER NOT NULL,
            version INTEGER NOT NULL,
            document_id INTEGER NOT NULL,
            change TEXT NOT NULL CHECK (change IN ('added', 'changed', 'removed')),
            PRIMARY KEY (kb_id, version)
        ) WITHOUT ROWID;
        INSERT INTO kb_changes (kb_id, version, document_id, change)
            SELECT kb_id, row_number() OVER (PARTITION BY kb_id ORDER BY id), id, 'added'
            FROM documents WHERE status = 'indexed';
        CREATE TABLE remotes (
            id INTEGER PRIMARY KEY,
            owner_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            url TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            account TEXT NOT NULL,
            key_id INTEGER NOT NULL DEFAULT 0,
            stored_key TEXT NOT NULL DEFAULT '',
            added_at REAL NOT NULL,
            synced_at REAL,
            UNIQUE (owner_id, url)
        );
        CREATE TABLE kb_mirrors (
            kb_id INTEGER PRIMARY KEY REFERENCES knowledge_bases(id) ON DELETE CASCADE,
            remote_id INTEGER NOT NULL REFERENCES remotes(id) ON DELETE CASCADE,
            origin_id INTEGER NOT NULL,
            origin_name TEXT NOT NULL,
            log_id TEXT NOT NULL DEFAULT '',
            keep_copy INTEGER NOT NULL DEFAULT 0,
            version INTEGER NOT NULL DEFAULT 0,
            synced_at REAL,
            UNIQUE (remote_id, origin_id)
        );
        CREATE TABLE chat_links (
            chat_id INTEGER PRIMARY KEY REFERENCES chats(id) ON DELETE CASCADE,
            remote_id INTEGER NOT NULL REFERENCES remotes(id) ON DELETE CASCADE,
            remote_chat INTEGER NOT NULL
        );
        ALTER TABLE documents ADD COLUMN origin_id INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE documents ADD COLUMN origin_version INTEGER NOT NULL DEFAULT 0
        """,
    )
    for trigger in _CHANGE_TRIGGERS:  # one statement each: their bodies hold semicolons
        con.execute(trigger)


_CHANGE_TRIGGERS = (
    """
    CREATE TRIGGER kb_change_added AFTER INSERT ON documents
    WHEN NEW.status = 'indexed' BEGIN
        INSERT INTO kb_changes VALUES (NEW.kb_id,
            (SELECT coalesce(max(version), 0) + 1 FROM kb_changes WHERE kb_id = NEW.kb_id),
            NEW.id, 'added');
    END
    """,
    """
    CREATE TRIGGER kb_change_changed AFTER UPDATE ON documents
    WHEN NEW.status = 'indexed'
        AND (OLD.status != 'indexed' OR NEW.indexed_at != OLD.indexed_at) BEGIN
        INSERT INTO kb_changes VALUES (NEW.kb_id,
            (SELECT coalesce(max(version), 0) + 1 FROM kb_changes WHERE kb_id = NEW.kb_id),
            NEW.id, CASE OLD.status WHEN 'indexed' THEN 'changed' ELSE 'added' END);
    END
    """,
    """
    CREATE TRIGGER kb_change_removed AFTER DELETE ON documents
    WHEN OLD.status = 'indexed' BEGIN
        INSERT INTO kb_changes VALUES (OLD.kb_id,
            (SELECT coalesce(max(version), 0) + 1 FROM kb_changes WHERE kb_id = OLD.kb_id),
            OLD.id, 'removed');
    END
    """,
    """
    CREATE TRIGGER kb_changes_dropped AFTER DELETE ON knowledge_bases BEGIN
        DELETE FROM kb_changes WHERE kb_id = OLD.id;
    END
    """,
)


def m011_assistants_and_templates(con: Connection) -> None:
    """Each knowledge base's assistant (NULL: the installation's setting); question templates.

    A template with no `kb_id` is its owner's alone; one with a `kb_id` is shared with
    that knowledge base's readers. Names are unique per owner, and per knowledge base.
    """
    _run_script(
        con,
        """
        CREATE TABLE kb_assistants (
            kb_id INTEGER PRIMARY KEY REFERENCES knowledge_bases(id) ON DELETE CASCADE,
            instructions TEXT NOT NULL DEFAULT '',
            description TEXT NOT NULL DEFAULT '',
            temperature REAL,
            answer_tokens INTEGER,
            passages INTEGER,
            updated_by INTEGER REFERENCES users(id),
            updated_at REAL NOT NULL
        );
        CREATE TABLE question_templates (
            id INTEGER PRIMARY KEY,
            owner_id INTEGER NOT NULL REFERENCES users(id),
            kb_id INTEGER REFERENCES knowledge_bases(id) ON DELETE CASCADE,
            name TEXT NOT NULL COLLATE NOCASE,
            text TEXT NOT NULL,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL
        );
        CREATE UNIQUE INDEX question_templates_personal ON question_templates(owner_id, name)
            WHERE kb_id IS NULL;
        CREATE UNIQUE INDEX question_templates_shared ON question_templates(kb_id, name)
            WHERE kb_id IS NOT NULL
        """,
    )


def m012_feedback_and_answer_stats(con: Connection) -> None:
    """Feedback on answers (with their chat) and per-answer figures without any text.

    `feedback` goes with its message (deleting or clearing the chat deletes it).
    `answer_stats` keeps only counts and times for the administrators' usage page: it
    outlives the chat (its `message_id` becomes NULL) and holds no question or answer
    text; `rating` mirrors the owner's 👍/👎 so the ratio survives a deleted chat.
    """
    _run_script(
        con,
        """
        CREATE TABLE feedback (
            message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            rating INTEGER NOT NULL CHECK (rating IN (-1, 1)),
            comment TEXT NOT NULL DEFAULT '',
            updated_at REAL NOT NULL
        );
        CREATE TABLE answer_stats (
            id INTEGER PRIMARY KEY,
            asked_at REAL NOT NULL,
            user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
            message_id INTEGER REFERENCES messages(id) ON DELETE SET NULL,
            not_found INTEGER NOT NULL,
            first_token_ms REAL NOT NULL,
            tokens_per_s REAL NOT NULL,
            prompt_tokens INTEGER NOT NULL,
            completion_tokens INTEGER NOT NULL,
            sources INTEGER NOT NULL,
            rating INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX answer_stats_time ON answer_stats(asked_at);
        CREATE INDEX answer_stats_message ON answer_stats(message_id);
        CREATE TABLE answer_kbs (
            answer_id INTEGER NOT NULL REFERENCES answer_stats(id) ON DELETE CASCADE,
            kb_id INTEGER NOT NULL REFERENCES knowledge_bases(id) ON DELETE CASCADE,
            PRIMARY KEY (answer_id, kb_id)
        ) WITHOUT ROWID;
        CREATE TABLE answer_citations (
            answer_id INTEGER NOT NULL REFERENCES answer_stats(id) ON DELETE CASCADE,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            PRIMARY KEY (answer_id, document_id)
        ) WITHOUT ROWID;
        CREATE INDEX answer_citations_document ON answer_citations(document_id)
        """,
    )


def m014_navigation_chunks(con: Connection) -> Generator[tuple[int, int]]:
    """Mark tables of contents, indexes, link lists and legal notices; existing ones too."""
    con.execute("ALTER TABLE chunks ADD COLUMN navigation INTEGER NOT NULL DEFAULT 0")
    # Stream the texts (a million chunks need not sit in memory); keep only the ids.
    marked: list[tuple[int]] = []

    def mark(batch: list[Row]) -> None:
        marked.extend((row[0],) for row in batch if is_navigation(row[1]))

    yield from _in_batches(con, "SELECT id, text FROM chunks", mark)
    con.executemany("UPDATE chunks SET navigation = 1 WHERE id = ?", marked)


def m015_chunk_kb_lookup(con: Connection) -> None:
    """An index from chunk id to its knowledge base, small enough to stay in memory.

    Keyword search keeps the best matches of the whole index that lie inside the asked
    KBs; reaching `kb_id` through the table read a chunk's whole page (its text) per
    match, decrypted: 30 ms for 1,000 matches at 100k chunks, under 2 ms through this.
    """
    con.execute("CREATE INDEX IF NOT EXISTS chunks_kb_of ON chunks(id, kb_id)")


def m016_keyword_postings(con: Connection) -> Generator[tuple[int, int]]:
    """The keyword index that scores in numpy (core/store/postings.py), filled from the chunks.

    Streams the chunks in batches (a million need not sit in memory). The id -> KB index
    of m015 served only the FTS5 search this replaces (m017 drops FTS5's table).
    """
    _run_script(
        con,
        """
        CREATE TABLE keyword_postings (
            id INTEGER PRIMARY KEY,
            term TEXT NOT NULL,
            kb_id INTEGER NOT NULL,
            block INTEGER NOT NULL,
            postings BLOB NOT NULL,
            UNIQUE (term, kb_id, block)
        );
        CREATE TABLE keyword_terms (term TEXT PRIMARY KEY, chunks INTEGER NOT NULL) WITHOUT ROWID;
        INSERT INTO counters VALUES ('keyword_chunks', 0), ('keyword_terms', 0);
        DROP INDEX IF EXISTS chunks_kb_of
        """,
    )

    def index(batch: list[Row]) -> None:
        postings.add(con, [(r[0], r[1], postings.chunk_terms(r[2], r[3])) for r in batch])

    yield from _in_batches(con, "SELECT id, kb_id, heading, text FROM chunks ORDER BY id", index)


def m017_drop_fts5_index(con: Connection) -> None:
    """FTS5's keyword index: m016's postings answer keyword search now (core/store/postings.py)."""
    con.execute("DROP TABLE IF EXISTS chunk_terms")


def _in_batches(
    con: Connection, query: str, work: Callable[[list[Row]], None]
) -> Generator[tuple[int, int]]:
    """`work` on the rows of `query` (one per chunk), BATCH at a time: (done, total) as it goes.

    Nothing is reported without chunks: a new store has nothing to upgrade.
    """
    total = int(con.execute("SELECT count(*) FROM chunks").fetchone()[0])
    if not total:
        return
    done = 0
    yield done, total
    rows = con.execute(query)
    while batch := rows.fetchmany(BATCH):
        work(batch)
        done += len(batch)
        yield done, total


def _run_script(con: Connection, script: str) -> None:
    # executescript() would COMMIT the caller's transaction first; run statements one by one.
    for statement in script.split(";"):
        if statement.strip():
            con.execute(statement)


MIGRATIONS: list[Migration] = [
    m001_documents_and_chunks,
    m002_identity,
    m003_chats,
    m004_memory,
    m005_upkeep,
    m006_sessions,
    m007_directory_accounts,
    m008_api_keys,
    m009_token_quotas,
    m010_sync,
    m011_assistants_and_templates,
    m012_feedback_and_answer_stats,
    m014_navigation_chunks,
    m015_chunk_kb_lookup,
    m016_keyword_postings,
    m017_drop_fts5_index,
]


def apply_migrations(con: Connection, progress: Progress | None = None) -> list[str]:
    """Apply the migrations this database lacks, inside the caller's transaction.

    `progress` hears how far each long migration has come; when it raises, the
    exception leaves here and the caller's rollback undoes the whole upgrade.
    """
    con.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at REAL NOT NULL)"
    )
    done = {row[0] for row in con.execute("SELECT name FROM _migrations")}
    applied = []
    for migration in MIGRATIONS:
        if migration.__name__ in done:
            continue
        steps = migration(con)
        if steps is not None:
            with contextlib.closing(steps):  # its cursor ends here, even when stopped
                for chunks, total in steps:
                    if progress is not None:
                        progress(migration.__name__, chunks, total)
        con.execute(
            "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
            (migration.__name__, time.time()),
        )
        applied.append(migration.__name__)
    return applied
