"""Hostile strings every sink must show literally (tests/test_escape.py, tests/escape_page.py).

Each is what a careless user or an attacker could put in a title, a name, a note, a reason or a
work's text. The addresses are in TEST-NET-3 (203.0.113.0/24, RFC 5737), reserved for
documentation: nothing answers there, and a browser test that sees a request to it has found a leak.
"""

from __future__ import annotations

OFF_MACHINE = "203.0.113.9"

HOSTILE: dict[str, str] = {
    "md image": f"![x](http://{OFF_MACHINE}/md.png)",
    "md image with title": f'![alt text](http://{OFF_MACHINE}/t.png "title")',
    "md link": f"[click me](http://{OFF_MACHINE}/phish)",
    "md autolink": f"<http://{OFF_MACHINE}/auto>",
    "bare url": f"see http://{OFF_MACHINE}/bare and https://{OFF_MACHINE}/s now",
    "www and email": "visit www.example.com or write to someone@example.com",
    "reference image": f"![ref][r]\n\n[r]: http://{OFF_MACHINE}/ref.png",
    "reference link": f"[here][1] and [also]\n\n[1]: http://{OFF_MACHINE}/one\n[also]: http://{OFF_MACHINE}/two",
    "raw html img": f"<img src=http://{OFF_MACHINE}/i.png onerror=alert(1)>",
    "raw html script": "<script>alert('x')</script><style>body{display:none}</style>",
    "html entity": "&amp; &lt;b&gt; &#x3C;img&#x3E; &copy;",
    "html in markdown": f'<a href="http://{OFF_MACHINE}/a">a</a> <iframe src="http://{OFF_MACHINE}/f"></iframe>',
    "emphasis": "**bold** __strong__ *em* _em_ `code` ~~strike~~ ==mark==",
    "blocks": "# Heading\n## Two\n> quote\n- item\n+ item\n* item\n1. one\n2) two\n---\n***",
    "setext": "Title\n=====\nSub\n-----",
    "table": "| a | b |\n|---|---|\n| c | d |",
    "code": "    indented code\n```\nfenced\n```\n~~~\ntilde\n~~~",
    "maths": "$x^2$ and $$\\int f$$ and \\(y\\)",
    "streamlit codes": ":red[coloured] :blue-background[bg] :material/home: :smile: :+1: :streamlit:",
    "typography": "a -> b <- c <-> d -- e >= f <= g ~= h",
    "backslashes": "C:\\path\\to\\file \\* \\\\ end\\",
    "osc title": "\x1b]0;pwned window title\x07Title after OSC",
    "csi clear": "\x1b[2J\x1b[H\x1b[31mred\x1b[0m cleared",
    "osc 8 link": f"\x1b]8;;http://{OFF_MACHINE}/osc8\x1b\\visible link text\x1b]8;;\x1b\\",
    "dcs": "\x1bPq#0;2;0;0;0#1;2;100;100;0\x1b\\after DCS",
    "c1 controls": "\x9b31mC1 CSI\x9d0;title\x9c and \x90dcs\x9c",
    "esc reset": "\x1bc\x1b7\x1b(B\x1b#8 after resets",
    "bidi": "bidi \u202eevil\u202c \u2066isolate\u2069 \u200fmark \u061c",
    "c0": "bell\x07 nul\x00 backspace\x08 del\x7f vt\x0b ff\x0c",
    "line ends": "tab\there\nnew line\r\nwindows\rold mac\u2028separator",
    "reportlab markup": "<b>not bold</b> <font name=x size=40>big</font> <para> </b> <br/> &nbsp;",
    "unicode": "Café naïve — “quotes” 日本語 עברית 😀",
    "unterminated": "\x1b]0;never ends",
}
