"""`assistant serve`: the HTTP API and the web chat, in one uvicorn process.

One worker on purpose: the process holds one copy of the model (about 1.2 GB) and
answers concurrent questions with threads whose query embeddings are batched together;
more processes would multiply the memory without batching across them.
"""

from __future__ import annotations

import argparse
import logging

from assistant.cli import add_index_option, settings_from

logger = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = subparsers.add_parser("serve", help="run the HTTP API and the web chat")
    serve.add_argument("--host", help="address to listen on (ASSISTANT_HOST, else 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (ASSISTANT_PORT, else 8000)")
    add_index_option(serve)
    serve.set_defaults(handler=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from assistant.api.main import create_app

    settings = settings_from(args, host=args.host, port=args.port)
    app = create_app(settings)
    logger.info(
        "Serving on http://%s:%d (index %s; docs at /docs)",
        settings.host,
        settings.port,
        settings.index_dir,
    )
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        workers=1,
        log_config=None,  # keep the assistant's logging set-up (plain or JSON lines)
        access_log=False,  # the app logs every request itself, with its request id
        timeout_graceful_shutdown=10,
        # X-Forwarded-For is read by the rate limit, from ASSISTANT_TRUSTED_PROXIES only
        proxy_headers=False,
    )
    return 0
