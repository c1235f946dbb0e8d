"""English and Russian strings of `konspekt doctor` (merged into cli.text)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "doctor_title": {"en": "Konspekt doctor", "ru": "Диагностика Konspekt"},
    "doctor_col_check": {"en": "Check", "ru": "Проверка"},
    "doctor_col_status": {"en": "Status", "ru": "Итог"},
    "doctor_col_detail": {"en": "Detail", "ru": "Подробности"},
    "doctor_ok": {"en": "ok", "ru": "ок"},
    "doctor_warn": {"en": "warning", "ru": "внимание"},
    "doctor_fail": {"en": "FAILED", "ru": "ОШИБКА"},
    "doctor_check_policy": {"en": "IT policy", "ru": "Политика ИТ"},
    "doctor_check_python": {"en": "Python", "ru": "Python"},
    "doctor_check_sqlcipher": {"en": "Encryption (SQLCipher)", "ru": "Шифрование (SQLCipher)"},
    "doctor_check_cpu": {"en": "CPU features", "ru": "Возможности процессора"},
    "doctor_check_llama_backend": {"en": "llama.cpp backend", "ru": "Бэкенд llama.cpp"},
    "doctor_check_gpu_offload": {"en": "GPU offload", "ru": "Перенос на GPU"},
    "doctor_check_answer_model": {"en": "Answer model", "ru": "Модель ответов"},
    "doctor_check_model_verified": {"en": "Model file", "ru": "Файл модели"},
    "doctor_check_embedder": {"en": "Embedding model", "ru": "Модель эмбеддингов"},
    "doctor_check_keychain": {"en": "Keychain", "ru": "Связка ключей"},
    "doctor_check_data_folder": {"en": "Data folder", "ru": "Папка данных"},
    "doctor_check_free_space": {"en": "Free space", "ru": "Свободное место"},
    "doctor_check_self_test": {"en": "Offline self-test", "ru": "Самопроверка без сети"},
    "doctor_running": {
        "en": "Self-test: indexing a sample and asking about it, offline…",
        "ru": "Самопроверка: индексация примера и вопрос по нему без сети…",
    },
    "doctor_steps": {"en": "Self-test steps", "ru": "Шаги самопроверки"},
    "doctor_col_step": {"en": "Step", "ru": "Шаг"},
    "doctor_col_seconds": {"en": "Seconds", "ru": "Секунд"},
    "doctor_attempts": {
        "en": "Network attempts during the self-test: {count}",
        "ru": "Попыток выйти в сеть во время самопроверки: {count}",
    },
    "doctor_processes": {
        "en": "Programs started during the self-test: {names}",
        "ru": "Программы, запущенные во время самопроверки: {names}",
    },
    "doctor_summary_ok": {
        "en": "No check failed.",
        "ru": "Ни одна проверка не провалилась.",
    },
    "doctor_summary_fail": {
        "en": "{count} check(s) failed; see docs/doctor.md for what to do.",
        "ru": "Провалено проверок: {count}; что делать — в docs/doctor.md.",
    },
}
