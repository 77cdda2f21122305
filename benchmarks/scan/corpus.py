"""The scan benchmark's catalogue and works, built offline and deterministically.

Texts
-----
* Public-domain prose: the King James Bible (Debian ``bible-kjv-text``, read with the
  ``bible`` program) and Ambrose Bierce's *The Devil's Dictionary* (Debian ``dict-devil``).
  The Old Testament and the dictionary go into the catalogue (about 4,000-word documents);
  the New Testament is kept out and only feeds the works' filler.
* A synthetic generator for the rest of the catalogue: a word Markov chain trained on the
  catalogue's public-domain prose (order 2, falling back to order 1 three times in ten, so
  runs copied from the training text stay short), one seed per document. Its documents read
  like scrambled scripture and share the stock phrases real prose shares, so candidates are
  not trivially told apart.
* Real paraphrases: the human-judged paraphrase pairs of MRPC (train split, ``../shared``).
  Paragraphs of 3-5 ``source`` sentences are planted in catalogue documents; a work's
  paraphrased paragraph is the same pairs' ``suspicious`` sentences (people judged each a
  paraphrase). Every other MRPC source sentence is planted too, as decoy news paragraphs
  spread over the catalogue, so news vocabulary alone points nowhere. Tuning and evaluation
  use disjoint halves of the pairs.

Works (generated texts): filler from a Markov chain trained on the New Testament only,
with 1-3 planted copies each: verbatim (a 50-150 word passage of a catalogue text),
near-verbatim (the same with about one word in eight substituted, deleted or inserted and
case and punctuation changed) or a paraphrased paragraph; a share of works has no copy.

Images: pictures drawn by ``analysis.measure.image.synthetic`` (five kinds, one seed each),
224-288 px JPEGs; queries are copies of catalogue pictures under the edits of
``benchmarks/copydetect/build.py`` (crops, pasted regions, small embeddings into another
picture, flips, colour and artistic filters, stacked edits), plus unrelated pictures.
"""

from __future__ import annotations

import csv
import gzip
import json
import random
import re
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import numpy as np

_ROOT = Path(__file__).resolve().parents[2]
# ../shared beside the repository (or beside the folder of worktrees)
SHARED = next(
    (p for p in (_ROOT.parent / "shared", _ROOT.parent.parent / "shared") if p.is_dir()), _ROOT.parent / "shared"
)
MRPC = SHARED / "evals" / "text" / "mrpc_train.jsonl"

_OT_LAST = "Mal4:6"


def _kjv(span: str) -> list[str]:
    if not shutil.which("bible"):
        return []
    out = subprocess.run(["bible", "-f", span], capture_output=True, text=True, check=False).stdout
    return [re.sub(r"^\S+\d+:\d+\s+", "", ln).strip() for ln in out.splitlines() if ln.strip()]


def public_domain() -> tuple[list[str], list[str]]:
    """(catalogue verses and entries, New Testament verses for filler). Empty when not installed."""
    ot = _kjv(f"Gen1:1-{_OT_LAST}")
    nt = _kjv("Mat1:1-Rev22:21")
    devil = []
    f = Path("/usr/share/dictd/devil.dict.dz")
    if f.is_file():
        raw = gzip.decompress(f.read_bytes()).decode("latin-1")
        body = raw[raw.find("\n\n", raw.find("DEVIL'S DICTIONARY")) :]
        devil = [p.strip() for p in re.split(r"\n\s*\n", body) if len(p.split()) > 8]
    return ot + devil, nt


class Markov:
    """Word chain, order 2 with an order-1 fallback (``mix``), sentence-aware."""

    def __init__(self, texts: list[str], mix: float = 0.3):
        self.mix = mix
        self.o2: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.o1: dict[str, list[str]] = defaultdict(list)
        for t in texts:
            w = t.split()
            for i in range(len(w) - 2):
                self.o2[(w[i], w[i + 1])].append(w[i + 2])
            for i in range(len(w) - 1):
                self.o1[w[i]].append(w[i + 1])
        self.starts = [tuple(t.split()[:2]) for t in texts if len(t.split()) > 3]

    def words(self, rng: random.Random, n: int) -> list[str]:
        out: list[str] = list(rng.choice(self.starts))
        while len(out) < n:
            nxt = None
            if rng.random() > self.mix:
                c = self.o2.get((out[-2], out[-1]))
                if c:
                    nxt = rng.choice(c)
            if nxt is None:
                c1 = self.o1.get(out[-1])
                nxt = rng.choice(c1) if c1 else None
            if nxt is None:
                out.extend(rng.choice(self.starts))
                continue
            out.append(nxt)
        return out[:n]

    def paragraphs(self, rng: random.Random, n_words: int) -> list[str]:
        ws = self.words(rng, n_words)
        paras, i = [], 0
        while i < len(ws):
            k = rng.randint(60, 160)
            paras.append(" ".join(ws[i : i + k]))
            i += k
        return paras


