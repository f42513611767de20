"""Example transcripts shipped with the package (demo and tests)."""

from pathlib import Path

EXAMPLES_DIR = Path(__file__).parent
