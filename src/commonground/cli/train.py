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
    """Train, select and calibrate on validation, and write the incivility artefact (deterministic)."""
    from commonground.signals.incivility.model import MODEL_DIR
    from commonground.signals.incivility.train import train

    logging.getLogger("commonground").setLevel(logging.INFO)
    artefact = train(data, out or MODEL_DIR)
    typer.echo(
        f"incivility model {artefact.version}: threshold {artefact.threshold}, {artefact.meta['validation']}"
    )


def register(app: typer.Typer) -> None:
    app.command("train-detector")(train_detector)
