"""The strings of `konspekt assistant` and `konspekt templates` in English and Russian."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "assistant_kb": {"en": "Knowledge base", "ru": "База знаний"},
    "assistant_description": {"en": "Description", "ru": "Описание"},
    "assistant_temperature": {"en": "Temperature", "ru": "Температура"},
    "assistant_answer_tokens": {"en": "Answer length (tokens)", "ru": "Длина ответа (токенов)"},
    "assistant_passages": {"en": "Passages per answer", "ru": "Фрагментов на ответ"},
    "assistant_instructions": {"en": "Instructions", "ru": "Инструкции"},
    "assistant_can_edit": {"en": "You can change it", "ru": "Вы можете изменять"},
    "assistant_default": {"en": "default ({value})", "ru": "по умолчанию ({value})"},
    "assistant_none": {"en": "(none)", "ru": "(нет)"},
    "assistant_saved": {"en": "Saved.", "ru": "Сохранено."},
    "assistant_rule": {
        "en": "Used for questions asked in this knowledge base alone; questions over every "
        "knowledge base use the installation's settings.",
        "ru": "Действует для вопросов только по этой базе знаний; вопросы по всем базам "
        "используют настройки установки.",
    },
    "assistant_bad_number": {
        "en": "{option} takes a number or “default”, not “{value}”.",
        "ru": "{option} принимает число или «default», а не «{value}».",
    },
    "assistant_prompt_unreadable": {
        "en": "Cannot read the file {path}: {detail}.",
        "ru": "Не удаётся прочитать файл {path}: {detail}.",
    },
    "templates_col_name": {"en": "Name", "ru": "Имя"},
    "templates_col_text": {"en": "Question", "ru": "Вопрос"},
    "templates_col_where": {"en": "Shared with", "ru": "Общий для"},
    "templates_personal": {"en": "only you", "ru": "только вы"},
    "templates_none": {
        "en": 'No templates yet. Add one: konspekt templates add NAME "Summarise {{document}}"',
        "ru": 'Шаблонов пока нет. Добавьте: konspekt templates add ИМЯ "Кратко о {{документ}}"',
    },
    "templates_added": {"en": "Template “{name}” saved.", "ru": "Шаблон «{name}» сохранён."},
    "templates_removed": {"en": "Template “{name}” removed.", "ru": "Шаблон «{name}» удалён."},
    "templates_text_needed": {
        "en": "Give the template's question text.",
        "ru": "Укажите текст вопроса шаблона.",
    },
    "templates_bad_set": {
        "en": "--set takes NAME=VALUE, not “{value}”.",
        "ru": "--set принимает ИМЯ=ЗНАЧЕНИЕ, а не «{value}».",
    },
    "templates_question_needed": {
        "en": "Give a question, or --template NAME with --set for its placeholders.",
        "ru": "Укажите вопрос или --template ИМЯ с --set для его полей.",
    },
}
