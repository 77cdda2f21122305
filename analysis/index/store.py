"""The on-disk index: a folder, versioned, checksummed, replaced whole or not at all.

Format ``fairuse-index`` version 3 (documented in the README; versions 1 and 2 held the same
features in more space and are refused with a line that says to rebuild)::

    INDEX/
      fairuse-index.json      manifest: format, version, tool version, dates, settings, models,
                              counts, and the SHA-256 and size of every other file
      catalogue.sqlite        table works (id, kind, title, author, year, licence, folder, name,
                              sha256 as 32 bytes, bytes, words, added): kind, author, year, licence,
                              folder and added are ids into table strings (a repeated value once);
                              view works_full shows them joined; table skipped (path, reason, added)
      text_fp_counts.npy      65,536 counts (uint8, or uint16 / uint32 where a count needs it):
                              how many fingerprints have each value of the top 16 bits (the
                              fingerprints are the winnowed word 5-gram hashes, 32 bits, sorted;
                              bucketing by the top 16 bits stores each in 2 bytes)
      text_fp_low.npy         uint16: the low 16 bits of each fingerprint, sorted within a bucket
      text_fp_works.npy       the works that have fingerprints, ascending (smallest uint type)
      text_fp_work.npy        uint8 bytes: each fingerprint's work as its rank in text_fp_works,
                              in ceil(log2(len(text_fp_works))) bits, least significant first
      text_chunk_work.npy     the work of each embedded chunk, smallest uint type (row = vector id)
      text_mean.npy           float32: the mean static vector of the first build's chunks; every
                              vector (catalogue and query) has it removed and is re-normalised
      text_vectors.faiss      FAISS index of the chunks' static embeddings (inner product;
                              8-bit scalar-quantised below INDEX_PQ_MIN_VECTORS, IVF-PQ above).
                              An IVF index is written trained but without its coarse centroids
                              and vectors; they are in
      text_vectors_centroids.npy  float16, nlist x d: the coarse centroids (built at that precision)
      text_vectors_lists.npy  uint32: the size of each inverted list, and
      text_vectors_codes.npy  uint8, N x code size: every code in list order (id = row; FAISS's
                              own 8-byte id per vector is not stored)
      image_work.npy          uint32: the work of each image row
      image_phash.npy         uint64: 64-bit pHash per image
      image_global.npy        float16, N x 64: grey-thumbnail descriptors
      image_local_work.npy    uint32: the work of each local descriptor (row = vector id)
      image_local_xy.npy      float16, N x 2: each local descriptor's keypoint (x, y) as fractions
                              of its picture's longer side, for the geometric check
      image_local.faiss       FAISS index of RootSIFT descriptors (inner product; IVF centroids and
                              lists in image_local_centroids.npy, _lists.npy and _codes.npy as for
                              the text)
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
FORMAT_VERSION = 3
FP_BUCKET_BITS = 16  # fingerprints are bucketed by their top 16 bits: 2 bytes each on disk
MANIFEST = "fairuse-index.json"


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


def new_vector_index(vectors: np.ndarray, pq_bytes: int, nprobe: int = defaults.INDEX_IVF_NPROBE):
    """Scalar-quantised (8-bit, exhaustive) inner-product index for small sets; IVF-PQ (trained on
    these vectors, probing ``nprobe`` lists a query vector) for large ones."""
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
        # the coarse centroids are stored at half precision (split_ivf): rounded before any vector
        # is assigned, the lists built here are the lists a loaded index probes
        cents = quantizer.reconstruct_n(0, nlist).astype(np.float16).astype(np.float32)
        quantizer.reset()
        quantizer.add(cents)
        index.nprobe = nprobe
    index.add(x)
    return index


def extend_vector_index(index, vectors: np.ndarray, pq_bytes: int, nprobe: int = defaults.INDEX_IVF_NPROBE):
    """Add vectors; an exhaustive index that grows past the threshold is rebuilt as IVF-PQ."""
    faiss = _faiss()
    x = np.ascontiguousarray(vectors, dtype=np.float32)
    if index is None:
        return new_vector_index(x, pq_bytes, nprobe) if len(x) else None
    if not len(x):
        return index
    if not isinstance(index, faiss.IndexIVF) and index.ntotal + len(x) >= defaults.INDEX_PQ_MIN_VECTORS:
        old = index.reconstruct_n(0, index.ntotal)
        return new_vector_index(np.concatenate([old, x]), pq_bytes, nprobe)
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


def pack_bits(values: np.ndarray, width: int) -> np.ndarray:
    """Unsigned integers under ``2 ** width`` as ``width`` bits each, least significant first (uint8)."""
    v = np.asarray(values, dtype=np.uint32)
    bits = ((v[:, None] >> np.arange(width, dtype=np.uint32)[None, :]) & np.uint32(1)).astype(np.uint8)
    return np.packbits(bits.ravel(), bitorder="little")


def unpack_bits(packed: np.ndarray, width: int, n: int) -> np.ndarray:
    """``n`` integers of ``width`` bits back from ``pack_bits`` (uint32)."""
    if len(packed) != (n * width + 7) // 8:
        raise ValueError("a packed array does not hold the number of values its index says")
    bits = np.unpackbits(packed, count=n * width, bitorder="little").reshape(n, width)
    out = np.zeros(n, dtype=np.uint32)
    for j in range(width):
        out |= bits[:, j].astype(np.uint32) << np.uint32(j)
    return out


def _bit_width(n_values: int) -> int:
    return max(1, int(n_values - 1).bit_length())


def pack_works(fp_work: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The work of each fingerprint as (the distinct works, ascending; each fingerprint's rank among
    them packed in as few bits as that number of works needs). In hash order the works follow no
    pattern, so the ranks' bits are about all there is to them: 9 bits a fingerprint for 500 texts
    instead of 16 (every work id, images included, is counted by uint16 from 256 works on)."""
    ids, rank = np.unique(np.asarray(fp_work, dtype=np.uint32), return_inverse=True)
    return ids.astype(_smallest_uint(int(ids.max(initial=0)))), pack_bits(rank.ravel(), _bit_width(len(ids)))


