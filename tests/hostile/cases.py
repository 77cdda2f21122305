"""Hostile inputs of issue #14, generated (nothing hostile is checked in as a file).

Each builder returns bytes a careless user or an attacker could hand fairuse: save files,
scenarios, comparison reports and works. The suite runs them through the CLI
(tests/hostile/test_cli.py), the library (test_library.py), the app under AppTest
(test_app.py) and the app in real Chromium (test_browser.py).
"""

from __future__ import annotations

import base64
import io
import json
import struct
import zlib
from typing import Any

from tests.hostile_strings import HOSTILE, OFF_MACHINE

MD_IMAGE = f"![x](http://{OFF_MACHINE}/md.png)"
MD_LINK = f"[click](http://{OFF_MACHINE}/link)"
MD_REF = f"![r][1]\n\n[1]: http://{OFF_MACHINE}/ref.png"
MD_HOSTILE = f"{MD_IMAGE} {MD_LINK} <img src=http://{OFF_MACHINE}/raw.png> {HOSTILE['streamlit codes']}"
"""What every text field of the hostile save file holds: Markdown and HTML that would fetch."""

GENERATED_TEXT = (
    "The lighthouse keeper counted the ships every night and wrote their names in a book. "
    f"{MD_IMAGE} Nobody read the book until the storm came. "
) * 3
SOURCE_TEXT = (
    "Every night the lighthouse keeper counted the ships and wrote their names in a book. "
    f"{MD_LINK} The storm came and then everyone read it. "
) * 3


# --------------------------------------------------------------------------- pictures
def png_bytes(width: int, height: int, *, rows: bytes | None = None) -> bytes:
    """A real PNG (greyscale, 8 bits) of any declared size; the pixel data is compressed
    zeros, so a 30,000 x 30,000 "bomb" (900 megapixels) is under a megabyte."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    if rows is None:
        comp = zlib.compressobj(9)
        line = b"\x00" * (width + 1)
        body = b"".join(comp.compress(line) for _ in range(height)) + comp.flush()
    else:
        body = zlib.compress(rows)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def bomb_png() -> bytes:
    """900 megapixels declared (the issue's bomb), a few hundred kB on disk."""
    return png_bytes(30_000, 30_000)


def small_png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buf, format="PNG")
    return buf.getvalue()


FIGURES: dict[str, str] = {
    "bad base64": "not base64 at all!!",
    "badly padded": base64.b64encode(b"\x89PNG\r\n\x1a\nabc").decode()[:-2],
    "not a PNG": base64.b64encode(b"GIF89a this is not a png").decode(),
    "truncated PNG": base64.b64encode(b"\x89PNG\r\n\x1a\n\x00\x00").decode(),
    "pixel bomb": "",  # filled lazily (the bomb takes a moment to compress)
}


def figure_b64(kind: str) -> str:
    if kind == "pixel bomb":
        return base64.b64encode(bomb_png()).decode()
    return FIGURES[kind]


# --------------------------------------------------------------------------- save files
def _work(role: str, text: str, *, hostile: str) -> dict[str, Any]:
    return {
        "role": role,
        "kind": "text",
        "name": f"{hostile[:40]}.txt",
        "text": text,
        "title": hostile,
        "author": hostile,
        "description": hostile,
    }


