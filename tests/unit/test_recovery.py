"""Recovery codes: readable, forgiving to type, and the key they stand for."""

import pytest

from core import KnownError
from core.security.recovery import code_bytes, key_from_code, new_code


def test_codes_are_eight_groups_of_four_and_unique() -> None:
    code = new_code()
    groups = code.split("-")
    assert [len(g) for g in groups] == [4] * 8
    assert code != new_code()


def test_typing_variations_give_the_same_key() -> None:
    code = new_code()
    sloppy = code.lower().replace("-", " ").replace("O", "0")
    assert key_from_code(sloppy) == key_from_code(code)
    assert len(key_from_code(code)) == 32
    assert key_from_code(code) != code_bytes(code)  # derived, not the code itself


@pytest.mark.parametrize("typo", ["", "ABCD-EFGH", "!!!!-????-!!!!-????-!!!!-????-!!!!-????"])
def test_malformed_codes_are_explained(typo: str) -> None:
    with pytest.raises(KnownError, match="32 letters"):
        key_from_code(typo)
