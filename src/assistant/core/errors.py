"""Errors whose message tells the operator (in English) what to do next.

The CLI prints them without a traceback; the service maps them to JSON errors whose
end-user message is Vietnamese.
"""

from __future__ import annotations


class AssistantError(RuntimeError):
    """Base class: an expected failure with an actionable message."""


class IndexNotFoundError(AssistantError):
    """No index where the configuration points."""


class IndexFormatError(AssistantError):
    """The index on disk was written by another format version or another model."""


class FeedbackUnavailableError(AssistantError):
    """The feedback store could not take or give records (busy, unreachable, full)."""
