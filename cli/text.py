"""The CLI's own strings in English and Russian."""

from __future__ import annotations

_TEXT: dict[str, dict[str, str]] = {
    "scanning": {"en": "Scanning…", "ru": "Поиск файлов…"},
    "indexing": {"en": "Indexing", "ru": "Индексация"},
    "indexed": {"en": "indexed", "ru": "проиндексировано"},
    "skipped": {"en": "unchanged, skipped", "ru": "без изменений, пропущено"},
    "failed": {"en": "failed", "ru": "с ошибкой"},
    "removed": {"en": "removed (gone from disk)", "ru": "удалено (нет на диске)"},
    "chunks": {"en": "chunks", "ru": "фрагментов"},
    "cancelled": {
        "en": "Cancelled: files done so far are kept.",
        "ru": "Отменено: уже обработанные файлы сохранены.",
    },
    "status": {"en": "Status", "ru": "Статус"},
    "failures": {"en": "Files that failed", "ru": "Файлы с ошибками"},
    "file": {"en": "File", "ru": "Файл"},
    "reason": {"en": "Reason", "ru": "Причина"},
    "sources": {"en": "Sources", "ru": "Источники"},
    "stopped": {"en": "[stopped]", "ru": "[остановлено]"},
    "stats": {
        "en": "retrieval {retrieval:.0f} ms · prompt {prompt} tokens · first token "
        "{first:.0f} ms · {tps:.1f} tokens/s · {model}",
        "ru": "поиск {retrieval:.0f} мс · запрос {prompt} токенов · первый токен "
        "{first:.0f} мс · {tps:.1f} токенов/с · {model}",
    },
    "rank": {"en": "#", "ru": "№"},
    "score": {"en": "Score", "ru": "Оценка"},
    "where": {"en": "Where", "ru": "Где"},
    "passage": {"en": "Passage", "ru": "Фрагмент"},
    "no_results": {"en": "Nothing found.", "ru": "Ничего не найдено."},
    "data_dir": {"en": "Data folder", "ru": "Папка данных"},
    "model": {"en": "Language model", "ru": "Языковая модель"},
    "demo": {"en": "(demo model)", "ru": "(демо-модель)"},
    "embedder": {"en": "Embedder", "ru": "Эмбеддер"},
    "kbs": {"en": "Knowledge bases", "ru": "Базы знаний"},
    "documents": {"en": "documents", "ru": "документов"},
    "get_started": {
        "en": "Add documents:  konspekt ingest PATH… [--kb NAME]\n"
        'Ask:            konspekt ask "question"\nSearch:         konspekt search "query"',
        "ru": "Добавить документы:  konspekt ingest ПУТЬ… [--kb ИМЯ]\n"
        'Спросить:            konspekt ask "вопрос"\nНайти:               konspekt search "запрос"',
    },
    "interrupted": {"en": "Interrupted.", "ru": "Прервано."},
    "bug": {
        "en": "Unexpected error (a bug; please report it): {error}",
        "ru": "Непредвиденная ошибка (это баг, сообщите о нём): {error}",
    },
}


def t(key: str, lang: str, **params: object) -> str:
    """The CLI string `key` in `lang`."""
    entry = _TEXT[key]
    return entry.get(lang, entry["en"]).format(**params)
