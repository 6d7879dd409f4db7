"""The real embedder: a sentence-transformers model (EmbeddingGemma-300M by default) on CPU.

Design notes (the *why*):

* **Offline by construction.** The model folder comes from
  :func:`~assistant.embed.provision.resolve_model_path` and is loaded with
  ``local_files_only=True`` and ``HF_HUB_OFFLINE=1``: serving never reaches for the
  network, and a missing model is a clear error at construction, not a hang at the first
  query.
* **Lazy, shared, thread-safe loading.** Constructing an embedder costs milliseconds (the
  native dimension is read from the folder's configs); the 1.2 GB model is loaded on the
  first embedding call, once per ``(folder, dtype)`` per process, under a lock, so a
  256-d and a 768-d embedder of the same model share one copy in memory. Encoding holds a
  per-model lock too: the fast tokenizer is not safe for concurrent use, and request
  batching happens upstream.
* **dtype.** ``auto`` picks bf16 when the CPU has native bf16 instructions
  (``avx512_bf16`` or ``amx_bf16`` in ``/proc/cpuinfo``), where it is markedly faster,
  and fp32 elsewhere (emulated bf16 is slower than fp32). EmbeddingGemma does not support
  fp16 activations, so fp16 is not offered.
* **Cache key.** ``key`` is ``"<model id>@<fingerprint>:<dim>"``: it changes with the model
  (its files' fingerprint, so two different folders both called ``model`` never share
  vectors) and with the Matryoshka dimension, which change the vector space. It does *not*
  include the dtype: bf16 and fp32 vectors of the same text agree to a cosine above 0.999
  (measured by ``bench/bench_embed.py``), far closer than any two different passages, so
  mixing them moves scores by noise only. Including it would force re-embedding the whole
  corpus when an index moves between a machine with bf16 and one without, for no
  retrieval benefit.
* **Question encoder backend.** With ``model_backend`` other than ``torch``, questions are
  encoded by an OpenVINO export of the same model (:mod:`assistant.embed.encoders`,
  prepared once by ``assistant models prepare``); documents always go through the
  PyTorch model, so the index and the cache key do not depend on the backend.
* **Matryoshka.** With ``embedding_dim`` set, the model's (normalised) output is cut to
  the first ``embedding_dim`` components and normalised again, as Matryoshka training
  intends.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from assistant.core.config import Settings
from assistant.embed.base import Embedder
from assistant.embed.provision import model_fingerprint, model_label, resolve_model_path

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)

Dtype = Literal["bf16", "fp32"]
_CPUINFO = Path("/proc/cpuinfo")
_BF16_FLAGS = {"avx512_bf16", "amx_bf16"}
TITLE_SLOT = "title: none |"  # in a document prompt, where the article's title goes


def cpu_supports_bf16(cpuinfo: Path = _CPUINFO) -> bool:
    """True when the CPU advertises native bf16 arithmetic (x86 ``flags`` line).

    Anything unreadable or unfamiliar (other OSes, ARM's ``Features``) answers False, so
    the safe fp32 path is chosen.
    """
    try:
        text = cpuinfo.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name.strip() == "flags":
            return bool(_BF16_FLAGS & set(value.split()))
    return False


def resolve_dtype(setting: str, cpuinfo: Path = _CPUINFO) -> Dtype:
    """The concrete dtype for ``settings.model_dtype`` (``auto`` asks the CPU)."""
    if setting == "bf16":
        return "bf16"
    if setting == "fp32":
        return "fp32"
    if setting == "auto":
        return "bf16" if cpu_supports_bf16(cpuinfo) else "fp32"
    raise ValueError(f"unknown model_dtype {setting!r} (expected auto, bf16 or fp32)")


def native_dimension(folder: Path) -> int | None:
    """Output dimension of a sentence-transformers folder, read from its configs.

    Walks ``modules.json`` backwards to the last module that fixes the width (Dense
    ``out_features``, Pooling ``word_embedding_dimension``, the transformer's
    ``hidden_size``). None when it cannot be told without loading the model.
    """

    def read(path: Path) -> dict[str, Any]:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    try:
        modules = json.loads((folder / "modules.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        modules = [{"path": "", "type": "sentence_transformers.models.Transformer"}]
    for module in reversed(modules if isinstance(modules, list) else []):
        kind = str(module.get("type", "")).rsplit(".", 1)[-1]
        config = read(folder / str(module.get("path", "")) / "config.json")
        if kind == "Dense" and isinstance(config.get("out_features"), int):
            return int(config["out_features"])
        if kind == "Pooling" and isinstance(config.get("word_embedding_dimension"), int):
            return int(config["word_embedding_dimension"])
        if kind == "Transformer":
            hidden = config.get("hidden_size") or config.get("text_config", {}).get("hidden_size")
            return int(hidden) if isinstance(hidden, int) else None
    return None


@dataclass
class _Loaded:
    model: SentenceTransformer
    lock: threading.Lock
    dim: int


@contextmanager
def _offline() -> Iterator[None]:
    """``HF_HUB_OFFLINE=1`` (and the transformers twin) while loading, restored afterwards.

    Belt and braces next to ``local_files_only``: no hub call from any library during the
    load, without leaving the process offline for a later ``assistant models fetch``.
    """
    names = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")
    saved = {name: os.environ.get(name) for name in names}
    os.environ.update(dict.fromkeys(names, "1"))
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


_MODELS: dict[tuple[str, Dtype], _Loaded] = {}
_MODELS_LOCK = threading.Lock()


def _load_model(folder: Path, dtype: Dtype, threads: int | None) -> _Loaded:
    """Load (once per process) the model in ``folder`` with ``dtype``."""
    cache_key = (str(folder.resolve()), dtype)
    with _MODELS_LOCK:
        loaded = _MODELS.get(cache_key)
        if loaded is not None:
            return loaded
        import torch

        if threads:
            torch.set_num_threads(threads)
        started = time.monotonic()
        torch_dtype = torch.bfloat16 if dtype == "bf16" else torch.float32
        with _offline():
            from sentence_transformers import SentenceTransformer

            model = SentenceTransformer(
                str(folder),
                device="cpu",
                local_files_only=True,
                model_kwargs={"dtype": torch_dtype},
            )
        model.eval()
        dim = int(model.get_embedding_dimension() or 0)
        loaded = _Loaded(model=model, lock=threading.Lock(), dim=dim)
        _MODELS[cache_key] = loaded
        log.info(
            "Loaded embedding model from %s (%s, %d-d, %d torch threads) in %.1fs",
            folder,
            dtype,
            dim,
            torch.get_num_threads(),
            time.monotonic() - started,
        )
        return loaded


def load_fp32_model(folder: Path, threads: int | None) -> SentenceTransformer:
    """The fp32 model of ``folder`` (shared, loaded once): the reference that exported
    question encoders are made from and checked against."""
    return _load_model(folder, "fp32", threads).model


class SentenceTransformerEmbedder:
    """:class:`~assistant.embed.base.Embedder` backed by a local sentence-transformers model.

    Construction resolves the model folder (raising
    :class:`~assistant.embed.provision.ModelNotAvailableError` with the fix when it is
    missing) but loads nothing; the first ``embed_*`` call loads the model.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.backend = settings.model_backend
        self.path: Path = resolve_model_path(settings)
        self.dtype: Dtype = resolve_dtype(settings.model_dtype)
        self.batch_size = max(1, int(settings.embed_batch_size))
        self.threads = settings.torch_threads
        self.native_dim = native_dimension(self.path)
        if self.native_dim is None:  # unusual folder layout: ask the model itself
            self.native_dim = self._loaded().dim
        wanted = settings.embedding_dim
        if wanted is not None and not 0 < wanted <= self.native_dim:
            raise ValueError(
                f"embedding_dim {wanted} is outside 1..{self.native_dim} for {self.path}"
            )
        self.dim: int = wanted or self.native_dim
        self.label = model_label(settings, self.path)
        self.fingerprint = model_fingerprint(self.path)
        self.key: str = f"{self.label}@{self.fingerprint[:12]}:{self.dim}"

    def __repr__(self) -> str:
        return (
            f"SentenceTransformerEmbedder(key={self.key!r}, dtype={self.dtype!r}, "
            f"backend={self.backend!r})"
        )

    def _loaded(self) -> _Loaded:
        return _load_model(self.path, self.dtype, self.threads)

    def _embed(
        self, texts: list[str], prompt_name: str, titles: list[str] | None = None
    ) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        loaded = self._loaded()
        prompts = getattr(loaded.model, "prompts", None) or {}
        prompt = prompts.get(prompt_name)
        if titles is not None and prompt and TITLE_SLOT in prompt:
            # EmbeddingGemma's documented document prompt: "title: {title} | text: …"
            texts = [
                prompt.replace(TITLE_SLOT, f"title: {' '.join(title.split()) or 'none'} |", 1)
                + text
                for text, title in zip(texts, titles, strict=True)
            ]
            prompt_name, prompt = "", ""
        with loaded.lock:
            raw = loaded.model.encode(
                list(texts),
                prompt=prompt if prompt == "" else None,
                prompt_name=prompt_name if prompt_name in prompts else None,
                batch_size=self.batch_size,
                convert_to_numpy=True,
                normalize_embeddings=False,
                show_progress_bar=False,
            )
        return self._finish(raw)

    def _finish(self, raw: Any) -> np.ndarray:
        """Model output → float32 rows cut to ``dim`` (Matryoshka) and normalised."""
        vectors = np.asarray(raw, dtype=np.float32)[:, : self.dim]
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.ascontiguousarray(vectors / np.maximum(norms, 1e-12), dtype=np.float32)

    def embed_documents(self, texts: list[str], titles: list[str] | None = None) -> np.ndarray:
        """Passage vectors (``document`` prompt when the model defines one, with the
        article's title in its title slot when given)."""
        return self._embed(texts, "document", titles)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Question vectors (``query`` prompt when the model defines one), from the
        configured question encoder."""
        if self.backend == "torch" or not texts:
            return self._embed(texts, "query")
        from assistant.embed.encoders import load_query_encoder

        return self._finish(load_query_encoder(self.settings, self.backend).encode(list(texts)))


def load_embedder(settings: Settings) -> Embedder:
    """The embedder the application uses: the sentence-transformers model of ``settings``.

    Cheap to call repeatedly: the model itself is loaded once per process and shared.
    """
    return SentenceTransformerEmbedder(settings)
