"""One interface to language models: chat messages in, text or a validated object out, streaming available.

model = open_model(load_settings())
model.complete(Prompt.of("Say hello")).text
model.structured(prompt, MySchema).value
"""

from __future__ import annotations

from commonground.core.settings import Settings
from commonground.llm.base import Model
from commonground.llm.embedded import EMBEDDED, resolve_local_model
from commonground.llm.records import JsonlRecorder, MemoryRecorder, Recorder, discard
from commonground.llm.types import CallRecord, ChatMessage, Completion, Prompt, Structured

__all__ = [
    "EMBEDDED",
    "CallRecord",
    "ChatMessage",
    "Completion",
    "MemoryRecorder",
    "Model",
    "Prompt",
    "Structured",
    "default_recorder",
    "open_model",
]


def default_recorder(settings: Settings) -> Recorder:
    """Append call records to data_dir/llm_calls.jsonl, unless the user turned that off."""
    return JsonlRecorder(settings.data_dir / "llm_calls.jsonl") if settings.log_llm_calls else discard


def open_model(settings: Settings, *, recorder: Recorder | None = None) -> Model:
    """Build the model the settings describe (loading a local model takes a moment)."""
    llm = settings.llm
    recorder = recorder if recorder is not None else default_recorder(settings)
    if llm.backend == "openai":
        from commonground.llm.openai_compat import OpenAIModel

        return OpenAIModel(
            model=llm.model,
            base_url=llm.base_url,
            api_key=llm.api_key.get_secret_value() if llm.api_key else None,
            timeout_s=llm.timeout_s,
            max_retries=llm.max_retries,
            max_concurrency=llm.max_concurrency,
            response_format=llm.response_format,
            seed=llm.seed,
            recorder=recorder,
        )
    from commonground.llm.local import LocalModel

    name, path = resolve_local_model(llm.model, settings.cache_dir)
    return LocalModel(
        path,
        name=name,
        n_ctx=llm.n_ctx,
        n_threads=llm.n_threads,
        seed=llm.seed,
        timeout_s=llm.timeout_s,
        recorder=recorder,
    )
