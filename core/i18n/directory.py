"""English and Russian messages of LDAP / Active Directory login (merged into core.i18n)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "directory_unreachable": {
        "en": "The directory server {url} cannot be reached ({detail}). Accounts of the "
        "directory cannot log in until it answers; local accounts still can.",
        "ru": "Сервер каталога {url} недоступен ({detail}). Учётные записи каталога не могут "
        "войти, пока он не ответит; локальные учётные записи входят как обычно.",
    },
    "directory_tls": {
        "en": "A secure connection to the directory server {url} failed ({detail}). Check "
        "ldap_ca_file (the CA that signed the server's certificate) and the server name.",
        "ru": "Не удалось установить защищённое соединение с сервером каталога {url} "
        "({detail}). Проверьте ldap_ca_file (центр сертификации сертификата сервера) "
        "и имя сервера.",
    },
    "directory_url_invalid": {
        "en": "ldap_url '{url}' is not a directory address: write ldaps://host or ldap://host:389.",
        "ru": "ldap_url «{url}» — не адрес каталога: укажите ldaps://сервер или ldap://сервер:389.",
    },
    "directory_refused": {
        "en": "The directory server refused the request ({detail}). Check the ldap_ settings.",
        "ru": "Сервер каталога отклонил запрос ({detail}). Проверьте настройки ldap_.",
    },
    "directory_service_refused": {
        "en": "The directory refused the service account {name}: check ldap_bind_dn and "
        "ldap_bind_password.",
        "ru": "Каталог отклонил служебную учётную запись {name}: проверьте ldap_bind_dn "
        "и ldap_bind_password.",
    },
    "directory_filter_invalid": {
        "en": "{filter} is not a valid LDAP filter: check ldap_user_filter and "
        "ldap_disabled_filter.",
        "ru": "{filter} — недопустимый фильтр LDAP: проверьте ldap_user_filter "
        "и ldap_disabled_filter.",
    },
    "directory_entry_missing": {
        "en": "The directory accepted the password of {name} but shows no single entry for "
        "it: check ldap_base_dn and ldap_user_filter.",
        "ru": "Каталог принял пароль {name}, но не показывает для него ровно одну запись: "
        "проверьте ldap_base_dn и ldap_user_filter.",
    },
    "directory_role_invalid": {
        "en": "ldap_group_roles maps {group} to '{role}'; the roles are admin, editor and member.",
        "ru": "В ldap_group_roles группе {group} сопоставлена роль «{role}»; роли: admin, "
        "editor и member.",
    },
    "directory_off": {
        "en": "This account logs in through the directory (LDAP/AD), which is not "
        "configured now; ask an administrator.",
        "ru": "Эта учётная запись входит через каталог (LDAP/AD), который сейчас не "
        "настроен; обратитесь к администратору.",
    },
    "login_directory_disabled": {
        "en": "The directory (LDAP/AD) has disabled this account; contact your IT department.",
        "ru": "Каталог (LDAP/AD) отключил эту учётную запись; обратитесь в ИТ-отдел.",
    },
    "password_in_directory": {
        "en": "The password of {username} is kept in the directory (LDAP/AD): change or "
        "reset it there, not in Konspekt.",
        "ru": "Пароль {username} хранится в каталоге (LDAP/AD): меняйте или сбрасывайте его "
        "там, а не в Konspekt.",
    },
}
