"""Build or extend an index: read the catalogue, extract each work's features shard by shard,
assemble them, and write the index in one swap.

A shard (``INDEX_SHARD_WORKS`` works) is the unit of work and of resumption: each finished
shard is saved under ``.INDEX.partial/`` next to the index, named by a hash of its works
(path and SHA-256) and the settings, so a build that was interrupted picks up where it
stopped when run again with the same catalogue. The index itself is written to a temporary
folder and renamed into place (``analysis.index.store``).

With ``ray`` set, shards are Ray tasks and chunk embeddings go through Ray Data
(``analysis.index.ray_backend``); the features, their order and so the index are the same.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from analysis import defaults
from analysis.errors import FairUseError, InputError
from analysis.index.catalogue import Catalogue, CatalogueEntry, Skipped, read_catalogue
from analysis.index.store import MANIFEST, IndexData, extend_vector_index, load_index, write_index

WorkProgress = Callable[[int, str], None]
"""``progress(works_done_now, label)``: called as works are finished."""


def index_settings() -> dict:
    return {
        "ngram_words": defaults.INDEX_NGRAM_WORDS,
        "winnow_window": defaults.INDEX_WINNOW_WINDOW,
        "chunk_words": defaults.INDEX_CHUNK_WORDS,
        "static_dims": defaults.INDEX_STATIC_DIMS,
        "pq_bytes": defaults.INDEX_PQ_BYTES,
        "pq_min_vectors": defaults.INDEX_PQ_MIN_VECTORS,
        "image_side": defaults.INDEX_IMAGE_SIDE,
        "image_keypoints": defaults.INDEX_IMAGE_KEYPOINTS,
        "sift_contrast": defaults.INDEX_SIFT_CONTRAST,
        "local_pq_bytes": defaults.INDEX_LOCAL_PQ_BYTES,
        "shard_works": defaults.INDEX_SHARD_WORKS,
    }


@dataclass
class Shard:
    """The features of one shard's works, in catalogue order."""

    works: list[dict] = field(default_factory=list)  # metadata of each usable work
    skipped: list[dict] = field(default_factory=list)
    fp_hash: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint32))
    fp_local: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint32))
    chunk_local: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint32))
    chunk_texts: list[str] = field(default_factory=list)
    chunk_vecs: np.ndarray | None = None  # float32 rows, once embedded
    image_local_idx: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint32))
    image_phash: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))
    image_global: np.ndarray = field(default_factory=lambda: np.zeros((0, 64), np.float32))
    desc: np.ndarray = field(default_factory=lambda: np.zeros((0, 128), np.float32))
    desc_local: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint32))
    desc_xy: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), np.float16))
    deep: np.ndarray | None = None

    # ---- persistence of finished shards (resumption)
    def save(self, path: Path) -> None:
        buf = io.BytesIO()
        meta = json.dumps({"works": self.works, "skipped": self.skipped})
        arrays = {
            "meta": np.frombuffer(meta.encode("utf-8"), dtype=np.uint8),
            "fp_hash": self.fp_hash,
            "fp_local": self.fp_local,
            "chunk_local": self.chunk_local,
            "chunk_vecs": self.chunk_vecs if self.chunk_vecs is not None else np.zeros((0, 0), np.float32),
            "image_local_idx": self.image_local_idx,
            "image_phash": self.image_phash,
            "image_global": self.image_global,
            "desc": self.desc,
            "desc_local": self.desc_local,
            "desc_xy": self.desc_xy,
            "deep": self.deep if self.deep is not None else np.zeros((0, 0), np.float32),
        }
        np.savez(buf, **arrays)  # type: ignore[arg-type]
        tmp = path.with_name(path.name + f".tmp-{os.getpid()}")
        tmp.write_bytes(buf.getvalue())
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> Shard:
        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(bytes(z["meta"]).decode("utf-8"))
            deep = z["deep"]
            return cls(
                works=meta["works"],
                skipped=meta["skipped"],
                fp_hash=z["fp_hash"],
                fp_local=z["fp_local"],
                chunk_local=z["chunk_local"],
                chunk_vecs=z["chunk_vecs"],
                image_local_idx=z["image_local_idx"],
                image_phash=z["image_phash"],
                image_global=z["image_global"],
                desc=z["desc"],
                desc_local=z["desc_local"],
                desc_xy=z["desc_xy"],
                deep=deep if deep.size else None,
            )


# --------------------------------------------------------------------------- one shard
def _reason(exc: BaseException) -> str:
    if isinstance(exc, FairUseError):
        return str(exc)
    if isinstance(exc, MemoryError):
        return "too large to read into memory"
    first = (str(exc).splitlines() or [""])[0][:160]
    return f"cannot be read ({type(exc).__name__}: {first})"


