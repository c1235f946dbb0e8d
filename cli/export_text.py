"""The strings of `konspekt export chat` and `konspekt kb export|import` in English and Russian."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "export_output_needed": {
        "en": "Say where to write the file: -o FILE.",
        "ru": "Укажите, куда записать файл: -o ФАЙЛ.",
    },
    "export_chat_written": {
        "en": "Chat {id} written to {path}. The file is not encrypted: keep it safe.",
        "ru": "Чат {id} записан в {path}. Файл не зашифрован: храните его бережно.",
    },
    "bundle_passphrase_prompt": {
        "en": "Bundle passphrase: ",
        "ru": "Пароль пакета: ",
    },
    "bundle_passphrase_no_tty": {
        "en": "No terminal to type the bundle's passphrase in: give --passphrase-file FILE.",
        "ru": "Нет терминала для ввода пароля пакета: укажите --passphrase-file ФАЙЛ.",
    },
    "bundle_passphrase_file_unreadable": {
        "en": "Cannot read the passphrase file {path}: {detail}.",
        "ru": "Не удаётся прочитать файл с паролем {path}: {detail}.",
    },
    "bundle_exporting": {"en": "Exporting", "ru": "Экспорт"},
    "bundle_importing": {"en": "Importing", "ru": "Импорт"},
    "bundle_exported": {
        "en": "{kb}: {documents} document(s), {chunks} passage(s) written to {path}.",
        "ru": "{kb}: документов — {documents}, фрагментов — {chunks}; записано в {path}.",
    },
    "bundle_imported": {
        "en": "Imported as «{kb}»: {documents} document(s), {chunks} passage(s).",
        "ru": "Импортировано как «{kb}»: документов — {documents}, фрагментов — {chunks}.",
    },
    "bundle_re_embedded": {
        "en": "The bundle came from another search model: its passages were re-embedded here.",
        "ru": "Пакет создан с другой моделью поиска: фрагменты заново векторизованы здесь.",
    },
    "bundle_cancelled": {
        "en": "Cancelled: nothing was written or imported.",
        "ru": "Отменено: ничего не записано и не импортировано.",
    },
}
