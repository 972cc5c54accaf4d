"""``--timeout`` is a deadline per attempt, against a real socket that drips one byte at a time.

A server that answers one byte every half second never lets a read time out,
so only a deadline on the whole attempt stops it. With ``timeout_s`` T,
``max_attempts`` A and ``max_wait_s`` W, a paper must end (in ``errors.jsonl``,
as a timeout) within A x T + W, plus a little for the run itself.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from paperfields.config import LLMConfig, RunConfig
from paperfields.orchestrator.runner import run_pipeline

DRIP_S = 0.5
MAX_DRIP_BYTES = 60  # a connection is dropped after 30 s whatever happens


class DripServer:
    """Accepts connections on 127.0.0.1 and sends an HTTP reply one byte every half second."""

    REPLY = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(1.0)
            try:
                conn.recv(65536)  # the request head (its body is not needed)
                payload = (self.REPLY + b" " * MAX_DRIP_BYTES)[:MAX_DRIP_BYTES]
                for byte in payload:
                    if self._stop.wait(DRIP_S):
                        return
                    conn.sendall(bytes([byte]))
            except OSError:
                return  # the client gave up: that is the point

    def close(self) -> None:
        self._stop.set()
        self.sock.close()
        self._thread.join(timeout=2)


@pytest.fixture
def drip() -> Iterator[DripServer]:
    server = DripServer()
    yield server
    server.close()


def test_a_dripping_server_cannot_hold_a_paper_past_its_deadline(
    drip: DripServer, tmp_path: Path
) -> None:
    inputs = tmp_path / "one.jsonl"
    abstract = "We propose DripNet for slow servers. " * 4
    inputs.write_text(json.dumps({"id": "p1", "title": "Drip", "abstract": abstract}) + "\n")
    timeout_s, attempts, max_wait_s = 0.8, 2, 0.5
    llm = LLMConfig(
        base_url=f"http://127.0.0.1:{drip.port}/v1",
        timeout_s=timeout_s,
        max_attempts=attempts,
        max_wait_s=max_wait_s,
        cache_dir=tmp_path / "cache",
    )
    config = RunConfig(out_dir=tmp_path / "run", extractor="openai", llm=llm, progress=False)
    started = time.monotonic()
    summary = run_pipeline([inputs], config)
    elapsed = time.monotonic() - started
    assert summary.exit_code == 1 and summary.stats.failed == 1
    assert elapsed < attempts * timeout_s + max_wait_s + 1.5, elapsed  # bytes kept coming
    assert elapsed >= attempts * timeout_s * 0.9, elapsed  # and each attempt got its time
    assert drip.connections == attempts
    error = json.loads((tmp_path / "run" / "errors.jsonl").read_text())
    assert error["error_type"] == "RetriesExhausted" and error["attempts"] == attempts
    assert "APITimeoutError" in error["reason"]