def extract_shard(
    entries: list[CatalogueEntry], progress: WorkProgress | None = None, *, deep_model: str | None = None
) -> Shard:
    """Read and fingerprint each work of a shard (no embedding: ``embed_shard`` does that)."""
    from analysis.index.image_features import catalogue_image_features
    from analysis.index.text_features import catalogue_text_features

    sh = Shard()
    fps, fpl, cl = [], [], []
    il, ph, gl, ds, dl, dxy = [], [], [], [], [], []
    deep_images: list[np.ndarray] = []
    for e in entries:
        meta = e.meta()
        try:
            if e.kind == "text":
                from analysis.ingest.text import read_text_file

                t = read_text_file(e.path)
                f = catalogue_text_features(t.normalised)
                if f.words == 0:
                    raise InputError(f"{Path(e.path).name} has no words")
                local = len(sh.works)
                fps.append(f.fingerprints)
                fpl.append(np.full(len(f.fingerprints), local, np.uint32))
                cl.append(np.full(len(f.chunks), local, np.uint32))
                sh.chunk_texts.extend(f.chunks)
                meta.update(sha256=t.sha256, bytes=t.bytes, words=f.words)
            else:
                from analysis.ingest.image import load_image

                img = load_image(Path(e.path), Path(e.path).name)
                f2 = catalogue_image_features(img.analysis)
                local = len(sh.works)
                il.append(local)
                ph.append(f2.phash)
                gl.append(f2.global_desc)
                ds.append(f2.local)
                dxy.append(f2.local_xy)
                dl.append(np.full(len(f2.local), local, np.uint32))
                if deep_model:
                    deep_images.append(img.analysis)
                meta.update(sha256=img.sha256, bytes=img.bytes, words=0)
            sh.works.append(meta)
        except KeyboardInterrupt:
            raise
        except Exception as exc:  # every other problem with one file skips that file
            sh.skipped.append({"path": e.path, "reason": _reason(exc)})
        if progress is not None:
            progress(1, Path(e.path).name)
    if fps:
        sh.fp_hash = np.concatenate(fps).astype(np.uint32)
        sh.fp_local = np.concatenate(fpl)
    if cl:
        sh.chunk_local = np.concatenate(cl)
    if il:
        sh.image_local_idx = np.array(il, np.uint32)
        sh.image_phash = np.array(ph, np.uint64)
        sh.image_global = np.stack(gl).astype(np.float32)
        sh.desc = np.concatenate(ds).astype(np.float32)
        sh.desc_local = np.concatenate(dl)
        sh.desc_xy = np.concatenate(dxy).astype(np.float16)
    if deep_model and deep_images:
        from analysis.index.deep import embed_images

        sh.deep = embed_images(deep_images, deep_model)
    return sh


def embed_shard(sh: Shard, embedder) -> Shard:
    sh.chunk_vecs = embedder.encode(sh.chunk_texts) if sh.chunk_texts else np.zeros((0, embedder.dim), np.float32)
    sh.chunk_texts = []
    return sh


# --------------------------------------------------------------------------- assembly
def centre(vectors: np.ndarray, mean: np.ndarray | None) -> np.ndarray:
    """Remove the catalogue's common direction and re-normalise (Mu and Viswanath, "All-but-the-top",
    ICLR 2018): static embeddings of one genre share a large mean component that otherwise
    makes every chunk of that genre look alike."""
    if mean is None:
        return vectors
    v = vectors.astype(np.float32) - mean[None, :]
    n = np.linalg.norm(v, axis=1, keepdims=True)
    # a vector equal to the mean carries no signal: it stays zero rather than becoming noise
    return np.where(n > 1e-4, v / np.maximum(n, 1e-12), 0.0).astype(np.float32)


