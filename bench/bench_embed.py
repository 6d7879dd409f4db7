"""Embedding speed on this CPU: bf16 against fp32, measured in one process.

Prints, per dtype, the median latency of embedding one query (what a user waits for) and
the median documents/s when embedding a batch of chunk-sized passages (what indexing
costs), plus how closely the two precisions agree, which is why the embedding cache key
ignores the dtype. Runs alternate between the dtypes so that machine noise hits both.

Usage: python bench/bench_embed.py [--runs 5] [--queries 20] [--docs 64]
(needs the real model: `assistant models fetch`, or ASSISTANT_MODEL=<folder>).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np

from assistant.core.config import get_settings
from assistant.embed import Embedder, load_embedder

SENTENCES = [
    "Tổng giá trị xuất khẩu hàng hóa và dịch vụ giai đoạn 2016-2020 đạt 14.081,67 triệu USD.",
    "Tỉnh đã tập trung chỉ đạo công tác đối ngoại, nhất là ngoại giao kinh tế và văn hóa.",
    "Quần thể danh thắng Tràng An được UNESCO công nhận là Di sản thế giới năm 2014.",
    "Sản lượng lương thực bình quân mỗi năm đạt trên 1,5 triệu tấn, tăng 3,2% so với kỳ trước.",
    "Các khu công nghiệp thu hút 120 dự án đầu tư trực tiếp nước ngoài với tổng vốn lớn.",
    "Ngành giáo dục có 95% trường học đạt chuẩn quốc gia, tỷ lệ tốt nghiệp đạt 99,1%.",
    "Hạ tầng giao thông được đầu tư đồng bộ, nhiều tuyến đường cao tốc đã thông xe.",
    "Du lịch đón hơn 10 triệu lượt khách, doanh thu đạt khoảng 20 nghìn tỷ đồng.",
]
QUERIES = [
    "tổng giá trị xuất khẩu giai đoạn 2016-2020",
    "tong gia tri xuat khau",
    "Tràng An được UNESCO công nhận năm nào?",
    "tỷ lệ tốt nghiệp trung học phổ thông",
]


def passages(count: int, length: int = 600) -> list[str]:
    """Deterministic chunk-sized Vietnamese passages (the default chunk is 600 chars)."""
    out = []
    for i in range(count):
        text, j = "", i
        while len(text) < length:
            text += SENTENCES[j % len(SENTENCES)] + " "
            j += 3
        out.append(text[:length])
    return out


def query_latency(embedder: Embedder, repeats: int) -> float:
    """Median seconds to embed a single query."""
    times = []
    for i in range(repeats):
        started = time.perf_counter()
        embedder.embed_queries([QUERIES[i % len(QUERIES)]])
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def docs_per_second(embedder: Embedder, docs: list[str]) -> float:
    started = time.perf_counter()
    embedder.embed_documents(docs)
    return len(docs) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="alternating runs per dtype")
    parser.add_argument("--queries", type=int, default=20, help="single queries per run")
    parser.add_argument("--docs", type=int, default=32, help="passages per document run")
    args = parser.parse_args()

    import torch

    from assistant.embed.sentence_transformer import cpu_supports_bf16

    settings = get_settings()
    docs = passages(args.docs)
    embedders: dict[str, Embedder] = {}
    for dtype in ("bf16", "fp32"):
        started = time.perf_counter()
        embedder = load_embedder(settings.model_copy(update={"model_dtype": dtype}))
        embedder.embed_queries(["khởi động"])  # load + warm up
        embedder.embed_documents(docs[:4])
        embedders[dtype] = embedder
        print(f"{dtype}: loaded and warmed up in {time.perf_counter() - started:.1f}s")

    latency: dict[str, list[float]] = {d: [] for d in embedders}
    throughput: dict[str, list[float]] = {d: [] for d in embedders}
    for _ in range(args.runs):
        for dtype, embedder in embedders.items():
            latency[dtype].append(query_latency(embedder, args.queries))
            throughput[dtype].append(docs_per_second(embedder, docs))

    print(
        f"\nmodel {settings.model}  key {embedders['fp32'].key}  torch threads "
        f"{torch.get_num_threads()}  native bf16 CPU: {cpu_supports_bf16()}  batch size "
        f"{settings.embed_batch_size}  runs {args.runs}  passages {args.docs} x 600 chars  "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    print(f"{'dtype':6} {'query latency (median)':>24} {'documents/s (median)':>22}")
    for dtype in embedders:
        print(
            f"{dtype:6} {statistics.median(latency[dtype]) * 1000:>21.1f} ms "
            f"{statistics.median(throughput[dtype]):>22.1f}"
        )

    bf16, fp32 = embedders["bf16"], embedders["fp32"]
    doc_cos = np.sum(bf16.embed_documents(docs) * fp32.embed_documents(docs), axis=1)
    query_cos = np.sum(bf16.embed_queries(QUERIES) * fp32.embed_queries(QUERIES), axis=1)
    print(
        f"\nbf16 vs fp32 cosine of the same text: documents min {doc_cos.min():.4f} "
        f"mean {doc_cos.mean():.4f}; queries min {query_cos.min():.4f} "
        f"mean {query_cos.mean():.4f}"
    )
    scores = {d: e.embed_queries(QUERIES) @ e.embed_documents(docs).T for d, e in embedders.items()}
    same_top = np.mean(scores["bf16"].argmax(axis=1) == scores["fp32"].argmax(axis=1))
    print(f"same top passage for {same_top:.0%} of the benchmark queries")


if __name__ == "__main__":
    main()
