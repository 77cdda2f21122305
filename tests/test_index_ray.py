"""The Ray path on a real local cluster (two workers) gives the index and the scan results
of the single-process path."""

from __future__ import annotations

import faiss
import numpy as np
import pytest

from analysis.index.build import build_index
from analysis.index.store import load_index
from analysis.scan.scan import scan_works
from tests.index_helpers import SAMPLES, sample_catalogue, tiny_static_model

ray = pytest.importorskip("ray")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def local_cluster():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield
    ray.shutdown()


def test_ray_build_and_scan_match_the_single_process_path(local_cluster, tmp_path, monkeypatch):
    from analysis import defaults

    monkeypatch.setattr(defaults, "INDEX_SHARD_WORKS", 3)  # several shards, so tasks really split the work
    static = str(tiny_static_model(tmp_path / "static"))
    cat = sample_catalogue(tmp_path / "catalogue")
    one = build_index([cat], tmp_path / "single", static_model=static)
    two = build_index([cat], tmp_path / "ray", static_model=static, ray="auto")
    assert one.counts == two.counts and one.total_works == 8
    a, b = load_index(tmp_path / "single"), load_index(tmp_path / "ray")
    names = ("fp_hash", "fp_work", "chunk_work", "image_work", "image_phash", "image_global", "local_work", "local_xy")
    for name in names:
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    assert len(a.local_xy) == len(a.local_work) > 0
    for name in ("text_vectors", "image_local"):
        assert np.array_equal(faiss.serialize_index(getattr(a, name)), faiss.serialize_index(getattr(b, name))), name
    strip = lambda ws: [{k: v for k, v in w.items() if k != "added"} for w in ws]  # noqa: E731
    assert strip(a.works) == strip(b.works)

    works = [
        SAMPLES / "text-regurgitation/generated.txt",
        SAMPLES / "text-close-paraphrase/generated.txt",
        SAMPLES / "image-pasted-region/generated.jpg",
        SAMPLES / "image-recoloured-crop/generated.jpg",
        SAMPLES / "image-mirrored-duplicate/generated.jpg",
    ]
    r1 = scan_works(works, tmp_path / "single", top=2, static_model=static, device="cpu")
    r2 = scan_works(works, tmp_path / "single", top=2, static_model=static, device="cpu", ray="auto")
    assert [r.model_dump() for r in r1.rows] == [r.model_dump() for r in r2.rows]
    assert [(w.work, w.status, w.candidates) for w in r1.works] == [(w.work, w.status, w.candidates) for w in r2.works]
    assert r1.rows[0].verdict == "verbatim"
