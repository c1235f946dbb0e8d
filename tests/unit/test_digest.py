"""Which turns of a long conversation get folded into its rolling digest."""

from core.memory.digest import history_budget, overflow


def words(text: str) -> int:
    return len(text.split())


def conversation(pairs: int, size: int) -> list[tuple[int, str, str]]:
    messages = []
    for i in range(pairs):
        messages.append((2 * i + 1, "user", "question " * size))
        messages.append((2 * i + 2, "assistant", "answer " * size))
    return messages


def test_nothing_is_folded_while_the_conversation_fits() -> None:
    assert overflow(conversation(3, 10), 200, words) is None


def test_the_oldest_turns_are_folded_and_the_newest_half_budget_stays_verbatim() -> None:
    messages = conversation(10, 20)  # 20 messages of 28 "tokens" each = 560
    fold = overflow(messages, 200, words)
    assert fold is not None
    kept = [m for m in messages if m[0] > fold.upto]
    assert sum(words(t) + 8 for _, _, t in kept) <= 100
    assert kept[0][1] == "user", "the verbatim part starts with a question"
    assert len(fold.turns) == fold.upto == len(messages) - len(kept)
    assert fold.turns[0] == ("user", "question " * 20)


def test_the_history_budget_is_a_share_of_what_the_answer_leaves() -> None:
    assert history_budget(4096, 512) == int((4096 - 512) * 0.25)
