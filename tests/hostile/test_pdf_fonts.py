"""Every font a memo uses is embedded (issue #14: memos referenced Helvetica and Times-Roman
without embedding them, so a memo looked different on every reader). Read back with pypdf."""

from __future__ import annotations

import io

import pytest

from analysis.matter import Matter
from tests.hostile import cases

pypdf = pytest.importorskip("pypdf")


def _fonts(pdf: bytes) -> dict[str, bool]:
    """Every font any page or form on any page refers to, and whether its file is embedded."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    out: dict[str, bool] = {}
    seen: set[int] = set()

    def visit(resources) -> None:
        resources = resources.get_object() if resources is not None else {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            desc = font.get("/FontDescriptor")
            if desc is None and "/DescendantFonts" in font:
                desc = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            desc = desc.get_object() if desc is not None else {}
            out[str(font.get("/BaseFont"))] = any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        for xo in (resources.get("/XObject") or {}).values():
            ref = getattr(xo, "idnum", None)
            xo = xo.get_object()
            if ref in seen or xo.get("/Subtype") != "/Form":
                continue
            if ref is not None:
                seen.add(ref)
            visit(xo.get("/Resources"))

    for page in reader.pages:
        visit(page.get("/Resources"))
    return out


@pytest.mark.parametrize("audience", ["creator", "counsel", "student"])
@pytest.mark.parametrize("which", ["text", "image"])
def test_every_font_in_the_memo_is_embedded(audience, which):
    data = cases.save_file() if which == "text" else cases.image_save_file("bad base64")
    m = Matter.loads(cases.dumps(data), "x.fairuse.json")
    fonts = _fonts(m.build_memo(audience=audience, judge_mode=audience == "student").pdf)
    assert fonts, "no fonts found: the reader is not looking in the right place"
    assert {name: ok for name, ok in fonts.items() if not ok} == {}, fonts
    assert all("DejaVu" in name for name in fonts), fonts
