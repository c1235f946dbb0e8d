"""English and Russian messages of the model's admission, rate limits and token quotas."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "model_busy": {
        "en": "The model is busy: too many questions are waiting for it. "
        "Try again in about {retry_after_s} s.",
        "ru": "Модель занята: слишком много вопросов ждут очереди. "
        "Повторите примерно через {retry_after_s} с.",
    },
    "rate_limited": {
        "en": "You may ask {limit} questions per minute. Try again in {retry_after_s} s.",
        "ru": "Можно задавать не больше {limit} вопросов в минуту. "
        "Повторите через {retry_after_s} с.",
    },
    "quota_exceeded": {
        "en": "You have used today's quota of {limit} tokens. It renews at midnight UTC, "
        "in about {hours} h; an administrator can raise it.",
        "ru": "Вы израсходовали дневную квоту в {limit} токенов. Она обновится в полночь "
        "по UTC, примерно через {hours} ч; администратор может её увеличить.",
    },
    "quota_invalid": {
        "en": "A daily token quota must be a positive number of tokens (or none).",
        "ru": "Дневная квота должна быть положительным числом токенов (или отсутствовать).",
    },
}
