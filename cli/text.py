"""The CLI's own strings in English and Russian."""

from __future__ import annotations

from cli.doctor_text import MESSAGES as _DOCTOR
from cli.models_text import MESSAGES as _MODELS
from cli.remote_text import MESSAGES as _REMOTE
from cli.settings_text import MESSAGES as _SETTINGS
from cli.stats_text import MESSAGES as _STATS

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
    "memory_used": {
        "en": "remembered: {notes} note(s) from earlier sessions, {turns} earlier turn(s)",
        "ru": "из памяти: заметок о прошлых сеансах — {notes}, прошлых реплик — {turns}",
    },
    "watch_state_waiting": {
        "en": "waiting for its first scan",
        "ru": "ждёт первого сканирования",
    },
    "watch_state_scanning": {
        "en": "scanning",
        "ru": "сканируется",
    },
    "watch_state_ok": {
        "en": "up to date",
        "ru": "актуальна",
    },
    "watch_state_error": {
        "en": "not scanned",
        "ru": "не сканируется",
    },
    "col_watch_id": {
        "en": "#",
        "ru": "№",
    },
    "col_watch_kb": {
        "en": "knowledge base",
        "ru": "база знаний",
    },
    "col_watch_path": {
        "en": "folder",
        "ru": "папка",
    },
    "col_watch_state": {
        "en": "state (● followed live)",
        "ru": "состояние (● отслеживается)",
    },
    "col_watch_scanned": {
        "en": "last scan",
        "ru": "последнее сканирование",
    },
    "col_watch_changes": {
        "en": "last changes",
        "ru": "последние изменения",
    },
    "watch_changes": {
        "en": "+{indexed} −{removed} ✗{failed}",
        "ru": "+{indexed} −{removed} ✗{failed}",
    },
    "watch_path_needed": {
        "en": "Name the folder to watch: konspekt watch add FOLDER [--kb KB]",
        "ru": "Укажите папку: konspekt watch add ПАПКА [--kb БАЗА]",
    },
    "watch_added": {
        "en": "{kb} now follows {path}; scanning it now.",
        "ru": "База {kb} теперь отслеживает {path}; сканирование начато.",
    },
    "watch_none": {
        "en": "No watched folders. Add one: konspekt watch add FOLDER [--kb KB]",
        "ru": "Отслеживаемых папок нет. Добавьте: konspekt watch add ПАПКА [--kb БАЗА]",
    },
    "watch_following": {
        "en": "Following {count} folder(s); Ctrl+C stops.",
        "ru": "Отслеживается папок: {count}; Ctrl+C — остановить.",
    },
    "watch_id_needed": {
        "en": "Give the watched folder's number (konspekt watch list).",
        "ru": "Укажите номер отслеживаемой папки (konspekt watch list).",
    },
    "col_upkeep_task": {
        "en": "task",
        "ru": "задача",
    },
    "col_upkeep_when": {
        "en": "when",
        "ru": "когда",
    },
    "col_upkeep_seconds": {
        "en": "seconds",
        "ru": "секунд",
    },
    "col_upkeep_ok": {
        "en": "ok",
        "ru": "успешно",
    },
    "col_upkeep_detail": {
        "en": "detail",
        "ru": "подробности",
    },
    "yes": {
        "en": "yes",
        "ru": "да",
    },
    "no": {
        "en": "NO",
        "ru": "НЕТ",
    },
    "backup_none": {
        "en": "No backups yet. Write one: konspekt backup",
        "ru": "Резервных копий пока нет. Создайте: konspekt backup",
    },
    "backup_writing": {
        "en": "Writing the encrypted backup…",
        "ru": "Создаётся зашифрованная копия…",
    },
    "backup_failed": {
        "en": "The backup failed: {detail}",
        "ru": "Резервное копирование не удалось: {detail}",
    },
    "backup_written": {
        "en": "Backup written in {seconds:.1f} s: {detail}",
        "ru": "Копия создана за {seconds:.1f} с: {detail}",
    },
    "restore_no_file": {
        "en": "There is no file {path}.",
        "ru": "Файла {path} нет.",
    },
    "restore_confirm_needed": {
        "en": "Restoring replaces the data; confirm with --yes.",
        "ru": "Восстановление заменяет данные; подтвердите флагом --yes.",
    },
    "restore_confirm": {
        "en": "Replace the data in {path} with the backup {file}? "
        "The current data is moved aside, not deleted. [y/N] ",
        "ru": "Заменить данные в {path} копией {file}? "
        "Текущие данные будут отложены, а не удалены. [д/Н] ",
    },
    "restore_cancelled": {
        "en": "Nothing was changed.",
        "ru": "Ничего не изменено.",
    },
    "restore_running": {
        "en": "Checking and restoring the backup…",
        "ru": "Проверка и восстановление копии…",
    },
    "restored": {
        "en": "Restored. The previous data is kept in {previous}.",
        "ru": "Восстановлено. Прежние данные сохранены в {previous}.",
    },
    "rank": {"en": "#", "ru": "№"},
    "score": {"en": "Match", "ru": "Совпадение"},
    "keyword_rank": {"en": "words #{rank}", "ru": "слова №{rank}"},
    "no_keyword": {"en": "words —", "ru": "слова —"},
    "similarity": {"en": "meaning {value:.2f}", "ru": "смысл {value:.2f}"},
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
    # Accounts and keys
    "password_prompt": {"en": "Password for {user}: ", "ru": "Пароль для {user}: "},
    "new_password_for": {"en": "New password for {user}: ", "ru": "Новый пароль для {user}: "},
    "new_password_prompt": {"en": "New password: ", "ru": "Новый пароль: "},
    "repeat_prompt": {"en": "Repeat: ", "ru": "Повторите: "},
    "secrets_differ": {"en": "The two entries differ.", "ru": "Введённые значения не совпадают."},
    "passphrase_prompt": {"en": "Passphrase: ", "ru": "Парольная фраза: "},
    "new_passphrase_prompt": {
        "en": "New passphrase for the database key: ",
        "ru": "Новая парольная фраза для ключа базы: ",
    },
    "recovery_prompt": {"en": "Recovery code: ", "ru": "Код восстановления: "},
    "no_tty_secret": {
        "en": "No terminal to ask for it: set {var}.",
        "ru": "Нет терминала для ввода: задайте {var}.",
    },
    "must_change_password": {
        "en": "An administrator reset your password: choose a new one.",
        "ru": "Администратор сбросил ваш пароль: задайте новый.",
    },
    "password_changed": {"en": "Password changed.", "ru": "Пароль изменён."},
    "key_store": {"en": "Database key", "ru": "Ключ базы"},
    "logged_in_as": {"en": "Logged in as", "ru": "Вы вошли как"},
    "role_admin": {"en": "administrator", "ru": "администратор"},
    "role_editor": {"en": "editor", "ru": "редактор"},
    "role_member": {"en": "member", "ru": "участник"},
    "state_pending": {"en": "waiting for approval", "ru": "ожидает одобрения"},
    "state_active": {"en": "active", "ru": "активна"},
    "state_disabled": {"en": "disabled", "ru": "отключена"},
    "my_uploads": {"en": "My uploads (private)", "ru": "Мои файлы (личные)"},
    "recovery_title": {"en": "Recovery code — shown once", "ru": "Код восстановления — один раз"},
    "recovery_explain": {
        "en": "Write it down or give it to IT to keep. It opens the data if the key is "
        "ever lost (konspekt key recover). Anyone holding it can decrypt the data.",
        "ru": "Запишите его или передайте в ИТ на хранение. Он открывает данные, если ключ "
        "утерян (konspekt key recover). Любой, у кого он есть, может расшифровать данные.",
    },
    "recovery_written": {
        "en": "Also written to {path} (readable by you only).",
        "ru": "Также записан в {path} (доступен только вам).",
    },
    "no_recovery_env": {
        "en": "The key comes from KONSPEKT_DB_KEY: keep a copy of it safe; it is the recovery.",
        "ru": "Ключ задан в KONSPEKT_DB_KEY: храните его копию; она и есть восстановление.",
    },
    "setup_done": {
        "en": "Administrator {user} created. The database key is kept in: {store}.",
        "ru": "Администратор {user} создан. Ключ базы хранится: {store}.",
    },
    "registered_pending": {
        "en": "Account {user} created; an administrator must approve it before you can log in.",
        "ru": "Учётная запись {user} создана; войти можно после одобрения администратором.",
    },
    "registered_active": {
        "en": "Account {user} created and active (invite accepted).",
        "ru": "Учётная запись {user} создана и активна (приглашение принято).",
    },
    "user_approved": {"en": "{user} approved as {role}.", "ru": "{user} одобрен(а), роль {role}."},
    "role_set": {"en": "{user} is now {role}.", "ru": "Роль {user}: {role}."},
    "user_active": {"en": "{user} is enabled.", "ru": "{user}: учётная запись включена."},
    "user_disabled": {
        "en": "{user} is disabled; their sessions have ended.",
        "ru": "{user}: учётная запись отключена, сеансы завершены.",
    },
    "temporary_password": {
        "en": "Temporary password for {user}: {password}\nGive it to them in person; they "
        "must choose a new one at their next login.",
        "ru": "Временный пароль для {user}: {password}\nПередайте его лично; при следующем "
        "входе нужно будет задать новый.",
    },
    "invite_code": {
        "en": "Invite code ({role}, valid {days:g} days, single use): {code}",
        "ru": "Код приглашения ({role}, действует {days:g} дн., однократно): {code}",
    },
    "key_rotated": {
        "en": "The database was re-encrypted with a new key. The old recovery code no longer "
        "works.",
        "ru": "База перешифрована новым ключом. Старый код восстановления больше не действует.",
    },
    "recovered": {
        "en": "The data is open again and its key stored anew; the code you used is now void.",
        "ru": "Данные снова открыты, ключ сохранён заново; использованный код больше не действует.",
    },
    "audit_ok": {
        "en": "Audit log intact: {entries} entries. Head hash (note it to detect a cut-off "
        "log later): {head}",
        "ru": "Журнал аудита цел: {entries} записей. Хеш последней записи (сохраните, чтобы "
        "позже заметить обрезку журнала): {head}",
    },
    "audit_broken": {
        "en": "The audit log was tampered with: the chain breaks at entry {entry}.",
        "ru": "Журнал аудита изменён: цепочка нарушена на записи {entry}.",
    },
    "col_user": {"en": "User", "ru": "Пользователь"},
    "col_name": {"en": "Name", "ru": "Имя"},
    "col_role": {"en": "Role", "ru": "Роль"},
    "col_state": {"en": "State", "ru": "Состояние"},
    "col_last_login": {"en": "Last login", "ru": "Последний вход"},
    "col_group": {"en": "Group", "ru": "Группа"},
    "col_members": {"en": "Members", "ru": "Участники"},
    "col_when": {"en": "When", "ru": "Когда"},
    "col_action": {"en": "Action", "ru": "Действие"},
    "col_target": {"en": "Object", "ru": "Объект"},
    "col_detail": {"en": "Details", "ru": "Подробности"},
    "col_kb": {"en": "Knowledge base", "ru": "База знаний"},
    "col_owner": {"en": "Owner", "ru": "Владелец"},
    "col_sharing": {"en": "Sharing", "ru": "Доступ"},
    "col_documents": {"en": "Documents", "ru": "Документы"},
    "col_access": {"en": "You can", "ru": "Ваши права"},
    "sharing_public": {"en": "public", "ru": "общая"},
    "sharing_shared": {"en": "shared", "ru": "с доступом"},
    "sharing_private": {"en": "private", "ru": "личная"},
    "rights_manage": {"en": "own", "ru": "владелец"},
    "rights_write": {"en": "read and write", "ru": "чтение и запись"},
    "rights_read": {"en": "read", "ru": "чтение"},
    "kb_name_needed": {"en": "Name the knowledge base.", "ru": "Укажите базу знаний."},
    "no_display": {
        "en": "No graphical session here ({reason}), so the desktop window cannot open; "
        "the commands below work. On a desktop, `konspekt` opens the window.",
        "ru": "Здесь нет графического сеанса ({reason}), поэтому окно приложения не откроется; "
        "команды ниже работают. На рабочем столе `konspekt` открывает окно.",
    },
    "welcome": {
        "en": "Konspekt is not set up on this computer yet. Create the administrator:\n"
        "  konspekt setup            (you choose the password; a recovery code is shown once)\n"
        "Others then register with `konspekt register` and an administrator approves them.",
        "ru": "Konspekt на этом компьютере ещё не настроен. Создайте администратора:\n"
        "  konspekt setup            (вы задаёте пароль; код восстановления показывается один "
        "раз)\nОстальные регистрируются командой `konspekt register`, администратор их одобряет.",
    },
    "welcome_no_keychain": {
        "en": "This machine has no system keychain, so choose where the database key goes:\n"
        "  konspekt --key-store passphrase setup   (a passphrase typed at each start)\n"
        "  KONSPEKT_DB_KEY=<64 hex> konspekt setup  (servers: the key in the environment)\n"
        "  konspekt --key-store file setup         (a 0600 key file; keep it off shared disks)",
        "ru": "На этой машине нет системного хранилища ключей; выберите, где хранить ключ:\n"
        "  konspekt --key-store passphrase setup   (парольная фраза при каждом запуске)\n"
        "  KONSPEKT_DB_KEY=<64 hex> konspekt setup  (серверы: ключ в переменной окружения)\n"
        "  konspekt --key-store file setup         (файл ключа 0600; не на общих дисках)",
    },
    "not_set_up": {
        "en": "The data folder exists but has no administrator yet: run konspekt setup.",
        "ru": "Папка данных есть, но администратора ещё нет: выполните konspekt setup.",
    },
    "eval_title": {
        "en": "Retrieval quality on {dataset} (embedder {embedder}), at 10",
        "ru": "Качество поиска на {dataset} (эмбеддер {embedder}), по первым 10",
    },
    "eval_config": {"en": "Retrieval configuration", "ru": "Конфигурация поиска"},
    "eval_query_ms": {"en": "ms/query", "ru": "мс/запрос"},
    "eval_default": {"en": "the default", "ru": "по умолчанию"},
    "eval_detail": {"en": "The default configuration", "ru": "Конфигурация по умолчанию"},
    "eval_queries": {"en": "queries", "ru": "запросов"},
    "eval_footer": {
        "en": "{documents} documents, {chunks} chunks, indexed in {seconds:.0f} s into {store}",
        "ru": "{documents} документов, {chunks} фрагментов, индексация {seconds:.0f} с в {store}",
    },
    "weak_sources": {
        "en": "? marks a cited source whose text does not seem to support the sentence citing it.",
        "ru": "? — источник процитирован, но его текст, похоже, не подтверждает фразу.",
    },
    "unknown_citations": {
        "en": "The answer cites {numbers}, which match no source: treat those parts with care.",
        "ru": "Ответ ссылается на {numbers}, таких источников нет: отнеситесь к этому осторожно.",
    },
    "chat_started": {"en": "Chat #{id} started.", "ru": "Начат чат №{id}."},
    "chat_id_needed": {"en": "Give the chat's number.", "ru": "Укажите номер чата."},
    "col_chat_id": {"en": "#", "ru": "№"},
    "summary_id_needed": {"en": "Give the summary's number.", "ru": "Укажите номер сводки."},
    "summaries_written": {
        "en": "Summaries written: {count}; still queued: {left}.",
        "ru": "Сводок написано: {count}; ещё в очереди: {left}.",
    },
    "col_summary_id": {"en": "#", "ru": "№"},
    "col_summary_when": {"en": "When", "ru": "Когда"},
    "col_summary_reason": {"en": "After", "ru": "После"},
    "col_summary_text": {"en": "Summary", "ru": "Сводка"},
    "col_chat_title": {"en": "Title", "ru": "Название"},
    "col_chat_messages": {"en": "Messages", "ru": "Сообщений"},
    "col_chat_updated": {"en": "Last activity", "ru": "Последняя активность"},
    "interrupted": {"en": "Interrupted.", "ru": "Прервано."},
    "bug": {
        "en": "Unexpected error (a bug; please report it): {error}",
        "ru": "Непредвиденная ошибка (это баг, сообщите о нём): {error}",
    },
}
_TEXT.update(_REMOTE)
_TEXT.update(_DOCTOR)
_TEXT.update(_SETTINGS)
_TEXT.update(_MODELS)
_TEXT.update(_STATS)


def t(key: str, lang: str, **params: object) -> str:
    """The CLI string `key` in `lang`."""
    entry = _TEXT[key]
    return entry.get(lang, entry["en"]).format(**params)
