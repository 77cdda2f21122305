"""Pictures for the report: where the copy is, and what is left after alignment.

* ``side_by_side``: generated (left) and source (right) at one height, the matched region
  outlined in both and a sample of the verified correspondences drawn as lines;
* ``write_figures(report, folder)``: the PNG files of a report's figures, written to a folder;
* ``overlay``: the source warped onto the generated picture and blended with it, with the
  absolute difference beside it (dark = the same after alignment). Only when a region was
  verified: without a transform there is nothing honest to overlay.

Figures are PNG bytes (base64 in the report), at most ``defaults.IMAGE_FIGURE_MAX_WIDTH``
pixels wide so the JSON report stays small.
"""

from __future__ import annotations

import base64
from pathlib import Path

import numpy as np

from analysis import defaults
from analysis.evidence import ComparisonReport, Figure
from analysis.measure.image.features import ImageFeatures
from analysis.measure.image.region import RegionMatch

_GREEN = (40, 200, 60)
_ORANGE = (255, 150, 0)


def _png(rgb: np.ndarray) -> bytes:
    """A 256-colour palette PNG: a third of the size of a true-colour one, which keeps the
    JSON report small; outlines and lines are flat colours, so nothing is lost that matters."""
    import io

    from PIL import Image

    img = Image.fromarray(np.ascontiguousarray(rgb), "RGB").quantize(
        colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
    )
    buf = io.BytesIO()
    img.save(buf, format="PNG", compress_level=6)
    return buf.getvalue()


def _figure(name: str, caption: str, rgb: np.ndarray) -> Figure:
    return Figure(name=name, caption=caption, png_base64=base64.b64encode(_png(rgb)).decode("ascii"))


def decode_figure(fig: Figure) -> bytes:
    """The PNG bytes of a report figure (for the app, the memo or a file)."""
    return base64.b64decode(fig.png_base64)


def _fit(width_total: int, *heights: int) -> float:
    return min(1.0, defaults.IMAGE_FIGURE_MAX_WIDTH / float(max(width_total, 1)))