def mrpc_pairs() -> list[tuple[str, str, bool]]:
    if not MRPC.is_file():
        return []
    rows = [json.loads(line) for line in MRPC.open(encoding="utf-8")]
    return [(r["source"], r["suspicious"], r["label"] == "paraphrase") for r in rows]


def build_text_catalogue(root: Path, n_texts: int, mean_words: int, seed: int = 1) -> dict:
    """Write the catalogue's texts and return what the works need to plant copies."""
    rng = random.Random(seed)
    cat_prose, _nt = public_domain()
    if not cat_prose:
        raise SystemExit("the public-domain texts are missing: apt-get install bible-kjv bible-kjv-text dict-devil")
    chain = Markov(cat_prose)
    folder = root / "texts"
    folder.mkdir(parents=True, exist_ok=True)
    docs: list[list[str]] = []
    # public-domain documents first (about mean_words each), then synthetic ones
    buf: list[str] = []
    for para in cat_prose:
        buf.append(para)
        if sum(len(p.split()) for p in buf) >= mean_words:
            docs.append(buf)
            buf = []
        if len(docs) >= n_texts // 2:
            break
    n_pd = len(docs)
    while len(docs) < n_texts:
        docs.append(chain.paragraphs(rng, int(rng.uniform(0.5, 1.5) * mean_words)))
    # MRPC paraphrase paragraphs: positives split into tune / eval halves, the rest decoys
    pairs = mrpc_pairs()
    prng = random.Random(99)
    pos = [p for p in pairs if p[2]]
    prng.shuffle(pos)
    groups = []
    i = 0
    while i + 3 <= len(pos):
        k = prng.randint(3, 5)
        groups.append(pos[i : i + k])
        i += k
    decoys = [p[0] for p in pairs if not p[2]]
    planted = []
    slots = list(range(len(docs)))
    rng.shuffle(slots)
    for gi, g in enumerate(groups):
        d = slots[gi % len(slots)]
        at = rng.randint(0, len(docs[d]))
        docs[d].insert(at, " ".join(s for s, _, _ in g))
        planted.append(
            {
                "doc": d,
                "source_para": " ".join(s for s, _, _ in g),
                "paraphrase": " ".join(t for _, t, _ in g),
                "half": "tune" if gi % 2 == 0 else "eval",
            }
        )
    for j in range(0, len(decoys), 4):
        d = slots[(len(groups) + j // 4) % len(slots)]
        docs[d].insert(rng.randint(0, len(docs[d])), " ".join(decoys[j : j + 4]))
    manifest = []
    words = 0
    for d, paras in enumerate(docs):
        name = f"t{d:05d}.txt"
        text = "\n\n".join(paras) + "\n"
        (folder / name).write_text(text, encoding="utf-8")
        words += len(text.split())
        kind = "public-domain" if d < n_pd else "synthetic"
        manifest.append(
            {
                "path": f"texts/{name}",
                "title": f"Text {d:05d}",
                "author": "KJV / Bierce" if d < n_pd else "Markov generator",
                "year": "1611" if d < n_pd else "2026",
                "licence": kind,
            }
        )
    return {"manifest": manifest, "words": words, "planted": planted, "n_public_domain": n_pd}


def _edit_near(words: list[str], rng: random.Random, vocab: list[str]) -> list[str]:
    out = []
    for w in words:
        r = rng.random()
        if r < 0.06:
            out.append(rng.choice(vocab))
        elif r < 0.09:
            continue
        elif r < 0.12:
            out.extend([w, rng.choice(vocab)])
        else:
            out.append(w.upper() if rng.random() < 0.03 else w.strip(".,;:") if rng.random() < 0.1 else w)
    return out


def build_text_works(
    root: Path, cat_root: Path, info: dict, n_works: int, seed: int, half: str, long_words: int = 0
) -> list[dict]:
    """Generated works with planted copies; returns the ground truth, one row per work."""
    rng = random.Random(seed)
    _cat, nt = public_domain()
    filler = Markov(nt)
    vocab = sorted({w for v in nt[:3000] for w in v.split()})
    paras = [p for p in info["planted"] if p["half"] == half]
    rng.shuffle(paras)
    folder = root / f"text-works-{half}-{seed}"
    folder.mkdir(parents=True, exist_ok=True)
    docs = info["manifest"]
    truth = []
    pi = 0
    for k in range(n_works):
        n_words = long_words if long_words else rng.randint(800, 2500)
        body = filler.paragraphs(rng, n_words)
        copies = []
        n_copies = 0 if rng.random() < 0.15 else rng.randint(1, 3)
        for _ in range(n_copies):
            kind = rng.choice(["verbatim", "near_verbatim", "paraphrase"])
            if kind == "paraphrase" and pi < len(paras):
                p = paras[pi]
                pi += 1
                piece, src = p["paraphrase"], p["doc"]
            else:
                kind = "verbatim" if kind == "paraphrase" else kind
                src = rng.randrange(len(docs))
                sw = (cat_root / docs[src]["path"]).read_text(encoding="utf-8").split()
                length = rng.randint(50, 150)
                a = rng.randrange(max(1, len(sw) - length))
                piece_w = sw[a : a + length]
                if kind == "near_verbatim":
                    piece_w = _edit_near(piece_w, rng, vocab)
                piece = " ".join(piece_w)
            body.insert(rng.randint(0, len(body)), piece)
            copies.append({"kind": kind, "source": docs[src]["path"], "words": len(piece.split())})
        name = f"w{k:04d}.txt"
        (folder / name).write_text("\n\n".join(body) + "\n", encoding="utf-8")
        truth.append({"work": str(folder / name), "copies": copies})
    return truth


# --------------------------------------------------------------------------- images
IMAGE_KINDS = ("landscape", "shapes", "gradient", "noise_texture", "painting")
IMAGE_EDITS = (
    "crop80",
    "crop40",
    "pasted_region",
    "shrink_into_other",
    "flip",
    "colour_jitter",
    "stylize",
    "stacked",
    "rotate90",
    "reencode",
)
PARTIAL = ("crop40", "pasted_region", "shrink_into_other")


def _draw(i: int) -> np.ndarray:
    from benchmarks.imagegen import synthetic

    rng = np.random.default_rng(1_000_000 + i)
    kind = IMAGE_KINDS[i % len(IMAGE_KINDS)] if i % 7 else "painting"
    side = int(rng.integers(224, 289))
    return synthetic.generate(kind, 1_000_000 + i, (side, int(side * rng.uniform(0.7, 1.0))))


def _write_image(args: tuple[int, str]) -> None:
    from PIL import Image

    i, folder = args
    Image.fromarray(_draw(i)).save(Path(folder) / f"i{i:05d}.jpg", quality=88)


def build_images(root: Path, n: int, workers: int = 2) -> list[dict]:
    from concurrent.futures import ProcessPoolExecutor

    folder = root / "images"
    folder.mkdir(parents=True, exist_ok=True)
    todo = [(i, str(folder)) for i in range(n) if not (folder / f"i{i:05d}.jpg").is_file()]
    if todo:
        with ProcessPoolExecutor(workers) as ex:
            list(ex.map(_write_image, todo, chunksize=64))
    return [
        {
            "path": f"images/i{i:05d}.jpg",
            "title": f"Picture {i:05d}",
            "author": "synthetic",
            "year": "2026",
            "licence": "synthetic",
        }
        for i in range(n)
    ]


def build_image_works(root: Path, n_images: int, n_works: int, seed: int) -> list[dict]:
    import sys

    from PIL import Image

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "copydetect"))
    from build import make_query

    rng = random.Random(seed)
    folder = root / f"image-works-{seed}"
    folder.mkdir(parents=True, exist_ok=True)
    truth = []
    for k in range(n_works):
        if rng.random() < 0.15:
            from benchmarks.imagegen import synthetic

            img = synthetic.generate(rng.choice(IMAGE_KINDS), 5_000_000 + seed * 10_000 + k, (300, 260))
            edit, src = "none", None
        else:
            src = rng.randrange(n_images)
            edit = IMAGE_EDITS[k % len(IMAGE_EDITS)]
            q = make_query(_draw(src), src, edit, seed * 100_000 + k)
            img = q.image
        name = f"q{k:04d}.jpg"
        Image.fromarray(np.ascontiguousarray(img)).save(folder / name, quality=90)
        truth.append(
            {"work": str(folder / name), "edit": edit, "source": None if src is None else f"images/i{src:05d}.jpg"}
        )
    return truth


def write_manifest(root: Path, rows: list[dict]) -> Path:
    p = root / "manifest.csv"
    with p.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["path", "title", "author", "year", "licence"])
        w.writeheader()
        w.writerows(rows)
    return p
