"""What a test needs from the machine: locally a missing model or browser skips the test
with its reason; in CI (``CI=true``) it fails, so a machine without them never passes
green."""

from __future__ import annotations

import importlib
import os
from types import ModuleType
from typing import NoReturn

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def missing(reason: str) -> NoReturn:
    """Skip (locally) or fail (in CI) because ``reason`` is missing."""
    if in_ci():
        pytest.fail(f"{reason} (CI must provide it)", pytrace=False)
    pytest.skip(reason)


def dev_module(name: str) -> ModuleType:
    """A dev dependency imported at the top of a test module: skips the module locally
    when it is not installed, fails it in CI."""
    try:
        return importlib.import_module(name)
    except ImportError:
        reason = f"{name} is a dev dependency (pip install -e '.[dev]')"
        if in_ci():
            pytest.fail(f"{reason} (CI must provide it)", pytrace=False)
        pytest.skip(reason, allow_module_level=True)