def assemble(
    base: IndexData | None, shards: list[Shard], settings: dict, models: dict, skipped: list[dict]
) -> IndexData:
    """Merge finished shards (in order) into ``base`` (or a new index)."""
    data = base or IndexData(settings=settings, models=models)
    added = datetime.now(timezone.utc).isoformat(timespec="seconds")
    next_id = max((int(w["id"]) for w in data.works), default=0) + 1
    fp_h, fp_w = [data.fp_hash], [data.fp_work]
    chunk_w, vecs = [data.chunk_work], []
    img_w, img_p, img_g = [data.image_work], [data.image_phash], [data.image_global.astype(np.float32)]
    loc_w, loc_d, loc_xy = [data.local_work], [], [data.local_xy.astype(np.float16)]
    deep_v = []
    for sh in shards:
        ids = np.arange(next_id, next_id + len(sh.works), dtype=np.uint32)
        for w, wid in zip(sh.works, ids):
            data.works.append({**w, "id": int(wid), "added": added})
        next_id += len(sh.works)
        fp_h.append(sh.fp_hash)
        fp_w.append(ids[sh.fp_local] if len(sh.fp_local) else np.zeros(0, np.uint32))
        chunk_w.append(ids[sh.chunk_local] if len(sh.chunk_local) else np.zeros(0, np.uint32))
        if sh.chunk_vecs is not None and len(sh.chunk_vecs):
            vecs.append(sh.chunk_vecs.astype(np.float32))
        img_w.append(ids[sh.image_local_idx] if len(sh.image_local_idx) else np.zeros(0, np.uint32))
        img_p.append(sh.image_phash)
        img_g.append(sh.image_global)
        loc_w.append(ids[sh.desc_local] if len(sh.desc_local) else np.zeros(0, np.uint32))
        if len(sh.desc):
            loc_d.append(sh.desc)
            loc_xy.append(sh.desc_xy.astype(np.float16).reshape(-1, 2))
        if sh.deep is not None and len(sh.deep):
            deep_v.append(sh.deep)
    h = np.concatenate(fp_h).astype(np.uint32)
    wk = np.concatenate(fp_w).astype(np.uint32)
    order = np.lexsort((wk, h))
    data.fp_hash, data.fp_work = h[order], wk[order]
    data.chunk_work = np.concatenate(chunk_w).astype(np.uint32)
    if vecs:
        new = np.concatenate(vecs)
        if data.text_mean is None:
            data.text_mean = new.mean(axis=0).astype(np.float32)
        data.text_vectors = extend_vector_index(data.text_vectors, centre(new, data.text_mean), defaults.INDEX_PQ_BYTES)
    data.image_work = np.concatenate(img_w).astype(np.uint32)
    data.image_phash = np.concatenate(img_p).astype(np.uint64)
    data.image_global = np.concatenate([g.reshape(-1, 64) for g in img_g]).astype(np.float16)
    data.local_work = np.concatenate(loc_w).astype(np.uint32)
    data.local_xy = np.concatenate(loc_xy).astype(np.float16)
    if loc_d:
        data.image_local = extend_vector_index(
            data.image_local, np.concatenate(loc_d), defaults.INDEX_LOCAL_PQ_BYTES, defaults.INDEX_IMAGE_IVF_NPROBE
        )
    if deep_v:
        data.image_deep = extend_vector_index(data.image_deep, np.concatenate(deep_v), 32)
    data.skipped = data.skipped + [{**s, "added": added} for s in skipped]
    data.models = {**data.models, **models}
    return data


# --------------------------------------------------------------------------- the whole build
@dataclass
class BuildResult:
    path: Path
    added: int
    skipped: list[Skipped]
    resumed_shards: int
    total_works: int
    counts: dict


def _shard_key(entries: list[CatalogueEntry], settings: dict, models: dict) -> str:
    payload = json.dumps(
        {"entries": [e.meta() for e in entries], "settings": settings, "models": models}, sort_keys=True
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:24]


def partial_dir(out: Path) -> Path:
    return out.with_name(f".{out.name}.partial")


