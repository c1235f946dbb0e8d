"""The server's own messages (failures of HTTP itself) in English and Russian."""

from __future__ import annotations

_TEXT: dict[str, dict[str, str]] = {
    "http_invalid_request": {
        "en": "The request is not valid; check these fields: {fields}.",
        "ru": "Запрос некорректен; проверьте поля: {fields}.",
    },
    "http_not_found": {
        "en": "There is nothing at this address.",
        "ru": "По этому адресу ничего нет.",
    },
    "http_method": {
        "en": "This address does not accept this method.",
        "ru": "Этот адрес не принимает такой метод.",
    },
    "http_bad": {"en": "The request cannot be handled.", "ru": "Запрос не может быть обработан."},
    "http_internal": {
        "en": "The server failed on an internal error; it is logged for the administrator.",
        "ru": "Внутренняя ошибка сервера; она записана в журнал для администратора.",
    },
    "http_too_large": {
        "en": "The request body is larger than the server accepts ({limit} MiB).",
        "ru": "Тело запроса больше, чем принимает сервер ({limit} МиБ).",
    },
    "http_timeout": {
        "en": "The request body arrived too slowly; send it again.",
        "ru": "Тело запроса передавалось слишком медленно; отправьте его снова.",
    },
    "http_no_token": {
        "en": "Log in first: send 'Authorization: Bearer <token or API key>'.",
        "ru": "Сначала войдите: передайте «Authorization: Bearer <токен или ключ API>».",
    },
    "http_no_generation": {
        "en": "There is no answer {id} of yours in progress (it may have expired).",
        "ru": "Ответа {id} среди ваших нет (возможно, срок его хранения истёк).",
    },
    "http_no_job": {
        "en": "There is no indexing job {id} of yours.",
        "ru": "Задания индексации {id} среди ваших нет.",
    },
    "http_no_question": {
        "en": "The conversation has no question from the user.",
        "ru": "В разговоре нет вопроса пользователя.",
    },
    "http_unknown_model": {
        "en": "There is no model {model} you may use; GET /v1/models lists them.",
        "ru": "Модели {model} среди доступных вам нет; список — GET /v1/models.",
    },
    "http_empty_upload": {
        "en": "The upload {name} is empty.",
        "ru": "Загруженный файл {name} пуст.",
    },
}


def t(key: str, lang: str, **params: object) -> str:
    """The message `key` in `lang` (English when missing), with `params` filled in."""
    entry = _TEXT[key]
    return (entry.get(lang) or entry["en"]).format(**params)
