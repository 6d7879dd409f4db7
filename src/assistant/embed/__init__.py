"""Text embedding: the real model (provisioned offline-first) and a test stand-in."""

from assistant.embed.base import Embedder
from assistant.embed.hashing import HashingEmbedder
from assistant.embed.provision import (
    KNOWN_MODELS,
    ModelFetchError,
    ModelNotAvailableError,
    cache_path,
    fetch_model,
    resolve_model_path,
    verify_model,
)
from assistant.embed.sentence_transformer import SentenceTransformerEmbedder, load_embedder

__all__ = [
    "KNOWN_MODELS",
    "Embedder",
    "HashingEmbedder",
    "ModelFetchError",
    "ModelNotAvailableError",
    "SentenceTransformerEmbedder",
    "cache_path",
    "fetch_model",
    "load_embedder",
    "resolve_model_path",
    "verify_model",
]
