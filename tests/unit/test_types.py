"""Public event types render their messages in both languages."""

from core.types import IngestProgress, IngestStage


def test_failure_reason_in_both_languages_with_short_or_full_name() -> None:
    event = IngestProgress(
        IngestStage.FAILED,
        "/d/a.zip!/x/b.pdf",
        error_key="file_empty",
        error_params=(("name", "/d/a.zip!/x/b.pdf"),),
    )
    assert event.error("en") == "/d/a.zip!/x/b.pdf: the file is empty."
    assert event.error("ru", short_name=True) == "b.pdf: файл пустой."
    assert IngestProgress(IngestStage.INDEXED).error() == ""
