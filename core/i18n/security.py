"""English and Russian messages of keys, accounts and access (merged into core.i18n)."""

from __future__ import annotations

_RECOVER_EN = "If the key is lost, run: konspekt key recover (with the recovery code)."
_RECOVER_RU = "Если ключ утерян, выполните: konspekt key recover (с кодом восстановления)."

MESSAGES: dict[str, dict[str, str]] = {
    # Keys ---------------------------------------------------------------------------
    "keychain_unavailable": {
        "en": "No system keychain is available here (a server or a session without a desktop "
        "keyring), so the database key cannot be stored safely by default. Choose one: a "
        "passphrase (konspekt --key-store passphrase setup), a key in the KONSPEKT_DB_KEY "
        "environment variable (64 hex characters, for servers), or a key file "
        "(konspekt --key-store file setup). Nothing was written.",
        "ru": "Системное хранилище ключей недоступно (сервер или сеанс без связки ключей), "
        "поэтому ключ базы нельзя сохранить безопасно по умолчанию. Выберите: парольную фразу "
        "(konspekt --key-store passphrase setup), ключ в переменной KONSPEKT_DB_KEY "
        "(64 шестнадцатеричных символа, для серверов) или файл ключа "
        "(konspekt --key-store file setup). "
        "Ничего не записано.",
    },
    "keychain_failed": {
        "en": "The system keychain refused the request ({detail}). Unlock the keychain and "
        "try again. Nothing was changed.",
        "ru": "Системное хранилище ключей отказало ({detail}). Разблокируйте его и "
        "повторите. Ничего не изменено.",
    },
    "key_keychain_changed": {
        "en": "The database key is kept in the keychain {recorded}, but this session offers "
        "{current}. Log in to the desktop session that holds the key. " + _RECOVER_EN,
        "ru": "Ключ базы хранится в {recorded}, а в этом сеансе доступно {current}. Войдите "
        "в сеанс рабочего стола, где хранится ключ. " + _RECOVER_RU,
    },
    "key_keychain_entry_missing": {
        "en": "The keychain no longer holds the key of {path}. Nothing was changed. " + _RECOVER_EN,
        "ru": "В хранилище ключей больше нет ключа для {path}. Ничего не изменено. " + _RECOVER_RU,
    },
    "key_env_conflict": {
        "en": "KONSPEKT_DB_KEY is set, but this data folder keeps its key in {recorded}. "
        "Unset KONSPEKT_DB_KEY, or move the key with konspekt --key-store env key recover.",
        "ru": "Задана KONSPEKT_DB_KEY, но ключ этой папки хранится в {recorded}. Уберите "
        "KONSPEKT_DB_KEY или перенесите ключ: konspekt --key-store env key recover.",
    },
    "key_env_missing": {
        "en": "This data folder's key is expected in KONSPEKT_DB_KEY, which is not set. "
        "Nothing was changed. " + _RECOVER_EN,
        "ru": "Ключ этой папки ожидается в KONSPEKT_DB_KEY, но переменная не задана. "
        "Ничего не изменено. " + _RECOVER_RU,
    },
    "key_env_differs": {
        "en": "KONSPEKT_DB_KEY holds a different key. Set it to the key konspekt printed.",
        "ru": "В KONSPEKT_DB_KEY другой ключ. Задайте ключ, который вывел konspekt.",
    },
    "key_file_missing": {
        "en": "The key file {key_file} is missing. Nothing was changed. " + _RECOVER_EN,
        "ru": "Файл ключа {key_file} отсутствует. Ничего не изменено. " + _RECOVER_RU,
    },
    "key_rotate_env": {
        "en": "A key given by KONSPEKT_DB_KEY cannot be rotated from here: move it first "
        "(konspekt --key-store file key recover, or keyring).",
        "ru": "Ключ из KONSPEKT_DB_KEY нельзя сменить отсюда: сначала перенесите его "
        "(konspekt --key-store file key recover или keyring).",
    },
    "key_store_unknown": {
        "en": "Unknown key store '{choice}': use auto, keyring, passphrase, env or file.",
        "ru": "Неизвестное хранилище ключа «{choice}»: auto, keyring, passphrase, env или file.",
    },
    "passphrase_required": {
        "en": "This data folder is protected by a passphrase. Enter it (or set "
        "KONSPEKT_PASSPHRASE).",
        "ru": "Эта папка данных защищена парольной фразой. Введите её (или задайте "
        "KONSPEKT_PASSPHRASE).",
    },
    "wrong_passphrase": {
        "en": "The passphrase is wrong. Nothing was changed.",
        "ru": "Неверная парольная фраза. Ничего не изменено.",
    },
    "recovery_malformed": {
        "en": "That is not a recovery code: it has 32 letters and digits in groups of four.",
        "ru": "Это не код восстановления: в нём 32 буквы и цифры группами по четыре.",
    },
    "recovery_wrong": {
        "en": "The recovery code does not open this data folder. Nothing was changed.",
        "ru": "Код восстановления не подходит к этой папке данных. Ничего не изменено.",
    },
    "recovery_none": {
        "en": "No recovery code was ever issued for this data folder.",
        "ru": "Для этой папки данных код восстановления не выдавался.",
    },
    "blob_missing": {
        "en": "The original file is not stored (it was indexed before originals were kept); "
        "index it again.",
        "ru": "Исходный файл не сохранён (он проиндексирован до того, как их стали хранить); "
        "проиндексируйте его снова.",
    },
    "blob_damaged": {
        "en": "The stored original file is damaged or was modified; index the file again.",
        "ru": "Сохранённый исходный файл повреждён или изменён; проиндексируйте его снова.",
    },
    # Accounts -----------------------------------------------------------------------
    "setup_done": {
        "en": "Konspekt is already set up; log in or register instead.",
        "ru": "Konspekt уже настроен; войдите или зарегистрируйтесь.",
    },
    "setup_first": {
        "en": "Konspekt is not set up yet: the first user creates the administrator account "
        "(konspekt setup).",
        "ru": "Konspekt ещё не настроен: первый пользователь создаёт учётную запись "
        "администратора (konspekt setup).",
    },
    "registration_closed": {
        "en": "Registration is closed here; ask an administrator for an invite code.",
        "ru": "Регистрация закрыта; попросите у администратора код приглашения.",
    },
    "invite_invalid": {
        "en": "The invite code is wrong, used or expired.",
        "ru": "Код приглашения неверен, уже использован или истёк.",
    },
    "username_invalid": {
        "en": "'{username}' cannot be a username: use 2–64 letters, digits, '.', '_', '-' or '@'.",
        "ru": "«{username}» не может быть именем пользователя: 2–64 буквы, цифры, «.», «_», "
        "«-» или «@».",
    },
    "username_mixed_scripts": {
        "en": "'{username}' mixes letters of different alphabets (for example Latin and "
        "Cyrillic), so it could pass for another name: use letters of one alphabet.",
        "ru": "В «{username}» смешаны буквы разных алфавитов (например, латиница и "
        "кириллица), и его можно спутать с другим именем: используйте буквы одного алфавита.",
    },
    "username_taken": {
        "en": "The username '{username}' is taken.",
        "ru": "Имя пользователя «{username}» занято.",
    },
    "password_short": {
        "en": "The password must have at least {minimum} characters.",
        "ru": "Пароль должен содержать не меньше {minimum} символов.",
    },
    "password_long": {
        "en": "The password may have at most {maximum} characters.",
        "ru": "Пароль может содержать не больше {maximum} символов.",
    },
    "password_is_username": {
        "en": "The password must differ from the username.",
        "ru": "Пароль должен отличаться от имени пользователя.",
    },
    "password_old_wrong": {
        "en": "The current password is wrong.",
        "ru": "Текущий пароль неверен.",
    },
    "password_change_required": {
        "en": "Your password was reset by an administrator: choose a new one first.",
        "ru": "Администратор сбросил ваш пароль: сначала задайте новый.",
    },
    "login_failed": {
        "en": "Wrong username or password.",
        "ru": "Неверное имя пользователя или пароль.",
    },
    "login_locked": {
        "en": "Too many failed attempts: try again in {seconds} s.",
        "ru": "Слишком много неудачных попыток: повторите через {seconds} с.",
    },
    "login_pending": {
        "en": "Your registration is waiting for an administrator's approval.",
        "ru": "Ваша регистрация ожидает одобрения администратора.",
    },
    "login_disabled": {
        "en": "This account is disabled; contact an administrator.",
        "ru": "Эта учётная запись отключена; обратитесь к администратору.",
    },
    "session_ended": {
        "en": "You are logged out; log in again.",
        "ru": "Вы вышли из системы; войдите снова.",
    },
    "session_expired": {
        "en": "The session has expired; log in again.",
        "ru": "Срок действия сеанса истёк; войдите снова.",
    },
    "api_key_invalid": {
        "en": "The API key is unknown or was revoked.",
        "ru": "Ключ API неизвестен или отозван.",
    },
    "api_key_missing": {
        "en": "There is no API key {id}.",
        "ru": "Ключа API {id} нет.",
    },
    "api_key_name": {
        "en": "Give the API key a name of 1 to 100 characters (what it is for).",
        "ru": "Дайте ключу API имя длиной от 1 до 100 символов (для чего он).",
    },
    "session_account_disabled": {
        "en": "Your account was disabled; the session has ended.",
        "ru": "Ваша учётная запись отключена; сеанс завершён.",
    },
    "session_locked": {
        "en": "The session is locked after inactivity; enter your password to continue.",
        "ru": "Сеанс заблокирован после бездействия; введите пароль, чтобы продолжить.",
    },
    "user_missing": {
        "en": "There is no user '{username}'.",
        "ru": "Пользователя «{username}» нет.",
    },
    "user_not_pending": {
        "en": "{username} is not waiting for approval.",
        "ru": "{username} не ожидает одобрения.",
    },
    "last_admin": {
        "en": "This is the last active administrator: make someone else an administrator first.",
        "ru": "Это последний активный администратор: сначала назначьте администратором "
        "кого-то ещё.",
    },
    "group_missing": {"en": "There is no group '{name}'.", "ru": "Группы «{name}» нет."},
    "group_name_invalid": {
        "en": "'{name}' cannot be a group name (1–64 characters).",
        "ru": "«{name}» не может быть названием группы (1–64 символа).",
    },
    "group_name_taken": {
        "en": "A group named '{name}' exists already.",
        "ru": "Группа «{name}» уже существует.",
    },
    # Access -------------------------------------------------------------------------
    "denied_create_kb": {
        "en": "Only editors and administrators create knowledge bases (your role: {role}). "
        "Your own uploads go to your private space.",
        "ru": "Базы знаний создают только редакторы и администраторы (ваша роль: {role}). "
        "Ваши файлы попадают в ваше личное пространство.",
    },
    "denied_make_public": {
        "en": "Only editors and administrators make knowledge bases public (your role: {role}).",
        "ru": "Делать базы знаний общими могут только редакторы и администраторы "
        "(ваша роль: {role}).",
    },
    "denied_manage_users": {
        "en": "Only administrators manage accounts (your role: {role}).",
        "ru": "Учётными записями управляют только администраторы (ваша роль: {role}).",
    },
    "denied_manage_groups": {
        "en": "Only administrators manage groups (your role: {role}).",
        "ru": "Группами управляют только администраторы (ваша роль: {role}).",
    },
    "denied_view_audit": {
        "en": "Only administrators see the audit log (your role: {role}).",
        "ru": "Журнал аудита доступен только администраторам (ваша роль: {role}).",
    },
    "denied_maintain": {
        "en": "Only administrators run maintenance and backups (your role: {role}).",
        "ru": "Обслуживание и резервное копирование запускают только администраторы "
        "(ваша роль: {role}).",
    },
    "denied_manage_keys": {
        "en": "Only administrators change encryption keys (your role: {role}).",
        "ru": "Ключи шифрования меняют только администраторы (ваша роль: {role}).",
    },
    "denied_manage_settings": {
        "en": "Only administrators change the settings of this installation: the model, "
        "its context size, answers and search (your role: {role}).",
        "ru": "Настройки установки (модель, размер контекста, ответы и поиск) меняют только "
        "администраторы (ваша роль: {role}).",
    },
    "denied_delete_any_kb": {
        "en": "Only the owner of a knowledge base (or an administrator) can delete it "
        "(your role: {role}).",
        "ru": "Удалить базу знаний может только её владелец (или администратор) "
        "(ваша роль: {role}).",
    },
    "kb_no_access": {
        "en": "There is no knowledge base named '{name}' that you can open.",
        "ru": "Нет доступной вам базы знаний «{name}».",
    },
    "kb_read_only": {
        "en": "You can read '{name}' but not change it; ask its owner for write access.",
        "ru": "Базу «{name}» можно читать, но не изменять; попросите владельца о праве записи.",
    },
    "kb_not_owner": {
        "en": "Only the owner of '{name}' ({owner}) can rename, share or delete it.",
        "ru": "Переименовать, открыть доступ или удалить «{name}» может только владелец ({owner}).",
    },
    "kb_name_invalid": {
        "en": "'{name}' cannot be a knowledge base name (1–100 characters, not starting with '~').",
        "ru": "«{name}» не может быть названием базы знаний (1–100 символов, не с «~»).",
    },
    "kb_name_taken": {
        "en": "A knowledge base named '{name}' exists already (perhaps private to someone "
        "else); choose another name.",
        "ru": "База знаний «{name}» уже существует (возможно, чья-то личная); выберите "
        "другое название.",
    },
    "share_whom": {
        "en": "Name exactly one user or one group to share with.",
        "ru": "Укажите ровно одного пользователя или одну группу.",
    },
    "share_self": {
        "en": "You own this knowledge base already.",
        "ru": "Вы уже владелец этой базы знаний.",
    },
    "chat_missing": {"en": "There is no chat #{id} of yours.", "ru": "У вас нет чата №{id}."},
    "document_missing": {"en": "There is no document #{id}.", "ru": "Документа №{id} нет."},
    "document_no_access": {
        "en": "You have no access to this document.",
        "ru": "У вас нет доступа к этому документу.",
    },
}
