"""The memo templates: every sentence the code asks for exists for every audience, every
section has a heading, and no template names a court decision (citations come only from the
case library, so they can be checked)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analysis.report.templates import AUDIENCES, SECTION_IDS, load_template
from analysis.resources import templates_dir

CODE = sorted((Path(__file__).resolve().parents[1] / "analysis" / "report").glob("*.py"))


def _keys_used() -> set[str]:
    keys: set[str] = set()
    for path in CODE:
        src = path.read_text(encoding="utf-8")
        keys |= set(re.findall(r'\bt(?:pl)?\.t\(\s*"([a-z0-9_]+)"', src))
        keys |= set(re.findall(r'self\.tpl\.t\(\s*"([a-z0-9_]+)"', src))
    return keys


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_sentence_used_exists(audience):
    tpl = load_template(audience)
    used = _keys_used()
    assert len(used) > 100
    missing = sorted(k for k in used if k not in tpl.text)
    assert not missing, missing


@pytest.mark.parametrize("audience", AUDIENCES)
def test_sections_known_and_headed(audience):
    tpl = load_template(audience)
    for judge in (False, True):
        order = tpl.section_order(judge)
        assert len(order) == len(set(order))
        assert set(order) <= set(SECTION_IDS)
        assert {"question", "short_answer", "analysis", "appendix"} <= set(order)


def test_templates_name_no_court_decision():
    from analysis.assess.caselaw import load_cases

    text = "\n".join(p.read_text(encoding="utf-8") for p in (templates_dir() / "memo").glob("*.yaml"))
    for case in load_cases().values():
        first_party = case.name.split(" v. ")[0].split(",")[0].strip()
        if len(first_party) > 4:
            assert f"{first_party} v." not in text, case.name
        assert case.citation not in text, case.citation


def test_malformed_template_is_a_clear_input_error(tmp_path, monkeypatch):
    from analysis.errors import InputError
    from analysis.report import templates as mod

    (tmp_path / "memo").mkdir()
    (tmp_path / "memo" / "common.yaml").write_text("sections: [question, nonsense]\n", encoding="utf-8")
    (tmp_path / "memo" / "creator.yaml").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(mod, "templates_dir", lambda: tmp_path)
    mod.load_template.cache_clear()
    try:
        with pytest.raises(InputError, match="memo template 'creator'"):
            mod.load_template("creator")
    finally:
        mod.load_template.cache_clear()
