"""Image ingestion: every supported format, conversions, and every bad input the issue lists."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from analysis.errors import (
    EmptyInputError,
    FileTooLargeError,
    InputError,
    MissingInputError,
    UnreadableInputError,
    UnsupportedFormatError,
)
from analysis.ingest.image import load_image
from benchmarks.imagegen import synthetic


def _bytes(img: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt, **kw)
    return buf.getvalue()


@pytest.fixture(scope="module")
def picture() -> Image.Image:
    return Image.fromarray(synthetic.shapes(3, (200, 120)))


@pytest.mark.parametrize(
    "fmt,media",
    [
        ("PNG", "image/png"),
        ("JPEG", "image/jpeg"),
        ("WEBP", "image/webp"),
        ("GIF", "image/gif"),
        ("BMP", "image/bmp"),
        ("TIFF", "image/tiff"),
    ],
)
def test_supported_formats_load_as_rgb(picture, fmt, media):
    img = load_image(_bytes(picture, fmt), f"x.{fmt.lower()}")
    assert img.media_type == media
    assert img.original_size == (200, 120)
    assert img.rgb.shape == (120, 200, 3) and img.rgb.dtype == np.uint8
    assert len(img.sha256) == 64


def test_exif_orientation_is_applied(picture):
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: display rotated 90° clockwise
    img = load_image(_bytes(picture, "JPEG", exif=exif), "phone.jpg")
    assert img.original_size == (120, 200)
    assert any("EXIF orientation" in n for n in img.notes)


def test_alpha_is_composited_on_white():
    rgba = np.zeros((64, 64, 4), np.uint8)
    rgba[..., 0] = 255
    rgba[:, 32:, 3] = 255  # left half fully transparent
    img = load_image(_bytes(Image.fromarray(rgba, "RGBA"), "PNG"), "alpha.png")
    assert tuple(img.rgb[10, 5]) == (255, 255, 255)
    assert tuple(img.rgb[10, 50]) == (255, 0, 0)
    assert any("transparency" in n for n in img.notes)


def test_cmyk_palette_and_16bit_are_converted(picture):
    cmyk = load_image(_bytes(picture.convert("CMYK"), "JPEG"), "print.jpg")
    assert cmyk.rgb.shape[2] == 3 and any("CMYK" in n for n in cmyk.notes)
    pal = load_image(_bytes(picture.convert("P"), "PNG"), "pal.png")
    assert any("palette" in n for n in pal.notes)
    arr16 = (np.linspace(0, 65535, 64 * 64).reshape(64, 64)).astype(np.uint16)
    deep = load_image(_bytes(Image.fromarray(arr16), "PNG"), "deep.png")
    assert deep.rgb.dtype == np.uint8 and deep.rgb.max() >= 250 and deep.rgb.min() <= 5


def test_large_image_is_downscaled_and_maps_back():
    big = Image.fromarray(synthetic.gradient(1, (1600, 800)))
    img = load_image(_bytes(big, "PNG"), "big.png")
    assert max(img.analysis.shape[:2]) == 512
    back = img.to_original(np.array([[512.0, 256.0]]))
    assert abs(back[0, 0] - 1600) < 4 and abs(back[0, 1] - 800) < 4


# --------------------------------------------------------------------------- bad input
def test_truncated_file(picture):
    data = _bytes(picture, "JPEG")
    with pytest.raises(UnreadableInputError, match="damaged or truncated"):
        load_image(data[: len(data) // 2], "cut.jpg")


def test_corrupt_png_chunk(picture):
    data = bytearray(_bytes(picture, "PNG"))
    data[60:200] = b"\x00" * 140
    with pytest.raises(UnreadableInputError):
        load_image(bytes(data), "corrupt.png")


def test_non_image_with_image_extension(tmp_path):
    p = tmp_path / "notes.png"
    p.write_text("this is a shopping list, not a picture\n")
    with pytest.raises(UnreadableInputError, match="not an image"):
        load_image(p)


def test_svg_is_refused_with_a_reason(tmp_path):
    p = tmp_path / "logo.png"
    p.write_text('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>')
    with pytest.raises(UnsupportedFormatError, match="SVG"):
        load_image(p)


def test_heic_is_refused_with_a_reason():
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
    with pytest.raises(UnsupportedFormatError, match="HEIC"):
        load_image(heic, "photo.heic")


def _png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b"")
    )


def test_decompression_bomb_is_refused_from_the_header():
    # 100,000 x 100,000 pixels declared in a file of a few dozen bytes: refused before decoding
    bomb = _png_header_only(100_000, 100_000)
    assert len(bomb) < 200
    with pytest.raises(FileTooLargeError, match="over the limit"):
        load_image(bomb, "bomb.png")


def test_pixel_limit_is_configurable(picture, monkeypatch):
    monkeypatch.setenv("FAIRUSE_MAX_IMAGE_PIXELS", "10000")
    with pytest.raises(FileTooLargeError, match="FAIRUSE_MAX_IMAGE_PIXELS"):
        load_image(_bytes(picture, "PNG"), "x.png")


def test_one_pixel_image():
    with pytest.raises(EmptyInputError, match="too small"):
        load_image(_bytes(Image.new("RGB", (1, 1), "red"), "PNG"), "dot.png")


def test_animated_gif_is_refused():
    frames = [Image.fromarray(synthetic.gradient(i, (64, 64))) for i in range(3)]
    buf = io.BytesIO()
    frames[0].save(buf, format="GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    with pytest.raises(UnsupportedFormatError, match="animated"):
        load_image(buf.getvalue(), "anim.gif")


def test_empty_and_missing(tmp_path):
    with pytest.raises(EmptyInputError):
        load_image(b"", "empty.png")
    with pytest.raises(MissingInputError):
        load_image(tmp_path / "nope.png")


def test_every_bad_input_is_an_input_error():
    for cls in (EmptyInputError, FileTooLargeError, UnreadableInputError, UnsupportedFormatError, MissingInputError):
        assert issubclass(cls, InputError)
