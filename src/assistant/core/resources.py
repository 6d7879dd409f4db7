"""Folders shipped inside the package: the web chat (``web/``) and the prompt templates
of generative mode (``prompts/``).

They are package data, found with :mod:`importlib.resources`, so a regular
``pip install`` (a wheel, not an editable checkout) serves the chat and loads the
prompts just like the source tree does. A setting (``ASSISTANT_WEB_DIR``,
``ASSISTANT_PROMPTS_DIR``) can point elsewhere.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from assistant.core.errors import AssistantError


def packaged(folder: str) -> Path:
    """The path on disk of a folder shipped in the ``assistant`` package."""
    resource = files("assistant") / folder
    if not isinstance(resource, Path):  # a zipped install: the files have no path
        raise AssistantError(
            f"The package's {folder}/ folder is not on the file system (zipped install?); "
            f"install the package unzipped or set ASSISTANT_{folder.upper()}_DIR."
        )
    return resource
