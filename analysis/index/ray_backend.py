"""Index building and scanning on a Ray cluster (``--ray auto|ADDRESS``).

Building: one Ray task per catalogue shard reads and fingerprints its works
(``build.extract_shard``, the same function the single-process path runs); the chunks'
static embeddings then go through Ray Data (``map_batches`` over every chunk, on GPUs where
the cluster has them); the driver assembles the shards in catalogue order, so the index is
the one the single-process path writes. Scanning: one actor per worker opens the index once
and scans batches of works; rows come back in the order of the works given.

``--ray auto`` joins the cluster this machine belongs to (``ray start --head`` on it, or
``RAY_ADDRESS``) and starts a local one when there is none; ``--ray ray://HOST:10001`` or
``--ray HOST:6379`` joins that cluster. On a real cluster, catalogue files and the index
folder must be readable at the same path on every node (shared storage).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from analysis.errors import InputError

SCAN_BATCH = 4


def init_ray(address: str):
    try:
        import ray
    except ImportError:
        raise InputError("--ray needs the ray package: pip install 'fairuse[cluster]' (ray[data])") from None
    if ray.is_initialized():
        return ray
    kw: dict[str, Any] = {"log_to_driver": False, "include_dashboard": False, "configure_logging": False}
    try:
        if address == "auto":
            try:
                ray.init(address="auto", **kw)
            except (ConnectionError, RuntimeError):
                ray.init(**kw)
        else:
            ray.init(address=address, **kw)
    except Exception as exc:
        first = (str(exc).splitlines() or [type(exc).__name__])[0][:200]
        raise InputError(f"cannot join the Ray cluster at {address!r}: {first}") from None
    return ray


def _gpus(ray) -> float:
    try:
        return float(ray.cluster_resources().get("GPU", 0.0))
    except Exception:
        return 0.0


class _StaticEmbed:
    """Ray Data stage: static embeddings for a batch of chunks."""

    def __init__(self, embedder):
        self.embedder = embedder

    def __call__(self, batch: dict) -> dict:
        texts = [str(t) for t in batch["text"]]
        return {"key": batch["key"], "vec": self.embedder.encode(texts)}


def build_shards_ray(address: str, shards, embedder, deep_spec: str | None, progress) -> Iterator[tuple[int, Any]]:
    """Yield (position, finished Shard) for each shard, features computed on the cluster."""
    ray = init_ray(address)
    from analysis.index.build import extract_shard

    gpus = _gpus(ray)
    remote = ray.remote(num_cpus=1, num_gpus=1 if (deep_spec and gpus) else 0)(
        lambda entries, deep: extract_shard(entries, None, deep_model=deep)
    )
    pending = {remote.remote(entries, deep_spec): i for i, entries in enumerate(shards)}
    results: dict[int, Any] = {}
    while pending:
        ready, _ = ray.wait(list(pending), num_returns=1)
        for ref in ready:
            i = pending.pop(ref)
            results[i] = ray.get(ref)
            if progress is not None:
                progress(len(shards[i]), f"shard {i + 1}/{len(shards)}")
    if embedder is not None:
        items = [
            {"key": i * 1_000_000_000 + r, "text": t}
            for i in sorted(results)
            for r, t in enumerate(results[i].chunk_texts)
        ]
        vecs: dict[int, np.ndarray] = {}
        if items:
            import ray.data

            _quiet_data(ray)
            ds = ray.data.from_items(items).map_batches(
                _StaticEmbed,
                fn_constructor_kwargs={"embedder": embedder},
                batch_size=512,
                batch_format="numpy",
                concurrency=max(1, min(4, int(ray.cluster_resources().get("CPU", 1)))),
            )
            for row in ds.iter_rows():
                vecs[int(row["key"])] = np.asarray(row["vec"], dtype=np.float32)
        for i in sorted(results):
            sh = results[i]
            n = len(sh.chunk_texts)
            sh.chunk_vecs = (
                np.stack([vecs[i * 1_000_000_000 + r] for r in range(n)])
                if n
                else np.zeros((0, embedder.dim), np.float32)
            )
            sh.chunk_texts = []
    for i in sorted(results):
        yield i, results[i]


def scan_ray(address: str, paths: list[Path], index, *, top: int, scenario, kwargs: dict, progress) -> list:
    ray = init_ray(address)
    from analysis.scan.scan import Scanner

    class _ScanActor:
        def __init__(self, index_path: str, kw: dict):
            self.scanner = Scanner(index_path, **kw)

        def scan(self, batch: list[str], top_k: int, scen) -> list:
            return [self.scanner.scan_one(Path(p), top_k, scen) for p in batch]

    Actor = ray.remote(num_cpus=1)(_ScanActor)
    batches = [paths[i : i + SCAN_BATCH] for i in range(0, len(paths), SCAN_BATCH)]
    n_actors = max(1, min(len(batches), int(ray.cluster_resources().get("CPU", 1))))
    actors = [Actor.remote(str(index), kwargs) for _ in range(n_actors)]
    pending = {actors[j % n_actors].scan.remote([str(p) for p in b], top, scenario): j for j, b in enumerate(batches)}
    out: dict[int, list] = {}
    try:
        while pending:
            ready, _ = ray.wait(list(pending), num_returns=1)
            for ref in ready:
                j = pending.pop(ref)
                try:
                    out[j] = ray.get(ref)
                except Exception as exc:
                    cause = getattr(exc, "cause", None) or exc
                    if isinstance(cause, InputError):
                        raise cause from None
                    raise
                if progress is not None:
                    progress(len(batches[j]), f"batch {j + 1}/{len(batches)}")
    finally:
        for a in actors:
            ray.kill(a)
    return [r for j in range(len(batches)) for r in out[j]]


def _quiet_data(ray) -> None:
    try:
        import logging

        ctx = ray.data.DataContext.get_current()
        ctx.enable_progress_bars = False
        ctx.print_on_execution_start = False
        logging.getLogger("ray.data").setLevel(logging.WARNING)
    except Exception:
        pass
