"""English and Russian messages of the model manifest, downloads, imports and checks."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "manifest_unreadable": {
        "en": "The model list {path} cannot be read: {detail}.",
        "ru": "Не удаётся прочитать список моделей {path}: {detail}.",
    },
    "manifest_invalid": {
        "en": "The model list {path}, line {line}: {detail}.",
        "ru": "Список моделей {path}, строка {line}: {detail}.",
    },
    "model_unknown": {
        "en": "No model named {name!r} in the list. Known: {known}.",
        "ru": "Модели {name!r} нет в списке. Известны: {known}.",
    },
    "model_packaged": {
        "en": "{name} ships inside the {package} package; it needs no download.",
        "ru": "{name} входит в пакет {package}; скачивать её не нужно.",
    },
    "model_not_installed": {
        "en": "{name} is not in {folder}. Get it with: konspekt models pull {name}",
        "ru": "{name} нет в {folder}. Скачайте: konspekt models pull {name}",
    },
    "model_file_missing": {
        "en": "No such model file: {path}.",
        "ru": "Файла модели нет: {path}.",
    },
    "model_no_hash": {
        "en": "The list gives no SHA-256 for {name}, so a download could not be checked. "
        "Nothing was downloaded.",
        "ru": "В списке нет SHA-256 для {name}, проверить загрузку было бы нечем. "
        "Ничего не скачано.",
    },
    "download_failed": {
        "en": "Downloading {name} failed: {detail}. {kept} MB are kept; run the same "
        "command again to resume.",
        "ru": "Не удалось скачать {name}: {detail}. Сохранено {kept} МБ; повторите ту же "
        "команду, чтобы продолжить.",
    },
    "download_refused": {
        "en": "The server refused {name} ({url}): HTTP {status}.",
        "ru": "Сервер отказал в загрузке {name} ({url}): HTTP {status}.",
    },
    "checksum_mismatch": {
        "en": "{name} is damaged or not the expected file: its SHA-256 is {actual}, "
        "the list says {expected}. The file was removed; nothing was installed.",
        "ru": "{name} повреждён или это другой файл: его SHA-256 — {actual}, а в списке — "
        "{expected}. Файл удалён, ничего не установлено.",
    },
    "size_mismatch": {
        "en": "{name} has {actual} bytes, the list says {expected}. The file was removed; "
        "nothing was installed.",
        "ru": "В {name} {actual} байт, а в списке — {expected}. Файл удалён, ничего не "
        "установлено.",
    },
    "disk_full": {
        "en": "The disk is full at {folder}: {name} needs {need_gb} GB free. The part "
        "downloaded so far is kept in {part}; free some space and run the command again "
        "to resume (or delete that file).",
        "ru": "Диск заполнен в {folder}: для {name} нужно {need_gb} ГБ свободного места. "
        "Уже скачанная часть сохранена в {part}; освободите место и повторите команду, "
        "чтобы продолжить (или удалите этот файл).",
    },
    "model_write_failed": {
        "en": "Cannot write {path}: {detail}.",
        "ru": "Не удаётся записать {path}: {detail}.",
    },
    "import_unmatched": {
        "en": "{path} matches no model in the list (by file name or size), so it cannot "
        "be checked. To use it anyway: konspekt models use {path}",
        "ru": "{path} не совпадает ни с одной моделью списка (по имени файла или размеру), "
        "проверить его нечем. Чтобы всё равно использовать его: konspekt models use {path}",
    },
    "import_unreadable": {
        "en": "Cannot read {path}: {detail}.",
        "ru": "Не удаётся прочитать {path}: {detail}.",
    },
    "model_not_answer": {
        "en": "{name} is an {role} model, not one that writes answers.",
        "ru": "{name} — модель роли «{role}», а не модель для ответов.",
    },
}
