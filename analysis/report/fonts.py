"""Fonts for the memo: embedded TrueType faces that cover the user's text, and an honest
account of what they do not cover.

Why DejaVu: reportlab's bundled Vera renders § and curly quotes but little else; DejaVu Sans
(Bitstream Vera licence plus public-domain changes, freely redistributable, shipped in
``analysis/report/fonts/``) adds Latin Extended, Greek, Cyrillic, Hebrew, Arabic, many
symbols and some emoji. CJK needs a far bigger font: a TrueType (``glyf``) CJK font on the
system is embedded when one is found (``FAIRUSE_CJK_FONT`` names one explicitly); otherwise
the Adobe standard Asian fonts (not embedded: the PDF reader supplies them) are used and the
memo says so. Noto CJK ships as OpenType/CFF, which reportlab cannot embed.

A character no font covers is never silently dropped or drawn as an empty box: it is written
as ``[U+XXXX]`` and listed in the memo's rendering notes.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from analysis.defaults import MEMO_CJK_FONT_ENV

FONT_DIR = Path(__file__).resolve().parent / "fonts"

BODY = "FairuseSans"
BODY_BOLD = "FairuseSans-Bold"
BODY_ITALIC = "FairuseSans-Oblique"
BODY_BOLD_ITALIC = "FairuseSans-BoldOblique"
MONO = "FairuseMono"

CJK_ENV = MEMO_CJK_FONT_ENV

# TrueType CJK fonts with glyf outlines that reportlab can embed, where a system has them.
_CJK_TTF_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/unfonts-core/UnBatang.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/msgothic.ttc",
)

# Characters rewritten before layout because they would change the layout of what follows
# (bidi overrides reorder the rest of the line) or are invisible.
_LAYOUT_CONTROLS = {
    0x200E,
    0x200F,
    0x202A,
    0x202B,
    0x202C,
    0x202D,
    0x202E,
    0x2066,
    0x2067,
    0x2068,
    0x2069,
    0x061C,
    0xFEFF,
    0x00AD,
}


def _is_cjk(cp: int) -> bool:
    return (
        0x2E80 <= cp <= 0x2FDF
        or 0x3000 <= cp <= 0x30FF
        or 0x3100 <= cp <= 0x31FF
        or 0x3200 <= cp <= 0x33FF
        or 0x3400 <= cp <= 0x4DBF
        or 0x4E00 <= cp <= 0x9FFF
        or 0xF900 <= cp <= 0xFAFF
        or 0xFF00 <= cp <= 0xFFEF
        or 0x20000 <= cp <= 0x2FA1F
    )


def _is_hangul(cp: int) -> bool:
    return 0x1100 <= cp <= 0x11FF or 0x3130 <= cp <= 0x318F or 0xAC00 <= cp <= 0xD7AF


def is_rtl(ch: str) -> bool:
    return unicodedata.bidirectional(ch) in ("R", "AL")


@dataclass
class FontSet:
    """The registered fonts and what they cover."""

    body: str
    bold: str
    italic: str
    bold_italic: str
    mono: str
    embedded_body: bool
    body_cmap: frozenset[int]
    mono_cmap: frozenset[int]
    cjk_font: str | None = None
    cjk_embedded: bool = False
    cjk_cmap: frozenset[int] | None = None
    hangul_font: str | None = None
    descriptions: list[str] = field(default_factory=list)

    def font_for(self, ch: str, mono: bool = False) -> str | None:
        """The font that draws ``ch``: None for the current font, '' when nothing covers it."""
        cp = ord(ch)
        if cp < 0x80:
            return None
        cmap = self.mono_cmap if mono else self.body_cmap
        if cp in cmap:
            return None
        if mono and cp in self.body_cmap:
            return self.body
        if self.cjk_font and self.cjk_embedded and self.cjk_cmap is not None and cp in self.cjk_cmap:
            return self.cjk_font
        if self.cjk_font and not self.cjk_embedded and _is_cjk(cp):
            return self.cjk_font
        if self.hangul_font and _is_hangul(cp):
            return self.hangul_font
        return ""


def _cmap(font) -> frozenset[int]:
    return frozenset(font.face.charToGlyph.keys())


@lru_cache(maxsize=1)
def font_set() -> FontSet:
    """Register the memo's fonts with reportlab once per process and return them."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    files = {
        BODY: "DejaVuSans.ttf",
        BODY_BOLD: "DejaVuSans-Bold.ttf",
        BODY_ITALIC: "DejaVuSans-Oblique.ttf",
        BODY_BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
        MONO: "DejaVuSansMono.ttf",
    }
    descriptions: list[str] = []
    if all((FONT_DIR / f).is_file() for f in files.values()):
        fonts = {name: TTFont(name, str(FONT_DIR / f)) for name, f in files.items()}
        descriptions.append("DejaVu Sans and DejaVu Sans Mono 2.37 (embedded, subset)")
        embedded = True
    else:  # a broken installation: fall back on reportlab's own Vera, which still embeds
        import reportlab

        vera = Path(reportlab.__file__).parent / "fonts"
        vfiles = {
            BODY: "Vera.ttf",
            BODY_BOLD: "VeraBd.ttf",
            BODY_ITALIC: "VeraIt.ttf",
            BODY_BOLD_ITALIC: "VeraBI.ttf",
            MONO: "Vera.ttf",
        }
        fonts = {name: TTFont(name, str(vera / f)) for name, f in vfiles.items()}
        descriptions.append("Bitstream Vera (embedded; the DejaVu files are missing from this installation)")
        embedded = True
    for font in fonts.values():
        pdfmetrics.registerFont(font)
    addMapping(BODY, 0, 0, BODY)
    addMapping(BODY, 1, 0, BODY_BOLD)
    addMapping(BODY, 0, 1, BODY_ITALIC)
    addMapping(BODY, 1, 1, BODY_BOLD_ITALIC)
    addMapping(MONO, 0, 0, MONO)
    addMapping(MONO, 1, 0, BODY_BOLD)
    addMapping(MONO, 0, 1, BODY_ITALIC)
    addMapping(MONO, 1, 1, BODY_BOLD_ITALIC)

    fs = FontSet(
        body=BODY,
        bold=BODY_BOLD,
        italic=BODY_ITALIC,
        bold_italic=BODY_BOLD_ITALIC,
        mono=MONO,
        embedded_body=embedded,
        body_cmap=_cmap(fonts[BODY]),
        mono_cmap=_cmap(fonts[MONO]),
        descriptions=descriptions,
    )
    _add_cjk(fs)
    return fs


def _add_cjk(fs: FontSet) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    candidates = [os.environ[CJK_ENV]] if os.environ.get(CJK_ENV) else []
    candidates += list(_CJK_TTF_CANDIDATES)
    for path in candidates:
        if not Path(path).is_file():
            continue
        try:
            font = TTFont("FairuseCJK", path, subfontIndex=0) if path.endswith(".ttc") else TTFont("FairuseCJK", path)
        except Exception:
            continue
        pdfmetrics.registerFont(font)
        fs.cjk_font, fs.cjk_embedded, fs.cjk_cmap = "FairuseCJK", True, _cmap(font)
        fs.descriptions.append(f"{Path(path).name} for CJK text (embedded, subset)")
        return
    try:
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont

        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        pdfmetrics.registerFont(UnicodeCIDFont("HYSMyeongJo-Medium"))
    except Exception:
        return
    fs.cjk_font, fs.cjk_embedded, fs.hangul_font = "STSong-Light", False, "HYSMyeongJo-Medium"
    fs.descriptions.append(
        "Adobe standard Asian fonts STSong-Light and HYSMyeongJo-Medium for CJK text "
        "(not embedded: the PDF reader supplies them; no embeddable CJK TrueType font was found)"
    )
