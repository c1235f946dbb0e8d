"""English and Russian words for an indexing run's pace and time left."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "pace_rate": {
        "en": "{rate} tokens/s",
        "ru": "{rate} токенов/с",
    },
    "pace_rate_left": {
        "en": "{rate} tokens/s, about {left} left",
        "ru": "{rate} токенов/с, осталось около {left}",
    },
    "duration_seconds": {"en": "{s} s", "ru": "{s} с"},
    "duration_minutes": {"en": "{m} min {s} s", "ru": "{m} мин {s} с"},
    "duration_hours": {"en": "{h} h {m} min", "ru": "{h} ч {m} мин"},
}
