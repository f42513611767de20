"""Run the suite against one model: items one after another under a progress bar, each appended to the
checkpoint as soon as it is done. The entailment judge is the model under test unless another is given: a
fixed judge scores every backend alike. A resumed run skips the finished items and tries the failed ones again
(the later entry of an item is the one reported).

Before the first item the model is asked for one token, so an unreachable endpoint is one error before
the run starts. Each item starts from the same model state whatever ran before it (a local model's
sampling seed is reset from the run's seed and the item's id), so a resumed run reports what an
uninterrupted one would. A failed model call makes the item an error entry; the run goes on.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import MofNCompleteColumn, Progress, TimeElapsedColumn

from commonground.core.errors import InputError, ModelError
from commonground.evaluation.bias.checkpoint import Checkpoint, Cost, Entry
from commonground.evaluation.bias.dimensions import Tools, run_item
from commonground.evaluation.bias.report import build_report
from commonground.evaluation.bias.suite import Item, Suite
from commonground.llm.base import Model
from commonground.llm.local import LocalModel
from commonground.llm.records import Recorder
from commonground.llm.types import CallRecord, Prompt


def run_suite(
    suite: Suite,
    items: Sequence[Item],
    model: Model,
    *,
    out: Path,
    cache_dir: Path,
    resume: bool = False,
    judge: Model | None = None,
) -> dict[str, object]:
    """Run (or resume) the suite's `items` (`suite.items(data)`) into `out` and return the report."""
    separate = judge is not None and judge is not model
    header = {"backend": model.backend, "model": model.name, "judge": _name(judge) if separate else None}
    checkpoint = Checkpoint(out, suite.identity() | header)
    latest = {(entry.dimension, entry.id): entry for entry in checkpoint.load()}
    finished = {key for key, entry in latest.items() if entry.result is not None}
    if resume and not checkpoint.path.exists():
        raise InputError(f"{checkpoint.path}: no checkpoint to resume")
    todo = [item for item in items if (item.dimension, item.id) not in finished]
    models = [model, judge] if separate else [model]
    if todo:
        for each in models:
            each.complete(Prompt.of("Say OK.", max_tokens=1))
    tools = Tools(model, judge=judge, cache_dir=cache_dir, fluency=suite.fluency)
    progress = Progress(
        *Progress.get_default_columns(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
    )
    with progress:
        task = progress.add_task("bias suite", total=len(todo))
        for item in todo:
            progress.update(task, description=f"{item.dimension} {item.id}")
            checkpoint.append(_entry(item, tools, models, seed=suite.seed))
            progress.advance(task)
    return build_report(suite, model, items, checkpoint.entries, judge=judge if separate else None)


def _name(model: Model) -> str:
    return f"{model.backend}:{model.name}"


def _entry(item: Item, tools: Tools, models: Sequence[Model], *, seed: int) -> Entry:
    """Run one item; its cost counts the calls of the model under test and of a separate judge."""
    for each in models:
        _restart(each, zlib.crc32(f"{seed}:{item.dimension}:{item.id}".encode()))
    with _calls(models) as calls:
        try:
            result, error = run_item(item, tools), None
        except (ModelError, InputError) as failure:
            result, error = None, str(failure)
    cost = Cost(
        calls=len(calls),
        prompt_tokens=sum(call.prompt_tokens for call in calls),
        completion_tokens=sum(call.completion_tokens for call in calls),
        latency_s=round(sum(call.latency_s for call in calls), 3),
    )
    return Entry(dimension=item.dimension, id=item.id, result=result, error=error, cost=cost)


def _restart(model: Model, seed: int) -> None:
    """A local model draws each call's sampling seed from the previous one and reuses the previous prompt's
    cache: start both afresh, so an item's outputs do not depend on the items run before it."""
    if isinstance(model, LocalModel):
        model.llama.reset()
        model.llama.set_seed(seed)


@contextmanager
def _calls(models: Sequence[Model]) -> Iterator[list[CallRecord]]:
    """The records of the models' calls made inside the block (still passed on to each model's recorder)."""
    calls: list[CallRecord] = []
    recorders = [model.recorder for model in models]

    def recording(recorder: Recorder) -> Recorder:
        def record(call: CallRecord) -> None:
            calls.append(call)
            recorder(call)

        return record

    for model, recorder in zip(models, recorders, strict=True):
        model.recorder = recording(recorder)
    try:
        yield calls
    finally:
        for model, recorder in zip(models, recorders, strict=True):
            model.recorder = recorder
