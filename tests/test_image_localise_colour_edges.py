"""How much of the source a partial copy takes, counted right (issue #11), and a copy on a page
not mistaken for a second viewpoint:

- a region pasted into a picture whose flat parts share the source's grey but not its colour
  (a blue sky beside a purple one) is measured as the region, not the region plus that sky;
- a grey source pasted into a coloured picture likewise;
- a whole picture shrunk onto a page is measured as all of it, though the correlation cannot
  judge the strip along its edges;
- a poster found whole on a page, whose other matches land on the page's own text, is a copy,
  not "the same scene from another viewpoint";
- and the localisation's own rules, on masks drawn by hand.
"""

from __future__ import annotations

import cv2
import numpy as np

from analysis.measure.image.region import _close_along_edges
from benchmarks.imagegen import synthetic
from benchmarks.imagegen.free_images import skimage_image
from tests.test_image_region_proposals import COPY, _compare, _page


def _share(report) -> float:
    im = report.image
    assert im is not None and im.verdict.rung in COPY, im.verdict if im else None
    assert im.region is not None
    return im.region.source_area_share


def _paste(src: np.ndarray, into: np.ndarray, box: tuple[int, int, int, int], at: tuple[int, int]) -> np.ndarray:
    x0, y0, x1, y1 = box
    out = cv2.resize(into, (775, 576), interpolation=cv2.INTER_AREA)
    out[at[1] : at[1] + (y1 - y0), at[0] : at[0] + (x1 - x0)] = src[y0:y1, x0:x1]
    return out


def test_a_pasted_region_is_measured_without_the_flat_surroundings_of_another_colour():
    src = synthetic.generate("landscape", 42003, (640, 480))  # a blue sky over hills
    other = synthetic.generate("landscape", 42001, (640, 480))
    other[:260] = other[:260, :, ::-1]  # its sky purple, of about the same grey as the source's
    box = (0, 0, 500, 380)
    gen = _paste(src, other, box, (38, 115))
    true = (500 * 380) / (640 * 480)
    assert abs(_share(_compare(gen, src)) - true) <= 0.05


def test_a_grey_source_pasted_into_a_coloured_picture_is_measured_as_the_region():
    src = skimage_image("camera")
    src = (
        cv2.cvtColor(cv2.resize(src, (512, 512)), cv2.COLOR_GRAY2RGB) if src.ndim == 2 else cv2.resize(src, (512, 512))
    )
    other = synthetic.generate("landscape", 42005, (640, 480))
    box = (60, 40, 420, 420)
    gen = _paste(src, other, box, (200, 120))
    true = (360 * 380) / (512 * 512)
    assert abs(_share(_compare(gen, src)) - true) <= 0.05


def test_a_picture_shrunk_onto_a_page_is_measured_whole():
    src = synthetic.generate("city", 45001, (512, 512))
    page, _ = _page(src, width_share=0.3)
    assert _share(_compare(page, src)) >= 0.97


def test_a_poster_on_a_page_is_a_copy_not_a_second_viewpoint():
    src = synthetic.generate("poster", 47001, (640, 480))  # its own lines of small text
    page, _ = _page(src, width_share=0.3, seed=3)
    report = _compare(page, src)
    assert _share(report) >= 0.95
    assert report.image is not None
    assert not any("another place" in e for e in report.image.verdict.evidence)


def test_notches_reaching_an_edge_the_copy_runs_along_are_filled_a_crops_remainder_is_not():
    m = np.zeros((100, 100), np.uint8)
    m[:, :] = 1
    m[30:60, 0:12] = 0  # a notch from the left edge into a whole copy
    m[0:3, :] = 0  # the top strip the windows could not judge
    out = _close_along_edges(m)
    assert out.all()
    crop = np.zeros((100, 100), np.uint8)
    crop[:, :60] = 1  # the left 60 % of the source taken; the rest reaches the right edge
    crop[40:50, 0:8] = 0
    out = _close_along_edges(crop)
    assert out[:, :60].all() and not out[:, 62:].any()
    centre = np.zeros((100, 100), np.uint8)
    centre[30:70, 30:70] = 1  # near no edge: left as it is
    assert (_close_along_edges(centre) == centre).all()
