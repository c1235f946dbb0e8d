"""English and Russian messages of the IT policy: locked settings, features turned off."""

from __future__ import annotations

_TYPES: dict[str, tuple[str, str]] = {
    "bool": ("true or false", "true или false"),
    "int": ("a whole number", "целым числом"),
    "float": ("a number", "числом"),
    "str": ("text in quotes", "текстом в кавычках"),
    "path": ("a path in quotes", "путём в кавычках"),
    "list": ("a list of texts in quotes", "списком строк в кавычках"),
    "table": ("a table of texts", "таблицей строк"),
}
"""What a setting's value must be, as the end of 'X must be …' (Russian: instrumental)."""

_FEATURES: dict[str, tuple[str, str]] = {
    "private_uploads": (
        "Private uploads are turned off",
        "Личные загрузки отключены",
    ),
    "export": (
        "Taking documents out of Konspekt (publishing, downloading originals) is turned off",
        "Вынос документов из Konspekt (публикация, скачивание оригиналов) отключён",
    ),
    "watched_folders": (
        "Watched folders are turned off",
        "Отслеживаемые папки отключены",
    ),
}

MESSAGES: dict[str, dict[str, str]] = {
    "setting_locked": {
        "en": "The setting {name} is locked by your IT policy ({source}); only IT can "
        "change it there.",
        "ru": "Параметр {name} закреплён политикой ИТ ({source}); изменить его может "
        "только ИТ-отдел в этой политике.",
    },
    "setting_unknown": {
        "en": "There is no setting named '{name}' (`konspekt settings show` lists them).",
        "ru": "Параметра «{name}» нет (их список: `konspekt settings show`).",
    },
    "setting_choice": {
        "en": "The setting {name} must be one of: {choices}.",
        "ru": "Параметр {name} должен быть одним из: {choices}.",
    },
    "policy_invalid": {
        "en": "The IT policy {source}{where} cannot be used: {problem} Konspekt does not "
        "start until IT corrects it.",
        "ru": "Политику ИТ {source}{where} нельзя применить: {problem} Konspekt не "
        "запустится, пока ИТ-отдел её не исправит.",
    },
    "policy_at_line": {"en": ", line {line},", "ru": " (строка {line})"},
    "policy_at_value": {"en": ", value {name},", "ru": " (значение {name})"},
    "policy_unreadable": {
        "en": "it cannot be read ({detail}).",
        "ru": "её не удаётся прочитать ({detail}).",
    },
    "policy_not_utf8": {
        "en": "it is not UTF-8 text.",
        "ru": "это не текст в UTF-8.",
    },
    "policy_syntax": {
        "en": "it is not valid TOML ({detail}).",
        "ru": "это некорректный TOML ({detail}).",
    },
    "policy_table": {
        "en": "'{name}' is not allowed there; settings go under [locked] (IT's values) or "
        "[defaults] (presets a user may change).",
        "ru": "«{name}» здесь недопустимо; параметры пишутся в разделе [locked] (значения "
        "ИТ) или [defaults] (предустановки, которые пользователь может изменить).",
    },
    "policy_unknown_key": {
        "en": "'{name}' is not a Konspekt setting (docs/policy.md lists them).",
        "ru": "«{name}» — не параметр Konspekt (список: docs/policy.md).",
    },
    "policy_wrong_type": {
        "en": "'{name}' must be {expected}.",
        "ru": "«{name}» должен быть {expected}.",
    },
    "policy_bad_choice": {
        "en": "'{name}' must be one of: {choices}.",
        "ru": "«{name}» должен быть одним из: {choices}.",
    },
    "policy_always_on": {
        "en": "'{name}' cannot be true: this build of Konspekt never checks for updates "
        "nor sends telemetry. Write false or leave it out.",
        "ru": "«{name}» не может быть true: эта сборка Konspekt никогда не проверяет "
        "обновления и не отправляет телеметрию. Укажите false или уберите строку.",
    },
}
for _name, (_en, _ru) in _TYPES.items():
    MESSAGES[f"policy_type_{_name}"] = {"en": _en, "ru": _ru}
    MESSAGES[f"setting_must_be_{_name}"] = {
        "en": f"The setting {{name}} must be {_en}.",
        "ru": f"Параметр {{name}} должен быть {_ru}.",
    }
for _feature, (_en, _ru) in _FEATURES.items():
    MESSAGES[f"{_feature}_off"] = {
        "en": f"{_en} on this installation (an administrator's setting).",
        "ru": f"{_ru} в этой установке (настройка администратора).",
    }
    MESSAGES[f"{_feature}_off_policy"] = {
        "en": f"{_en} by your IT policy ({{source}}).",
        "ru": f"{_ru} политикой ИТ ({{source}}).",
    }