def unpack_works(ids: np.ndarray, packed: np.ndarray, n: int) -> np.ndarray:
    if n and not len(ids):
        raise ValueError("text_fp_works.npy is empty but there are fingerprints")
    rank = unpack_bits(packed, _bit_width(len(ids)), n)
    if n and int(rank.max()) >= len(ids):
        raise ValueError("text_fp_work.npy names a work that text_fp_works.npy does not hold")
    return ids.astype(np.uint32)[rank] if n else np.zeros(0, np.uint32)


# --------------------------------------------------------------------------- IVF lists without ids
def split_ivf(index) -> tuple[Any, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """An IVF index as (the trained index with no vectors and no coarse centroids, the centroids
    as float16, the size of each inverted list, every vector's code in list order, and the id
    each had). FAISS stores an 8-byte id beside each code; written in list order the ids are
    simply 0, 1, 2... and need not be stored: the rows that go with the vectors (their works,
    their keypoints) are written in the same order. The centroids are float16 on disk (built
    that way: ``new_vector_index``) and a flat float32 table in memory, as fast to probe as ever."""
    faiss = _faiss()
    inv = index.invlists
    cs = int(inv.code_size)
    sizes = np.array([inv.list_size(i) for i in range(index.nlist)], dtype=np.int64)
    ids = np.empty(int(sizes.sum()), dtype=np.int64)
    codes = np.empty((len(ids), cs), dtype=np.uint8)
    at = 0
    for lst in np.nonzero(sizes)[0].tolist():
        n = int(sizes[lst])
        ids[at : at + n] = faiss.rev_swig_ptr(inv.get_ids(lst), n)
        codes[at : at + n] = faiss.rev_swig_ptr(inv.get_codes(lst), n * cs).reshape(n, cs)
        at += n
    cents = index.quantizer.reconstruct_n(0, index.nlist).astype(np.float16)
    empty = faiss.clone_index(index)
    empty.reset()
    faiss.downcast_index(empty.quantizer).reset()
    return empty, cents, sizes.astype(np.uint32), codes, ids


def join_ivf(empty, cents: np.ndarray, sizes: np.ndarray, codes: np.ndarray):
    """``split_ivf``'s parts back into one index (ids 0, 1, 2... in list order)."""
    faiss = _faiss()
    inv = empty.invlists
    sizes = sizes.astype(np.int64)
    quantizer = faiss.downcast_index(empty.quantizer)
    if (
        len(sizes) != empty.nlist
        or int(sizes.sum()) != len(codes)
        or codes.ndim != 2
        or codes.shape[1] != inv.code_size
        or cents.shape != (empty.nlist, empty.d)
        or quantizer.ntotal != 0
    ):
        raise ValueError("the vector index's lists do not match its codes and centroids")
    quantizer.add(np.ascontiguousarray(cents, dtype=np.float32))
    at = 0
    for lst in np.nonzero(sizes)[0].tolist():
        n = int(sizes[lst])
        ids = np.arange(at, at + n, dtype=np.int64)
        c = np.ascontiguousarray(codes[at : at + n], dtype=np.uint8)
        inv.add_entries(lst, n, faiss.swig_ptr(ids), faiss.swig_ptr(c))
        at += n
    empty.ntotal = at
    return empty


# --------------------------------------------------------------------------- writing
def _sha(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# values that repeat from work to work are stored once, in table strings, and named by number
_SHARED_COLUMNS = ("kind", "author", "year", "licence", "folder", "added")


def _write_sqlite(path: Path, works: list[dict], skipped: list[dict]) -> None:
    strings: dict[str, int] = {}

    def ref(value: object) -> int | None:
        return None if value is None else strings.setdefault(str(value), len(strings) + 1)

    rows = []
    for w in works:
        folder, name = os.path.split(str(w["path"]))
        shared = {c: ref(folder if c == "folder" else w.get(c)) for c in _SHARED_COLUMNS}
        rows.append(
            (
                int(w["id"]),
                shared["kind"],
                w.get("title"),
                shared["author"],
                shared["year"],
                shared["licence"],
                shared["folder"],
                name,
                bytes.fromhex(str(w["sha256"])),
                w.get("bytes"),
                w.get("words"),
                shared["added"],
            )
        )
    con = sqlite3.connect(path)
    try:
        con.execute("CREATE TABLE strings (id INTEGER PRIMARY KEY, value TEXT NOT NULL)")
        con.execute(
            "CREATE TABLE works (id INTEGER PRIMARY KEY, kind INTEGER NOT NULL, title TEXT, author INTEGER, "
            "year INTEGER, licence INTEGER, folder INTEGER NOT NULL, name TEXT NOT NULL, sha256 BLOB NOT NULL, "
            "bytes INTEGER, words INTEGER, added INTEGER)"
        )
        con.execute("CREATE TABLE skipped (path TEXT, reason TEXT, added TEXT)")
        # the works as one reads them (what load_index returns), for anyone opening the file
        joins = " ".join(f"LEFT JOIN strings s_{c} ON s_{c}.id = w.{c}" for c in _SHARED_COLUMNS)
        con.execute(
            "CREATE VIEW works_full AS SELECT w.id, s_kind.value AS kind, w.title, s_author.value AS author, "
            "s_year.value AS year, s_licence.value AS licence, s_folder.value || '/' || w.name AS path, "
            f"lower(hex(w.sha256)) AS sha256, w.bytes, w.words, s_added.value AS added FROM works w {joins}"
        )
        con.executemany("INSERT INTO strings (id, value) VALUES (?, ?)", [(i, v) for v, i in strings.items()])
        con.executemany(f"INSERT INTO works VALUES ({', '.join('?' * 12)})", rows)
        con.executemany(
            "INSERT INTO skipped (path, reason, added) VALUES (?, ?, ?)",
            [(s["path"], s["reason"], s.get("added", "")) for s in skipped],
        )
        con.commit()
    finally:
        con.close()


def _read_sqlite(path: Path) -> tuple[list[dict], list[dict]]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        strings = dict(con.execute("SELECT id, value FROM strings"))
        works = []
        for r in con.execute(
            "SELECT id, kind, title, author, year, licence, folder, name, sha256, bytes, words, added "
            "FROM works ORDER BY id"
        ):
            wid, kind, title, author, year, licence, folder, name, sha, size, n_words, added = r
            if folder not in strings or kind not in strings or not isinstance(sha, bytes):
                raise ValueError("catalogue.sqlite: a work names a value that is not in its strings table")
            works.append(
                {
                    "id": wid,
                    "kind": strings[kind],
                    "title": title,
                    "author": strings.get(author),
                    "year": strings.get(year),
                    "licence": strings.get(licence),
                    "path": os.path.join(strings[folder], name),
                    "sha256": sha.hex(),
                    "bytes": size,
                    "words": n_words,
                    "added": strings.get(added),
                }
            )
        skipped = [
            {"path": a, "reason": b, "added": c} for a, b, c in con.execute("SELECT path, reason, added FROM skipped")
        ]
    finally:
        con.close()
    return works, skipped


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
        fp_works, fp_ranks = pack_works(data.fp_work)
        work_id = _smallest_uint(
            max((int(w["id"]) for w in data.works), default=0)
        )  # the smallest unsigned type that holds every id
        arrays: dict[str, np.ndarray] = {
            "text_fp_counts.npy": counts,
            "text_fp_low.npy": low,
            "text_fp_works.npy": fp_works,
            "text_fp_work.npy": fp_ranks,
            "image_work.npy": data.image_work.astype(np.uint32),
            "image_phash.npy": data.image_phash.astype(np.uint64),
            "image_global.npy": data.image_global.astype(np.float16),
        }
        if data.text_mean is not None:
            arrays["text_mean.npy"] = data.text_mean.astype(np.float32)
        chunk_work = data.chunk_work
        local_work, local_xy = data.local_work, data.local_xy.astype(np.float16).reshape(-1, 2)
        for stem, index in (("text_vectors", data.text_vectors), ("image_local", data.image_local)):
            if index is None:
                continue
            if isinstance(index, faiss.IndexIVF):
                index, cents, sizes, codes, order = split_ivf(index)
                arrays[f"{stem}_centroids.npy"] = cents
                arrays[f"{stem}_lists.npy"] = sizes
                arrays[f"{stem}_codes.npy"] = codes
                if stem == "text_vectors":
                    chunk_work = chunk_work[order]
                else:
                    local_work, local_xy = local_work[order], local_xy[order]
            faiss.write_index(index, str(tmp / f"{stem}.faiss"))
        arrays["text_chunk_work.npy"] = chunk_work.astype(work_id)
        arrays["image_local_work.npy"] = local_work.astype(np.uint32)
        arrays["image_local_xy.npy"] = local_xy
        for name, arr in arrays.items():
            np.save(tmp / name, np.ascontiguousarray(arr), allow_pickle=False)
        if data.image_deep is not None:
            faiss.write_index(data.image_deep, str(tmp / "image_deep.faiss"))
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
    if version < FORMAT_VERSION:
        raise IndexError_(
            f"the index at {p} is format version {version} (fairuse {manifest.get('tool_version', '?')}); this fairuse "
            f"({__version__}) reads version {FORMAT_VERSION}, which stores the same features in less space: rebuild it "
            f"with 'fairuse index CATALOGUE... --out {p}'"
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
    if verify:
        _verify(p, manifest)
    try:
        works, skipped = _read_sqlite(p / "catalogue.sqlite")

        def arr(name: str) -> np.ndarray:
            return np.load(p / name, allow_pickle=False)

        def vec(stem: str):
            f = p / f"{stem}.faiss"
            if not f.is_file():
                return None
            index = faiss.read_index(str(f))
            if isinstance(index, faiss.IndexIVF):
                index = join_ivf(
                    index, arr(f"{stem}_centroids.npy"), arr(f"{stem}_lists.npy"), arr(f"{stem}_codes.npy")
                )
            return index

        low = arr("text_fp_low.npy")
        data = IndexData(
            works=works,
            skipped=skipped,
            fp_hash=unpack_fingerprints(arr("text_fp_counts.npy"), low),
            fp_work=unpack_works(arr("text_fp_works.npy"), arr("text_fp_work.npy"), len(low)),
            chunk_work=arr("text_chunk_work.npy").astype(np.uint32),
            text_mean=arr("text_mean.npy") if (p / "text_mean.npy").is_file() else None,
            text_vectors=vec("text_vectors"),
            image_work=arr("image_work.npy"),
            image_phash=arr("image_phash.npy"),
            image_global=arr("image_global.npy"),
            local_work=arr("image_local_work.npy"),
            local_xy=arr("image_local_xy.npy"),
            image_local=vec("image_local"),
            image_deep=faiss.read_index(str(p / "image_deep.faiss")) if (p / "image_deep.faiss").is_file() else None,
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
        data.image_local.nprobe = defaults.INDEX_IMAGE_IVF_NPROBE
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
