"""English and Russian messages of team servers seen from a desktop (merged into core.i18n)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "server_unreachable": {
        "en": "The team server {url} cannot be reached ({detail}).",
        "ru": "Командный сервер {url} недоступен ({detail}).",
    },
    "server_not_https": {
        "en": "A team server's address starts with https:// (got “{url}”).",
        "ru": "Адрес командного сервера начинается с https:// (указано «{url}»).",
    },
    "server_certificate_changed": {
        "en": "The team server {url} presented a different certificate: {presented}. "
        "The certificate trusted for it is {pinned}. Nothing was sent. If IT replaced the "
        "server's certificate, remove the server and add it again; otherwise someone may be "
        "impersonating it.",
        "ru": "Командный сервер {url} предъявил другой сертификат: {presented}. "
        "Доверенный для него сертификат: {pinned}. Ничего не отправлено. Если ИТ-служба "
        "заменила сертификат сервера, удалите сервер и добавьте его снова; иначе кто-то, "
        "возможно, выдаёт себя за него.",
    },
    "server_refused": {
        "en": "The team server {url} refused: {detail}",
        "ru": "Командный сервер {url} отказал: {detail}",
    },
    "server_login_failed": {
        "en": "The team server {url} did not accept this user name and password: {detail}",
        "ru": "Командный сервер {url} не принял это имя пользователя и пароль: {detail}",
    },
    "server_login_needed": {
        "en": "The team server {url} no longer accepts this computer's key (revoked, or the "
        "account disabled). Connect to it again.",
        "ru": "Командный сервер {url} больше не принимает ключ этого компьютера (ключ отозван "
        "или учётная запись отключена). Подключитесь к нему заново.",
    },
    "server_missing": {
        "en": "No team server {url} is connected for this account.",
        "ru": "Командный сервер {url} не подключён для этой учётной записи.",
    },
    "server_answer_broken": {
        "en": "The team server {url} sent an answer this version cannot read ({detail}).",
        "ru": "Командный сервер {url} прислал ответ, который эта версия не может прочитать "
        "({detail}).",
    },
    "server_no_copy": {
        "en": "“{name}” is on the team server {url}, which cannot be reached, and no copy of "
        "it is kept on this computer. Tick “keep a copy on this computer” to ask it offline.",
        "ru": "«{name}» находится на командном сервере {url}, который недоступен, а копии на "
        "этом компьютере нет. Отметьте «хранить копию на этом компьютере», чтобы задавать "
        "вопросы без сети.",
    },
    "server_mixed": {
        "en": "Ask a team server's knowledge base on its own, or every local one together.",
        "ru": "Задавайте вопросы базе знаний командного сервера отдельно или всем локальным "
        "базам вместе.",
    },
    "kb_mirror": {
        "en": "“{name}” belongs to the team server; change it there.",
        "ru": "«{name}» принадлежит командному серверу; изменяйте её там.",
    },
    "kb_not_remote": {
        "en": "“{name}” is a knowledge base of this computer, not of a team server.",
        "ru": "«{name}» — база знаний этого компьютера, а не командного сервера.",
    },
    "kb_mirror_name": {
        "en": "{name} ({host})",
        "ru": "{name} ({host})",
    },
    "sync_re_embedded": {
        "en": "“{name}”: the server's vectors come from another embedder ({server}); this "
        "computer computed them again with {local}.",
        "ru": "«{name}»: векторы сервера построены другой моделью ({server}); этот компьютер "
        "пересчитал их моделью {local}.",
    },
    "offline_answer": {
        "en": "Offline — answering from the copy synced at {time}.",
        "ru": "Нет связи с сервером — ответ по копии, синхронизированной в {time}.",
    },
}
