"""One escaping function per sink (``analysis.escape``): the same hostile strings through every sink.

Each sink's result is read back by a real reader of that sink: Markdown by markdown-it-py
(CommonMark) and by Streamlit itself in Chromium, HTML by Python's HTML parser, reportlab markup
by reportlab's paragraph parser, terminal text by checking every character. Each check asks two
things: the literal text is kept, and nothing active is left. Then the CLI: issue #14 found
OSC/CSI sequences in a title, a jurisdiction or a work's text reaching the terminal through
``fairuse assess`` and ``fairuse compare``.
"""

from __future__ import annotations

import html
import io
import json
import re
import unicodedata
from html.parser import HTMLParser
from urllib.parse import urlparse

import pytest

from analysis.escape import for_html, for_markdown, for_reportlab, for_terminal, is_hidden_control, print_safe
from tests.cli_helpers import ROOT, one_line_error, run_cli_here
from tests.hostile_strings import HOSTILE, OFF_MACHINE

CASES = list(HOSTILE.items())
IDS = [name for name, _ in CASES]
JOINER = "\u2060"


def visible(text: str) -> str:
    """What a page should show for ``text``: hidden characters as notations, blanks collapsed."""
    text = re.sub(r"\r\n?|\u2028", "\n", text)
    return squash("".join(f"[U+{ord(c):04X}]" if is_hidden_control(c) else c for c in text))


def squash(text: str) -> str:
    return " ".join(text.replace(JOINER, "").split())