def side_by_side(
    generated: ImageFeatures, source: ImageFeatures, match: RegionMatch | None, *, max_lines: int = 40
) -> Figure:
    import cv2

    height = 360
    g, s = generated.rgb, source.rgb
    sg = height / g.shape[0]
    ss = height / s.shape[0]
    gi = cv2.resize(g, (max(1, round(g.shape[1] * sg)), height), interpolation=cv2.INTER_AREA)
    si = cv2.resize(s, (max(1, round(s.shape[1] * ss)), height), interpolation=cv2.INTER_AREA)
    gap = 12
    canvas = np.full((height, gi.shape[1] + gap + si.shape[1], 3), 255, np.uint8)
    canvas[:, : gi.shape[1]] = gi
    off = gi.shape[1] + gap
    canvas[:, off:] = si
    verified = match is not None and match.generated_polygon is not None and match.source_polygon is not None
    if verified and match is not None:
        gp = (match.generated_polygon * sg).round().astype(np.int32)
        sp = (match.source_polygon * ss + [off, 0]).round().astype(np.int32)
        step = max(1, len(match.generated_points) // max_lines)
        for (xg, yg), (xs, ys) in list(zip(match.generated_points, match.source_points))[::step][:max_lines]:
            cv2.line(canvas, (int(xg * sg), int(yg * sg)), (int(xs * ss + off), int(ys * ss)), _ORANGE, 1, cv2.LINE_AA)
        cv2.polylines(canvas, [gp], True, _GREEN, 3, cv2.LINE_AA)
        cv2.polylines(canvas, [sp], True, _GREEN, 3, cv2.LINE_AA)
    f = _fit(canvas.shape[1])
    if f < 1:
        canvas = cv2.resize(
            canvas, (round(canvas.shape[1] * f), round(canvas.shape[0] * f)), interpolation=cv2.INTER_AREA
        )
    caption = (
        f"Generated (left) and source (right). Green: the matched region "
        f"({match.source_area_share * 100:.0f} % of the source, {match.generated_area_share * 100:.0f} % of the generated "
        + (
            "picture); the whole source was found there by its perceptual hash (no keypoint correspondences)."
            if match is not None and match.phash_distance is not None
            else f"picture); orange: a sample of the {match.inliers} verified keypoint correspondences."
        )
        if verified and match is not None
        else "Generated (left) and source (right). No region was verified, so nothing is outlined."
    )
    return _figure("side_by_side", caption, canvas)


def overlay(generated: ImageFeatures, source: ImageFeatures, match: RegionMatch) -> Figure:
    import cv2

    gw, gh = generated.size
    sw, sh = source.size
    warped = cv2.warpPerspective(source.rgb, match.homography, (gw, gh), flags=cv2.INTER_LINEAR)
    valid = (
        cv2.warpPerspective(np.full((sh, sw), 255, np.uint8), match.homography, (gw, gh), flags=cv2.INTER_NEAREST) > 0
    )
    blend = generated.rgb.astype(np.float32).copy()
    blend[valid] = 0.5 * blend[valid] + 0.5 * warped[valid].astype(np.float32)
    blend = blend.clip(0, 255).astype(np.uint8)
    diff = np.zeros_like(generated.rgb)
    d = np.abs(generated.rgb.astype(np.int16) - warped.astype(np.int16)).max(axis=2).astype(np.uint8)
    d = cv2.applyColorMap(d, cv2.COLORMAP_INFERNO)[..., ::-1]
    diff[valid] = d[valid]
    if match.generated_polygon is not None:
        poly = match.generated_polygon.round().astype(np.int32)
        cv2.polylines(blend, [poly], True, _GREEN, 2, cv2.LINE_AA)
        cv2.polylines(diff, [poly], True, _GREEN, 2, cv2.LINE_AA)
    gap = np.full((gh, 12, 3), 255, np.uint8)
    canvas = np.hstack([blend, gap, diff])
    f = _fit(canvas.shape[1])
    if f < 1:
        canvas = cv2.resize(
            canvas, (round(canvas.shape[1] * f), round(canvas.shape[0] * f)), interpolation=cv2.INTER_AREA
        )
    return _figure(
        "overlay",
        "Left: the source aligned onto the generated picture and blended with it. Right: their difference after "
        "alignment (dark = the same, bright = changed; black outside the source's footprint).",
        canvas,
    )


FIGURE_NAMES = ("side_by_side", "overlay")  # every figure an image report can carry (``write_figures`` file stems)


def figure_path(folder: str | Path, name: str) -> Path:
    """The file a figure called ``name`` is written to in ``folder`` (``side_by_side.png``)."""
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in name) or "figure"
    return Path(folder) / f"{safe}.png"


def figure_files(report: ComparisonReport, folder: str | Path) -> dict[Path, bytes]:
    """The PNG files of a report's figures in ``folder``: path -> bytes, in the report's order."""
    figs = [] if report.image is None else list(report.image.figures)
    return {figure_path(folder, fig.name): decode_figure(fig) for fig in figs}


def prepare_figures_folder(folder: str | Path) -> Path:
    """Create ``folder`` (and its parents) for the figures; a file in the way or an unwritable
    place raises ``InputError`` with one readable line."""
    from analysis.errors import InputError

    out = Path(folder)
    if out.exists() and not out.is_dir():
        raise InputError(f"cannot write the figures into {out}: it is a file, not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the figures folder {out}: {exc.strerror or exc}") from None
    return out


def write_figures(
    report: ComparisonReport,
    folder: str | Path,
    *,
    inputs: tuple[str | Path, ...] = (),
    force: bool = False,
) -> list[Path]:
    """Write a report's figures as PNG files into ``folder`` (created if missing).

    One file per figure, named after it (``side_by_side.png``, ``overlay.png``); a report
    without figures (a text comparison, or one made with ``figures=False``) writes nothing.
    Returns the paths written, in the report's order. The files go through
    ``analysis.output.OutputPlan``: none may be one of ``inputs``, an existing file is replaced
    only with ``force``, and they are written all or none. The CLI exposes it as
    ``fairuse compare --figures DIR``. A folder that cannot be created or written, or a refused
    output, raises ``InputError`` with one readable line (exit status 2 in the CLI).
    """
    from analysis.output import OutputPlan

    files = figure_files(report, folder)
    if not files:
        return []
    prepare_figures_folder(folder)
    plan = OutputPlan(list(files), inputs=list(inputs), force=force).check()
    contents: dict[str | Path, bytes | str] = {path: png for path, png in files.items()}
    plan.commit(contents)
    return list(files)
