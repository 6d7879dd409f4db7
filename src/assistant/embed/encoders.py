"""Faster question encoders: the same model exported once to OpenVINO, beside the model.

Why: a warm question spends almost all its time embedding the question with the fp32
PyTorch model (CPUs without native bf16 run it in fp32). OpenVINO runs the same network
with fused kernels and far less per-layer overhead; with its weights compressed to int8
(NNCF weight-only compression: activations stay fp32) the network also reads a quarter
of the bytes per question. ``bench/bench_embed.py --backends`` measures every choice;
``docs/encoders.md`` has the figures and the reasons for the default.

* **Query side only.** Documents are still embedded by the PyTorch model, so an existing
  index keeps its vectors and cache keys: the exported encoder must produce the same
  question vectors (cosine ≥ :data:`MIN_COSINE` to fp32), which is checked when it is
  made and again every time it is loaded.
* **Made once, never at question time.** ``assistant models prepare`` (also run by
  ``assistant models fetch`` when ``model_backend`` is not ``torch``) loads the fp32
  model, exports it with ``torch.export`` + ``openvino.convert_model``, optionally
  compresses the weights, and writes the result with the tokenizer and a manifest into a
  sibling of the cached model (``<model folder name>.<backend>`` in the model cache), via
  a temporary folder renamed into place. Loading never exports: a missing or stale
  export is an :class:`EncoderNotReadyError` that names the command to run.
* **Verified on load.** The manifest records the model's fingerprint (a different model
  folder makes the export stale) and the fp32 vectors of a few check questions; a loaded
  encoder must reproduce them at cosine ≥ :data:`MIN_COSINE`.

Backends: ``torch`` (the sentence-transformers model itself, nothing to prepare),
``openvino`` (fp32 weights) and ``openvino-int8`` (int8 weights). Int8 *dynamic*
quantisation of activations (PyTorch's ``quantize_dynamic``) and ONNX Runtime were
measured and rejected; the reasons are in ``docs/encoders.md``.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from filelock import FileLock

from assistant.core.config import Settings
from assistant.core.errors import AssistantError
from assistant.embed.provision import model_fingerprint, read_json_object, resolve_model_path

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)

Backend = Literal["torch", "openvino", "openvino-int8"]
BACKENDS: tuple[Backend, ...] = ("torch", "openvino", "openvino-int8")
MANIFEST_NAME = "encoder.json"
MANIFEST_FORMAT = 1
MIN_COSINE = 0.99
"""Least cosine between an exported encoder's question vector and the fp32 model's.
Different passages of one article score well below it; bf16 and fp32 agree above 0.999."""
CHECK_QUESTIONS = (
    "Tổng giá trị xuất khẩu hàng hóa giai đoạn 2016-2020 đạt bao nhiêu?",
    "tong gia tri xuat khau giai doan 2016-2020",
    "Quần thể danh thắng Tràng An được UNESCO công nhận năm nào?",
    "Ai là Chủ tịch UBND tỉnh Thanh Hóa?",
    "What was the province's export value in 2020?",
    "Nghị quyết số 22/NQ-TW của Bộ Chính trị về hội nhập quốc tế ban hành ngày nào?",
)
"""Questions whose fp32 vectors the manifest keeps (short and long, with and without
diacritics, English): a loaded encoder must reproduce them."""


class EncoderNotReadyError(AssistantError):
    """The configured question encoder is missing, stale or disagrees with the model."""

    def __init__(self, backend: str, detail: str) -> None:
        self.backend = backend
        super().__init__(
            f"Question encoder '{backend}' is not usable ({detail}). Run `assistant models "
            "prepare` to export and check it once, or set ASSISTANT_MODEL_BACKEND=torch to "
            "encode questions with the PyTorch model."
        )


def encoder_dir(settings: Settings, model_folder: Path, backend: str) -> Path:
    """Where the export of ``backend`` for the model in ``model_folder`` lives: in the
    model cache, named after the model folder (not inside it: the model folder's
    fingerprint, and so every embedding-cache key, must not change)."""
    return Path(settings.model_cache_dir) / f"{model_folder.name}.{backend}"


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise cosine of two stacks of vectors."""
    a = a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-12)
    b = b / np.maximum(np.linalg.norm(b, axis=1, keepdims=True), 1e-12)
    cosine: np.ndarray = np.sum(a * b, axis=1)
    return cosine


# --------------------------------------------------------------------------------------
# the exported encoder


