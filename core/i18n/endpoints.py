"""English and Russian messages of remote answer-model servers (merged into core.i18n)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "endpoints_down": {
        "en": "The answer model's servers cannot be reached: {endpoints}. Check that they "
        "run and that this computer can reach them (answer_endpoints in konspekt.toml).",
        "ru": "Серверы модели ответов недоступны: {endpoints}. Проверьте, что они запущены "
        "и доступны с этого компьютера (answer_endpoints в konspekt.toml).",
    },
    "endpoint_refused": {
        "en": "The answer model's server {endpoint} refused the request (HTTP {status}: "
        "{detail}). It must accept a prompt as token ids on /v1/completions "
        "(llama.cpp server, vLLM), with the model and key Konspekt is configured for.",
        "ru": "Сервер модели ответов {endpoint} отклонил запрос (HTTP {status}: {detail}). "
        "Он должен принимать запрос в виде номеров токенов на /v1/completions "
        "(сервер llama.cpp, vLLM), с той моделью и тем ключом, что настроены в Konspekt.",
    },
    "endpoint_lost": {
        "en": "The connection to the answer model's server {endpoint} broke off mid-answer "
        "({detail}). Ask again.",
        "ru": "Связь с сервером модели ответов {endpoint} прервалась посреди ответа "
        "({detail}). Задайте вопрос ещё раз.",
    },
}
