"""Template placeholders: names with spaces, repeats, escaped braces, malformed templates."""

import pytest

from core.errors import InvalidInput
from core.llm.placeholders import MAX_FIELDS, fields, fill


def test_names_may_hold_spaces_and_are_listed_once_in_order() -> None:
    text = "Compare clause {n} in {document A} and {document B}; then {n} again in {document A}"
    assert fields(text) == ("n", "document A", "document B")


def test_runs_of_spaces_in_a_name_are_one_name() -> None:
    assert fields("{ document  A } vs {document A}") == ("document A",)


def test_fill_replaces_every_occurrence_of_a_repeated_placeholder() -> None:
    text = "Summarise {document}; quote {document} twice"
    assert fill(text, {"document": "lease.pdf"}) == "Summarise lease.pdf; quote lease.pdf twice"


def test_doubled_braces_are_literal_braces_not_placeholders() -> None:
    text = "Explain {{braces}} and {{x}} in {file}"
    assert fields(text) == ("file",)
    assert fill(text, {"file": "a.json"}) == "Explain {braces} and {x} in a.json"


def test_a_value_holding_braces_is_inserted_as_it_is() -> None:
    assert fill("Find {term}", {"term": "{x}"}) == "Find {x}"


def test_a_missing_value_is_named() -> None:
    with pytest.raises(InvalidInput) as caught:
        fill("Compare {document A} and {document B}", {"document A": "a"})
    assert "document B" in caught.value.user_message("en")
    assert "document B" in caught.value.user_message("ru")


@pytest.mark.parametrize(
    ("text", "key", "position"),
    [
        ("Summarise {document", "template_brace_unclosed", 11),
        ("Summarise {a {b}", "template_brace_unclosed", 11),
        ("Summarise } now", "template_brace_stray", 11),
        ("Summarise {  } now", "template_field_empty", 11),
    ],
)
def test_a_malformed_template_is_refused_with_the_position(
    text: str, key: str, position: int
) -> None:
    with pytest.raises(InvalidInput) as caught:
        fields(text)
    assert caught.value.key == key
    assert caught.value.params["position"] == position
    assert str(position) in caught.value.user_message("ru")


def test_too_many_distinct_placeholders_are_refused() -> None:
    text = " ".join(f"{{f{i}}}" for i in range(MAX_FIELDS + 1))
    with pytest.raises(InvalidInput, match="at most"):
        fields(text)


def test_text_without_placeholders_is_kept_as_is() -> None:
    assert fields("What is the notice period?") == ()
    assert fill("What is the notice period?", {}) == "What is the notice period?"