def build_index(
    sources: list[str | Path],
    out: str | Path,
    *,
    add: bool = False,
    static_model: str | None = None,
    text_model: str | None = None,
    image_model: str | None = None,
    ray: str | None = None,
    progress_factory: Callable[[int], WorkProgress] | None = None,
    catalogue: Catalogue | None = None,
    force: bool = True,
    confirm: Callable[[Path], bool] | None = None,
) -> BuildResult:
    """Build the index at ``out`` from the catalogue (``add=True``: extend the index there).

    Before any work: an index already at ``out`` is replaced (without ``add``) only with
    ``force`` (the default here; the CLI passes ``--force``) or when ``confirm(out)`` says yes;
    and no catalogue argument or work may lie inside ``out``, since the index folder is
    replaced whole (with ``add`` too)."""
    out = Path(out)
    base: IndexData | None = None
    if add:
        base = load_index(out)
        if base.settings != index_settings():
            raise InputError(
                f"the index at {out} was built with other settings ({_diff(base.settings, index_settings())}); "
                "rebuild it without --add (with --force)"
            )
    elif out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / "fairuse-index.json").is_file())):
        raise InputError(f"cannot write the index to {out}: it exists and is not a fairuse index")
    elif (out / MANIFEST).is_file() and not force and not (confirm and confirm(out)):
        raise InputError(f"{out} already holds an index; give --force to replace it, or --add to add to it")
    _refuse_inside(out, sources, "the catalogue")
    cat = catalogue or read_catalogue(sources)
    _refuse_inside(out, [e.path for e in cat.entries], "the catalogue work")
    skipped = list(cat.skipped)
    entries: list[CatalogueEntry] = []
    known = {w["sha256"]: w for w in base.works} if base else {}
    for e in cat.entries:
        if e.sha256 in known:
            skipped.append(Skipped(e.path, f"already in the index (same content as work {known[e.sha256]['id']})"))
            continue
        known[e.sha256] = {"id": "in this run", "sha256": e.sha256}
        entries.append(e)

    settings = index_settings()
    has_text = any(e.kind == "text" for e in entries)
    embedder = None
    models: dict = {}
    if has_text or (base is not None and base.models.get("static")):
        from analysis.index.static_model import load_static_embedder

        embedder = load_static_embedder(static_model, text_model=text_model)
        if base is not None and base.models.get("static") and base.models["static"]["sha256"] != embedder.sha256:
            raise InputError(
                f"the index at {out} was built with another static model ({base.models['static']['name']}); "
                "give that one with --static-model, or rebuild the index"
            )
        models["static"] = embedder.record()
    deep_spec = None
    if any(e.kind == "image" for e in entries):
        from analysis.index.deep import deep_record

        deep_spec, rec = deep_record(image_model)
        old_deep = base.models.get("image_deep", {}).get("name") if base is not None else None
        if base is not None and old_deep != (rec or {}).get("name") and any(w["kind"] == "image" for w in base.works):
            raise InputError(
                f"the index at {out} was built with image model {base.models.get('image_deep', {}).get('name')!r}; "
                "give the same --image-model, or rebuild the index"
            )
        if rec:
            models["image_deep"] = rec

    shards_entries = [
        entries[i : i + defaults.INDEX_SHARD_WORKS] for i in range(0, len(entries), defaults.INDEX_SHARD_WORKS)
    ]
    pdir = partial_dir(out)
    keys = [_shard_key(s, settings, models) for s in shards_entries]
    done: dict[int, Any] = {}
    if pdir.is_dir():
        for i, k in enumerate(keys):
            f = pdir / f"{k}.npz"
            if f.is_file():
                try:
                    done[i] = Shard.load(f)
                except Exception:
                    f.unlink(missing_ok=True)  # a damaged partial shard is simply redone
    resumed = len(done)
    todo = [i for i in range(len(shards_entries)) if i not in done]
    progress = progress_factory(len(entries)) if progress_factory else None
    if progress is not None and resumed:
        progress(sum(len(shards_entries[i]) for i in done), "resumed")
    if todo:
        pdir.mkdir(parents=True, exist_ok=True)
    if ray:
        from analysis.index.ray_backend import build_shards_ray

        for i, sh in build_shards_ray(ray, [shards_entries[i] for i in todo], embedder, deep_spec, progress):
            done[todo[i]] = sh
            sh.save(pdir / f"{keys[todo[i]]}.npz")
    else:
        for i in todo:
            sh = extract_shard(shards_entries[i], progress, deep_model=deep_spec)
            if embedder is not None:
                embed_shard(sh, embedder)
            sh.save(pdir / f"{keys[i]}.npz")
            done[i] = sh
    shards = [done[i] for i in range(len(shards_entries))]
    for sh in shards:
        skipped.extend(Skipped(s["path"], s["reason"]) for s in sh.skipped)
    data = assemble(base, shards, settings, models, [{"path": s.path, "reason": s.reason} for s in skipped])
    if not data.works:
        raise InputError("no usable work in the catalogue: " + (skipped[0].line() if skipped else "it is empty"))
    write_index(data, out)
    shutil.rmtree(pdir, ignore_errors=True)
    from analysis.index.store import read_manifest

    return BuildResult(
        path=out,
        added=sum(len(s.works) for s in shards),
        skipped=skipped,
        resumed_shards=resumed,
        total_works=len(data.works),
        counts=read_manifest(out)["counts"],
    )


def _refuse_inside(out: Path, paths: Iterable[str | Path], what: str) -> None:
    """An input inside the index folder would go with the old index when the new one is swapped in."""
    folder = Path(os.path.realpath(out))
    for p in paths:
        real = Path(os.path.realpath(p))
        if real == folder or folder in real.parents:
            raise InputError(
                f"cannot write the index to {out}: {what} {p} is inside the index folder, which is replaced "
                "whole; move it out or choose another index folder"
            )


def _diff(a: dict, b: dict) -> str:
    keys = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
    return ", ".join(f"{k} {a.get(k)} vs {b.get(k)}" for k in keys[:3]) or "unknown"
