"""The app's session state: one typed ``Analysis`` object, kept in ``st.session_state``.

Why one object: Streamlit forgets a widget's value when its page is not shown, so the
widgets are only *views* of this model. Every edit goes through a callback into the model,
and a widget that is drawn again is seeded from the model. Saving the analysis is then
just serialising this object (``app.save``), and resuming is putting it back.

Nothing here imports Streamlit at module level, so the model can be tested and saved
without a running app.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from analysis.assess.models import Assessment
from analysis.assess.scenario import Scenario
from analysis.evidence import ComparisonReport

STATE_KEY = "fairuse_analysis"
"""Where the ``Analysis`` lives in ``st.session_state``."""

WIDGET_PREFIX = "w:"
"""Every widget that mirrors a field of the analysis uses a key starting with this, so
that loading a saved file can drop them all and let them re-seed from the new model."""

Role = Literal["generated", "source"]
Audience = Literal["creator", "counsel", "student"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", ser_json_bytes="base64", val_json_bytes="base64")


class WorkInput(_Model):
    """One work as the user gave it: pasted text, an uploaded file, or a sample's file."""

    role: Role
    kind: Literal["text", "image"] | None = None
    name: str = ""
    text: str | None = Field(default=None, description="the text exactly as decoded (texts only)")
    data: bytes | None = Field(default=None, description="the file's raw bytes (images, uploaded documents)")
    media_type: str | None = None
    title: str = ""
    author: str = ""
    description: str = ""

    @property
    def ready(self) -> bool:
        if self.kind == "text":
            return bool(self.text and self.text.strip())
        if self.kind == "image":
            return bool(self.data)
        return False

    @property
    def label(self) -> str:
        return "Generated work" if self.role == "generated" else "Suspected source"


class MemoOptions(_Model):
    audience: Audience = "creator"
    matter: str = ""
    reviewer: str = ""
    privileged: bool = False
    judge_mode: bool = False


class _FingerprintMemo:
    """The last inputs fingerprint and the very objects (immutable str/bytes) it was computed from.

    Equal to any other memo, so it never makes two analyses with the same fields unequal.
    """

    __slots__ = ("entry",)

    def __init__(self) -> None:
        self.entry: tuple[tuple[Any, ...], str] | None = None  # (the hashed objects, their digest), set at once

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _FingerprintMemo)

    __hash__ = None  # type: ignore[assignment]


class Analysis(_Model):
    """Everything the user entered and everything the tool computed for one matter."""

    format: Literal["fairuse-analysis"] = "fairuse-analysis"
    format_version: int = 1
    sample_id: str | None = None
    generated: WorkInput = Field(default_factory=lambda: WorkInput(role="generated"))
    source: WorkInput = Field(default_factory=lambda: WorkInput(role="source"))
    report: ComparisonReport | None = None
    report_inputs: str | None = Field(default=None, description="fingerprint of the works the report was computed from")
    scenario: Scenario = Field(default_factory=Scenario)
    prefilled: list[str] = Field(default_factory=list, description="question ids answered from the measurements")
    assessment: Assessment | None = None
    memo: MemoOptions = Field(default_factory=MemoOptions)
    _fingerprint: _FingerprintMemo = PrivateAttr(default_factory=_FingerprintMemo)

    def work(self, role: Role) -> WorkInput:
        return self.generated if role == "generated" else self.source

    def set_work(self, work: WorkInput) -> None:
        if work.role == "generated":
            self.generated = work
        else:
            self.source = work

    def inputs_fingerprint(self) -> str:
        """A hash of both works' content: the evidence is stale when it changes.

        Called several times per rerun on works of up to tens of MB, so the last digest is kept
        with the str/bytes objects it hashed: those are immutable, so while the works hold the
        very same objects the digest cannot have changed (compared by identity, O(1)).
        """
        works = (self.generated, self.source)
        key = tuple(x for w in works for x in (w.kind, w.text, w.data))
        entry = self._fingerprint.entry
        if entry is not None and all(a is b for a, b in zip(entry[0], key)):
            return entry[1]
        digest = self._hash_inputs()
        self._fingerprint.entry = (key, digest)
        return digest

    def _hash_inputs(self) -> str:
        import hashlib

        h = hashlib.sha256()
        for w in (self.generated, self.source):
            h.update((w.kind or "-").encode())
            h.update(b"\0")
            h.update((w.text or "").encode("utf-8", "surrogatepass"))
            h.update(b"\0")
            h.update(w.data or b"")
            h.update(b"\1")
        return h.hexdigest()

    @property
    def evidence_current(self) -> bool:
        return self.report is not None and self.report_inputs == self.inputs_fingerprint()


# --------------------------------------------------------------------------- session helpers
def get_analysis() -> Analysis:
    """The session's analysis, created empty on first use."""
    import streamlit as st

    if STATE_KEY not in st.session_state:
        st.session_state[STATE_KEY] = Analysis()
    return st.session_state[STATE_KEY]


def set_analysis(analysis: Analysis) -> None:
    """Replace the whole analysis (sample picked, file resumed) and re-seed every widget."""
    import streamlit as st

    st.session_state[STATE_KEY] = analysis
    reset_widgets()


def reset_widgets(prefix: str = WIDGET_PREFIX) -> None:
    """Forget the mirrored widget values so they are seeded again from the model."""
    import streamlit as st

    for key in [k for k in list(st.session_state.keys()) if isinstance(k, str) and k.startswith(prefix)]:
        del st.session_state[key]


def seed(key: str, value: Any) -> None:
    """Give a widget its value from the model if it has none yet (first draw, or after a reset)."""
    import streamlit as st

    if key not in st.session_state:
        st.session_state[key] = value
