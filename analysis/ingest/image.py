"""Read an image the way a user hands it over, safely, and make an analysis-size copy.

Why this module is careful:

* **Decompression bombs.** A 40 KB PNG can declare 100,000 x 100,000 pixels. The size is
  read from the header (Pillow opens lazily) and checked against the limit *before* any
  pixel is decoded.
* **What the viewer sees is what we compare.** EXIF orientation is applied (a phone photo
  stored sideways is displayed upright), transparency is composited on white (how most
  viewers and printed memos show it), and CMYK, palette, 16-bit and greyscale modes all
  become 8-bit RGB.
* **Findings map back.** Analysis runs on a copy whose longest side is at most
  ``defaults.IMAGE_ANALYSIS_MAX_SIDE``; ``LoadedImage.scale`` converts analysis pixels to
  the original's pixels, so regions in the report are in the user's own coordinates.

Formats: PNG, JPEG, WebP, GIF (single frame), BMP, TIFF. SVG, HEIC/HEIF/AVIF and
animated images are refused with a message saying what to do instead.
"""

from __future__ import annotations

import io
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from analysis import defaults
from analysis.errors import (
    EmptyInputError,
    FileTooLargeError,
    UnreadableInputError,
    UnsupportedFormatError,
)
from analysis.evidence import sha256_bytes
from analysis.ingest.limits import check_file_size, require_file

_PIL_GUARD_LOCK = threading.Lock()

_MEDIA_TYPES = {
    "PNG": "image/png",
    "JPEG": "image/jpeg",
    "WEBP": "image/webp",
    "GIF": "image/gif",
    "BMP": "image/bmp",
    "TIFF": "image/tiff",
    "MPO": "image/jpeg",  # multi-picture JPEG from some cameras: the first picture is the photo
}


@dataclass
class LoadedImage:
    """An image ready for analysis.

    ``rgb`` is the full-resolution picture (H x W x 3, uint8) after orientation and colour
    conversion; ``analysis`` is the same picture resized so its longest side is at most
    ``defaults.IMAGE_ANALYSIS_MAX_SIDE``; ``scale`` = analysis pixels / original pixels.
    """

    name: str
    media_type: str
    format: str
    sha256: str
    bytes: int
    original_size: tuple[int, int]  # (width, height) as displayed, after EXIF orientation
    rgb: np.ndarray
    analysis: np.ndarray
    scale: float
    mode: str
    notes: list[str] = field(default_factory=list)

    @property
    def analysis_size(self) -> tuple[int, int]:
        h, w = self.analysis.shape[:2]
        return (w, h)

    def to_original(self, points: np.ndarray) -> np.ndarray:
        """Map (x, y) points from analysis pixels to the original image's pixels."""
        return np.asarray(points, dtype=np.float64) / self.scale

    def detail(self) -> dict[str, str]:
        w, h = self.original_size
        d = {"pixels": f"{w}x{h}", "format": self.format, "mode": self.mode}
        if self.notes:
            d["notes"] = "; ".join(self.notes)
        return d


def max_image_pixels() -> int:
    """The pixel limit in force: ``FAIRUSE_MAX_IMAGE_PIXELS`` or ``defaults.MAX_IMAGE_PIXELS``."""
    raw = os.environ.get(defaults.IMAGE_MAX_PIXELS_ENV, "").strip()
    if raw:
        try:
            value = int(float(raw))
        except ValueError:
            raise UnreadableInputError(f"{defaults.IMAGE_MAX_PIXELS_ENV}={raw!r} is not a number of pixels") from None
        if value > 0:
            return value
    return defaults.MAX_IMAGE_PIXELS


def _sniff_unsupported(head: bytes, name: str) -> None:
    """Refuse formats Pillow cannot (or should not) read, by content, whatever the extension."""
    stripped = head.lstrip()
    low = stripped[:512].lower()
    if low.startswith(b"<svg") or (low.startswith(b"<?xml") and b"<svg" in low) or b"<svg" in low[:256]:
        raise UnsupportedFormatError(f"{name}: SVG (vector) images are not supported; export it as PNG first")
    if len(head) >= 12 and head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"):
            raise UnsupportedFormatError(f"{name}: HEIC/HEIF images are not supported; export it as JPEG or PNG first")
        if brand in (b"avif", b"avis"):
            raise UnsupportedFormatError(f"{name}: AVIF images are not supported; export it as PNG first")


