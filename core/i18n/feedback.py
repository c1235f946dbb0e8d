"""English and Russian messages of feedback on answers and of the usage report."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "feedback_rating": {
        "en": "Feedback is 1 (the answer is right) or -1 (it is wrong), not {rating}.",
        "ru": "Оценка — 1 (ответ верный) или -1 (неверный), а не {rating}.",
    },
    "feedback_comment_long": {
        "en": "The comment is too long: at most {limit} characters.",
        "ru": "Комментарий слишком длинный: не больше {limit} символов.",
    },
    "answer_missing": {
        "en": "There is no answer {id} in your chats.",
        "ru": "В ваших чатах нет ответа {id}.",
    },
    "denied_view_usage": {
        "en": "Only an administrator can see usage figures (your role: {role}).",
        "ru": "Статистику использования видит только администратор (ваша роль: {role}).",
    },
    "usage_days": {
        "en": "The period must be 1 to {limit} days, not {days}.",
        "ru": "Период должен быть от 1 до {limit} дней, а не {days}.",
    },
    "usage_csv_failed": {
        "en": "Cannot write the CSV files into {path}: {detail}. Nothing else was changed.",
        "ru": "Не удаётся записать CSV-файлы в {path}: {detail}. Больше ничего не изменено.",
    },
}
