"""Real `taizhang serve` processes for the tests, and a small round-robin TCP proxy to put them behind one
address (what nginx's `upstream` does in production, docs/deploy.md)."""

from __future__ import annotations

import json
import os
import selectors
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Answer:
    status: int
    body: Any
    headers: dict[str, str]


def call(
    base: str, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
) -> Answer:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)  # noqa: S310  # loopback
    request.add_header("Accept-Language", "en")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            raw, status, got = response.read(), response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        raw, status, got = error.read(), error.code, dict(error.headers)
    text = raw.decode()
    return Answer(status, json.loads(text) if text.startswith(("{", "[")) else text, got)


@dataclass
class Server:
    """One `taizhang serve` on its own port, its output in a log file."""

    port: int
    log: Path
    process: subprocess.Popen[bytes]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_server(env: dict[str, str], log: Path, *, workers: int = 1) -> Server:
    port = free_port()
    with log.open("wb") as handle:
        process = subprocess.Popen(
            [BIN / "taizhang", "serve", "--port", str(port), "--workers", str(workers)],
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
    return Server(port=port, log=log, process=process)


def wait_ready(server: Server, *, timeout: float = 45, statuses: tuple[int, ...] = (200,)) -> Answer:
    """Polls /healthz until it answers one of `statuses`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise AssertionError(f"server exited with {server.process.returncode}:\n{server.log_text()}")
        try:
            answer = call(server.base, "GET", "/healthz")
        except OSError:
            time.sleep(0.2)
            continue
        if answer.status in statuses:
            return answer
        time.sleep(0.2)
    raise AssertionError(f"no answer from {server.base}/healthz in {timeout} s:\n{server.log_text()}")


def server_env(database_url: str, data_dir: Path, secret_key: str) -> dict[str, str]:
    """The production settings (not the test ones): DEBUG off, JSON logs, the given database."""
    env = {key: value for key, value in os.environ.items() if key != "TAIZHANG_TESTING"}
    env.update(
        DJANGO_SETTINGS_MODULE="taizhang.config.settings",
        DATABASE_URL=database_url,
        SECRET_KEY=secret_key,
        DEBUG="0",
        TAIZHANG_DATA_DIR=str(data_dir),
        LOG_FORMAT="json",
        ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    return env


@dataclass
class RoundRobinProxy:
    """Accepts on one port and hands each connection to the next backend in turn, bytes both ways."""

    backends: list[int]
    port: int = 0
    served: list[int] = field(default_factory=list)
    _listener: socket.socket | None = None
    _turn: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> RoundRobinProxy:
        self.served = [0] * len(self.backends)
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        self.port = int(listener.getsockname()[1])
        self._listener = listener
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._listener is not None:
            self._listener.close()

    def _accept(self) -> None:
        assert self._listener is not None
        while True:
            try:
                client, _address = self._listener.accept()
            except OSError:  # closed by stop()
                return
            with self._lock:
                index = self._turn % len(self.backends)
                self._turn += 1
                self.served[index] += 1
            backend = socket.create_connection(("127.0.0.1", self.backends[index]))
            threading.Thread(target=self._bridge, args=(client, backend), daemon=True).start()

    @staticmethod
    def _bridge(client: socket.socket, backend: socket.socket) -> None:
        """Copies bytes both ways until either side closes, then closes both."""
        peers = {client: backend, backend: client}
        with selectors.DefaultSelector() as selector, client, backend:
            for sock in peers:
                selector.register(sock, selectors.EVENT_READ)
            while events := selector.select(timeout=30):
                for key, _mask in events:
                    ready = key.fileobj
                    assert isinstance(ready, socket.socket)
                    try:
                        chunk = ready.recv(65536)
                        if chunk:
                            peers[ready].sendall(chunk)
                            continue
                    except OSError:
                        pass
                    return
