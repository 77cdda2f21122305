"""Shared pytest fixtures. Keep this file tiny and generic."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest


@pytest.fixture(scope="session")
def text_model():
    """The real offline default sentence-embedding model, loaded once per test session."""
    from analysis.measure.text.embeddings import load_text_model

    return load_text_model(device="cpu")


@pytest.fixture(scope="session")
def sample_reports(tmp_path_factory, worker_id) -> dict[str, list[str]]:
    """Each shipped sample case's comparison reports (JSON), by case id: ``Matter.compare`` with
    the real models, once for the whole run.

    Under pytest-xdist the first worker that asks compares the samples and writes the reports to
    the run's shared temporary folder; the other workers read them from there (a file lock keeps
    them from comparing at the same time)."""
    from filelock import FileLock

    def compare_all() -> dict[str, list[str]]:
        from analysis.matter import Matter
        from analysis.samples import list_samples

        out = {}
        for case in list_samples():
            m = Matter.from_sample(case.id)
            m.compare(device="cpu")
            out[case.id] = [r.model_dump_json() for r in m.reports]
        return out

    if worker_id == "master":  # not under xdist: nothing to share
        return compare_all()
    path = tmp_path_factory.getbasetemp().parent / "sample-reports.json"  # one folder per run, for all workers
    with FileLock(f"{path}.lock"):
        if path.is_file():
            return json.loads(path.read_text(encoding="utf-8"))
        reports = compare_all()
        path.write_text(json.dumps(reports), encoding="utf-8")
        return reports


@pytest.fixture(scope="session")
def compared_sample(sample_reports) -> Callable:
    """``compared_sample(case_id)``: a new ``Matter.from_sample(case_id)`` with its works compared
    (the reports of ``sample_reports``, attached as ``Matter.compare`` attaches its report): each
    call gives a fresh matter and fresh reports, for tests that change them."""
    from analysis.evidence import ComparisonReport
    from analysis.matter import Matter

    def make(case_id: str) -> Matter:
        m = Matter.from_sample(case_id)
        for text in sample_reports[case_id]:
            m.attach_report(ComparisonReport.model_validate_json(text))
        return m

    return make


# Modules whose module fixtures are slow and built from the same inputs: under pytest-xdist each
# goes whole to one worker, with the others of its group, so those fixtures are built once in the
# run instead of once in each worker. (--dist loadgroup and the xdist_group mark are meant for this,
# but with pytest 9.2 and pytest-xdist 3.8 the mark is lost and nothing is grouped:
# pytest-dev/pytest-xdist#1386.) Every other test is shared out one at a time, as with --dist load.
WORKER_GROUPS = {
    "tests/test_memo_layout.py": "sample memos",  # every sample's memos, built and read back
    "tests/test_memo_readers.py": "sample memos",
}


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "load":  # another --dist asked for: xdist's own
        return None
    from xdist.scheduler import LoadScopeScheduling

    class GroupedLoad(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return WORKER_GROUPS.get(nodeid.split("::", 1)[0], nodeid)

    return GroupedLoad(config, log)
