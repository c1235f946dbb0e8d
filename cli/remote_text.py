"""English and Russian strings of `konspekt remote`, `sync` and `publish` (merged into cli.text)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "remote_presents": {
        "en": "{url} presents a certificate with the SHA-256 fingerprint\n  {fingerprint}\n"
        "Compare it with the one its administrator gave you (`konspekt serve` prints it).",
        "ru": "{url} предъявляет сертификат с отпечатком SHA-256\n  {fingerprint}\n"
        "Сверьте его с тем, что дал администратор сервера (его выводит `konspekt serve`).",
    },
    "remote_already_trusted": {
        "en": "This is the certificate already trusted for this address.",
        "ru": "Это сертификат, которому для этого адреса уже доверяют.",
    },
    "remote_trust_prompt": {
        "en": "Trust this server? [y/N] ",
        "ru": "Доверять этому серверу? [д/Н] ",
    },
    "remote_trust_needed": {
        "en": "No terminal to confirm the certificate: pass --fingerprint FP (the server's "
        "fingerprint, as its administrator gave it).",
        "ru": "Нет терминала для подтверждения сертификата: укажите --fingerprint ОТПЕЧАТОК "
        "(отпечаток сервера, полученный от его администратора).",
    },
    "remote_not_trusted": {
        "en": "Not trusted; nothing was sent to the server.",
        "ru": "Доверие не подтверждено; серверу ничего не отправлено.",
    },
    "remote_password_prompt": {
        "en": "Password of {user} on {url}: ",
        "ru": "Пароль {user} на {url}: ",
    },
    "remote_joined": {
        "en": "Connected to {url} as {account}; {count} knowledge base(s) there. Keep a copy "
        "for offline use: konspekt sync --keep NAME",
        "ru": "Подключено к {url} как {account}; баз знаний там: {count}. Хранить копию для "
        "работы без сети: konspekt sync --keep ИМЯ",
    },
    "remote_none": {
        "en": "No team servers. Connect to one: konspekt remote add https://HOST:PORT",
        "ru": "Командных серверов нет. Подключитесь: konspekt remote add https://ХОСТ:ПОРТ",
    },
    "remote_removed": {
        "en": "Left {url}: this computer's key there is revoked and its copies here deleted.",
        "ru": "Сервер {url} отключён: ключ этого компьютера на нём отозван, копии здесь удалены.",
    },
    "remote_url_needed": {
        "en": "Give the server's address: konspekt remote {action} https://HOST:PORT",
        "ru": "Укажите адрес сервера: konspekt remote {action} https://ХОСТ:ПОРТ",
    },
    "remote_kbs_none": {
        "en": "No knowledge bases of a team server are visible to you.",
        "ru": "Вам не видна ни одна база знаний командного сервера.",
    },
    "remote_ambiguous": {
        "en": "“{name}” names several server knowledge bases: {names}. Use the local name.",
        "ru": "«{name}» — имя нескольких баз знаний серверов: {names}. Укажите локальное имя.",
    },
    "remote_server_needed": {
        "en": "Name the server with --server URL (joined: {urls}).",
        "ru": "Укажите сервер: --server URL (подключены: {urls}).",
    },
    "col_server": {"en": "Server", "ru": "Сервер"},
    "col_account": {"en": "Account", "ru": "Учётная запись"},
    "col_fingerprint": {"en": "Certificate SHA-256", "ru": "SHA-256 сертификата"},
    "col_added": {"en": "Added", "ru": "Добавлен"},
    "col_synced": {"en": "Synced", "ru": "Синхронизировано"},
    "col_on_server": {"en": "Name on the server", "ru": "Имя на сервере"},
    "col_local_name": {"en": "Name here", "ru": "Имя здесь"},
    "col_copy": {"en": "Copy kept", "ru": "Копия"},
    "no_copy": {"en": "no", "ru": "нет"},
    "sync_keeping": {
        "en": "A copy of “{name}” is kept on this computer from now on.",
        "ru": "Копия «{name}» теперь хранится на этом компьютере.",
    },
    "sync_dropping": {
        "en": "The copy of “{name}” was deleted; it is asked on the server again.",
        "ru": "Копия «{name}» удалена; вопросы к ней снова идут на сервер.",
    },
    "sync_listed": {
        "en": "{kb}: {total} document(s) to fetch or remove",
        "ru": "{kb}: документов получить или удалить — {total}",
    },
    "sync_document": {
        "en": "{kb}  copied {done}/{total}  {document}",
        "ru": "{kb}  скопировано {done}/{total}  {document}",
    },
    "sync_summary": {
        "en": "{kb}: {added} added, {changed} changed, {removed} removed; {size} received; "
        "version {version}",
        "ru": "{kb}: добавлено {added}, изменено {changed}, удалено {removed}; получено {size}; "
        "версия {version}",
    },
    "sync_re_embedded_cli": {
        "en": "{kb}: the server uses another embedder, so this computer computed the vectors "
        "again.",
        "ru": "{kb}: на сервере другая модель векторов, поэтому этот компьютер пересчитал их.",
    },
    "sync_dropped": {
        "en": "{kb}: no longer readable for you on the server; its copy here was deleted.",
        "ru": "{kb}: на сервере у вас больше нет доступа; её копия здесь удалена.",
    },
    "sync_cancelled": {
        "en": "{kb}: stopped; what was copied is kept and the next sync continues from there.",
        "ru": "{kb}: остановлено; скопированное сохранено, следующая синхронизация продолжит.",
    },
    "sync_nothing": {
        "en": "No copies are kept. Keep one: konspekt sync --keep NAME (konspekt remote kbs "
        "lists them).",
        "ru": "Копии не хранятся. Включите: konspekt sync --keep ИМЯ (список: konspekt remote "
        "kbs).",
    },
    "size_kb": {"en": "{n:.1f} KB", "ru": "{n:.1f} КБ"},
    "size_mb": {"en": "{n:.1f} MB", "ru": "{n:.1f} МБ"},
    "queued": {
        "en": "Waiting for the model: place {position} in line…",
        "ru": "Ожидание модели: место в очереди — {position}…",
    },
    "published": {"en": "published {name}", "ru": "опубликовано: {name}"},
    "published_all": {
        "en": "{count} document(s) of “{kb}” published on {url}.",
        "ru": "Документов «{kb}» опубликовано на {url}: {count}.",
    },
}
