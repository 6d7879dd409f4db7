"""A regular install serves the chat: the wheel carries web/ and prompts/ as package data
and the service finds them with importlib.resources, not by walking up from a source
checkout.

The wheel is built from a copy of the project (the checkout stays clean) and installed
without dependencies into a fresh virtual environment whose only view of the shared
dependencies is a ``.pth`` line (so nothing is downloaded). The installed
``assistant serve`` then runs from a folder that holds no source tree.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import time
import venv
from pathlib import Path

import httpx
import pytest
from test_api_support import free_port

ROOT = Path(__file__).resolve().parents[1]
MARKER = "<!-- served from the installed package -->"

pytestmark = pytest.mark.slow


def run(*args: str | Path, cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def clean_env() -> dict[str, str]:
    """The environment without anything that points at the source tree."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "ASSISTANT_"))}


def build_wheel(tmp: Path, env: dict[str, str]) -> Path:
    project = tmp / "project"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "build")
    shutil.copytree(ROOT / "src", project / "src", ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, project / name)
    out = tmp / "dist"
    pip = (sys.executable, "-m", "pip")
    run(
        *pip,
        "wheel",
        ".",
        "--no-deps",
        "--no-build-isolation",
        "-q",
        "-w",
        out,
        cwd=project,
        env=env,
    )
    (wheel,) = out.glob("assistant-*.whl")
    return wheel


def fresh_venv(tmp: Path) -> Path:
    """A virtual environment without pip; the shared environment's packages (not its
    editable view of the source) are reachable through a .pth line."""
    folder = tmp / "venv"
    venv.EnvBuilder(with_pip=False).create(folder)
    python = folder / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    shared = sysconfig.get_paths()["purelib"]
    Path(purelib, "shared-dependencies.pth").write_text(shared + "\n", encoding="utf-8")
    return python


def test_an_installed_wheel_serves_the_chat(tmp_path: Path) -> None:
    env = clean_env()
    wheel = build_wheel(tmp_path, env)
    python = fresh_venv(tmp_path)
    pip = (sys.executable, "-m", "pip", "--python", python)
    run(*pip, "install", "--no-deps", "--no-index", "-q", wheel, cwd=tmp_path, env=env)

    where = tmp_path / "elsewhere"  # no source tree here or above that Python would see
    where.mkdir()
    probe = "import assistant.core.resources as r; print(r.packaged('web'))"
    installed_web = Path(run(python, "-c", probe, cwd=where, env=env).strip())
    assert installed_web.is_relative_to(tmp_path / "venv"), installed_web
    assert not installed_web.is_relative_to(ROOT)
    for name in ("index.html", "app.js", "styles.css", "widget.js", "favicon.svg"):
        assert (installed_web / name).read_bytes() == (
            ROOT / "src/assistant/web" / name
        ).read_bytes()
    prompts = installed_web.parent / "prompts"
    assert {"answer_system.vi.md", "answer_user.vi.md"} <= {p.name for p in prompts.iterdir()}
    # the page actually served must be the installed copy: mark it
    page = installed_web / "index.html"
    page.write_text(page.read_text(encoding="utf-8") + MARKER, encoding="utf-8")

    port = free_port()
    serve_env = {
        **env,
        "ASSISTANT_MODEL_SOURCE": "local",  # never reach the network: no model is needed
        "ASSISTANT_MODEL": str(tmp_path / "no-model"),
        "ASSISTANT_RATE_LIMIT": "0",
    }
    command = [python.parent / "assistant", "serve", "--port", str(port)]
    command += ["--index", str(tmp_path / "index")]
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(command, cwd=where, env=serve_env, stdout=log, stderr=log)
    try:
        response = None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and server.poll() is None:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert response is not None, (tmp_path / "serve.log").read_text(errors="replace")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/html")
        assert response.text.endswith(MARKER)
        script = httpx.get(f"http://127.0.0.1:{port}/app.js", timeout=5)
        assert script.content == (installed_web / "app.js").read_bytes()
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
