"""`assistant ask "câu hỏi"`: one answer with its sources, as text or JSON.

The answer comes through the same :class:`~assistant.answer.events.AnswerSource` as the
service's: the text is printed from its events (the answer, then the sources), ``--json``
prints the whole answer with the API's field names.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from typing import Any

from assistant.answer.assistant import Assistant
from assistant.answer.events import AnswerRequest, AnswerSource, Event
from assistant.answer.question import InvalidQuestionError
from assistant.cli import add_index_option, settings_from
from assistant.core.types import DocumentFilter


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ask = subparsers.add_parser("ask", help="answer a question from the indexed articles")
    ask.add_argument("question")
    add_index_option(ask)
    ask.add_argument("--json", action="store_true", help="print one JSON object (API fields)")
    ask.add_argument(
        "--history",
        metavar="JSON",
        help='earlier turns, e.g. \'[{"role": "user", "content": "..."}]\'',
    )
    ask.add_argument("--date-from", help="only articles published on/after (YYYY-MM-DD)")
    ask.add_argument("--date-to", help="only articles published on/before (YYYY-MM-DD)")
    ask.add_argument("--tag", action="append", default=[], help="only articles with this tag")
    ask.add_argument("--doc", action="append", default=[], help="only this document id")
    ask.add_argument("--mode", choices=["extractive", "generative"], help="answer composition mode")
    ask.set_defaults(handler=run_ask)


def render_text(events: Iterable[Event]) -> str:
    """The answer, then its numbered sources with the quoted passage (or, when the
    articles do not answer, questions they do answer and the passages that may be
    related)."""
    text: list[str] = []
    citations: list[dict[str, Any]] = []
    related: list[dict[str, Any]] = []
    instead: list[str] = []
    for event in events:
        if event.name == "delta":
            text.append(event.data["text"])
        elif event.name == "citations":
            citations = event.data["citations"]
        elif event.name == "done":
            related = event.data["related"]
            instead = event.data.get("suggestions", [])
    lines = ["".join(text), ""]
    if citations:
        lines.append("Nguồn:")
        for c in citations:
            meta = ", ".join(x for x in (c["published_at"], c["url"]) if x)
            lines.append(f"[{c['n']}] {c['title']}" + (f" ({meta})" if meta else ""))
            lines.append(f"    “{c['quote']}” [{c['doc_id']}:{c['start']}-{c['end']}]")
    if instead:
        lines.append("Các bài viết trả lời được câu hỏi:")
        lines.extend(f"- {question}" for question in instead)
    if related and not citations:
        lines.append("Có thể liên quan:")
        for p in related:
            lines.append(f"- {p['title']}: “{p['quote'][:160]}…”")
    return "\n".join(lines) + "\n"


def run_ask(args: argparse.Namespace) -> int:
    settings = settings_from(args, answer_mode=args.mode)
    source = AnswerSource(Assistant.from_settings(settings))
    request = AnswerRequest(
        args.question,
        tuple(json.loads(args.history)) if args.history else (),
        DocumentFilter(
            date_from=args.date_from,
            date_to=args.date_to,
            doc_ids=tuple(args.doc),
            tags=tuple(args.tag),
        ),
    )
    try:
        if args.json:
            answer = source.answer(request)
            sys.stdout.write(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2) + "\n")
        else:
            sys.stdout.write(render_text(source.events(request)))
    except InvalidQuestionError as err:
        sys.stderr.write(err.message_vi + "\n")
        return 2
    return 0
