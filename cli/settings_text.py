"""English and Russian strings of `konspekt settings` and of a policy that stops a start."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "col_setting": {"en": "Setting", "ru": "Параметр"},
    "col_setting_value": {"en": "Value", "ru": "Значение"},
    "col_setting_origin": {"en": "Set by", "ru": "Кем задано"},
    "setting_locked_by": {"en": "🔒 locked by {source}", "ru": "🔒 закреплено: {source}"},
    "setting_preset_by": {"en": "preset by {source}", "ru": "предустановлено: {source}"},
    "setting_automatic": {"en": "(automatic)", "ru": "(автоматически)"},
    "setting_hidden": {"en": "(set, hidden)", "ru": "(задано, скрыто)"},
    "setting_never": {
        "en": "false (this build never checks for updates nor sends telemetry)",
        "ru": "false (эта сборка не проверяет обновления и не отправляет телеметрию)",
    },
    "policy_in_force": {
        "en": "IT policy: {source} (locked: {locked}; presets: {presets})",
        "ru": "Политика ИТ: {source} (закреплено: {locked}; предустановлено: {presets})",
    },
    "policy_none": {
        "en": "No IT policy on this computer: every setting is yours (or an administrator's).",
        "ru": "Политики ИТ на этом компьютере нет: все параметры задаёте вы (или администратор).",
    },
    "setting_saved": {
        "en": "{name} = {value} (saved to konspekt.toml; used from the next answer on).",
        "ru": "{name} = {value} (сохранено в konspekt.toml; действует со следующего ответа).",
    },
    "setting_fixed": {
        "en": "{name} is fixed while Konspekt runs; set it in {path} with every Konspekt "
        "closed, or by its environment variable, and start again.",
        "ru": "{name} не меняется во время работы Konspekt; задайте его в {path}, закрыв все "
        "окна Konspekt, или переменной окружения, и запустите снова.",
    },
}
