"""HTTP API throughput and latency at 1, 8 and 32 concurrent clients.

Starts `assistant serve` in a subprocess (127.0.0.1, free port, rate limit and answer
cache off: every request is answered by the whole pipeline), waits
until it is ready, warms it up with every benchmark question once (so sentence vectors
are cached, as they are in a running service), then sends questions from this process
at each concurrency level: a bounded number of requests, stopped early after a time
limit. Prints per level: requests/s, p50/p95 latency, errors, the average number of
questions encoded per model call (from /metrics: what micro-batching achieved) and the
server's resident memory (psutil); then the throughput ratio of 32 clients to 1.

Usage: python bench/bench_api.py [--index DIR] [--requests 128] [--seconds 90]
Without --index, an index of corpus/sample and corpus/synthetic is built in a temporary
folder first. Needs the real model (`assistant models fetch` or ASSISTANT_MODEL=<folder>).
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

logger = logging.getLogger("bench_api")

ROOT = Path(__file__).resolve().parents[1]
CORPORA = [ROOT / "corpus" / "sample", ROOT / "corpus" / "synthetic"]
LEVELS = (1, 8, 32)
QUESTIONS = [
    "Tổng giá trị xuất khẩu giai đoạn 2016-2020 là bao nhiêu?",
    "Tổng giá trị nhập khẩu giai đoạn 2016-2020 là bao nhiêu?",
    "Thanh Hóa hợp tác với tỉnh nào của Lào?",
    "Giai đoạn 2016-2020 tỉnh thu hút bao nhiêu dự án FDI?",
    "Có bao nhiêu người đi lao động tại nước ngoài giai đoạn 2016-2020?",
    "Năm 2019 Thanh Hóa đón bao nhiêu lượt khách du lịch?",
    "Khu kinh tế Nghi Sơn thu hút bao nhiêu dự án năm 2022?",
    "Kim ngạch thương mại qua cửa khẩu Na Mèo năm 2023 là bao nhiêu?",
    "tong gia tri xuat khau giai doan 2016-2020",
    "Giá vé máy bay đi Đà Nẵng tháng 7 là bao nhiêu?",
]


@dataclass
class Level:
    clients: int
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    batch_size: float = 0.0
    rss_mb: float = 0.0
    stages_ms: dict[str, float] = field(default_factory=dict)

    @property
    def done(self) -> int:
        return len(self.latencies) + self.errors

    def percentile(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def build_index(folder: Path) -> None:
    logger.info("building an index of %s in %s", ", ".join(p.name for p in CORPORA), folder)
    command = [sys.executable, "-m", "assistant", "-q", "ingest", *map(str, CORPORA)]
    subprocess.run([*command, "--index", str(folder), "--no-progress"], check=True)


def start_server(
    index: Path, port: int, log: Path, extra_env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    # the answer cache off: this measures answering under concurrency, not cache lookups
    env = {**os.environ, "ASSISTANT_RATE_LIMIT": "0", "ASSISTANT_ANSWER_CACHE_SIZE": "0"}
    env.update(extra_env or {})
    command = [sys.executable, "-m", "assistant", "serve", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--index", str(index)]
    with log.open("wb") as out:
        return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)


def wait_ready(client: httpx.Client, server: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"server exited with code {server.returncode}")
        try:
            if client.get("/api/ready").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise RuntimeError("server not ready in time")


STAGES = ("embed", "retrieve", "compose")
_SAMPLE = re.compile(r"^(assistant_\w+?_(?:sum|count))(\{[^}]*\})? (\S+)$", re.M)


def scrape(client: httpx.Client) -> dict[str, float]:
    """The histogram sums and counts of /metrics, keyed by name and labels."""
    text = client.get("/metrics").text
    return {name + (labels or ""): float(value) for name, labels, value in _SAMPLE.findall(text)}


def mean_between(
    before: dict[str, float], after: dict[str, float], name: str, labels: str = ""
) -> float:
    """Mean of the observations of histogram ``name{labels}`` made between two scrapes."""
    count = after.get(f"{name}_count{labels}", 0) - before.get(f"{name}_count{labels}", 0)
    total = after.get(f"{name}_sum{labels}", 0) - before.get(f"{name}_sum{labels}", 0)
    return total / count if count else 0.0


def run_level(base: str | list[str], clients: int, requests: int, seconds: float) -> Level:
    """``requests`` questions from ``clients`` threads (own connection each), or fewer
    if ``seconds`` run out first. With several base URLs (replicas), client i talks to
    replica i modulo their number, as a round-robin balancer would spread them."""
    level = Level(clients)
    lock = threading.Lock()
    counter = iter(range(requests))
    deadline = time.monotonic() + seconds
    bases = [base] if isinstance(base, str) else base

    def client_loop(i: int) -> None:
        with httpx.Client(base_url=bases[i % len(bases)], timeout=120) as client:
            while time.monotonic() < deadline:
                with lock:
                    n = next(counter, None)
                if n is None:
                    return
                started = time.perf_counter()
                try:
                    response = client.post(
                        "/api/ask", json={"question": QUESTIONS[n % len(QUESTIONS)]}
                    )
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                elapsed = time.perf_counter() - started
                with lock:
                    if ok:
                        level.latencies.append(elapsed)
                    else:
                        level.errors += 1

    threads = [threading.Thread(target=client_loop, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    level.seconds = time.perf_counter() - started
    return level


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, help="existing index (default: build one)")
    parser.add_argument("--requests", type=int, default=128, help="questions per level")
    parser.add_argument("--seconds", type=float, default=90.0, help="time limit per level")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)

    with tempfile.TemporaryDirectory(prefix="bench-api-") as work:
        index = args.index
        if index is None:
            index = Path(work) / "index"
            build_index(index)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(index, port, Path(work) / "server.log")
        try:
            with httpx.Client(base_url=base, timeout=120) as client:
                started = time.perf_counter()
                wait_ready(client, server, timeout=300)
                logger.info("server ready in %.1fs", time.perf_counter() - started)
                for question in QUESTIONS:  # warm-up: caches, first-call costs
                    client.post("/api/ask", json={"question": question}).raise_for_status()
                process = psutil.Process(server.pid)
                results = []
                for clients in LEVELS:
                    before = scrape(client)
                    level = run_level(base, clients, args.requests, args.seconds)
                    after = scrape(client)
                    level.batch_size = mean_between(before, after, "assistant_embed_batch_size")
                    for stage in STAGES:
                        seconds = mean_between(
                            before, after, "assistant_ask_stage_seconds", f'{{stage="{stage}"}}'
                        )
                        level.stages_ms[stage] = 1000 * seconds
                    level.rss_mb = process.memory_info().rss / 2**20
                    logger.info(
                        "%d clients: %d requests in %.1fs", clients, level.done, level.seconds
                    )
                    results.append(level)
        finally:
            server.terminate()
            server.wait(timeout=30)
    report(results)
    return 0


def report(results: list[Level]) -> None:
    out = sys.stdout
    out.write(
        f"{'clients':>7} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'errors':>6} {'batch':>6} {'RSS MB':>7}  mean stage ms (embed/retrieve/compose)\n"
    )
    for level in results:
        rate = len(level.latencies) / level.seconds if level.seconds else 0.0
        out.write(
            f"{level.clients:>7} {level.done:>8} {rate:>7.2f} "
            f"{level.percentile(0.5) * 1000:>8.0f} {level.percentile(0.95) * 1000:>8.0f} "
            f"{level.errors:>6} {level.batch_size:>6.2f} {level.rss_mb:>7.0f}  "
            + "/".join(f"{level.stages_ms.get(stage, 0):.0f}" for stage in STAGES)
            + "\n"
        )
    first, last = results[0], results[-1]
    rate_1 = len(first.latencies) / first.seconds if first.seconds else 0.0
    rate_n = len(last.latencies) / last.seconds if last.seconds else 0.0
    if rate_1:
        out.write(f"throughput {last.clients} clients / 1 client: {rate_n / rate_1:.2f}x\n")
    if results:
        median = statistics.median(level.rss_mb for level in results)
        out.write(f"server RSS (median over levels): {median:.0f} MB\n")


if __name__ == "__main__":
    sys.exit(main())