def _to_rgb(img, notes: list[str]):
    """Convert any Pillow mode to 8-bit RGB, compositing transparency on white."""
    from PIL import Image

    mode = img.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        arr = np.asarray(img, dtype=np.float64)
        hi = float(arr.max()) if arr.size else 0.0
        # 16-bit images store 0..65535; 32-bit integer images may use any range.
        top = 65535.0 if hi <= 65535 else hi
        img = Image.fromarray(np.clip(arr / max(top, 1.0) * 255.0 + 0.5, 0, 255).astype(np.uint8), "L")
        notes.append(f"{mode} (high bit depth) converted to 8-bit")
    elif mode == "F":
        arr = np.asarray(img, dtype=np.float64)
        lo, hi = float(np.nanmin(arr)), float(np.nanmax(arr))
        scaled = (arr - lo) / (hi - lo) if hi > lo else np.zeros_like(arr)
        img = Image.fromarray((np.nan_to_num(scaled) * 255 + 0.5).astype(np.uint8), "L")
        notes.append("floating-point image rescaled to 8-bit")
    if img.mode == "P":
        img = img.convert("RGBA" if "transparency" in img.info else "RGB")
        notes.append("palette image converted to RGB")
    if img.mode in ("LA", "La", "PA"):
        img = img.convert("RGBA")
    if img.mode in ("RGBA", "RGBa"):
        rgba = np.asarray(img.convert("RGBA"), dtype=np.float32)
        alpha = rgba[..., 3:4] / 255.0
        if float(alpha.min()) < 1.0:
            notes.append("transparency composited on white")
        rgb = rgba[..., :3] * alpha + 255.0 * (1.0 - alpha)
        return np.clip(rgb + 0.5, 0, 255).astype(np.uint8)
    if img.mode == "CMYK":
        notes.append("CMYK converted to RGB")
    elif img.mode not in ("RGB", "L", "1"):
        notes.append(f"{img.mode} converted to RGB")
    return np.asarray(img.convert("RGB"), dtype=np.uint8)


def _resize_for_analysis(rgb: np.ndarray) -> tuple[np.ndarray, float]:
    import cv2

    h, w = rgb.shape[:2]
    longest = max(h, w)
    limit = defaults.IMAGE_ANALYSIS_MAX_SIDE
    if longest <= limit:
        return np.ascontiguousarray(rgb), 1.0
    scale = limit / float(longest)
    nw, nh = max(1, round(w * scale)), max(1, round(h * scale))
    small = cv2.resize(rgb, (nw, nh), interpolation=cv2.INTER_AREA)
    # the realised scale (rounding) so that mapping back is exact on both axes on average
    return small, (nw / w + nh / h) / 2.0


def _open_checked(raw: bytes, name: str, limit: int | None = None):
    """Open image bytes (the header only, nothing decoded) and refuse more pixels than ``limit``.

    The one guard against decompression bombs: every picture a user or a file hands us (works,
    figures in a saved report) is opened here before anything decodes it.
    """
    from PIL import Image, UnidentifiedImageError

    limit = max_image_pixels() if limit is None else limit
    _PIL_GUARD_LOCK.acquire()  # Pillow's guard is process-wide: one switch at a time (app sessions are threads)
    old_limit = Image.MAX_IMAGE_PIXELS
    try:
        # Pillow's own guard is switched off while opening so that ours, with its clearer
        # message and configurable limit, decides; opening reads the header only.
        Image.MAX_IMAGE_PIXELS = None
        img: Image.Image = Image.open(io.BytesIO(raw))
    except UnidentifiedImageError:
        raise UnreadableInputError(
            f"{name}: not an image Pillow can read (PNG, JPEG, WebP, GIF, BMP or TIFF expected)"
        ) from None
    except Image.DecompressionBombError:
        raise FileTooLargeError(
            f"{name}: the image declares too many pixels (over the safety limit of {limit:,})"
        ) from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise UnreadableInputError(f"{name}: cannot read the image ({_first_line(exc)})") from None
    finally:
        Image.MAX_IMAGE_PIXELS = old_limit
        _PIL_GUARD_LOCK.release()
    w, h = img.size
    if w * h > limit:
        raise FileTooLargeError(
            f"{name}: {w}x{h} = {w * h:,} pixels is over the limit of {limit:,} pixels "
            f"(set {defaults.IMAGE_MAX_PIXELS_ENV} to raise it)"
        )
    return img


