"""`commonground train-detector`: rebuild the shipped incivility model from the shared data sets."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from commonground.core.devdata import DEVELOPMENT_DATA


def train_detector(
    data: Annotated[Path, typer.Option(help="The development data folder.")] = DEVELOPMENT_DATA,
    out: Annotated[
        Path | None, typer.Option(help="Where to write the artefact (default: the package's).")
    ] = None,
) -> None:
    """Train, select and calibrate on validation, and write the incivility models (deterministic): the
    lexical model, then the encoder head and its blend with it (embeddings are cached by text)."""
    from commonground.signals.incivility.model import MODEL_DIR
    from commonground.signals.incivility.train import train
    from commonground.signals.incivility.train_encoder import train_encoder

    logging.getLogger("commonground").setLevel(logging.INFO)
    directory = out or MODEL_DIR
    artefact = train(data, directory)
    typer.echo(
        f"lexical model {artefact.version}: threshold {artefact.threshold}, {artefact.meta['validation']}"
    )
    figures = train_encoder(data, lexical=artefact, out=directory / "encoder.npz")
    typer.echo(f"encoder head: {figures}")


def register(app: typer.Typer) -> None:
    app.command("train-detector")(train_detector)
