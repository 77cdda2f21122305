"""``fairuse assess FILE [--evidence REPORT.json …] [--json FILE]``.

``FILE`` is a scenario (YAML or JSON) or a saved analysis (``.fairuse.json``, from the app or
``fairuse compare --save``); a saved analysis brings its own works and comparison report.

Prints each factor's lean with its reasons and authorities, the substitution risk with its
parts, the overall view, the nearest precedents, where courts disagree, the answers that
would change the result, and the law's date. Bad input raises ``InputError`` subclasses,
which ``analysis.cli`` turns into one line and exit status 2.
"""

from __future__ import annotations

import argparse
import textwrap
from pathlib import Path

from analysis import labels
from analysis.assess.caselaw import cite
from analysis.assess.models import Assessment, Reason
from analysis.assess.track_record import track_record
from analysis.errors import InputError
from analysis.escape import print_safe
from analysis.output import OutputPlan, ask_on_terminal

_W = 96


def _wrap(text: str, indent: str, first: str | None = None) -> str:
    return textwrap.fill(
        text, width=_W, initial_indent=first if first is not None else indent, subsequent_indent=indent
    )


def _section(out: list[str], title: str, items: list[str]) -> None:
    """A titled list of bullets, or nothing when there are no items."""
    if items:
        out.append(title)
        out.extend(_wrap(item, "      ", "    - ") for item in items)
        out.append("")


def _reason_lines(r: Reason, indent: str = "    ") -> list[str]:
    """One reason: '+' favours fair use, '-' weighs against, '·' neutral."""
    arrow = labels.label("direction_sign", r.direction)
    lines = [_wrap(f"{arrow} {r.text}", "        ", indent)]
    src = labels.label("reason_source_tag", r.source)
    basis = r.basis.removeprefix("measured: ") if r.source == "measurement" else r.basis
    lines.append(_wrap(f"[{src}: {basis}]", "        "))
    if r.authorities:
        lines.append(_wrap("see " + "; ".join(cite(a) for a in r.authorities), "        "))
    return lines


def format_assessment(a: Assessment) -> str:
    s = a.scenario
    out: list[str] = []
    title = s.title or s.id or "scenario"
    out.append(f"Fair-use assessment: {title}")
    out.append("('+' favours fair use, '-' weighs against it, '·' neutral)")
    out.append(f"Law as of {a.law_as_of}. An analysis aid, not legal advice.")
    out.append("")
    if a.protection is not None:
        prot = a.protection
        out.append(f"Is the source protected? {labels.label('protection', prot.status).upper()}")
        out.append(_wrap(prot.summary, "    "))
        for r in prot.reasons:
            out += _reason_lines(r)
        out.append("")
    from analysis.assess.questionnaire import load_questionnaire

    qn = load_questionnaire()
    for f in a.findings:
        head = f"Factor {f.factor}: {f.title}: {labels.lean(f.lean).upper()} (confidence {f.confidence})"
        if not f.needed:
            head += " [NOT NEEDED: the source or the part taken is not protected; shown for completeness]"
        out.append(head)
        out.append(_wrap(f'§ 107({f.factor}): "{f.statute_text}"', "    "))
        for r in f.reasons_besides_counter():
            out += _reason_lines(r)
        if f.counter_argument is not None:
            out.append("    Best counter-argument:")
            out += _reason_lines(f.counter_argument, "      ")
        if f.missing:
            names = [qn.by_id(m).short if m in {q.id for q in qn.questions} else m for m in f.missing]
            out.append(_wrap("Unanswered: " + "; ".join(names), "    "))
        out.append("")
    sub = a.substitution
    out.append(
        f"Substitution risk: {sub.level.upper()}"
        + (f" (score {sub.score:.2f}, shown only with its parts)" if sub.score is not None else "")
    )
    for part in sub.parts:
        val = "unknown" if part.value is None else f"{part.value:.2f}"
        out.append(f"    {part.name:<28} {val:>7}  weight {part.weight:<4} {part.source:<11} {part.explanation}")
    out.append(_wrap(sub.explanation, "    "))
    out.append("")
    if a.overall.fair_use_needed:
        out.append(f"Overall view: {labels.overall(a.overall.label).upper()} (confidence {a.overall.confidence})")
    else:
        out.append(f"Overall view: {labels.headline(a).upper()}")
        out.append(_wrap(labels.moot_view(a), "    "))
    for why in a.overall.reasons:
        out.append(_wrap(why, "      ", "    - "))
    if a.overall.fair_use_needed:
        out.append(_wrap(track_record().in_words(), "    ", "    "))
    out.append("")
    if a.precedents:
        out.append("Nearest precedents")
        for p in a.precedents:
            out.append(
                _wrap(
                    f"{cite(p.case_id)}: {labels.label('outcome', p.outcome).lower()} (similarity {p.similarity:.2f})",
                    "      ",
                    "    * ",
                )
            )
            out.append(
                _wrap("court's findings: " + "; ".join(f"{k} {v}" for k, v in p.factor_findings.items()), "      ")
            )
            if p.alike:
                out.append(_wrap("alike: " + "; ".join(p.alike), "      "))
            if p.differs:
                out.append(_wrap("differs: " + "; ".join(p.differs), "      "))
        out.append("")
    _section(out, "Where courts disagree", a.disagreements)
    out.append("Answers that would change the result")
    if a.sensitivity:
        for x in a.sensitivity:
            out.append(_wrap(f"{x.question}: {x.change}", "      ", "    - "))
    else:
        out.append("    none of the questionnaire's single answers would change a factor's lean or the overall view")
    out.append("")
    _section(out, "Outside fair use (not analysed here)", a.out_of_scope)
    for n in a.notes:
        out.append(_wrap(n, "  "))
    return "\n".join(out)


def run_assess(args: argparse.Namespace) -> int:
    from analysis.matter import open_for_command

    scenario_path: Path = args.scenario
    if scenario_path.is_dir():
        raise InputError(f"{scenario_path} is a folder; give a scenario file (YAML or JSON) or a saved analysis")
    evidence = getattr(args, "evidence", None) or []
    json_path: Path | None = getattr(args, "json", None)
    plan = OutputPlan(
        [json_path],
        inputs=[scenario_path, *evidence],
        force=getattr(args, "force", False),
        confirm=ask_on_terminal,
    )
    plan.check()
    matter, _files = open_for_command(scenario_path, evidence)
    a = matter.assessment
    print_safe(format_assessment(a))
    if json_path:
        plan.commit({json_path: a.model_dump_json(indent=2)})
        print(f"\nAssessment written to {json_path}")
    return 0