def image_header(raw: bytes, name: str, *, limit: int | None = None) -> tuple[str, int, int]:
    """The format, width and height an image declares, checked against the pixel limit
    (``InputError`` otherwise); nothing is decoded."""
    img = _open_checked(bytes(raw), name, limit)
    try:
        return (img.format or "").upper(), img.size[0], img.size[1]
    finally:
        img.close()


def load_image(data: bytes | Path | str, name: str | None = None) -> LoadedImage:
    """Read image bytes or a file into a ``LoadedImage``; every problem is an ``InputError``.

    ``name`` is used in messages and the report (defaults to the file name for paths).
    """
    if isinstance(data, (str, Path)):
        path = Path(data)
        name = name or path.name
        require_file(path, "an image file")
        check_file_size(path.stat().st_size, name)
        raw = path.read_bytes()
    else:
        raw = bytes(data)
        name = name or "uploaded image"
        check_file_size(len(raw), name)
    if not raw:
        raise EmptyInputError(f"{name}: the file is empty")
    _sniff_unsupported(raw[:1024], name)

    from PIL import Image, ImageOps

    img = _open_checked(raw, name)
    fmt = (img.format or "").upper()
    w, h = img.size
    if fmt not in _MEDIA_TYPES:
        raise UnsupportedFormatError(f"{name}: {fmt or 'this'} images are not supported; convert to PNG or JPEG first")
    frames = int(getattr(img, "n_frames", 1) or 1)
    if frames > 1 and fmt in ("GIF", "WEBP", "PNG"):
        raise UnsupportedFormatError(
            f"{name}: animated image with {frames} frames; export the one frame you want to compare as PNG"
        )
    notes: list[str] = []
    if frames > 1:
        notes.append(f"first of {frames} pages/pictures analysed")
    # Pillow's own bomb guard would refuse a bit above its default; ours has already run.
    _PIL_GUARD_LOCK.acquire()
    old_limit = Image.MAX_IMAGE_PIXELS
    try:
        Image.MAX_IMAGE_PIXELS = None
        img.load()
        orig_mode = img.mode
        if _orientation(img) not in (None, 1):
            notes.append("EXIF orientation applied")
        oriented = ImageOps.exif_transpose(img)
        img = oriented if oriented is not None else img
        rgb = _to_rgb(img, notes)
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise UnreadableInputError(f"{name}: the image file is damaged or truncated ({_first_line(exc)})") from None
    except MemoryError:
        raise FileTooLargeError(f"{name}: not enough memory to decode {w}x{h} pixels") from None
    finally:
        Image.MAX_IMAGE_PIXELS = old_limit
        _PIL_GUARD_LOCK.release()

    hh, ww = rgb.shape[:2]
    if min(hh, ww) < defaults.IMAGE_MIN_SIDE:
        raise EmptyInputError(
            f"{name}: {ww}x{hh} pixels is too small to compare; each side needs at least "
            f"{defaults.IMAGE_MIN_SIDE} pixels"
        )
    analysis, scale = _resize_for_analysis(rgb)
    return LoadedImage(
        name=name,
        media_type=_MEDIA_TYPES[fmt],
        format=fmt,
        sha256=sha256_bytes(raw),
        bytes=len(raw),
        original_size=(ww, hh),
        rgb=rgb,
        analysis=analysis,
        scale=scale,
        mode=orig_mode,
        notes=notes,
    )


def _orientation(img) -> int | None:
    try:
        return img.getexif().get(0x0112)
    except Exception:
        return None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
