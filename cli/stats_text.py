"""The strings of `konspekt stats` in English and Russian."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "stats_title": {
        "en": "Usage from {since} to {until} (UTC)",
        "ru": "Использование с {since} по {until} (UTC)",
    },
    "stats_questions": {"en": "Questions", "ru": "Вопросов"},
    "stats_not_found": {"en": "Not found", "ru": "Не найдено"},
    "stats_feedback": {"en": "Rated right / wrong", "ru": "Оценки: верно / неверно"},
    "stats_first_token": {
        "en": "Average time to first token",
        "ru": "Среднее время до первого слова",
    },
    "stats_speed": {"en": "Average speed", "ru": "Средняя скорость"},
    "stats_index": {"en": "Index", "ru": "Индекс"},
    "stats_index_value": {
        "en": "{documents} documents, {chunks} passages; database {db} MiB, vectors {vectors} "
        "MiB, originals {blobs} MiB",
        "ru": "документов: {documents}, фрагментов: {chunks}; база {db} МиБ, векторы {vectors} "
        "МиБ, оригиналы {blobs} МиБ",
    },
    "stats_rate": {"en": "{count} ({percent:.0f} %)", "ru": "{count} ({percent:.0f} %)"},
    "stats_ms": {"en": "{ms:.0f} ms", "ru": "{ms:.0f} мс"},
    "stats_tps": {"en": "{rate:.1f} tokens/s", "ru": "{rate:.1f} токенов/с"},
    "stats_per_day": {"en": "Questions per day", "ru": "Вопросы по дням"},
    "stats_per_user": {"en": "Per user", "ru": "По пользователям"},
    "stats_per_kb": {"en": "Per knowledge base", "ru": "По базам знаний"},
    "stats_top_cited": {"en": "Most cited documents", "ru": "Чаще всего цитируемые документы"},
    "stats_never_cited": {
        "en": "Never cited: {count} documents",
        "ru": "Ни разу не процитированы: {count}",
    },
    "stats_failed": {"en": "Failed documents", "ru": "Документы с ошибкой"},
    "stats_col_day": {"en": "Day", "ru": "День"},
    "stats_col_user": {"en": "User", "ru": "Пользователь"},
    "stats_col_kb": {"en": "Knowledge base", "ru": "База знаний"},
    "stats_col_document": {"en": "Document", "ru": "Документ"},
    "stats_col_citations": {"en": "Citations", "ru": "Цитирований"},
    "stats_col_reason": {"en": "Reason", "ru": "Причина"},
    "stats_private_document": {
        "en": "document {id} (a knowledge base you cannot read)",
        "ru": "документ {id} (база знаний, которую вы не можете читать)",
    },
    "stats_deleted_user": {"en": "(deleted account)", "ru": "(удалённая учётная запись)"},
    "stats_csv_written": {
        "en": "{count} CSV files written to {path}",
        "ru": "CSV-файлов записано: {count}, в {path}",
    },
    "stats_days_invalid": {
        "en": "--days must be a whole number of days, 1 or more.",
        "ru": "--days — целое число дней, не меньше 1.",
    },
}
