"""English and Russian messages of knowledge-base assistants and question templates."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "assistant_instructions_long": {
        "en": "The instructions are {length} characters long; at most {limit} are allowed.",
        "ru": "Инструкции длиной {length} символов; допускается не больше {limit}.",
    },
    "assistant_description_long": {
        "en": "The description is {length} characters long; at most {limit} are allowed.",
        "ru": "Описание длиной {length} символов; допускается не больше {limit}.",
    },
    "assistant_temperature_range": {
        "en": "Temperature {value} is out of range: give a number from {low} to {high}.",
        "ru": "Температура {value} вне диапазона: укажите число от {low} до {high}.",
    },
    "assistant_answer_tokens_range": {
        "en": "Answer length {value} is out of range: give {low} to {high} tokens.",
        "ru": "Длина ответа {value} вне диапазона: укажите от {low} до {high} токенов.",
    },
    "assistant_passages_range": {
        "en": "Passages per answer {value} is out of range: give {low} to {high}.",
        "ru": "Число фрагментов на ответ {value} вне диапазона: укажите от {low} до {high}.",
    },
    "template_brace_stray": {
        "en": "The template has a “}}” at character {position} that closes nothing; "
        "write “}}}}” for a brace itself.",
        "ru": "В шаблоне на символе {position} стоит «}}», который ничего не закрывает; "
        "чтобы вставить саму скобку, напишите «}}}}».",
    },
    "template_brace_unclosed": {
        "en": "The placeholder opened with “{{” at character {position} is not closed "
        "with “}}”; write “{{{{” for a brace itself.",
        "ru": "Поле, открытое «{{» на символе {position}, не закрыто «}}»; "
        "чтобы вставить саму скобку, напишите «{{{{».",
    },
    "template_field_empty": {
        "en": "The placeholder at character {position} has no name: write e.g. {{document}}.",
        "ru": "У поля на символе {position} нет имени: напишите, например, {{документ}}.",
    },
    "template_field_long": {
        "en": "The placeholder name at character {position} is longer than {limit} characters.",
        "ru": "Имя поля на символе {position} длиннее {limit} символов.",
    },
    "template_too_many_fields": {
        "en": "A template may have at most {limit} different placeholders.",
        "ru": "В шаблоне может быть не больше {limit} разных полей.",
    },
    "template_value_missing": {
        "en": "No value for the placeholder “{name}”.",
        "ru": "Не задано значение поля «{name}».",
    },
    "template_name_invalid": {
        "en": "A template needs a name of 1 to {limit} characters on one line.",
        "ru": "Шаблону нужно имя длиной от 1 до {limit} символов в одну строку.",
    },
    "template_text_invalid": {
        "en": "A template needs a question of 1 to {limit} characters.",
        "ru": "Шаблону нужен вопрос длиной от 1 до {limit} символов.",
    },
    "template_name_taken": {
        "en": "There is already a template named “{name}” there; choose another name.",
        "ru": "Шаблон «{name}» там уже есть; выберите другое имя.",
    },
    "template_missing": {
        "en": "There is no template “{name}” that you can use.",
        "ru": "Нет доступного вам шаблона «{name}».",
    },
    "template_read_only": {
        "en": "“{name}” is shared with the knowledge base “{kb}”; only those who can change "
        "that knowledge base can change its templates.",
        "ru": "«{name}» — общий шаблон базы знаний «{kb}»; изменять его могут только те, "
        "кто может изменять эту базу.",
    },
}
