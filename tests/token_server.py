"""llama-cpp-python's own OpenAI server, taking a prompt as token ids as llama.cpp's does.

Run as `python -m tests.token_server --model FILE --host 127.0.0.1 --port N ...` (the
arguments of `python -m llama_cpp.server`). Konspekt sends prompts as token ids (see
core/llm/remote.py); llama.cpp's llama-server and vLLM accept them, as the OpenAI API
does, but llama-cpp-python 0.3.36's server types `prompt` as text only (a token list gets
"Input should be a valid string"). Its model call takes token ids natively, so only the
request type is widened here: a token list is passed on as the one-prompt batch
`[[ids]]`, which the server's handler unwraps to the ids for `Llama.__call__`. Nothing
else of the server changes; text prompts work as before.

With KONSPEKT_TEST_PROMPT_LOG set, each token-id prompt received is appended to that
file as a JSON line: what the server was given, for tests to compare.
"""

from __future__ import annotations

import json
import os
from typing import Annotated

import llama_cpp.server.types as types
from pydantic import BeforeValidator


def _batch_of_one(prompt: object) -> object:
    """A flat token list becomes a batch of one prompt (unwrapped again by the handler)."""
    if isinstance(prompt, list) and prompt and all(isinstance(t, int) for t in prompt):
        if os.environ.get("KONSPEKT_TEST_PROMPT_LOG"):
            with open(os.environ["KONSPEKT_TEST_PROMPT_LOG"], "a", encoding="utf-8") as log:
                log.write(json.dumps(prompt) + "\n")
        return [prompt]
    return prompt


class TokenCompletionRequest(types.CreateCompletionRequest):
    """The server's completion request, whose prompt may also be token ids."""

    prompt: Annotated[str | list[str] | list[list[int]], BeforeValidator(_batch_of_one)] = ""


# Before the server's app module is imported: it binds the request type at import.
types.CreateCompletionRequest = TokenCompletionRequest  # type: ignore[misc]

if __name__ == "__main__":
    from llama_cpp.server.__main__ import main

    main()
