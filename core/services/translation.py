"""Query translation by the loaded answer model, for searching across languages.

A question is also searched as its translation when the knowledge bases hold passages in
the other language (the retriever decides, `core.search.retriever`). The translation is
a short deterministic generation (temperature 0, at most `MAX_TOKENS`), cached in memory
per (question, language), made in the model's turn like any answer and stopped with the
question's cancel. It is an improvement, never a requirement: no model, the demo model
(SmolLM2-135M cannot translate), a model busy with other work (a translation never waits
in the line: the answer behind it would wait twice, and a search not at all otherwise),
a cancel or a failure leave the search as it was without translation, and say so in the
log.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict

from core.errors import KnownError
from core.llm.admission import Abandoned, Claim, Kind
from core.llm.catalog import DEMO_FILE, resolve_model
from core.llm.generator import Stop
from core.llm.slot import ModelSlot, Sampling
from core.settings import Settings

log = logging.getLogger(__name__)

MAX_TOKENS = 64
"""A search question is a sentence; a longer reply is the model talking, not translating."""
CACHE_SIZE = 512
SAMPLING = Sampling(MAX_TOKENS, temperature=0.0, top_p=1.0, repeat_penalty=1.0)
LANGUAGE_NAMES = {"en": "English", "ru": "Russian"}
SYSTEM_PROMPT = (
    "You translate search questions. Reply with the translation only: no quotes, no notes, "
    "no answer to the question. Keep names, commands and file names as they are."
)


class QueryTranslator:
    """Translations of questions made by the answer model, cached, never failing a search."""

    def __init__(self, settings: Settings, model: ModelSlot) -> None:
        self._settings = settings
        self._model = model
        self._cache: OrderedDict[tuple[str, str], str] = OrderedDict()
        self._lock = threading.Lock()
        self._skip_logged = False

    def available(self) -> bool:
        """Whether translation is on and the answer model can translate (not the demo).

        The loaded model decides; before the first load the configured one (resolving it
        only looks for its file: nothing is loaded here).
        """
        if not self._settings.translate_queries:
            return False
        loaded = self._model.loaded
        if loaded is not None:
            path = loaded.path
        else:
            try:
                path = resolve_model(self._settings).path
            except KnownError as exc:
                self._skip_once("no answer model (%s): questions are not translated", exc.key)
                return False
        if path.name == DEMO_FILE:
            self._skip_once(
                "the demo model %s cannot translate: questions are not translated", path.name
            )
            return False
        return True

    def translate(
        self,
        question: str,
        target: str,
        cancel: Stop | None = None,
        user_id: int | None = None,
        *,
        load: bool = True,
    ) -> str | None:
        """`question` in `target` ('en' or 'ru'), or None (off, unavailable, stopped, failed).

        With `load` False a model not loaded yet is not loaded for it (a search alone
        must not wait a minute for an 8B model; an answer needs the model anyway).
        """
        key = (question.strip(), target)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        if target not in LANGUAGE_NAMES or not key[0] or not self.available():
            return None
        if not load and self._model.loaded is None:
            return None
        line = self._model.admission
        if line.running() >= line.capacity or line.waiting():
            log.info("the model is busy: the question is searched untranslated")
            return None
        try:
            text = self._generate(key[0], target, cancel, user_id)
        except Abandoned:
            return None
        except Exception as exc:  # a translation is a bonus: the search goes on without it
            log.warning("question not translated: %s", exc, exc_info=True)
            return None
        if cancel is not None and cancel.is_set():
            return None  # a cut-off translation is not kept
        if not text:
            log.info("the model gave no translation into %s", target)
            return None
        with self._lock:
            self._cache[key] = text
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return text

    def _generate(
        self, question: str, target: str, cancel: Stop | None, user_id: int | None
    ) -> str:
        generator = self._model.get()
        prompt = generator.render(
            [
                {"role": "system", "content": SYSTEM_PROMPT},
                {
                    "role": "user",
                    "content": f"Translate into {LANGUAGE_NAMES[target]}:\n{question}",
                },
            ]
        )
        claim = Claim(user_id, Kind.INTERACTIVE, prompt.token_count + MAX_TOKENS)
        return cleaned(self._model.text(prompt, SAMPLING, claim, cancel))

    def _skip_once(self, message: str, *args: object) -> None:
        if not self._skip_logged:
            self._skip_logged = True
            log.info(message, *args)


def cleaned(reply: str) -> str:
    """The translation in a model's reply: its first non-empty line, without quotes."""
    line = next((line.strip() for line in reply.splitlines() if line.strip()), "")
    for prefix in ("Translation:", "Перевод:"):
        if line.startswith(prefix):
            line = line[len(prefix) :].strip()
    return line.strip("\"'«»“”` ")
