"""The strings of `konspekt models` in English and Russian."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "models_col_name": {"en": "Name", "ru": "Имя"},
    "models_col_title": {"en": "Model", "ru": "Модель"},
    "models_col_role": {"en": "Role", "ru": "Роль"},
    "models_col_size": {"en": "Size", "ru": "Размер"},
    "models_col_state": {"en": "State", "ru": "Состояние"},
    "models_col_first": {"en": "First word*", "ru": "Первое слово*"},
    "models_first_note": {
        "en": "* expected wait before an answer starts, for a ~2,000-token prompt",
        "ru": "* ожидаемое время до начала ответа при запросе ~2000 токенов",
    },
    "models_col_licence": {"en": "Licence", "ru": "Лицензия"},
    "models_role_answer": {"en": "answers", "ru": "ответы"},
    "models_role_embedder": {"en": "search", "ru": "поиск"},
    "models_role_reranker": {"en": "reranking", "ru": "переранжирование"},
    "models_state_missing": {"en": "not here", "ru": "нет"},
    "models_state_partial": {
        "en": "{mb} MB downloaded, resumable",
        "ru": "скачано {mb} МБ, можно продолжить",
    },
    "models_state_installed": {"en": "installed", "ru": "установлена"},
    "models_state_verified": {"en": "installed, verified", "ru": "установлена, проверена"},
    "models_state_packaged": {"en": "built in", "ru": "встроена"},
    "models_state_active": {"en": " · in use", "ru": " · используется"},
    "models_advised": {"en": " ← advised here", "ru": " ← советуем здесь"},
    "models_on_gpu": {"en": "GPU", "ru": "GPU"},
    "models_on_cpu": {"en": "CPU", "ru": "CPU"},
    "models_seconds": {"en": "~{s} s on {device}", "ru": "~{s} с на {device}"},
    "models_minutes": {"en": "~{m} min on {device}", "ru": "~{m} мин на {device}"},
    "models_hardware": {
        "en": "This machine: {cores} cores ({features}), {ram} GB memory, {gpu}.",
        "ru": "Этот компьютер: ядер — {cores} ({features}), память {ram} ГБ, {gpu}.",
    },
    "models_no_gpu": {"en": "no usable GPU", "ru": "нет доступной видеокарты"},
    "models_gpu": {"en": "GPU {name} ({vram} GB)", "ru": "видеокарта {name} ({vram} ГБ)"},
    "models_gpu_unused": {
        "en": "GPU {name} (this llama.cpp build cannot use it; see docs/models.md)",
        "ru": "видеокарта {name} (эта сборка llama.cpp не умеет её использовать; "
        "см. docs/models.md)",
    },
    "models_folder": {"en": "Models folder: {folder}", "ru": "Папка моделей: {folder}"},
    "models_downloading": {"en": "Downloading {name}", "ru": "Загрузка {name}"},
    "models_checking": {"en": "Checking the kept part", "ru": "Проверка сохранённой части"},
    "models_copying": {"en": "Copying {name}", "ru": "Копирование {name}"},
    "models_installed": {
        "en": "{name} is installed and verified: {path}",
        "ru": "{name} установлена и проверена: {path}",
    },
    "models_use_hint": {
        "en": "Answer with it: konspekt models use {name}",
        "ru": "Чтобы отвечать ею: konspekt models use {name}",
    },
    "models_cancelled": {
        "en": "Stopped. {mb} MB are kept in {part}; run the same command to resume.",
        "ru": "Остановлено. {mb} МБ сохранены в {part}; повторите команду, чтобы продолжить.",
    },
    "models_copy_cancelled": {
        "en": "Stopped; nothing was installed.",
        "ru": "Остановлено; ничего не установлено.",
    },
    "models_target_needed": {
        "en": "Name the model: konspekt models {action} NAME (see konspekt models list)",
        "ru": "Укажите модель: konspekt models {action} ИМЯ (см. konspekt models list)",
    },
    "models_verify_ok": {"en": "OK", "ru": "в порядке"},
    "models_verify_bad": {
        "en": "DOES NOT MATCH (sha256 {sha})",
        "ru": "НЕ СОВПАДАЕТ (sha256 {sha})",
    },
    "models_verify_unlisted": {
        "en": "not in the list (sha256 {sha})",
        "ru": "нет в списке (sha256 {sha})",
    },
    "models_verify_none": {
        "en": "No model files installed yet.",
        "ru": "Файлов моделей пока нет.",
    },
    "models_verify_col_file": {"en": "File", "ru": "Файл"},
    "models_verify_col_result": {"en": "Result", "ru": "Результат"},
    "models_used": {
        "en": "Answers now use {path}.",
        "ru": "Теперь ответы пишет {path}.",
    },
}
