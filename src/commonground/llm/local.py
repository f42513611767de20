"""The `local` backend: a GGUF file run in-process by llama-cpp-python."""

from __future__ import annotations

import logging
import math
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from commonground.core.errors import ContextOverflow, ModelError, ModelTimeout, ModelUnavailable
from commonground.llm.base import Model
from commonground.llm.records import Recorder, discard
from commonground.llm.types import Chunk, Prompt, Usage

log = logging.getLogger(__name__)

MODEL_SETTING = "COMMONGROUND_LLM__MODEL"
GGUF_MAGIC = b"GGUF"


class LocalModel(Model):
    """llama-cpp-python in-process; one generation at a time per loaded model."""

    backend = "local"

    def __init__(
        self,
        path: Path,
        *,
        name: str | None = None,
        n_ctx: int = 4096,
        n_threads: int | None = None,
        seed: int = 0,
        timeout_s: float = 120.0,
        recorder: Recorder = discard,
    ) -> None:
        super().__init__(name=name or path.name, timeout_s=timeout_s, max_concurrency=1, recorder=recorder)
        self.path = path
        self.n_ctx = n_ctx
        self._llm = _load(path, n_ctx=n_ctx, n_threads=n_threads or os.cpu_count() or 1, seed=seed)
        self._prompt_deadline = _PromptDeadline(self._llm)
        self._lock = threading.Lock()

    @property
    def llama(self) -> Any:
        """The underlying `llama_cpp.Llama`, for callers that need its own API."""
        return self._llm

    def count_tokens(self, text: str) -> int:
        return len(self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=True))

    def _generate(self, prompt: Prompt, *, stream: bool) -> Iterator[Chunk]:
        # Always stream internally, so the time limit in Model._chunks is checked at every token.
        options: dict[str, Any] = {
            "messages": [{"role": m.role, "content": m.content} for m in prompt.messages],
            "max_tokens": prompt.max_tokens,
            "temperature": prompt.temperature,
            "stop": list(prompt.stop) or None,
            "stream": True,
        }
        if prompt.json_schema is not None:
            options["response_format"] = {"type": "json_object", "schema": prompt.json_schema}
        with self._lock:
            produced, finish = 0, None
            self._prompt_deadline.arm(self.timeout_s)
            try:
                for event in self._llm.create_chat_completion(**options):
                    self._prompt_deadline.disarm()
                    choice = event["choices"][0]
                    finish = choice.get("finish_reason") or finish
                    text = choice["delta"].get("content") or ""
                    if text:
                        produced += 1
                        yield Chunk(text)
            except ValueError as error:
                if "exceed context window" in str(error):
                    raise ContextOverflow(
                        f"prompt too long for the context window of {self.n_ctx} tokens ({error})",
                        setting="COMMONGROUND_LLM__N_CTX",
                    ) from None
                raise ModelError(f"local model {self.name} failed: {error}") from None
            except RuntimeError as error:
                if self._prompt_deadline.expired:
                    raise ModelTimeout(
                        f"local model {self.name} did not read the prompt within {self.timeout_s:g} s",
                        setting="COMMONGROUND_LLM__TIMEOUT_S",
                    ) from None
                raise ModelError(f"local model {self.name} failed: {error}") from None
            finally:
                self._prompt_deadline.disarm()
            # The context holds the prompt and every generated token but the last one sampled, which is
            # evaluated only when generation goes on: after a stop token, every yielded token was evaluated.
            evaluated = produced if finish == "stop" else produced - 1
            prompt_tokens = max(self._llm.n_tokens - evaluated, 0)
        yield Chunk("", usage=Usage(prompt_tokens=prompt_tokens, completion_tokens=produced))


class _PromptDeadline:
    """Aborts llama.cpp's prompt evaluation past a deadline (generation is checked per token instead).

    llama.cpp calls the abort callback hundreds of times per generated token, which would slow generation
    by about half, so it is armed only until the first token arrives.
    """

    def __init__(self, llm: Any) -> None:
        import llama_cpp

        self._set = llama_cpp.llama_set_abort_callback
        self._context = llm._ctx.ctx
        self._deadline = math.inf
        self._callback = llama_cpp.ggml_abort_callback(lambda _: self.expired)
        self._none = llama_cpp.ggml_abort_callback()
        self._armed = False

    @property
    def expired(self) -> bool:
        return time.monotonic() > self._deadline

    def arm(self, seconds: float) -> None:
        self._deadline = time.monotonic() + seconds
        self._set(self._context, self._callback, None)
        self._armed = True

    def disarm(self) -> None:
        if self._armed:
            self._set(self._context, self._none, None)
            self._armed = False
            self._deadline = math.inf


def _load(path: Path, *, n_ctx: int, n_threads: int, seed: int) -> Any:
    """Load a GGUF file, turning every way it can fail into one clear ModelUnavailable line."""
    if not path.is_file():
        raise ModelUnavailable(f"model file {path} does not exist", setting=MODEL_SETTING)
    with path.open("rb") as file:
        if file.read(4) != GGUF_MAGIC:
            raise ModelUnavailable(
                f"{path} is not a GGUF model file (corrupt or wrong file)", setting=MODEL_SETTING
            )
    try:
        from llama_cpp import Llama
    except ImportError as error:
        raise ModelUnavailable(
            f"llama-cpp-python is not importable ({error}); reinstall commonground",
            setting="COMMONGROUND_LLM__BACKEND",
        ) from None
    try:
        return Llama(model_path=str(path), n_ctx=n_ctx, n_threads=n_threads, seed=seed, verbose=False)
    except (ValueError, RuntimeError, OSError) as error:
        raise ModelUnavailable(
            f"cannot load {path}: {error} (corrupt or truncated file?)", setting=MODEL_SETTING
        ) from None
