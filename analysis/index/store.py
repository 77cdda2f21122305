"""The on-disk index: a folder, versioned, checksummed, replaced whole or not at all.

Format ``fairuse-index`` version 2 (documented in the README; version 1 indexes are still read)::

    INDEX/
      fairuse-index.json      manifest: format, version, tool version, dates, settings, models,
                              counts, and the SHA-256 and size of every other file
      catalogue.sqlite        table works (id, kind, title, author, year, licence, path, sha256,
                              bytes, words, added) and table skipped (path, reason, added)
      text_fp_counts.npy      65,536 counts (uint8, or uint16 / uint32 where a count needs it):
                              how many fingerprints have each value of the top 16 bits (the
                              fingerprints are the winnowed word 5-gram hashes, 32 bits, sorted;
                              bucketing by the top 16 bits stores each in 2 bytes)
      text_fp_low.npy         uint16: the low 16 bits of each fingerprint, sorted within a bucket
      text_fp_work.npy        the work of each fingerprint (the smallest of uint8, uint16 and
                              uint32 that holds every work id; read back as uint32)
      text_chunk_work.npy     the work of each embedded chunk, same type (row = vector id)
      text_mean.npy           float32: the mean static vector of the first build's chunks; every
                              vector (catalogue and query) has it removed and is re-normalised
      text_vectors.faiss      FAISS index of the chunks' static embeddings (inner product;
                              8-bit scalar-quantised below INDEX_PQ_MIN_VECTORS, IVF-PQ above)
      image_work.npy          uint32: the work of each image row
      image_phash.npy         uint64: 64-bit pHash per image
      image_global.npy        float16, N x 64: grey-thumbnail descriptors
      image_local_work.npy    uint32: the work of each local descriptor (row = vector id)
      image_local_xy.npy      float16, N x 2: each local descriptor's keypoint (x, y) as fractions
                              of its picture's longer side, for the geometric check
      image_local.faiss       FAISS index of RootSIFT descriptors (inner product)
      image_deep.faiss        optional: deep image embeddings (row = image row)

Writes go to a temporary sibling folder that is renamed into place only when complete, so an
interrupted build never leaves a half-written index where a good one was.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from analysis import __version__, defaults
from analysis.errors import InputError

FORMAT = "fairuse-index"
FORMAT_VERSION = 2
FP_BUCKET_BITS = 16  # fingerprints are bucketed by their top 16 bits: 2 bytes each on disk
MANIFEST = "fairuse-index.json"

WORK_COLUMNS = ["id", "kind", "title", "author", "year", "licence", "path", "sha256", "bytes", "words", "added"]


class IndexError_(InputError):
    """An index that cannot be used: missing, corrupt, or written by a newer version."""


@dataclass
class IndexData:
    """Everything an index holds, in memory."""

    works: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    fp_hash: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint32))
    fp_work: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint32))
    chunk_work: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint32))
    text_mean: np.ndarray | None = None  # the catalogue's mean static vector, removed before indexing
    text_vectors: Any = None  # faiss.Index or None
    image_work: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint32))
    image_phash: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))
    image_global: np.ndarray = field(default_factory=lambda: np.zeros((0, 64), np.float16))
    local_work: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint32))
    local_xy: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), np.float16))
    image_local: Any = None
    image_deep: Any = None
    settings: dict = field(default_factory=dict)
    models: dict = field(default_factory=dict)
    created: str = ""


# --------------------------------------------------------------------------- vector indexes
def _faiss():
    try:
        import faiss
    except ImportError:
        raise InputError("the faiss-cpu package is needed for the index; pip install faiss-cpu") from None
    return faiss


def new_vector_index(vectors: np.ndarray, pq_bytes: int):
    """Scalar-quantised (8-bit, exhaustive) inner-product index for small sets; IVF-PQ (trained on
    these vectors) for large ones."""
    faiss = _faiss()
    x = np.ascontiguousarray(vectors, dtype=np.float32)
    d = x.shape[1]
    if len(x) < defaults.INDEX_PQ_MIN_VECTORS:
        # one byte per dimension, ranges from these vectors (faiss clips later additions to them)
        index = faiss.IndexScalarQuantizer(d, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT)
        index.train(x)
    else:
        nlist = int(min(4096, max(64, 4 * np.sqrt(len(x)))))
        quantizer = faiss.IndexFlatIP(d)
        index = faiss.IndexIVFPQ(quantizer, d, nlist, pq_bytes, 8, faiss.METRIC_INNER_PRODUCT)
        index.cp.seed = 1234
        index.pq.cp.seed = 1234
        index.train(x)
        index.nprobe = defaults.INDEX_IVF_NPROBE
    index.add(x)
    return index


def extend_vector_index(index, vectors: np.ndarray, pq_bytes: int):
    """Add vectors; an exhaustive index that grows past the threshold is rebuilt as IVF-PQ."""
    faiss = _faiss()
    x = np.ascontiguousarray(vectors, dtype=np.float32)
    if index is None:
        return new_vector_index(x, pq_bytes) if len(x) else None
    if not len(x):
        return index
    if not isinstance(index, faiss.IndexIVF) and index.ntotal + len(x) >= defaults.INDEX_PQ_MIN_VECTORS:
        old = index.reconstruct_n(0, index.ntotal)
        return new_vector_index(np.concatenate([old, x]), pq_bytes)
    index.add(x)
    return index


def search(index, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    if index is None or index.ntotal == 0 or not len(queries):
        return np.zeros((len(queries), 0), np.float32), np.zeros((len(queries), 0), np.int64)
    k = min(k, index.ntotal)
    return index.search(np.ascontiguousarray(queries, dtype=np.float32), k)


# --------------------------------------------------------------------------- fingerprints
def _smallest_uint(max_value: int):
    return np.uint8 if max_value < 256 else np.uint16 if max_value < 65536 else np.uint32


def pack_fingerprints(hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted uint32 fingerprints as (count per value of the top 16 bits, low 16 bits)."""
    h = np.asarray(hashes, dtype=np.uint32)
    top = (h >> np.uint32(FP_BUCKET_BITS)).astype(np.int64)
    counts = np.bincount(top, minlength=1 << FP_BUCKET_BITS)
    return counts.astype(_smallest_uint(int(counts.max(initial=0)))), (h & np.uint32(0xFFFF)).astype(np.uint16)


