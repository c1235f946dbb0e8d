"""English and Russian messages of files whose reader crashed or ran out of time."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "parse_crashed": {
        "en": "{name}: the reader crashed on this file ({detail}). Nothing else was "
        "affected; the file may be damaged or made to attack readers.",
        "ru": "{name}: программа чтения аварийно завершилась на этом файле ({detail}). "
        "Остальное не затронуто; файл может быть повреждён или составлен для атаки.",
    },
    "parse_timeout": {
        "en": "{name}: reading took longer than {seconds} s and was stopped. Raise the "
        "parse_timeout_s setting for very large files.",
        "ru": "{name}: чтение заняло больше {seconds} с и было остановлено. Для очень "
        "больших файлов увеличьте параметр parse_timeout_s.",
    },
}
