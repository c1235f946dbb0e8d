"""Token streaming from a GGUF model: llama_cpp's one importer besides search.gguf_encoder.

One lock per loaded model (a llama.cpp context is not thread-safe). Generation is a
generator that checks a cancel event between tokens, so Stop halts llama.cpp itself.
"""

from __future__ import annotations

import codecs
import logging
import re
import threading
from collections.abc import Generator as GeneratorOf
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, cast

from core.errors import ModelMissing

log = logging.getLogger(__name__)

# Used only when a GGUF carries no chat template of its own.
_CHATML = (
    "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)


# Where each message's content goes in the rendered template: private-use characters that
# the template passes through, so the template's own text can be told from the content.
_SLOT = re.compile("\ue000(\\d+)\ue001")


@dataclass(frozen=True, slots=True)
class Prompt:
    """A chat rendered through the model's template and tokenized once."""

    text: str
    stop: tuple[str, ...]
    tokens: tuple[int, ...]
    """The template's markers as special tokens; message contents as plain text only."""

    @property
    def token_count(self) -> int:
        """How many tokens the prompt costs."""
        return len(self.tokens)


def gpu_offload_supported() -> bool:
    """Whether this llama.cpp build can offload layers to a GPU (CUDA, Metal, Vulkan…)."""
    import llama_cpp

    return bool(llama_cpp.llama_supports_gpu_offload())


@dataclass(frozen=True, slots=True)
class LlamaDevice:
    """A device the llama.cpp build can run on (CPU, a GPU, an accelerator)."""

    name: str
    description: str
    is_cpu: bool
    memory_total: int
    """Bytes (0 when the backend does not say)."""


@dataclass(frozen=True, slots=True)
class LlamaBuild:
    """What the installed llama.cpp was built with: for `konspekt doctor`."""

    system_info: str
    """llama.cpp's own summary: compiled-in CPU features and backends."""
    backends: tuple[str, ...]
    """The ggml backend registry: 'CPU', and 'CUDA', 'Metal', 'Vulkan'… when built in."""
    devices: tuple[LlamaDevice, ...]
    gpu_offload: bool


def llama_build() -> LlamaBuild:
    """Ask the loaded llama.cpp library what it was built with (loads no model)."""
    import llama_cpp

    llama_cpp.llama_backend_init()
    info = llama_cpp.llama_print_system_info().decode("utf-8", errors="replace").strip()
    backends, devices = _ggml_registry()
    gpu = bool(llama_cpp.llama_supports_gpu_offload())
    return LlamaBuild(info, backends, devices, gpu)


def _ggml_registry() -> tuple[tuple[str, ...], tuple[LlamaDevice, ...]]:
    """The backend registry through ctypes (llama-cpp-python binds none of it)."""
    import ctypes

    try:
        from llama_cpp._ggml import libggml as ggml
    except (ImportError, OSError, RuntimeError) as exc:  # no libggml beside libllama
        log.info("ggml backend registry unavailable: %s", exc)
        return (), ()
    ptr, size, text = ctypes.c_void_p, ctypes.c_size_t, ctypes.c_char_p
    for name, restype, argtypes in (
        ("ggml_backend_reg_count", size, []),
        ("ggml_backend_reg_get", ptr, [size]),
        ("ggml_backend_reg_name", text, [ptr]),
        ("ggml_backend_dev_count", size, []),
        ("ggml_backend_dev_get", ptr, [size]),
        ("ggml_backend_dev_name", text, [ptr]),
        ("ggml_backend_dev_description", text, [ptr]),
        ("ggml_backend_dev_type", ctypes.c_int, [ptr]),
        ("ggml_backend_dev_memory", None, [ptr, ctypes.POINTER(size), ctypes.POINTER(size)]),
    ):
        func = getattr(ggml, name, None)
        if func is None:  # a libggml older than the backend registry
            log.info("ggml backend registry unavailable: no %s", name)
            return (), ()
        func.restype, func.argtypes = restype, argtypes
    backends = tuple(
        (ggml.ggml_backend_reg_name(ggml.ggml_backend_reg_get(i)) or b"?").decode()
        for i in range(ggml.ggml_backend_reg_count())
    )
    devices = []
    for i in range(ggml.ggml_backend_dev_count()):
        dev = ggml.ggml_backend_dev_get(i)
        free, total = size(0), size(0)
        ggml.ggml_backend_dev_memory(dev, ctypes.byref(free), ctypes.byref(total))
        devices.append(
            LlamaDevice(
                (ggml.ggml_backend_dev_name(dev) or b"?").decode(errors="replace"),
                (ggml.ggml_backend_dev_description(dev) or b"").decode(errors="replace"),
                ggml.ggml_backend_dev_type(dev) == 0,  # GGML_BACKEND_DEVICE_TYPE_CPU
                int(total.value),
            )
        )
    return backends, tuple(devices)


class Stop(Protocol):
    """Anything that says whether to stop (a `threading.Event`, for one)."""

    def is_set(self) -> bool:
        """True once the work should stop."""
        ...


class Generator:
    """A loaded llama.cpp model."""

    parallel = 1
    """How many generations it serves at once (one llama.cpp context: one)."""

    def __init__(
        self,
        path: Path,
        n_ctx: int = 8192,
        n_threads: int = 1,
        n_gpu_layers: int = -1,
        seed: int = 0,
        *,
        vocab_only: bool = False,
        chat_template: str | None = None,
    ) -> None:
        # Imported here so that starting the app does not pay for it.
        import llama_cpp
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        self._llama_cpp = llama_cpp
        gpu = llama_cpp.llama_supports_gpu_offload()
        try:
            self._llm = llama_cpp.Llama(
                model_path=str(path),
                n_ctx=n_ctx,
                n_threads=n_threads,
                n_threads_batch=n_threads,
                n_gpu_layers=n_gpu_layers if gpu else 0,
                seed=seed,
                vocab_only=vocab_only,
                verbose=False,
            )
        except (ValueError, RuntimeError, OSError) as exc:
            raise ModelMissing("model_load_failed", path=str(path), detail=str(exc)) from None
        meta = self._llm.metadata
        self.path = path
        self.gpu_offload = bool(gpu and n_gpu_layers != 0)
        self.n_ctx = self._llm.n_ctx()
        self.train_ctx = int(
            meta.get(f"{meta.get('general.architecture', 'llama')}.context_length", 0)
        )
        self._lock = threading.Lock()
        self._vocab = llama_cpp.llama_model_get_vocab(self._llm.model)
        self._utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.name = meta.get("general.name") or path.stem
        self._formatter = Jinja2ChatFormatter(
            template=chat_template or meta.get("tokenizer.chat_template") or _CHATML,
            eos_token=self._token_text(self._llm.token_eos()),
            bos_token=self._token_text(self._llm.token_bos()),
            add_generation_prompt=True,
        )

    def _token_text(self, token: int) -> str:
        if token < 0:
            return ""
        return self._llm.detokenize([token], special=True).decode("utf-8", errors="ignore")

    def render(self, messages: list[dict[str, str]]) -> Prompt:
        """Apply the model's own chat template and tokenize the result.

        Only the template's own text may become special tokens. Message contents carry
        document text, memory and earlier answers, so they are tokenized as plain text: a
        document that spells out `<|eot_id|><|start_header_id|>system` stays text and
        cannot close its turn or open a system one, whatever the model family.
        """
        slots = [{**m, "content": f"\ue000{i}\ue001"} for i, m in enumerate(messages)]
        result = self._formatter(messages=cast(Any, slots))
        texts: list[str] = []
        tokens: list[int] = []
        at = 0
        for match in _SLOT.finditer(result.prompt):
            content = messages[int(match.group(1))]["content"].strip()
            template = result.prompt[at : match.start()]
            texts += [template, content]
            tokens += self._tokens(template, special=True) + self._tokens(content, special=False)
            at = match.end()
        template = result.prompt[at:]
        texts.append(template)
        tokens += self._tokens(template, special=True)
        stop = (
            result.stop if isinstance(result.stop, list) else [result.stop] if result.stop else []
        )
        return Prompt("".join(texts), tuple(s for s in stop if s), tuple(tokens))

    def _tokens(self, text: str, *, special: bool) -> list[int]:
        if not text:
            return []
        return list(self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=special))

    def count_tokens(self, text: str) -> int:
        """How many tokens `text` costs in this model as message content (plain text)."""
        return len(self._tokens(text, special=False))

    def stream(
        self,
        prompt: Prompt,
        *,
        max_tokens: int,
        temperature: float,
        top_p: float,
        repeat_penalty: float = 1.0,
        cancel: Stop | None = None,
    ) -> GeneratorOf[str, None, None]:
        """Yield text pieces until the model stops, `max_tokens`, or `cancel` is set.

        The lock is held while generating; closing the generator releases it. The KV
        cache keeps the longest common prefix of the previous call (chat follow-ups).
        """
        tokens = list(prompt.tokens)
        limit = max(1, min(max_tokens, self.n_ctx - len(tokens)))
        with self._lock:
            # WORKAROUND for llama-cpp-python's streaming create_completion, which
            # re-detokenizes the whole prompt for every new token (quadratic; 100x slower
            # than decoding on a small model): drive generate() and decode incrementally.
            tokens_out = self._llm.generate(
                tokens,
                temp=temperature,
                top_p=top_p,
                top_k=40,
                min_p=0.05,
                repeat_penalty=repeat_penalty,
                reset=True,
            )
            text = StopFilter(prompt.stop)
            try:
                for count, token in enumerate(tokens_out, start=1):
                    if cancel is not None and cancel.is_set():
                        break
                    if self._is_end(token):
                        break
                    piece, stopped = text.feed(self._decoder_piece(token, first=count == 1))
                    if piece:
                        yield piece
                    # Checked again before asking llama.cpp to decode the next token.
                    if stopped or count >= limit or (cancel is not None and cancel.is_set()):
                        break
                rest = text.flush()
                if rest and not (cancel is not None and cancel.is_set()):
                    yield rest
            finally:
                tokens_out.close()

    def _is_end(self, token: int) -> bool:
        return bool(self._llama_cpp.llama_vocab_is_eog(self._vocab, token))

    def _decoder_piece(self, token: int, first: bool) -> str:
        if first:
            self._utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")
        piece = self._utf8.decode(self._llm.detokenize([token]))
        return piece.lstrip() if first else piece

    def close(self) -> None:
        """Let go of what the model holds beside its memory (nothing, in process)."""

    @property
    def raw(self) -> Any:
        """The underlying llama_cpp.Llama, for benchmarks against bare llama-cpp-python."""
        return self._llm


class StopFilter:
    """Holds back just enough text to cut the answer at a stop string."""

    def __init__(self, stops: tuple[str, ...]) -> None:
        self._stops = stops
        self._hold = max((len(s) for s in stops), default=1) - 1
        self._buffer = ""

    def feed(self, piece: str) -> tuple[str, bool]:
        """Text safe to emit now, and whether a stop string was reached."""
        self._buffer += piece
        for stop in self._stops:
            at = self._buffer.find(stop)
            if at >= 0:
                out, self._buffer = self._buffer[:at], ""
                return out, True
        if self._hold <= 0:
            out, self._buffer = self._buffer, ""
            return out, False
        cut = max(0, len(self._buffer) - self._hold)
        out, self._buffer = self._buffer[:cut], self._buffer[cut:]
        return out, False

    def flush(self) -> str:
        """Whatever is still held back at the end."""
        out, self._buffer = self._buffer, ""
        return out
