"""The real app in a real browser: Streamlit on localhost, Chromium driven by Playwright,
from a sample case to the memo download, with a screenshot of every step under
``tests/artifacts/`` (look at them: that is what users see)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser_helpers import (
    ARTIFACTS,
    chromium_path,
    launch_browser,
    open_works_page,
    resume_saved_analysis,
    running_app,
    settle,
    shot,
    shot_view,
    wait_for_in_any_frame,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def app_url():
    if chromium_path() is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    with running_app() as url:
        yield url


def _pick_sample(page, kind: str) -> str:
    from analysis.samples import list_samples

    cases = list_samples(kind)
    assert cases, f"no {kind} sample cases installed"
    # the regurgitation case shows every kind of mark best (it is also the README's screenshot)
    case = next((c for c in cases if "regurgitation" in c.id), cases[0])
    page.get_by_role("combobox", name="Sample case").click()
    page.get_by_role("option", name=re.compile(re.escape(case.title))).first.click()
    settle(page)
    page.get_by_role("button", name="Load sample").click()
    settle(page)
    page.get_by_text("Loaded the sample case").wait_for(timeout=30_000)
    return case.id


def _next(page, name: str | re.Pattern[str]) -> None:
    page.get_by_role("button", name=name).click()
    settle(page)


def test_text_sample_to_memo_download(app_url):
    with sync_api.sync_playwright() as p:
        browser = launch_browser(p)
        page = browser.new_page(viewport={"width": 1400, "height": 900}, accept_downloads=True)
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(app_url)
        page.get_by_role("heading", name="1 · The two works").wait_for(timeout=60_000)
        _pick_sample(page, "text")
        shot(page, "01-works")

        _next(page, "Is the source protected? →")
        page.get_by_role("heading", name="1b · Is the source protected at all?").wait_for(timeout=60_000)
        _next(page, "Measure the evidence →")
        page.get_by_role("button", name="Analyse the works").click()
        page.get_by_role("heading", name="The passages, side by side").wait_for(timeout=180_000)
        settle(page)
        assert page.get_by_text("Comparison done").count() > 0
        # the regurgitation sample copies whole passages: the marks must be drawn, in whatever frame
        assert wait_for_in_any_frame(page, "mark.fu-mark") > 0
        shot(page, "02-evidence")
        shot_view(page, "02-evidence-passages", "The passages, side by side")

        _next(page, "Walk the four factors →")
        for n in (1, 2, 3, 4):
            page.get_by_role("heading", name=re.compile(rf"^Factor {n} ·")).wait_for(timeout=30_000)
            page.get_by_text("Where it leans now").wait_for(timeout=30_000)
            shot(page, f"03-factor-{n}")
            if n == 1:  # open the help for the first question: authorities one click away
                page.get_by_role("button", name="Help and authorities").first.click()
                page.locator('[data-testid="stPopoverBody"]').first.wait_for(timeout=30_000)
                shot(page, "03-factor-1-help")
                page.keyboard.press("Escape")
            _next(page, re.compile(r"→$"))  # the step's "next" button

        page.get_by_role("heading", name="4 · Assessment").wait_for(timeout=30_000)
        settle(page)
        shot(page, "04-assessment")
        shot_view(page, "04-assessment-top", "4 · Assessment", height=1300)
        overall = page.locator(".fu-lean").first.inner_text()

        _next(page, "Prepare the memo →")
        page.get_by_role("button", name="Memo (PDF)").wait_for(timeout=120_000)
        settle(page)
        shot(page, "05-memo")
        with page.expect_download(timeout=60_000) as dl:
            page.get_by_role("button", name="Memo (PDF)").click()
        data = Path(dl.value.path()).read_bytes()
        assert data.startswith(b"%PDF-")
        assert dl.value.suggested_filename.endswith(".pdf")
        # the download did not rerun the app or lose the results
        assert page.get_by_role("heading", name="5 · The memo").is_visible()

        # save the whole analysis from the sidebar, then resume it in a fresh session
        page.get_by_text("Save or resume").click()
        with page.expect_download(timeout=60_000) as dl:
            page.get_by_role("button", name="Save the whole analysis").click()
        assert dl.value.suggested_filename.endswith(".fairuse.json")
        saved = ARTIFACTS / dl.value.suggested_filename
        dl.value.save_as(saved)
        assert b'"format": "fairuse-analysis"' in saved.read_bytes()[:200]
        fresh = browser.new_page(viewport={"width": 1400, "height": 900})
        fresh.goto(app_url)
        fresh.get_by_role("heading", name="1 · The two works").wait_for(timeout=60_000)
        fresh.get_by_text("Save or resume").click()
        fresh.locator('[data-testid="stFileUploader"]').filter(has_text="Resume a saved analysis").locator(
            "input[type=file]"
        ).set_input_files(saved)
        fresh.get_by_text(re.compile(r"^Resumed .+\.fairuse\.json")).wait_for(timeout=60_000)
        settle(fresh)
        fresh.get_by_role("link", name=re.compile("Assessment")).first.click()
        fresh.get_by_role("heading", name="4 · Assessment").wait_for(timeout=60_000)
        settle(fresh)
        assert fresh.locator(".fu-lean").first.inner_text() == overall, "the resumed analysis differs"
        shot(fresh, "06-resumed-assessment")

        offsite = [u for u in requests if not u.startswith(app_url) and not u.startswith(("data:", "blob:"))]
        assert not offsite, f"the page fetched something from outside this machine: {offsite[:5]}"
        assert not errors, errors
        browser.close()


def test_bad_saved_analyses_get_a_message_and_lose_nothing(app_url, tmp_path):
    """A file from a newer fairuse is refused beside the uploader, with what was typed kept; a
    file whose report no longer matches its works opens, says so, and leaves the report out."""
    from analysis.evidence import ComparisonReport, EvidenceFacts, InputRecord
    from analysis.matter import Matter
    from analysis.works import work_from_text

    newer = tmp_path / "future.fairuse.json"
    newer.write_text('{"format": "fairuse-analysis", "format_version": 3}', encoding="utf-8")
    m = Matter.from_works(
        work_from_text("generated", "The generated text as measured, word for word."),
        work_from_text("source", "The source text as measured, word for word."),
    )
    recs = [
        InputRecord(role=w.role, name="pasted text", sha256=w.sha256, bytes=1, kind="text", media_type="text/plain")
        for w in (m.generated, m.source)
    ]
    facts = EvidenceFacts(medium="text", share_of_source_taken=0.9, copy_kind="verbatim")
    m.attach_report(ComparisonReport(kind="text", inputs=recs, facts=facts))
    m.set_text("generated", "The generated text, edited after the comparison.")
    stale = m.save(tmp_path / "stale.fairuse.json")

    with sync_api.sync_playwright() as p:
        browser, page, errors = open_works_page(p, app_url)
        page.get_by_label("Generated work: text").fill("Words I typed and must not lose.")
        page.keyboard.press("Control+Enter")
        settle(page)
        resume_saved_analysis(page, newer, expect_text="saved by a newer version of fairuse")
        expect = sync_api.expect  # waits until the drawn widget shows the value (or fails at the timeout)
        expect(page.get_by_label("Generated work: text")).to_have_value("Words I typed and must not lose.")
        shot(page, "08-resume-newer-refused")

        fresh = browser.new_page(viewport={"width": 1400, "height": 900})
        fresh.goto(app_url)
        fresh.get_by_role("heading", name="1 · The two works").wait_for(timeout=60_000)
        resume_saved_analysis(fresh, stale, expect_text="does not match its works")
        expect(fresh.get_by_label("Generated work: text")).to_have_value(
            "The generated text, edited after the comparison.", timeout=30_000
        )
        shot(fresh, "09-resume-stale")
        fresh.get_by_role("link", name=re.compile("Memo")).first.click()
        fresh.get_by_role("heading", name="5 · The memo").wait_for(timeout=60_000)
        settle(fresh)
        fresh.get_by_text("The memo is not written from out-of-date evidence").first.wait_for(timeout=30_000)
        assert fresh.get_by_role("button", name="Memo (PDF)").count() == 0
        shot(fresh, "10-memo-stale-refused")
        assert not errors, errors
        browser.close()


def test_memo_refuses_stale_evidence_and_a_rerun_clears_it(app_url):
    """Issue #12: empty states claim nothing; after a work is edited the memo page refuses the old
    evidence and offers a re-run, which clears it; the author's view typed on a factor page
    reaches the memo."""
    with sync_api.sync_playwright() as p:
        browser, page, errors = open_works_page(p, app_url)
        sidebar = page.locator('[data-testid="stSidebar"]')
        status = sidebar.inner_text()
        assert "Works needed" in status and "Assessment: works needed first" in status, status
        page.get_by_role("link", name=re.compile("Memo")).first.click()
        page.get_by_role("heading", name="5 · The memo").wait_for(timeout=60_000)
        settle(page)
        page.get_by_text("Add both works in step 1 first").wait_for(timeout=30_000)
        assert page.get_by_role("button", name="Memo (PDF)").count() == 0, "a memo offered with no works"
        shot(page, "11-memo-empty")
        page.get_by_role("link", name=re.compile("Assessment")).first.click()
        page.get_by_role("heading", name="4 · Assessment").wait_for(timeout=60_000)
        settle(page)
        page.get_by_text("there is nothing to assess").wait_for(timeout=30_000)
        assert page.locator(".fu-lean").count() == 0, "an assessment shown with no works"
        shot(page, "12-assessment-empty")

        page.get_by_role("link", name=re.compile("Works")).first.click()
        page.get_by_role("heading", name="1 · The two works").wait_for(timeout=60_000)
        _pick_sample(page, "text")
        assert "Works ready" in sidebar.inner_text()
        _next(page, "Is the source protected? →")
        page.get_by_role("heading", name="1b · Is the source protected at all?").wait_for(timeout=60_000)
        _next(page, "Measure the evidence →")
        page.get_by_role("button", name="Analyse the works").click()
        page.get_by_role("heading", name="The passages, side by side").wait_for(timeout=180_000)
        settle(page)
        page.get_by_text("In short").first.wait_for(timeout=30_000)
        shot_view(page, "13-evidence-headline", "2 · The evidence")

        # the author's view on factor 3, typed in the app
        page.get_by_role("link", name=re.compile("Factor 3")).first.click()
        page.get_by_role("heading", name=re.compile(r"^Factor 3 ·")).wait_for(timeout=60_000)
        settle(page)
        note = "Four whole paragraphs: more than any purpose here needed."
        page.get_by_role("textbox", name=re.compile("^Your view on factor 3")).fill(note)
        page.keyboard.press("Control+Enter")
        settle(page)
        shot(page, "14-factor-3-note")

        # edit the generated work after the analysis
        page.get_by_role("link", name=re.compile("Works")).first.click()
        page.get_by_role("heading", name="1 · The two works").wait_for(timeout=60_000)
        settle(page)
        page.get_by_label("How to add the generated work").get_by_text("Paste text").click()
        settle(page)
        box = page.get_by_label("Generated work: text")
        box.fill(box.input_value() + "\nA sentence added after the comparison.")
        page.keyboard.press("Control+Enter")
        settle(page)
        sidebar.get_by_text("Evidence out of date").wait_for(timeout=30_000)

        page.get_by_role("link", name=re.compile("Memo")).first.click()
        page.get_by_role("heading", name="5 · The memo").wait_for(timeout=60_000)
        settle(page)
        page.get_by_text("The memo is not written from out-of-date evidence").wait_for(timeout=30_000)
        assert page.get_by_role("button", name="Memo (PDF)").count() == 0, "a memo offered from stale evidence"
        shot(page, "15-memo-stale-refused")

        page.get_by_role("button", name="Analyse the works again").click()
        page.get_by_text("The works were compared again").wait_for(timeout=180_000)
        settle(page)
        page.get_by_role("button", name="Memo (PDF)").wait_for(timeout=120_000)
        assert page.get_by_text("The memo is not written from out-of-date evidence").count() == 0
        assert "Evidence out of date" not in sidebar.inner_text()
        page.get_by_role("tab", name="Full text").click()
        page.get_by_text(note).first.wait_for(timeout=30_000)
        assert page.get_by_text("<!--").count() == 0, "a raw HTML comment in the memo's full text"
        shot(page, "16-memo-rerun-cleared")
        assert not errors, errors
        browser.close()


def test_leaving_step_2_mid_comparison_says_so():
    """Issue #12: a click on another page while the works are compared stops the comparison; the
    page the user lands on says so, and step 2 says it again beside its button, with no evidence.

    Its own server, so the first comparison loads the text model: the click lands while it loads
    (its progress line is on screen), and Streamlit stops the run at the comparison's next step.
    """
    if chromium_path() is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    stopped = "The comparison was stopped before it finished"
    with running_app() as url, sync_api.sync_playwright() as p:
        browser, page, errors = open_works_page(p, url)
        _pick_sample(page, "text")
        page.get_by_role("link", name=re.compile("Evidence")).first.click()
        page.get_by_role("heading", name="2 · The evidence").wait_for(timeout=60_000)
        settle(page)
        page.get_by_role("button", name="Analyse the works").click()
        # the comparison has started (its progress line comes from inside it): now leave
        page.get_by_text("Loading the text model").first.wait_for(timeout=60_000)
        page.get_by_role("link", name=re.compile("Factor 1")).first.click()
        page.get_by_role("heading", name=re.compile(r"^Factor 1 ·")).wait_for(timeout=180_000)
        # the run that lands here may itself be rerun by the browser: wait for the notice's link too
        page.get_by_role("link", name="Go to step 2, Evidence").wait_for(timeout=60_000)
        settle(page)
        notice = page.get_by_text(stopped).inner_text()
        assert "Your works and answers are kept" in notice and "nothing was measured" in notice, notice
        assert "Evidence not measured yet" in page.locator('[data-testid="stSidebar"]').inner_text()
        shot_view(page, "17-comparison-interrupted", height=700)

        page.get_by_role("link", name="Go to step 2, Evidence").click()
        page.get_by_role("heading", name="2 · The evidence").wait_for(timeout=60_000)
        settle(page)
        page.get_by_text(stopped).wait_for(timeout=30_000)
        assert page.get_by_role("button", name="Analyse the works").is_visible()
        assert page.get_by_text("The passages, side by side").count() == 0, "evidence from a stopped comparison"
        assert not errors, errors
        browser.close()