class OpenVinoQueryEncoder:
    """An exported network + its tokenizer: question texts → model output vectors.

    The output is what the sentence-transformers pipeline returns (pooled, projected,
    normalised) at the model's native dimension; Matryoshka truncation stays with the
    embedder. One inference at a time (a lock), as with the PyTorch model: the service
    batches concurrent questions upstream.
    """

    def __init__(self, folder: Path, threads: int | None) -> None:
        import openvino as ov
        from transformers import AutoTokenizer

        self.folder = folder
        self.manifest = read_manifest(folder) or {}
        self.prompt: str = str(self.manifest.get("prompt", ""))
        self.max_length = int(self.manifest.get("max_length", 2048))
        self.tokenizer = AutoTokenizer.from_pretrained(
            str(folder / "tokenizer"), local_files_only=True
        )
        config: dict[str, Any] = {"INFERENCE_PRECISION_HINT": "f32", "PERFORMANCE_HINT": "LATENCY"}
        if threads:
            config["INFERENCE_NUM_THREADS"] = int(threads)
        core = ov.Core()
        self.compiled = core.compile_model(
            core.read_model(str(folder / "encoder.xml")), "CPU", config
        )
        self.lock = threading.Lock()

    def encode(self, texts: list[str]) -> np.ndarray:
        """Vectors of ``texts`` (the query prompt is prepended here), float32."""
        features = self.tokenizer(
            [self.prompt + text for text in texts],
            padding=True,
            truncation=True,
            max_length=self.max_length,
            return_tensors="np",
        )
        inputs = [
            features["input_ids"].astype(np.int64),
            features["attention_mask"].astype(np.int64),
        ]
        with self.lock:
            output = self.compiled(inputs)[0]
        return np.asarray(output, dtype=np.float32)

    def check(self) -> float:
        """Least cosine to the manifest's fp32 check vectors (raises when too low)."""
        texts = list(self.manifest.get("check_texts") or [])
        expected = np.asarray(self.manifest.get("check_vectors") or [], dtype=np.float32)
        if not texts or expected.shape[0] != len(texts):
            raise EncoderNotReadyError(
                str(self.manifest.get("backend")), f"{self.folder} has no check vectors"
            )
        least = float(cosines(self.encode(texts), expected).min())
        if least < MIN_COSINE:
            raise EncoderNotReadyError(
                str(self.manifest.get("backend")),
                f"its vectors agree with the fp32 model at cosine {least:.4f} only, below "
                f"{MIN_COSINE}",
            )
        return least


def read_manifest(folder: Path) -> dict[str, Any] | None:
    return read_json_object(folder / MANIFEST_NAME)


def _stale_reason(folder: Path, backend: str, fingerprint: str) -> str | None:
    """Why the export in ``folder`` cannot serve, or None when it is current."""
    manifest = read_manifest(folder)
    if manifest is None:
        return f"no export in {folder}"
    if manifest.get("format") != MANIFEST_FORMAT or manifest.get("backend") != backend:
        return f"{folder} holds another export format or backend"
    if manifest.get("model_fingerprint") != fingerprint:
        return f"{folder} was exported from another model"
    if not (folder / "encoder.xml").is_file() or not (folder / "encoder.bin").is_file():
        return f"{folder} is incomplete"
    return None


_ENCODERS: dict[tuple[str, str], OpenVinoQueryEncoder] = {}
_ENCODERS_LOCK = threading.Lock()


def load_query_encoder(settings: Settings, backend: str) -> OpenVinoQueryEncoder:
    """The prepared encoder of ``backend`` (once per process), checked against its manifest.

    Raises :class:`EncoderNotReadyError` when it was never prepared, was prepared for
    another model, or no longer reproduces the fp32 check vectors."""
    model_folder = resolve_model_path(settings)
    folder = encoder_dir(settings, model_folder, backend)
    key = (str(folder.resolve()), backend)
    with _ENCODERS_LOCK:
        found = _ENCODERS.get(key)
        if found is not None:
            return found
        reason = _stale_reason(folder, backend, model_fingerprint(model_folder))
        if reason is not None:
            raise EncoderNotReadyError(backend, reason)
        started = time.monotonic()
        try:
            encoder = OpenVinoQueryEncoder(folder, settings.torch_threads)
        except ImportError as err:
            raise EncoderNotReadyError(backend, f"OpenVINO is not installed: {err}") from err
        least = encoder.check()
        _ENCODERS[key] = encoder
        log.info(
            "Loaded question encoder %s from %s in %.1fs (check cosine %.4f)",
            backend,
            folder,
            time.monotonic() - started,
            least,
        )
        return encoder


# --------------------------------------------------------------------------------------
# preparing (exporting) once


@dataclass
class Prepared:
    folder: Path
    backend: str
    least_cosine: float
    seconds: float
    reused: bool