def unpack_fingerprints(counts: np.ndarray, low: np.ndarray) -> np.ndarray:
    """The sorted uint32 fingerprints back from ``pack_fingerprints``'s arrays."""
    counts = counts.astype(np.int64)
    if len(counts) != 1 << FP_BUCKET_BITS or counts.sum() != len(low):
        raise ValueError("text_fp_counts.npy does not match text_fp_low.npy")
    top = np.repeat(np.arange(1 << FP_BUCKET_BITS, dtype=np.uint32), counts)
    return (top << np.uint32(FP_BUCKET_BITS)) | low.astype(np.uint32)


# --------------------------------------------------------------------------- writing
def _sha(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _write_sqlite(path: Path, works: list[dict], skipped: list[dict]) -> None:
    con = sqlite3.connect(path)
    try:
        con.execute(
            "CREATE TABLE works (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, title TEXT, author TEXT, year TEXT, "
            "licence TEXT, path TEXT NOT NULL, sha256 TEXT NOT NULL, bytes INTEGER, words INTEGER, added TEXT)"
        )
        con.execute("CREATE TABLE skipped (path TEXT, reason TEXT, added TEXT)")
        con.executemany(
            f"INSERT INTO works ({', '.join(WORK_COLUMNS)}) VALUES ({', '.join('?' * len(WORK_COLUMNS))})",
            [tuple(w.get(c) for c in WORK_COLUMNS) for w in works],
        )
        con.executemany(
            "INSERT INTO skipped (path, reason, added) VALUES (?, ?, ?)",
            [(s["path"], s["reason"], s.get("added", "")) for s in skipped],
        )
        con.commit()
    finally:
        con.close()


def write_index(data: IndexData, out: str | Path) -> Path:
    """Write ``data`` as a complete index at ``out``, replacing any index there only at the end."""
    faiss = _faiss()
    dest = Path(out)
    if dest.exists() and not dest.is_dir():
        raise InputError(f"cannot write the index to {dest}: it is a file")
    if dest.is_dir() and any(dest.iterdir()) and not (dest / MANIFEST).is_file():
        raise InputError(f"cannot write the index to {dest}: the folder is not empty and holds no fairuse index")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.writing-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        _write_sqlite(tmp / "catalogue.sqlite", data.works, data.skipped)
        counts, low = pack_fingerprints(data.fp_hash)
        work_id = _smallest_uint(
            max((int(w["id"]) for w in data.works), default=0)
        )  # the smallest unsigned type that holds every id
        arrays = {
            "text_fp_counts.npy": counts,
            "text_fp_low.npy": low,
            "text_fp_work.npy": data.fp_work.astype(work_id),
            "text_chunk_work.npy": data.chunk_work.astype(work_id),
            "image_work.npy": data.image_work.astype(np.uint32),
            "image_phash.npy": data.image_phash.astype(np.uint64),
            "image_global.npy": data.image_global.astype(np.float16),
            "image_local_work.npy": data.local_work.astype(np.uint32),
            "image_local_xy.npy": data.local_xy.astype(np.float16).reshape(-1, 2),
        }
        if data.text_mean is not None:
            arrays["text_mean.npy"] = data.text_mean.astype(np.float32)
        for name, arr in arrays.items():
            np.save(tmp / name, np.ascontiguousarray(arr), allow_pickle=False)
        for name, index in (
            ("text_vectors.faiss", data.text_vectors),
            ("image_local.faiss", data.image_local),
            ("image_deep.faiss", data.image_deep),
        ):
            if index is not None:
                faiss.write_index(index, str(tmp / name))
        files = {}
        for f in sorted(tmp.iterdir()):
            files[f.name] = {"sha256": _sha(f), "bytes": f.stat().st_size}
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        manifest = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "tool_version": __version__,
            "created": data.created or now,
            "updated": now,
            "settings": data.settings,
            "models": data.models,
            "counts": {
                "works": len(data.works),
                "texts": sum(1 for w in data.works if w["kind"] == "text"),
                "images": sum(1 for w in data.works if w["kind"] == "image"),
                "text_words": int(sum(int(w.get("words") or 0) for w in data.works if w["kind"] == "text")),
                "text_bytes": int(sum(int(w.get("bytes") or 0) for w in data.works if w["kind"] == "text")),
                "fingerprints": len(data.fp_hash),
                "chunks": len(data.chunk_work),
                "local_descriptors": len(data.local_work),
                "skipped": len(data.skipped),
            },
            "files": files,
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        for f in tmp.iterdir():
            with open(f, "rb") as fh:
                os.fsync(fh.fileno())
        # swap: the old index moves aside, the new one takes its name, the old one goes
        old = None
        if dest.exists():
            old = dest.with_name(f".{dest.name}.old-{os.getpid()}-{int(time.time())}")
            os.replace(dest, old)
        os.replace(tmp, dest)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return dest


# --------------------------------------------------------------------------- reading
def read_manifest(path: str | Path) -> dict:
    p = Path(path)
    if not p.exists():
        raise IndexError_(f"no index at {p}; build one with 'fairuse index CATALOGUE... --out {p}'")
    if not p.is_dir():
        raise IndexError_(f"{p} is not an index folder")
    mf = p / MANIFEST
    if not mf.is_file():
        raise IndexError_(f"{p} is not a fairuse index (no {MANIFEST})")
    try:
        manifest = json.loads(mf.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise IndexError_(f"the index at {p} is corrupt ({MANIFEST} is not valid JSON); rebuild it") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise IndexError_(f"{p} is not a fairuse index ({MANIFEST} names another format)")
    version = manifest.get("version")
    if not isinstance(version, int):
        raise IndexError_(f"the index at {p} is corrupt (no format version); rebuild it")
    if version > FORMAT_VERSION:
        raise IndexError_(
            f"the index at {p} is format version {version}, written by fairuse {manifest.get('tool_version', '?')}; "
            f"this fairuse ({__version__}) reads version {FORMAT_VERSION}: upgrade fairuse or rebuild the index"
        )
    return manifest


def _verify(p: Path, manifest: dict) -> None:
    files = manifest.get("files")
    if not isinstance(files, dict) or "catalogue.sqlite" not in files:
        raise IndexError_(f"the index at {p} is corrupt (its file list is missing); rebuild it")
    for name, meta in files.items():
        f = p / name
        if not f.is_file():
            raise IndexError_(f"the index at {p} is incomplete ({name} is missing); rebuild it")
        if f.stat().st_size != meta.get("bytes") or _sha(f) != meta.get("sha256"):
            raise IndexError_(f"the index at {p} is corrupt ({name} does not match its checksum); rebuild it")


def load_index(path: str | Path, *, verify: bool = True) -> IndexData:
    """Read a complete index into memory (checksums verified)."""
    faiss = _faiss()
    p = Path(path)
    manifest = read_manifest(p)
    version = int(manifest["version"])
    if verify:
        _verify(p, manifest)
    try:
        con = sqlite3.connect(f"file:{p / 'catalogue.sqlite'}?mode=ro", uri=True)
        try:
            con.row_factory = sqlite3.Row
            works = [dict(r) for r in con.execute(f"SELECT {', '.join(WORK_COLUMNS)} FROM works ORDER BY id")]
            skipped = [dict(r) for r in con.execute("SELECT path, reason, added FROM skipped")]
        finally:
            con.close()

        def arr(name: str) -> np.ndarray:
            return np.load(p / name, allow_pickle=False)

        def vec(name: str):
            f = p / name
            return faiss.read_index(str(f)) if f.is_file() else None

        data = IndexData(
            works=works,
            skipped=skipped,
            fp_hash=(
                arr("text_fp_hash.npy")  # format version 1
                if version < 2
                else unpack_fingerprints(arr("text_fp_counts.npy"), arr("text_fp_low.npy"))
            ),
            fp_work=arr("text_fp_work.npy").astype(np.uint32),
            chunk_work=arr("text_chunk_work.npy").astype(np.uint32),
            text_mean=arr("text_mean.npy") if (p / "text_mean.npy").is_file() else None,
            text_vectors=vec("text_vectors.faiss"),
            image_work=arr("image_work.npy"),
            image_phash=arr("image_phash.npy"),
            image_global=arr("image_global.npy"),
            local_work=arr("image_local_work.npy"),
            local_xy=(
                arr("image_local_xy.npy")
                if (p / "image_local_xy.npy").is_file()
                else np.full((len(arr("image_local_work.npy")), 2), np.nan, np.float16)  # version 1: no positions
            ),
            image_local=vec("image_local.faiss"),
            image_deep=vec("image_deep.faiss"),
            settings=manifest.get("settings", {}),
            models=manifest.get("models", {}),
            created=manifest.get("created", ""),
        )
    except IndexError_:
        raise
    except (sqlite3.Error, OSError, ValueError, RuntimeError) as exc:
        first = (str(exc).splitlines() or [type(exc).__name__])[0][:160]
        raise IndexError_(f"the index at {p} is corrupt ({first}); rebuild it") from None
    if isinstance(data.text_vectors, faiss.IndexIVF):
        data.text_vectors.nprobe = defaults.INDEX_IVF_NPROBE
    if isinstance(data.image_local, faiss.IndexIVF):
        data.image_local.nprobe = defaults.INDEX_IVF_NPROBE
    n_chunks = 0 if data.text_vectors is None else data.text_vectors.ntotal
    n_local = 0 if data.image_local is None else data.image_local.ntotal
    if (
        len(data.fp_hash) != len(data.fp_work)
        or n_chunks != len(data.chunk_work)
        or n_local != len(data.local_work)
        or len(data.local_xy) != len(data.local_work)
        or len(data.image_phash) != len(data.image_work)
    ):
        raise IndexError_(f"the index at {p} is corrupt (its arrays disagree in length); rebuild it")
    return data
