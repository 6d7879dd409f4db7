"""`assistant ask "câu hỏi"`: one answer with its sources, as text or JSON."""

from __future__ import annotations

import argparse
import json
import sys

from assistant.answer.assistant import Assistant
from assistant.answer.question import InvalidQuestionError
from assistant.answer.types import Answer
from assistant.cli import add_index_option, settings_from


def register(subparsers: argparse._SubParsersAction) -> None:
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


def render_text(answer: Answer) -> str:
    """The answer, then its numbered sources with the quoted passage."""
    lines = [answer.answer, ""]
    if answer.citations:
        lines.append("Nguồn:")
        for c in answer.citations:
            meta = ", ".join(x for x in (c.published_at, c.url) if x)
            lines.append(f"[{c.n}] {c.title}" + (f" ({meta})" if meta else ""))
            lines.append(f"    “{c.quote}” [{c.doc_id}:{c.start}-{c.end}]")
    elif answer.related:
        lines.append("Có thể liên quan:")
        for p in answer.related:
            lines.append(f"- {p.title}: “{p.text[:160]}…”")
    return "\n".join(lines) + "\n"


def run_ask(args: argparse.Namespace) -> int:
    settings = settings_from(args, answer_mode=args.mode)
    assistant = Assistant.from_settings(settings)
    filters = {
        "date_from": args.date_from,
        "date_to": args.date_to,
        "tags": args.tag,
        "doc_ids": args.doc,
    }
    history = json.loads(args.history) if args.history else None
    try:
        answer = assistant.ask(args.question, history=history, filters=filters)
    except InvalidQuestionError as err:
        sys.stderr.write(err.message_vi + "\n")
        return 2
    if args.json:
        sys.stdout.write(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(render_text(answer))
    return 0