def _sha(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def text_report(gen: str, src: str, *, hostile: str) -> dict[str, Any]:
    """A comparison report of these texts (matching hashes, so it is current), with hostile words
    wherever a report holds words."""
    n = len(gen)
    return {
        "kind": "text",
        "inputs": [
            {
                "role": "generated",
                "name": hostile,
                "sha256": _sha(gen),
                "bytes": n,
                "kind": "text",
                "media_type": hostile,
            },
            {
                "role": "source",
                "name": hostile,
                "sha256": _sha(src),
                "bytes": len(src),
                "kind": "text",
                "media_type": "t",
            },
        ],
        "models": [{"role": hostile, "name": hostile, "source": hostile, "version": hostile, "device": hostile}],
        "device": hostile,
        "text": {
            "metrics": {
                "generated_words": 60,
                "source_words": 60,
                "generated_share_verbatim": 0.3,
                "generated_share_near_verbatim": 0.1,
                "generated_share_paraphrase": 0.2,
                "source_share_reproduced": 0.4,
                "source_share_paraphrased": 0.2,
                "longest_passage_words": 12,
                "verbatim_count": 1,
                "near_verbatim_count": 0,
                "paraphrase_count": 0,
                "semantic_similarity": 0.8,
            },
            "passages": [
                {
                    "kind": "verbatim",
                    "generated": {"start": 0, "end": 40},
                    "source": {"start": 0, "end": 40},
                    "words": 8,
                    "similarity": 1.0,
                    "generated_text": hostile,
                    "source_text": hostile,
                }
            ],
            "notes": [hostile],
        },
        "facts": {
            "medium": "text",
            "share_of_source_taken": 0.4,
            "longest_passage_words": 12,
            "copy_kind": "verbatim",
            "summary": hostile,
        },
        "summary": [hostile, hostile],
    }


def save_file(*, hostile: str = MD_HOSTILE, report: bool = True, **over: Any) -> dict[str, Any]:
    """A save file (format 2) with ``hostile`` in every text field: works' titles, authors,
    descriptions and names, the scenario's title, jurisdiction and notes, the memo options,
    every note, and the report's names, notes and summary."""
    d: dict[str, Any] = {
        "format": "fairuse-analysis",
        "format_version": 2,
        "generated": _work("generated", GENERATED_TEXT, hostile=hostile),
        "source": _work("source", SOURCE_TEXT, hostile=hostile),
        "scenario": {"title": hostile, "jurisdiction": hostile, "notes": hostile},
        "reports": [text_report(GENERATED_TEXT, SOURCE_TEXT, hostile=hostile)] if report else [],
        "memo_options": {"matter": hostile, "reviewer": hostile},
        "notes": {k: hostile for k in ("1", "2", "3", "4", "overall")},
    }
    d.update(over)
    return d


def image_save_file(figure_kind: str, *, hostile: str = MD_HOSTILE) -> dict[str, Any]:
    """Two small real images and an image report whose one figure is broken in ``figure_kind``'s way."""
    import hashlib

    png = small_png()
    sha = hashlib.sha256(png).hexdigest()
    b64 = base64.b64encode(png).decode()

    def work(role: str) -> dict[str, Any]:
        return {
            "role": role,
            "kind": "image",
            "name": "w.png",
            "data": b64,
            "media_type": "image/png",
            "title": hostile,
            "author": hostile,
            "description": hostile,
        }

    signal = {
        "name": "near_duplicate",
        "computed": True,
        "value": 0.1,
        "threshold": 0.2,
        "fired": True,
        "meaning": hostile,
        "threshold_source": hostile,
    }
    report = {
        "kind": "image",
        "inputs": [
            {"role": r, "name": hostile, "sha256": sha, "bytes": len(png), "kind": "image", "media_type": "image/png"}
            for r in ("generated", "source")
        ],
        "image": {
            "generated_size": [64, 48],
            "source_size": [64, 48],
            "signals": [signal],
            "verdict": {"rung": "near_duplicate", "confidence": "high", "evidence": [hostile]},
            "figures": [{"name": hostile, "caption": hostile, "png_base64": figure_b64(figure_kind)}],
            "notes": [hostile],
        },
        "facts": {"medium": "image", "copy_kind": "near_duplicate", "summary": hostile},
        "summary": [hostile],
    }
    return {
        "format": "fairuse-analysis",
        "format_version": 2,
        "generated": work("generated"),
        "source": work("source"),
        "scenario": {"title": hostile},
        "reports": [report],
    }


def v1_with_assessment(assessment: dict[str, Any]) -> dict[str, Any]:
    """A version-1 save file (the app's first format stored its assessment) with a tampered one."""
    return {
        "format": "fairuse-analysis",
        "format_version": 1,
        "generated": _work("generated", GENERATED_TEXT, hostile="g"),
        "source": _work("source", SOURCE_TEXT, hostile="s"),
        "scenario": {"title": "tampered"},
        "assessment": assessment,
    }


def dumps(d: dict[str, Any]) -> bytes:
    return json.dumps(d, ensure_ascii=False).encode("utf-8")


# The save files each app page must survive, by name (test_app.py).
def app_cases() -> dict[str, bytes]:
    out = {
        "markdown in every text field": dumps(save_file()),
        "no findings (version 1)": dumps(v1_with_assessment({"findings": [], "overall": {"label": "leans_fair_use"}})),
        "duplicate factors (version 1)": dumps(
            v1_with_assessment({"findings": [{"factor": 1, "lean": "strongly_favours"}] * 4})
        ),
    }
    for kind in FIGURES:
        out[f"figure: {kind}"] = dumps(image_save_file(kind))
    return out
