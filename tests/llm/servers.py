"""Real HTTP peers on loopback for the `openai` backend: llama-cpp-python's own OpenAI-compatible server
serving the small embedded model, and a scripted server for error paths (errors, garbage, delays, and
hanging without an answer)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

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


def completion(content: str) -> str:
    """A chat completion whose assistant message is `content`, as JSON text."""
    choice = {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
    usage = {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4}
    body = {"id": "x", "object": "chat.completion", "created": 0, "model": "m", "choices": [choice]}
    return json.dumps(body | {"usage": usage})


COMPLETION = completion("recovered")
HANG_LIMIT_S = 120.0
"""The longest a hanging request is held open."""


def _schema_name(request: bytes) -> str | None:
    """The name of the JSON schema a chat-completion request asks for, if any."""
    try:
        body: Any = json.loads(request)
    except ValueError:
        return None
    response_format = body.get("response_format") if isinstance(body, dict) else None
    return ((response_format or {}).get("json_schema") or {}).get("name")


@dataclass
class FaultyServer:
    """An HTTP server answering chat completions with a scripted sequence of (status, body, delay).

    Past the script it answers a completion with `contents[name]` when the request asks for the JSON
    schema `name`, else COMPLETION. After `hang()` it reads requests and answers none of them (each
    connection stays open, then is closed unanswered once `answer()` is called).
    """

    base_url: str
    script: list[tuple[int, str, float]] = field(default_factory=list)
    requests: int = 0
    unanswered: int = 0
    contents: dict[str, str] = field(default_factory=dict)
    answering: threading.Event = field(default_factory=threading.Event)

    def hang(self) -> None:
        self.answering.clear()

    def answer(self) -> None:
        self.answering.set()

    def reply(self, request: bytes) -> tuple[int, str, float]:
        """The (status, body, delay) for the next request."""
        if self.script:
            return self.script.pop(0)
        name = _schema_name(request)
        body = completion(self.contents[name]) if name in self.contents else COMPLETION
        return 200, body, 0.0


@contextmanager
def serve_faulty() -> Iterator[FaultyServer]:
    """A FaultyServer on a free loopback port, answering until the block ends."""
    state = FaultyServer(base_url="")
    state.answer()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            request = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            state.requests += 1
            if not state.answering.is_set():
                state.unanswered += 1
                state.answering.wait(HANG_LIMIT_S)
                self.close_connection = True
                return
            status, body, delay = state.reply(request)
            time.sleep(delay)
            payload = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json" if body.startswith("{") else "text/html")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.answer()  # hanging requests end
        server.shutdown()
        server.server_close()