class Reader(HTMLParser):
    """Collects the text and the tags of an HTML fragment (character references decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag in ("br", "p"):
            self.text.append("\n")  # a line break shows as one

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        self.text.append(data)


def read_html(fragment: str) -> Reader:
    r = Reader()
    r.feed(fragment)
    r.close()
    return r


# --------------------------------------------------------------------------- Markdown
def markdown_to_html(source: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(source)


@pytest.mark.parametrize("name,text", CASES, ids=IDS)
@pytest.mark.parametrize("newlines", ["break", "space"])
def test_markdown_shows_the_text_literally_and_nothing_active(name, text, newlines):
    out = markdown_to_html(for_markdown(text, newlines=newlines))
    r = read_html(out)
    assert set(r.tags) <= {"p", "br"}, (name, out)  # no a, img, script, h1, code, table, strong ...
    assert squash("".join(r.text)) == visible(text), out


@pytest.mark.parametrize("name,text", CASES, ids=IDS)
def test_markdown_keeps_line_breaks_or_makes_one_line(name, text):
    one_line = for_markdown(text, newlines="space")
    assert "\n" not in one_line
    if "\n" in text.strip():
        assert "<br" in markdown_to_html(for_markdown(text)) or "</p>\n<p>" in markdown_to_html(for_markdown(text))


def test_markdown_adds_only_word_joiners_and_only_inside_rewritable_patterns():
    assert for_markdown("plain words, nothing to see") == "plain words\\, nothing to see"
    assert JOINER not in for_markdown("ratio 3:2, time 10:30 and a - b and x@ y")
    assert for_markdown("http://x") == f"http{JOINER}\\:\\/\\/x"
    assert for_markdown("a -> b") == f"a \\-{JOINER}\\> b"


# --------------------------------------------------------------------------- HTML
@pytest.mark.parametrize("name,text", CASES, ids=IDS)
def test_html_shows_the_text_literally_and_nothing_active(name, text):
    out = for_html(text)
    r = read_html(out)
    assert set(r.tags) <= {"br"}, (name, out)
    assert squash("".join(r.text)) == visible(text)
    assert "\n" not in out and "\r" not in out  # a blank line would end an HTML block inside Markdown


@pytest.mark.parametrize("name,text", CASES, ids=IDS)
def test_html_stays_inert_inside_markdown(name, text):
    # st.markdown(..., unsafe_allow_html=True) parses inline HTML's text as Markdown too
    out = markdown_to_html(f'word <span class="v">{for_html(text)}</span>')
    r = read_html(out)
    assert set(r.tags) <= {"p", "br", "span"}, (name, out)
    assert squash("".join(r.text)) == squash("word " + visible(text))


def test_html_escapes_attribute_breakers():
    assert for_html("\" onmouseover='x'") == "&#34; onmouseover&#61;&#39;x&#39;"


# --------------------------------------------------------------------------- reportlab
@pytest.mark.parametrize("name,text", CASES, ids=IDS)
def test_reportlab_shows_the_text_literally_in_one_style(name, text):
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph

    style = getSampleStyleSheet()["BodyText"]
    p = Paragraph(for_reportlab(text), style)
    shown = "".join(("\n" if getattr(f, "lineBreak", False) else "") + f.text for f in p.frags)
    assert squash(shown) == visible(text)
    assert {(f.fontName, f.fontSize) for f in p.frags} <= {(style.fontName, style.fontSize)}  # no <b>, <font>


def test_reportlab_paragraphs_of_every_hostile_string_build_a_pdf():
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    buf = io.BytesIO()
    style = getSampleStyleSheet()["BodyText"]
    SimpleDocTemplate(buf).build([Paragraph(for_reportlab(t), style) for _, t in CASES])
    assert buf.getvalue().startswith(b"%PDF")


# --------------------------------------------------------------------------- terminal
def active_in_terminal(s: str) -> list[str]:
    """Characters a terminal acts on: C0 (but newline and tab), DEL, C1, bidi controls, surrogates."""
    return [c for c in s if (unicodedata.category(c) == "Cc" and c not in "\n\t") or is_hidden_control(c)]


@pytest.mark.parametrize("name,text", CASES, ids=IDS)
def test_terminal_text_has_no_control_or_escape_left(name, text):
    out = for_terminal(text)
    assert active_in_terminal(out) == [], (name, out)
    assert "\r" not in out
    one = for_terminal(text, newlines=False, tabs=False)
    assert "\n" not in one and "\t" not in one


@pytest.mark.parametrize(
    "name,kept,gone",
    [
        ("osc title", "Title after OSC", "pwned"),
        ("osc 8 link", "visible link text", OFF_MACHINE),
        ("csi clear", "red cleared", "[2J"),
        ("dcs", "after DCS", "#0;2"),
        ("c1 controls", "C1 CSI and", "title"),
        ("esc reset", "after resets", "(B"),
        ("bidi", "bidi evil isolate mark", "\u202e"),
        ("c0", "bell nul backspace del vt ff", "\x07"),
        ("unterminated", "0;never ends", "\x1b"),
    ],
)
def test_terminal_removes_sequences_with_their_payload_and_keeps_the_text(name, kept, gone):
    out = for_terminal(HOSTILE[name])
    assert kept in " ".join(out.split()) and gone not in out, out


def test_terminal_keeps_newlines_tabs_and_ordinary_text():
    assert for_terminal(HOSTILE["line ends"]) == "tab\there\nnew line\nwindows\nold mac\nseparator"
    for name in ("md image", "blocks", "reportlab markup", "unicode", "typography"):
        assert for_terminal(HOSTILE[name]) == HOSTILE[name]
    assert for_terminal("lone \ud800 surrogate") == "lone \ufffd surrogate"


def test_print_safe_cleans_and_survives_a_narrow_encoding():
    out = io.StringIO()
    print_safe("title\x1b]0;x\x07", "and\x1b[2J more", file=out)
    assert out.getvalue() == "title and more\n"
    raw = io.BytesIO()
    narrow = io.TextIOWrapper(raw, encoding="ascii")
    print_safe("Café 😀", file=narrow)
    assert raw.getvalue() == b"Caf? ?\n"


# --------------------------------------------------------------------------- through the CLI
HOSTILE_SCENARIO = {
    "title": "\x1b]0;pwned\x07Matter \x1b[2Jone \x1b]8;;http://203.0.113.9/\x1b\\linked\x1b]8;;\x1b\\",
    "jurisdiction": "\x1b[31m9th Cir.\x1b[0m\u202e",
    "notes": "\x9b2J note",
    "source": {"title": "Source \x1bc title", "medium": "text"},
}


def test_assess_prints_no_escape_sequences(tmp_path):
    # issue #14: the window title changed and the screen cleared
    p = tmp_path / "s.json"
    p.write_text(json.dumps(HOSTILE_SCENARIO), encoding="utf-8")
    r = run_cli_here("assess", str(p))
    assert r.returncode == 0, r.stderr
    assert active_in_terminal(r.stdout) == [] and OFF_MACHINE not in r.stdout
    assert "Fair-use assessment: Matter one linked" in r.stdout


def test_error_lines_print_no_escape_sequences(tmp_path):
    p = tmp_path / "s.json"
    p.write_text(json.dumps({"title": "x", "\x1b]0;pwned\x07field\nsecond line": 1}), encoding="utf-8")
    line = one_line_error(run_cli_here("assess", str(p)))
    assert active_in_terminal(line) == [] and "unknown field" in line


def test_compare_prints_no_escape_sequences_from_the_works(tmp_path):
    # issue #14: escape sequences in the works' text reached the terminal through the passages
    words = (ROOT / "samples" / "text-regurgitation" / "source.txt").read_text(encoding="utf-8").split()
    sequences = "\x1b]0;pwned\x07\x1b[2J\x1b]8;;http://203.0.113.9/\x1b\\"
    copied = " ".join(words[:20]) + " " + sequences + " ".join(words[20:200])  # 7 controls in 1,000+ characters
    gen, src = tmp_path / "gen.txt", tmp_path / "src.txt"
    gen.write_text("An opening of our own. " + copied + " And an ending of our own.", encoding="utf-8")
    src.write_text(copied + " " + " ".join(words[200:]), encoding="utf-8")
    r = run_cli_here("compare", str(gen), str(src))
    assert r.returncode == 0, r.stderr
    assert "verbatim" in r.stdout.lower()
    assert active_in_terminal(r.stdout) == [] and OFF_MACHINE not in r.stdout


# --------------------------------------------------------------------------- in Streamlit, in a browser
WAYS = ("markdown", "caption", "oneline", "htmlblock", "htmlinline")  # as tests/escape_page.py draws each case


@pytest.mark.browser
def test_streamlit_shows_every_hostile_string_literally_and_fetches_nothing_off_the_machine():
    pw = pytest.importorskip("playwright.sync_api")
    from tests.browser_helpers import chromium_path, launch_browser, running_app, settle, shot

    if chromium_path() is None:
        pytest.skip("no Chromium")
    with running_app(script=ROOT / "tests" / "escape_page.py") as url, pw.sync_playwright() as p:
        browser = launch_browser(p)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        requests: list[str] = []

        def record(route):
            requests.append(route.request.url)
            host = urlparse(route.request.url).hostname
            if route.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
                route.continue_()
            else:
                route.abort()  # recorded, never sent

        page.route("**/*", record)
        page.goto(url)
        page.locator(".st-key-escape-page-done").wait_for(timeout=120_000)
        settle(page)
        # every case drawn with its text (a block can be in the page a frame before its text is)
        shown = [f"st-key-case-{i}-{way}" for i, (_, t) in enumerate(CASES) if visible(t) for way in WAYS]
        page.wait_for_function(
            """keys => keys.every(k => {
                const el = document.querySelector('.' + k);
                if (!el) return false;
                const box = el.querySelector('.escaped') || el.querySelector('[data-testid="stMarkdownContainer"]') || el;
                return box.innerText.trim() !== '';
            })""",
            arg=shown,
            polling="raf",
            timeout=60_000,
        )
        found = page.evaluate(
            """() => [...document.querySelectorAll('[class*="st-key-case-"]')].map(el => {
                const key = [...el.classList].find(c => c.startsWith('st-key-case-')).slice('st-key-case-'.length);
                const md = el.querySelector('[data-testid="stMarkdownContainer"]');
                const escaped = el.querySelector('.escaped');
                return {key, text: (escaped || md || el).innerText,
                        active: [...el.querySelectorAll('a, img, script, iframe, style, svg, code, pre, table, '
                                 + 'h1, h2, h3, h4, h5, h6, blockquote, li, hr, del, strong, em, .katex')]
                                .filter(e => !(key.endsWith('htmlinline') && e.tagName === 'STRONG'))
                                .map(e => e.tagName)};
            })"""
        )
        shot(page, "escape-page")
        browser.close()
    texts = [t for _, t in CASES]
    assert len(found) == len(WAYS) * len(texts)
    for item in found:
        index, way = item["key"].split("-", 1)
        text = texts[int(index)]
        assert item["active"] == [], (IDS[int(index)], way, item)
        assert squash(item["text"]) == visible(text), (IDS[int(index)], way, item["text"])
    assert any(u.endswith("control-probe.png") for u in requests), "the unescaped control image was not requested"
    offsite = [u for u in requests if OFF_MACHINE in u or urlparse(u).hostname not in ("127.0.0.1", "localhost", None)]
    assert offsite == []
    assert html.escape(OFF_MACHINE) not in "".join(u for u in requests if "control" not in u)
