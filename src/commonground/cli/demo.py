"""`commonground demo`: the embedded model mediating the camera dispute, streamed to the terminal."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.panel import Panel

from commonground.core.settings import load_settings
from commonground.core.transcripts import read_transcript
from commonground.examples import EXAMPLES_DIR
from commonground.llm import MemoryRecorder, open_model
from commonground.llm.templates import PromptTemplate

console = Console()


def demo() -> None:
    """Show the camera dispute and stream a neutral mediator message from the configured model."""
    settings = load_settings()
    conversation = read_transcript(EXAMPLES_DIR / "camera.jsonl", conversation_id="camera")
    transcript = "\n".join(f"{m.speaker}: {m.text}" for m in conversation.messages)
    console.print(Panel(transcript, title="A used camera broken in the post", expand=False))
    with console.status(f"Loading the {settings.llm.backend} model {settings.llm.model}…"):
        records = MemoryRecorder()
        model = open_model(settings, recorder=records)
    console.print("[bold]AI mediator[/bold] (labelled as AI): ", end="")
    prompt = PromptTemplate.load(EXAMPLES_DIR / "demo_mediator.toml").render(transcript=transcript)
    for piece in model.stream(prompt):
        console.print(piece, end="", highlight=False, markup=False)
    console.print()
    record = records.records[-1]
    rate = record.completion_tokens / max(record.latency_s - (record.first_token_s or 0), 1e-9)
    console.print(
        f"[dim]{record.backend} · {record.model} · prompt {record.prompt_tokens} tokens · "
        f"completion {record.completion_tokens} tokens · first token {record.first_token_s or 0:.2f} s · "
        f"{rate:.1f} tokens/s · template {record.template} v{record.template_version}[/dim]"
    )


def register(app: typer.Typer) -> None:
    app.command()(demo)
