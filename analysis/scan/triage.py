"""The triage table as CSV and as a static HTML page a person can open.

The page has no scripts and no remote resources (a Content-Security-Policy forbids both),
and every value is HTML-escaped: titles, file names and passages come from the catalogue
and the works, which may hold markup.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timezone
from html import escape

from analysis import figures
from analysis.scan.scan import ScanResult

CSV_COLUMNS = [
    "work",
    "rank",
    "source_title",
    "source_author",
    "source_year",
    "source_licence",
    "cheap_score",
    "channel",
    "verdict",
    "flagged",
    "share_of_work_copied",
    "share_of_source_taken",
    "longest_words",
    "longest",
    "assessment",
    "report",
    "assessment_file",
    "source_id",
    "source_path",
    "work_path",
    "summary",
]


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.4f}"
    return str(v)


def triage_csv(result: ScanResult) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for row in result.rows:
        d = row.model_dump()
        w.writerow({k: _cell(d.get(k)) for k in CSV_COLUMNS})
    return buf.getvalue()


def _pct(x: float | None) -> str:
    return "" if x is None else f"{x * 100:.0f}%"


_CSS = """
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px;color:#1d1d1f;background:#fff}
h1{font-size:20px;margin:0 0 4px} h2{font-size:16px;margin:28px 0 6px}
p.meta{color:#555;margin:0 0 16px} table{border-collapse:collapse;width:100%;margin-bottom:8px}
th,td{border-bottom:1px solid #ddd;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f4f4f6;font-weight:600;font-size:12px;text-transform:uppercase;letter-spacing:.03em}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.flagged td{background:#fff4f0} .v{font-weight:600} .v.flag{color:#b3261e} .v.ok{color:#2e6b2e}
.longest{max-width:420px;color:#333;font-size:13px} .err{color:#b3261e}
.note{color:#555;font-size:12px;max-width:900px}
"""


def triage_html(result: ScanResult) -> str:
    made = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>fairuse scan: triage</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>Catalogue triage</h1>",
        f'<p class="meta">Index {escape(result.index)} · {figures.count(len(result.works), "work")} · top {result.top} candidates each'
        + (f" · scenario {escape(result.scenario)}" if result.scenario else "")
        + f" · {escape(made)}</p>",
        '<p class="note">Candidates are ranked by a cheap index score; the verdict and shares come from the full '
        "comparison of each pair. Similarity is evidence for factor 3 and the substitution part of factor 4, not a "
        "finding of infringement or of fair use. Not legal advice.</p>",
    ]
    for wr in result.works:
        parts.append(f'<h2>{escape(wr.work)} <small style="font-weight:400;color:#666">{escape(wr.path)}</small></h2>')
        if wr.status != "ok":
            parts.append(f'<p class="err">Not scanned: {escape(wr.error or "")}</p>')
            continue
        rows = [r for r in result.rows if r.work_path == wr.path]
        if not rows:
            parts.append("<p>No candidate in the index.</p>")
            continue
        parts.append(
            "<table><thead><tr><th>Rank</th><th>Candidate source</th><th>Cheap score</th><th>Verdict</th>"
            "<th>Work copied</th><th>Source taken</th><th>Longest passage or region</th>"
            + ("<th>Assessment</th>" if result.scenario else "")
            + "<th>Report</th></tr></thead><tbody>"
        )
        for r in rows:
            who = ", ".join(x for x in (r.source_author, r.source_year) if x)
            lic = f"<br><small>licence: {escape(r.source_licence)}</small>" if r.source_licence else ""
            vcls = "flag" if r.flagged else ("ok" if not r.verdict.startswith("not compared") else "")
            link = f'<a href="{escape(r.report, quote=True)}">JSON</a>' if r.report else ""
            assess = ""
            if result.scenario:
                a = escape(r.assessment or "")
                if r.assessment_file:
                    a = f'<a href="{escape(r.assessment_file, quote=True)}">{a}</a>'
                assess = f"<td>{a}</td>"
            parts.append(
                f'<tr class="{"flagged" if r.flagged else ""}"><td class="num">{r.rank}</td>'
                f"<td><b>{escape(r.source_title)}</b>{'<br>' + escape(who) if who else ''}{lic}</td>"
                f'<td class="num">{r.cheap_score:.2f}<br><small>{escape(r.channel)}</small></td>'
                f'<td class="v {vcls}">{escape(r.verdict.replace("_", "-"))}</td>'
                f'<td class="num">{escape(_pct(r.share_of_work_copied))}</td>'
                f'<td class="num">{escape(_pct(r.share_of_source_taken))}</td>'
                f'<td class="longest">{escape(r.longest)}</td>{assess}<td>{link}</td></tr>'
            )
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
