"""English and Russian messages of chat export (Markdown, PDF) and knowledge-base bundles."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "export_untitled": {"en": "Untitled chat", "ru": "Чат без названия"},
    "export_chat_header": {
        "en": "Exported from Konspekt on {when} · questions: {questions}",
        "ru": "Экспортировано из Konspekt {when} · вопросов: {questions}",
    },
    "export_question": {"en": "Question", "ru": "Вопрос"},
    "export_answer": {"en": "Answer", "ru": "Ответ"},
    "export_sources": {"en": "Sources", "ru": "Источники"},
    "export_page": {"en": "p. {page}", "ru": "с. {page}"},
    "export_format_unknown": {
        "en": "Unknown export format '{format}': choose md (Markdown) or pdf.",
        "ru": "Неизвестный формат экспорта «{format}»: выберите md (Markdown) или pdf.",
    },
    "export_unwritable": {
        "en": "Cannot write {path}: {detail}. Nothing was written; choose another folder.",
        "ru": "Не удаётся записать {path}: {detail}. Ничего не записано; выберите другую папку.",
    },
    "export_font_missing": {
        "en": "The PDF font {path} cannot be read ({detail}); reinstall Konspekt.",
        "ru": "Не удаётся прочитать шрифт для PDF {path} ({detail}); переустановите Konspekt.",
    },
    "bundle_passphrase_short": {
        "en": "The bundle's passphrase must have at least {chars} characters.",
        "ru": "Пароль пакета должен содержать не менее {chars} символов.",
    },
    "bundle_not_bundle": {
        "en": "{path} is not a Konspekt knowledge-base bundle. Nothing was imported.",
        "ru": "{path} — не пакет базы знаний Konspekt. Ничего не импортировано.",
    },
    "bundle_wrong_passphrase": {
        "en": "Wrong passphrase for the bundle {path}. Nothing was imported.",
        "ru": "Неверный пароль пакета {path}. Ничего не импортировано.",
    },
    "bundle_damaged": {
        "en": "The bundle {path} is damaged, cut off or was altered. Nothing was imported; "
        "ask for the file again.",
        "ru": "Пакет {path} повреждён, обрезан или изменён. Ничего не импортировано; "
        "запросите файл ещё раз.",
    },
    "bundle_newer": {
        "en": "The bundle {path} was made by a newer Konspekt (format {format}). "
        "Update Konspekt to import it. Nothing was imported.",
        "ru": "Пакет {path} создан более новой версией Konspekt (формат {format}). "
        "Обновите Konspekt, чтобы импортировать его. Ничего не импортировано.",
    },
    "bundle_unreadable": {
        "en": "Cannot read the bundle {path}: {detail}.",
        "ru": "Не удаётся прочитать пакет {path}: {detail}.",
    },
}
