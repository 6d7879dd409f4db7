"""Property-based fuzzing of every operation in the OpenAPI schema (schemathesis): no
generated request may make the server answer 5xx. Bounded (few examples per operation,
derandomised) so it takes well under a minute."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from needs import dev_module
from test_api_support import api_settings, auth, copy_index, model_assistant_for

from assistant.api.main import create_app
from assistant.core.config import get_settings
from assistant.embed.base import Embedder

pytest_plugins = ["test_api_support"]

schemathesis = dev_module("schemathesis")
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.generation import GenerationMode  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
)

pytestmark = [pytest.mark.model, pytest.mark.slow]

MAX_EXAMPLES = 25  # per operation, valid and invalid requests mixed
# No 5xx, and every response (errors included) has the documented body and media type.
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture(scope="module")
def fuzz_app(
    tmp_path_factory: pytest.TempPathFactory, model_index_template: Path, model_embedder: Embedder
) -> Iterator[FastAPI]:
    """The real assistant on a private copy of the index (fuzzed writes land there)."""
    folder = copy_index(model_index_template, tmp_path_factory.mktemp("fuzz") / "index")
    config = api_settings(folder, max_question_chars=300)
    yield create_app(config, assistant=model_assistant_for(folder, model_embedder, config))


@pytest.fixture(scope="module")
def fuzz_schema(fuzz_app: FastAPI):  # type: ignore[no-untyped-def]
    return schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)


def _operations() -> list[tuple[str, str]]:
    """(method, path) of every documented operation (no model is loaded for this)."""
    paths = create_app(get_settings()).openapi()["paths"]
    return [(method.upper(), path) for path, item in paths.items() for method in item]


@pytest.mark.parametrize(("method", "path"), _operations())
def test_no_request_makes_the_server_fail(fuzz_schema, method: str, path: str) -> None:  # type: ignore[no-untyped-def]
    operation = fuzz_schema[path][method]

    strategy = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )

    @given(case=strategy)
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case) -> None:  # type: ignore[no-untyped-def]
        case.call_and_validate(headers=auth(), checks=CHECKS)

    check()