def _sentence_module(model: SentenceTransformer) -> Any:
    """The whole sentence-transformers pipeline as a module of two tensors."""
    import torch

    class Pipeline(torch.nn.Module):
        def __init__(self, inner: SentenceTransformer) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            features = {"input_ids": input_ids, "attention_mask": attention_mask}
            embedding: torch.Tensor = self.inner(features)["sentence_embedding"]
            return embedding

    return Pipeline(model).eval()


def _export(model: SentenceTransformer, prompt: str, backend: str, target: Path) -> None:
    """torch.export → OpenVINO (→ int8 weights) into ``target``/encoder.xml|.bin."""
    import openvino as ov
    import torch

    example = model.tokenizer(
        [prompt + CHECK_QUESTIONS[0], prompt + CHECK_QUESTIONS[2]],
        padding=True,
        return_tensors="pt",
    )
    batch = torch.export.Dim("batch", max=1024)
    tokens = torch.export.Dim("tokens", max=int(model.max_seq_length or 2048))
    shapes = {"input_ids": {0: batch, 1: tokens}, "attention_mask": {0: batch, 1: tokens}}
    with torch.no_grad():
        program = torch.export.export(
            _sentence_module(model),
            (example["input_ids"], example["attention_mask"]),
            dynamic_shapes=shapes,
        )
        converted = ov.convert_model(program)
    if backend == "openvino-int8":
        import nncf

        converted = nncf.compress_weights(converted)  # int8 weights, fp32 activations
    ov.save_model(converted, str(target / "encoder.xml"), compress_to_fp16=False)


def prepare_encoder(
    settings: Settings, backend: str | None = None, force: bool = False
) -> Prepared:
    """Export ``backend`` (default: the configured one) once, check it, move it into place.

    A current export is reused unless ``force``. The export is refused (nothing is
    installed) when its check vectors agree with fp32 below :data:`MIN_COSINE`."""
    from assistant.embed.sentence_transformer import load_fp32_model

    backend = backend or settings.model_backend
    if backend not in BACKENDS:
        raise ValueError(f"unknown model backend {backend!r} (expected one of {BACKENDS})")
    model_folder = resolve_model_path(settings)
    if backend == "torch":
        return Prepared(model_folder, backend, 1.0, 0.0, True)
    fingerprint = model_fingerprint(model_folder)
    dest = encoder_dir(settings, model_folder, backend)
    dest.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with FileLock(str(dest.parent / f".{dest.name}.lock")):
        if not force and _stale_reason(dest, backend, fingerprint) is None:
            least = load_query_encoder(settings, backend).check()
            return Prepared(dest, backend, least, time.monotonic() - started, True)
        for leftover in dest.parent.glob(f".{dest.name}.partial-*"):  # of a killed export
            log.info("Removing leftover of an interrupted export: %s", leftover)
            shutil.rmtree(leftover, ignore_errors=True)
        model = load_fp32_model(model_folder, settings.torch_threads)
        prompt = str((getattr(model, "prompts", None) or {}).get("query", ""))
        reference = model.encode(
            list(CHECK_QUESTIONS),
            prompt=prompt,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        work = Path(tempfile.mkdtemp(prefix=f".{dest.name}.partial-", dir=dest.parent))
        try:
            log.info("Exporting question encoder %s of %s (a few minutes)", backend, model_folder)
            _export(model, prompt, backend, work)
            model.tokenizer.save_pretrained(str(work / "tokenizer"))
            manifest = {
                "format": MANIFEST_FORMAT,
                "backend": backend,
                "model_fingerprint": fingerprint,
                "model_folder": str(model_folder),
                "prompt": prompt,
                "max_length": int(model.max_seq_length or 2048),
                "dim": int(reference.shape[1]),
                "check_texts": list(CHECK_QUESTIONS),
                "check_vectors": np.round(reference.astype(np.float64), 7).tolist(),
                "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "versions": _versions(),
            }
            (work / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
            least = OpenVinoQueryEncoder(work, settings.torch_threads).check()
            if dest.exists():
                shutil.rmtree(dest)
            work.replace(dest)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    with _ENCODERS_LOCK:  # a previous load of a replaced export must not be reused
        for key in [k for k in _ENCODERS if k[1] == backend]:
            del _ENCODERS[key]
    seconds = time.monotonic() - started
    log.info(
        "Question encoder %s ready in %s (%.0fs, check cosine %.4f)", backend, dest, seconds, least
    )
    return Prepared(dest, backend, least, seconds, False)


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for package in ("torch", "transformers", "sentence-transformers", "openvino", "nncf"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            continue
    return found
