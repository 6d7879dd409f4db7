"""`assistant serve` as an operator runs it: a real process on a free local port,
talked to over HTTP, then stopped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from test_api_support import EXPORT_FIGURE, QUESTION, WRITE_KEY, copy_index, free_port

pytest_plugins = ["test_api_support"]

pytestmark = [pytest.mark.model, pytest.mark.slow]


def test_serve_answers_over_http(tmp_path: Path, model_index_template: Path) -> None:
    folder = copy_index(model_index_template, tmp_path / "index")
    port = free_port()
    env = {
        **os.environ,
        "ASSISTANT_RATE_LIMIT": "0",
        "ASSISTANT_API_KEYS": WRITE_KEY,
        "ASSISTANT_LOG_JSON": "true",
    }
    command = [sys.executable, "-m", "assistant", "serve", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--index", str(folder)]
    log = (tmp_path / "serve.log").open("w+")
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=120) as client:
            deadline = time.monotonic() + 240
            while True:
                assert process.poll() is None, _tail(log)
                try:
                    if client.get("/api/ready").status_code == 200:
                        break
                except httpx.TransportError:
                    pass  # not listening yet
                assert time.monotonic() < deadline, "server not ready in time\n" + _tail(log)
                time.sleep(0.5)
            answer = client.post(
                "/api/ask", json={"question": QUESTION}, headers={"X-Request-ID": "serve-test"}
            )
            assert answer.status_code == 200 and answer.headers["x-request-id"] == "serve-test"
            assert EXPORT_FIGURE in answer.json()["answer"]
            assert client.get("/api/health").json() == {"status": "ok"}
            assert "/api/ask" in client.get("/openapi.json").json()["paths"]
    finally:
        process.send_signal(signal.SIGINT)
        try:
            code = process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise
    assert code == 0, _tail(log)
    assert '"request_id": "serve-test"' in _tail(log, 200_000)


def _tail(log, size: int = 4000) -> str:  # type: ignore[no-untyped-def]
    log.flush()
    log.seek(0)
    return log.read()[-size:]
