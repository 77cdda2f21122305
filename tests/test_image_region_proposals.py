"""Region proposals (issue #11): a photograph placed small on a document page, or in one tile of
a collage, is proposed as its own rectangle, matched at its own resolution, and, when it is too
smooth for keypoints, found whole by its perceptual hash; unrelated pages are not flagged."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from analysis.evidence import ComparisonReport
from analysis.ingest.image import load_image
from analysis.measure.image.compare import compare_image_bytes
from analysis.measure.image.features import extract, region_proposals
from benchmarks.imagegen import synthetic
from benchmarks.imagegen.free_images import skimage_image

COPY = ("near_duplicate", "partial_copy")


def _png(rgb: np.ndarray) -> bytes:
    return cv2.imencode(".png", np.ascontiguousarray(rgb[..., ::-1]))[1].tobytes()


def _compare(gen: np.ndarray, src: np.ndarray) -> ComparisonReport:
    return compare_image_bytes(_png(gen), _png(src), generated_name="g.png", source_name="s.png", device="cpu")


def _page(photo: np.ndarray, width_share: float = 0.3, seed: int = 0) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """A 1,150 x 1,600 white page with lines of text-like glyphs and the photograph at
    ``width_share`` of its width, in a 4 px white margin; returns the page and the photo's box."""
    rng = np.random.default_rng(seed)
    page = np.full((1600, 1150, 3), 248, np.uint8)
    cv2.putText(page, "QUARTERLY", (95, 120), cv2.FONT_HERSHEY_TRIPLEX, 2.3, (20,) * 3, 3, cv2.LINE_AA)
    for y in range(200, 1540, 26):
        words = "".join(chr(int(v)) if v != 96 else " " for v in rng.integers(96, 123, 70))
        cv2.putText(page, words, (95, y), cv2.FONT_HERSHEY_PLAIN, 1.25, (35,) * 3, 1, cv2.LINE_AA)
    w = int(1150 * width_share)
    h = int(w * photo.shape[0] / photo.shape[1])
    x, y = 620, 640
    page[y - 4 : y + h + 4, x - 4 : x + w + 4] = 255
    page[y : y + h, x : x + w] = cv2.resize(photo, (w, h), interpolation=cv2.INTER_AREA)
    return page, (x, y, x + w, y + h)


def _boxes_in_original(page: np.ndarray) -> list[tuple[float, float, float, float]]:
    img = load_image(_png(page), "p.png")
    feats = extract(img.analysis, original=img.rgb)
    return [tuple(v / img.scale for v in r.box) for r in feats.sift_regions()]  # type: ignore[misc]


def test_proposals_find_the_photograph_on_a_page_and_the_tiles_of_a_collage_but_none_in_a_photograph():
    page, (x0, y0, x1, y1) = _page(skimage_image("chelsea"))
    boxes = _boxes_in_original(page)
    assert boxes, "the photograph on the page is proposed"
    bx0, by0, bx1, by1 = boxes[0]  # the largest first
    # within a few pixels of the photograph's own rectangle (the lines of text are not part of it)
    assert max(abs(bx0 - x0), abs(by0 - y0), abs(bx1 - x1), abs(by1 - y1)) <= 6
    canvas = np.full((810, 810, 3), 250, np.uint8)
    for k in range(9):
        r, c = divmod(k, 3)
        canvas[5 + r * 270 : 265 + r * 270, 5 + c * 270 : 265 + c * 270] = synthetic.mosaic(k, (260, 260))
    assert len(region_proposals(cv2.cvtColor(canvas, cv2.COLOR_RGB2GRAY))) == 9  # every tile, gutters apart
    for name in ("astronaut", "coffee"):  # a photograph has no uniform background: no proposal, no cost
        assert region_proposals(cv2.cvtColor(skimage_image(name), cv2.COLOR_RGB2GRAY)) == []


@pytest.mark.parametrize(
    ("name", "width_share", "detector"),
    [("chelsea", 0.25, "sift-regions"), ("clock", 0.3, "phash-region")],
)
def test_photograph_small_on_a_page_found_in_its_region_with_its_share(name, width_share, detector):
    """Chelsea at a quarter of the page's width keeps too few keypoints at analysis size and
    on the finer copy of the page, but enough in its own cropped region; the clock (smooth,
    motion-blurred) has too little local detail for any keypoint pass and is found whole by its
    region's perceptual hash. Both: the whole source taken, measured within 5 points, and the
    region drawn where the photograph is."""
    src = skimage_image(name)
    page, (x0, y0, x1, y1) = _page(src, width_share)
    rep = _compare(page, src)
    assert rep.image is not None and rep.image.region is not None
    assert rep.image.verdict.rung == "partial_copy"
    assert rep.image.region.detector == detector
    assert rep.facts.share_of_source_taken is not None and rep.facts.share_of_source_taken >= 0.95
    true_gen_share = (x1 - x0) * (y1 - y0) / float(page.shape[0] * page.shape[1])
    assert abs(rep.image.region.generated_area_share - true_gen_share) <= 0.01
    pts = np.array(rep.image.region.generated_polygon.points)
    assert np.all(np.abs(pts.min(axis=0) - [x0, y0]) <= 12) and np.all(np.abs(pts.max(axis=0) - [x1, y1]) <= 12)
    said = " ".join(rep.image.verdict.evidence) + " ".join(rep.summary)
    assert "sift" not in said and "phash-region" not in said  # the reader gets words, not pass names
    # the memo's measures table says how a hash-found region was found, not "0" matched points
    from analysis.report.memo import build_memo
    from tests.test_memo_support import make_assessment

    md = build_memo(make_assessment(), [rep], audience="counsel").markdown
    row = next(line for line in md.splitlines() if "Matched keypoints" in line)
    assert ("found by its hash" in row) == (detector == "phash-region")
    # the same page against an unrelated photograph, and another page against this source: no copy
    other = _compare(page, skimage_image("coffee"))
    assert other.image is not None and other.image.verdict.rung not in COPY
    other_page, _ = _page(skimage_image("astronaut"), width_share, seed=1)
    unrelated = _compare(other_page, src)
    assert unrelated.image is not None and unrelated.image.verdict.rung not in COPY
    assert unrelated.facts.share_of_source_taken == 0.0


def test_the_apps_evidence_page_says_a_hash_found_copy_has_no_matched_points_but_a_hash():
    """The evidence page's "Matched points" tile reads "none: found by its hash" for a copy
    found by ``phash-region`` (a bare 0 beside a copy verdict would contradict it)."""
    pytest.importorskip("streamlit")
    from streamlit.testing.v1 import AppTest

    from analysis.matter import Matter
    from analysis.works import WorkInput
    from tests.test_app_protection import MAIN, _ok

    src = skimage_image("clock")
    page, _box = _page(src, 0.3)
    rep = _compare(page, src)
    assert rep.image is not None and rep.image.region is not None
    assert rep.image.region.detector == "phash-region"
    m = Matter.new()
    m.set_work(WorkInput(role="generated", kind="image", name="g.png", data=_png(page)))
    m.set_work(WorkInput(role="source", kind="image", name="s.png", data=_png(src)))
    m.attach_report(rep)
    at = AppTest.from_file(MAIN, default_timeout=60).run()
    at.session_state["fairuse_analysis"] = m
    _ok(at.switch_page("app_pages/evidence.py").run())
    tiles = {x.label: x.value for x in at.metric}
    assert tiles.get("Matched points") == "none: found by its hash", tiles
