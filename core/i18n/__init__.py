"""User-facing message catalogue in English and Russian; shells pick the language."""

from __future__ import annotations

import locale
import os

from core.i18n.directory import MESSAGES as DIRECTORY_MESSAGES
from core.i18n.doctor import MESSAGES as DOCTOR_MESSAGES
from core.i18n.endpoints import MESSAGES as ENDPOINT_MESSAGES
from core.i18n.feedback import MESSAGES as FEEDBACK_MESSAGES
from core.i18n.limits import MESSAGES as LIMIT_MESSAGES
from core.i18n.models import MESSAGES as MODEL_MESSAGES
from core.i18n.policy import MESSAGES as POLICY_MESSAGES
from core.i18n.security import MESSAGES as SECURITY_MESSAGES
from core.i18n.sync import MESSAGES as SYNC_MESSAGES

LANGUAGES = ("en", "ru")

_MESSAGES: dict[str, dict[str, str]] = {
    "tls_pair": {
        "en": "Give both the certificate (--cert) and its private key (--key), or neither.",
        "ru": "Укажите и сертификат (--cert), и его закрытый ключ (--key), либо ни одного.",
    },
    "tls_unreadable": {
        "en": "Cannot read the certificate {path}: {detail}.",
        "ru": "Не удаётся прочитать сертификат {path}: {detail}.",
    },
    "upkeep_vectors": {
        "en": "{count} vectors, compacted, old versions removed",
        "ru": "векторов: {count}; сжато, старые версии удалены",
    },
    "upkeep_database": {
        "en": "optimized; {size} MiB",
        "ru": "оптимизирована; {size} МиБ",
    },
    "upkeep_integrity": {
        "en": "no problems found",
        "ru": "проблем не найдено",
    },
    "upkeep_files": {
        "en": "{count} unused originals removed",
        "ru": "удалено неиспользуемых оригиналов: {count}",
    },
    "upkeep_backup": {
        "en": "{path} ({size} MiB; {removed} older removed)",
        "ru": "{path} ({size} МиБ; удалено старых: {removed})",
    },
    "upkeep_failed": {
        "en": "failed on an internal error ({error}); see the log",
        "ru": "прервано внутренней ошибкой ({error}); см. журнал",
    },
    "backup_wrong_key": {
        "en": "The backup {path} was made under another database key. Nothing was changed. "
        "Give the recovery code that was current when it was made: "
        "konspekt restore FILE --recovery-code.",
        "ru": "Копия {path} сделана с другим ключом базы. Ничего не изменено. Укажите код "
        "восстановления, действовавший на момент её создания: "
        "konspekt restore ФАЙЛ --recovery-code.",
    },
    "backup_damaged": {
        "en": "The backup is damaged or was altered ({detail}). Nothing was changed.",
        "ru": "Резервная копия повреждена или изменена ({detail}). Ничего не изменено.",
    },
    "backup_not_backup": {
        "en": "{path} is not a Konspekt backup. Nothing was changed.",
        "ru": "{path} — не резервная копия Konspekt. Ничего не изменено.",
    },
    "backup_unreadable": {
        "en": "Cannot read the backup {path}: {detail}.",
        "ru": "Не удаётся прочитать резервную копию {path}: {detail}.",
    },
    "restore_needs_code": {
        "en": "This data folder has no database key to open {path} with. Give the recovery "
        "code that was current when the backup was made (--recovery-code).",
        "ru": "В этой папке данных нет ключа базы, чтобы открыть {path}. Укажите код "
        "восстановления, действовавший на момент создания копии (--recovery-code).",
    },
    "restore_in_use": {
        "en": "Konspekt is running on {path}. Close every Konspekt window and server using "
        "this folder, then restore again. Nothing was changed.",
        "ru": "Konspekt работает с папкой {path}. Закройте все окна и серверы Konspekt, "
        "использующие её, и повторите восстановление. Ничего не изменено.",
    },
    "watch_exists": {
        "en": "{path} is already watched by this knowledge base.",
        "ru": "Папка {path} уже отслеживается этой базой знаний.",
    },
    "watch_missing": {
        "en": "There is no watched folder {id}.",
        "ru": "Отслеживаемой папки {id} нет.",
    },
    "watch_not_folder": {
        "en": "{path} is not a folder that exists; only folders can be watched.",
        "ru": "{path} — не существующая папка; отслеживать можно только папки.",
    },
    "watch_folder_missing": {
        "en": "The folder {path} is not there (moved, deleted or not mounted); its documents "
        "are kept until it is back.",
        "ru": "Папки {path} нет (перемещена, удалена или не подключена); её документы "
        "сохранены до её возвращения.",
    },
    "watch_no_access": {
        "en": "{user}, who added this folder, can no longer add documents to its knowledge "
        "base; the folder is not scanned.",
        "ru": "У {user}, добавившего папку, больше нет права добавлять документы в эту базу; "
        "папка не сканируется.",
    },
    "watch_owner_inactive": {
        "en": "The account {user}, which added this folder, is disabled; the folder is not "
        "scanned.",
        "ru": "Учётная запись {user}, добавившая папку, отключена; папка не сканируется.",
    },
    "watch_scan_failed": {
        "en": "The scan stopped on an internal error ({detail}); it is retried at the next rescan.",
        "ru": "Сканирование прервано внутренней ошибкой ({detail}); повтор при следующем "
        "пересканировании.",
    },
    "summary_missing": {
        "en": "There is no summary {id} of yours.",
        "ru": "Вашей сводки {id} нет.",
    },
    "page_unrenderable": {
        "en": "{name}: page {page} has a degenerate shape and is not drawn; "
        "its text is shown instead.",
        "ru": "{name}: страница {page} имеет вырожденную форму и не отображается; "
        "вместо неё показан текст.",
    },
    "not_pdf": {
        "en": "{name} is not a PDF; its text is shown instead of a page.",
        "ru": "{name} — не PDF; вместо страницы показан его текст.",
    },
    "wrong_key": {
        "en": "The database key does not open {path}. Nothing was changed. "
        "Check where the key is kept (konspekt key status), or use the recovery code: "
        "konspekt key recover.",
        "ru": "Ключ не подходит к базе {path}. Ничего не изменено. "
        "Проверьте, где хранится ключ (konspekt key status), или используйте код "
        "восстановления: konspekt key recover.",
    },
    "key_missing": {
        "en": "The database {path} exists but there is no record of where its key is "
        "(keystore.json is missing). Nothing was changed. Restore keystore.json from a "
        "backup, then use the recovery code: konspekt key recover.",
        "ru": "База {path} существует, но нет сведений, где её ключ (нет keystore.json). "
        "Ничего не изменено. Верните keystore.json из резервной копии и используйте код "
        "восстановления: konspekt key recover.",
    },
    "key_malformed": {
        "en": "KONSPEKT_DB_KEY must be exactly 64 hexadecimal characters.",
        "ru": "KONSPEKT_DB_KEY должен состоять ровно из 64 шестнадцатеричных символов.",
    },
    "key_file_open": {
        "en": "The key file {key_file} is readable by other users. Run: chmod 600 {key_file}",
        "ru": "Файл ключа {key_file} доступен другим пользователям. "
        "Выполните: chmod 600 {key_file}",
    },
    "db_newer": {
        "en": "The data in {path} was written by a newer Konspekt (schema {found}, this "
        "version knows {known}). Update the application; nothing was changed.",
        "ru": "Данные в {path} записаны более новой версией Konspekt (схема {found}, эта "
        "версия знает {known}). Обновите приложение; ничего не изменено.",
    },
    "db_corrupt": {
        "en": "The database {path} is damaged: {detail}. Restore it from a backup.",
        "ru": "База {path} повреждена: {detail}. Восстановите её из резервной копии.",
    },
    "kb_missing": {
        "en": "There is no knowledge base named '{name}'.",
        "ru": "Базы знаний «{name}» нет.",
    },
    "path_missing": {
        "en": "{name}: no such file or folder.",
        "ru": "{name}: нет такого файла или папки.",
    },
    "file_empty": {"en": "{name}: the file is empty.", "ru": "{name}: файл пустой."},
    "file_too_large": {
        "en": "{name}: the file is {size_mb} MB, over the {limit_mb} MB limit.",
        "ru": "{name}: файл весит {size_mb} МБ, больше предела {limit_mb} МБ.",
    },
    "file_unsupported": {
        "en": "{name}: this file type is not supported ({detail}).",
        "ru": "{name}: этот тип файла не поддерживается ({detail}).",
    },
    "file_encrypted": {
        "en": "{name}: the file is password-protected; remove the password and add it again.",
        "ru": "{name}: файл защищён паролем; снимите пароль и добавьте его снова.",
    },
    "file_corrupt": {
        "en": "{name}: the file is damaged and could not be read ({detail}).",
        "ru": "{name}: файл повреждён и не читается ({detail}).",
    },
    "file_no_text": {
        "en": "{name}: no text found (a scanned image? OCR is not installed).",
        "ru": "{name}: текст не найден (скан? распознавание текста не установлено).",
    },
    "file_unreadable_repeated": {
        "en": "{name}: no readable text — one character repeated over and over.",
        "ru": "{name}: читаемого текста нет — один и тот же символ снова и снова.",
    },
    "file_unreadable_encoded": {
        "en": "{name}: no readable text — encoded data (base64 or hex), not words.",
        "ru": "{name}: читаемого текста нет — закодированные данные (base64 или hex), а не слова.",
    },
    "file_unreadable_no_words": {
        "en": "{name}: no readable text — hardly any words (binary data read as text?).",
        "ru": "{name}: читаемого текста нет — почти ни одного слова "
        "(двоичные данные вместо текста?).",
    },
    "file_too_many_tokens": {
        "en": "{name}: about {tokens} tokens of text, over the limit of {limit} per file "
        "(max_file_tokens); split the file, or raise the limit to index it whole.",
        "ru": "{name}: около {tokens} токенов текста — больше предела {limit} на файл "
        "(max_file_tokens); разделите файл или поднимите предел, чтобы проиндексировать "
        "его целиком.",
    },
    "file_unreadable": {
        "en": "{name}: the file could not be read ({detail}).",
        "ru": "{name}: файл не читается ({detail}).",
    },
    "zip_unsafe": {
        "en": "{name}: the archive was refused ({detail}).",
        "ru": "{name}: архив отклонён ({detail}).",
    },
    "file_link_outside": {
        "en": "{name}: skipped: a symbolic link that leads outside the folder.",
        "ru": "{name}: пропущен: символическая ссылка ведёт за пределы папки.",
    },
    "file_special": {
        "en": "{name}: skipped: not a regular file (a FIFO, device or socket).",
        "ru": "{name}: пропущен: это не обычный файл (канал FIFO, устройство или сокет).",
    },
    "file_own_data": {
        "en": "{name}: skipped: it is inside Konspekt's own data folder "
        "(or is its key file or backups).",
        "ru": "{name}: пропущен: это собственная папка данных Konspekt "
        "(или её файл ключа, резервные копии).",
    },
    "pdf_too_many_pages": {
        "en": "{name}: the PDF has {pages} pages, over the limit of {limit}; "
        "split it into smaller files.",
        "ru": "{name}: в PDF {pages} страниц, больше предела {limit}; "
        "разделите его на файлы поменьше.",
    },
    "file_changed": {
        "en": "{name}: the file was replaced while it was being read; "
        "the next scan reads it again.",
        "ru": "{name}: файл был заменён во время чтения; следующая проверка прочитает его снова.",
    },
    "model_missing": {
        "en": "No language model found. Put a GGUF file into {models_dir} or set "
        "KONSPEKT_MODEL=path/to/model.gguf.",
        "ru": "Языковая модель не найдена. Положите файл GGUF в {models_dir} или задайте "
        "KONSPEKT_MODEL=путь/к/модели.gguf.",
    },
    "model_load_failed": {
        "en": "The model {path} could not be loaded ({detail}).",
        "ru": "Не удалось загрузить модель {path} ({detail}).",
    },
    "demo_model": {
        "en": "Using the small demo model {name}: answers will be short and often wrong. "
        "For real answers get a model: konspekt models pull llama-3.1-8b (or llama-3.2-3b "
        "without a GPU), or put a GGUF file into {models_dir}.",
        "ru": "Используется маленькая демонстрационная модель {name}: ответы будут краткими "
        "и часто неверными. Для настоящих ответов скачайте модель: konspekt models pull "
        "llama-3.1-8b (или llama-3.2-3b без видеокарты) — или положите файл GGUF в "
        "{models_dir}.",
    },
    "embedder_missing": {
        "en": "The embedding model is not installed ({detail}).",
        "ru": "Модель эмбеддингов не установлена ({detail}).",
    },
    "reranker_missing": {
        "en": "The reranker folder is incomplete ({detail}).",
        "ru": "Папка модели переранжирования неполная ({detail}).",
    },
    "not_found": {
        "en": "I could not find this in the documents.",
        "ru": "В документах я этого не нашёл.",
    },
    "cancelled": {"en": "Stopped.", "ru": "Остановлено."},
    "eval_missing": {
        "en": "No evaluation dataset at {path}.",
        "ru": "Набора для оценки {path} нет.",
    },
    "eval_malformed": {
        "en": "{path} is not a BEIR-layout dataset ({detail}): it needs corpus.LANG.jsonl, "
        "queries.LANG.jsonl and qrels.tsv.",
        "ru": "{path} — не набор в формате BEIR ({detail}): нужны corpus.LANG.jsonl, "
        "queries.LANG.jsonl и qrels.tsv.",
    },
}


_MESSAGES.update(SECURITY_MESSAGES)
_MESSAGES.update(DIRECTORY_MESSAGES)
_MESSAGES.update(ENDPOINT_MESSAGES)
_MESSAGES.update(LIMIT_MESSAGES)
_MESSAGES.update(SYNC_MESSAGES)
_MESSAGES.update(DOCTOR_MESSAGES)
_MESSAGES.update(POLICY_MESSAGES)
_MESSAGES.update(MODEL_MESSAGES)
_MESSAGES.update(FEEDBACK_MESSAGES)


def tr(key: str, lang: str = "en", **params: object) -> str:
    """Return the message `key` in `lang` (falling back to English), formatted."""
    entry = _MESSAGES[key]
    return entry.get(lang, entry["en"]).format(**params)


def system_language() -> str:
    """Pick the interface language from KONSPEKT_LANG or the system locale."""
    forced = os.environ.get("KONSPEKT_LANG", "")
    if forced in LANGUAGES:
        return forced
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "ru" if value.lower().startswith("ru") else "en"
    loc = locale.getlocale()[0] or ""
    return "ru" if loc.lower().startswith("ru") else "en"
