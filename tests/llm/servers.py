"""Real HTTP peers on loopback for the `openai` backend: llama-cpp-python's own OpenAI-compatible server
serving the small embedded model, and a deliberately faulty server for error paths."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

API_KEY = "test-key"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LlamaServer:
    process: subprocess.Popen[bytes]
    base_url: str
    model: str = "smol"

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)


def start_llama_server(model_path: Path, *, n_ctx: int = 2048) -> LlamaServer:
    """Start `python -m llama_cpp.server` on a free loopback port and wait until it answers."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(model_path),
            "--model_alias",
            "smol",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--api_key",
            API_KEY,
            "--n_ctx",
            str(n_ctx),
            "--n_threads",
            "2",
            "--verbose",
            "false",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base_url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"llama_cpp.server exited with {process.returncode}")
        try:
            if (
                httpx.get(f"{base_url}/models", headers={"Authorization": f"Bearer {API_KEY}"}).status_code
                == 200
            ):
                return LlamaServer(process=process, base_url=base_url)
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("llama_cpp.server did not start within 60 s")


@dataclass
class FaultyServer:
    """An HTTP server answering chat completions with a scripted sequence of (status, body, delay)."""

    base_url: str
    script: list[tuple[int, str, float]] = field(default_factory=list)
    requests: int = 0


COMPLETION = json.dumps(
    {
        "id": "x",
        "object": "chat.completion",
        "created": 0,
        "model": "m",
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": "recovered"}, "finish_reason": "stop"}
        ],
        "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4},
    }
)
