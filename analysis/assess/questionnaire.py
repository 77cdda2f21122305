"""The questionnaire as data (``data/questionnaire.yaml``), docassemble-style.

Each question names the Scenario field it fills (a dotted path such as ``use.commercial``),
its step (0: is the source protected at all, asked before the factors; 1-4: the factor it
feeds), the wording and help a non-lawyer reads, a short label for reasons' bases, its
options, when it is shown, and which measurement can pre-fill it. The app builds its pages
from this alone, and the engine's sensitivity analysis walks the same options.

What each answer means for its factor (direction, strength, authorities) is not written in
the questionnaire: it is derived at load from the considerations that test the answer
(``data/considerations.yaml``), so the questionnaire and the engine cannot disagree.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from analysis import defaults
from analysis.assess.models import Authority
from analysis.assess.scenario import Scenario
from analysis.errors import ScenarioError
from analysis.evidence import EvidenceFacts
from analysis.resources import data_dir

AnswerValue = str | bool


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Meaning(_Model):
    """What an answer means for its factor on its own, derived from the considerations."""

    direction: Literal["favours", "disfavours", "neutral", "depends"]
    strength: int = Field(ge=0, le=3, description="0 none, 1 slight, 2 real, 3 strong")
    note: str = ""


class Option(_Model):
    value: AnswerValue
    label: str
    meaning: Meaning = Field(
        default_factory=lambda: Meaning(direction="neutral", strength=0),
        description="derived from the considerations at load; not written in the data",
    )
    authorities: list[Authority] = Field(default_factory=list, description="derived, like the meaning")


class Condition(_Model):
    """Show a question only when another field has (one of) the given values.

    ``equals`` / ``in_`` compare a scalar field; ``contains_any`` tests a list field.
    """

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    field: str
    equals: AnswerValue | None = None
    in_: list[AnswerValue] | None = Field(default=None, alias="in")
    contains_any: list[str] | None = None

    @model_validator(mode="after")
    def _one_test(self) -> Condition:
        n = sum(x is not None for x in (self.equals, self.in_, self.contains_any))
        if n != 1:
            raise ValueError(f"show_if on {self.field}: give exactly one of equals, in, contains_any")
        return self

    def holds(self, scenario: Scenario) -> bool:
        value = get_field(scenario, self.field)
        if self.contains_any is not None:
            return isinstance(value, list) and any(v in value for v in self.contains_any)
        if self.in_ is not None:
            return value in self.in_
        return value == self.equals


PrefillSource = Literal["share_of_source_taken", "heart_taken", "medium"]


class Question(_Model):
    id: str
    factor: Literal[0, 1, 2, 3, 4] = Field(description="0: is the source protected (before factor 1); 1-4: the factor")
    field: str
    short: str = Field(description="a few words naming the question, for reasons' bases")
    wording: str
    help: str
    kind: Literal["choice", "multi", "bool", "year", "text"] = Field(
        description="year and text questions take a free answer (no options)"
    )
    options: list[Option]
    show_if: list[Condition] = Field(default_factory=list, description="all must hold")
    prefill: PrefillSource | None = None
    key: bool = Field(default=False, description="a key question: its absence lowers confidence most")

    def option(self, value: Any) -> Option | None:
        return next((o for o in self.options if o.value == value), None)


class Questionnaire(_Model):
    version: str
    questions: list[Question]

    @model_validator(mode="after")
    def _check(self) -> Questionnaire:
        ids = [q.id for q in self.questions]
        dup = {i for i in ids if ids.count(i) > 1}
        if dup:
            raise ValueError(f"duplicate question ids: {sorted(dup)}")
        fields = [q.field for q in self.questions]
        dupf = {f for f in fields if fields.count(f) > 1}
        if dupf:
            raise ValueError(f"two questions fill the same field: {sorted(dupf)}")
        for q in self.questions:
            _check_field_path(q.field, q.id)
            if q.kind == "bool" and sorted(str(o.value) for o in q.options) != ["False", "True"]:
                raise ValueError(f"question {q.id}: a bool question needs options true and false")
            if (q.kind in ("year", "text")) != (not q.options):
                raise ValueError(f"question {q.id}: year and text questions, and only they, have no options")
            for c in q.show_if:
                _check_field_path(c.field, q.id)
        return self

    def by_id(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(f"no question {qid!r}")

    def by_field(self, field: str) -> Question | None:
        return next((q for q in self.questions if q.field == field), None)

    def questions_for_factor(self, n: int) -> list[Question]:
        return [q for q in self.questions if q.factor == n]

    def visible_questions(self, scenario: Scenario) -> list[Question]:
        return [q for q in self.questions if is_visible(q, scenario)]


def _check_field_path(path: str, qid: str) -> None:
    model: Any = Scenario
    for part in path.split("."):
        fields = getattr(model, "model_fields", None)
        if fields is None or part not in fields:
            raise ValueError(f"question {qid}: {path!r} is not a Scenario field")
        ann = fields[part].annotation
        model = ann if isinstance(ann, type) and issubclass(ann, BaseModel) else None
        if model is None:
            model = object


@lru_cache(maxsize=1)
def load_questionnaire() -> Questionnaire:
    """Load and validate ``data/questionnaire.yaml`` (cached), with each option's meaning
    derived from the considerations."""
    path = data_dir() / "questionnaire.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        qn = Questionnaire.model_validate(data)
    except ValidationError as exc:
        from analysis.assess.caselaw import CaseLibraryError

        raise CaseLibraryError(
            f"questionnaire.yaml: {exc.errors()[0].get('loc')}: {exc.errors()[0].get('msg')}"
        ) from None
    _derive_meanings(qn)
    return qn


def _strength(total: float) -> int:
    t = abs(total)
    return 0 if t == 0 else 1 if t < 1.5 else 2 if t < 2.5 else 3


def _derive_meanings(qn: Questionnaire) -> None:
    """Each option's meaning and authorities, from the considerations that test its answer.

    A consideration whose condition tests only this answer decides the direction (the sum
    of their prior weights, signed); one that also needs other answers makes it "depends".
    Protection questions (step 0) mean nothing for a factor and stay neutral.
    """
    from analysis.assess.considerations import compile_condition, load_rules

    rules = load_rules()
    for q in qn.questions:
        if q.factor == 0:
            continue
        for opt in q.options:
            value = [opt.value] if q.kind == "multi" else opt.value
            alone = 0.0
            depends: list[float] = []
            cites: list[str] = []
            notes: list[str] = []
            for c in rules.considerations:
                if c.factor != q.factor or q.field not in c.when or c.direction == "neutral":
                    continue
                test = compile_condition({q.field: c.when[q.field]}, c.id)
                if not test({q.field: tuple(value) if isinstance(value, list) else value}):
                    continue
                cites += [h for h in c.cites if h not in cites]
                if len(c.when) == 1:
                    alone += c.sign * c.weight
                    notes.append(c.text)
                else:
                    depends.append(c.sign * c.weight)
            if alone:
                direction = "favours" if alone > 0 else "disfavours"
                strength = _strength(alone)
            elif depends:
                direction, strength = "depends", _strength(max(depends, key=abs))
            else:
                direction, strength = "neutral", 0
            opt.meaning = Meaning(
                direction=direction, strength=strength, note=notes[0].rstrip(".") if len(notes) == 1 else ""
            )
            auths = []
            for hid in cites[:4]:
                h = rules.holdings[hid]
                auths.append(Authority(case_id=h.authority, pinpoint=h.pinpoint, holding=h.id, holds=h.holds))
            opt.authorities = auths


def questions_for_factor(n: int) -> list[Question]:
    return load_questionnaire().questions_for_factor(n)


def visible_questions(scenario: Scenario) -> list[Question]:
    return load_questionnaire().visible_questions(scenario)


def is_visible(question: Question, scenario: Scenario) -> bool:
    return all(c.holds(scenario) for c in question.show_if)


# --------------------------------------------------------------------------- field access
def get_field(scenario: Scenario, path: str) -> Any:
    obj: Any = scenario
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def is_answered(scenario: Scenario, question: Question) -> bool:
    value = get_field(scenario, question.field)
    return value not in (None, []) if question.kind == "multi" else value is not None


def get_answer(scenario: Scenario, question: Question | str) -> Any:
    """The current answer (None, or [] for an unanswered multi question)."""
    q = load_questionnaire().by_id(question) if isinstance(question, str) else question
    return get_field(scenario, q.field)


def set_answer(scenario: Scenario, question: Question | str, value: Any) -> Scenario:
    """A copy of the scenario with one answer changed; ``None`` clears it.

    Values outside the question's options raise ``ScenarioError`` naming the field, and so
    do answers that contradict another answer (the Scenario's own checks).
    """
    q = load_questionnaire().by_id(question) if isinstance(question, str) else question
    allowed = [o.value for o in q.options]
    if q.kind in ("year", "text"):
        if q.kind == "year" and value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise ScenarioError(f"{q.field}: a year is a whole number, e.g. 1925")
        if q.kind == "text" and value is not None:
            value = str(value).strip() or None
    elif q.kind == "multi":
        value = [] if value is None else list(value)
        bad = [v for v in value if v not in allowed]
        if bad:
            raise ScenarioError(f"{q.field}: {bad[0]!r} is not one of {allowed}")
    elif value is not None and value not in allowed:
        raise ScenarioError(f"{q.field}: {value!r} is not one of {allowed}")
    data = scenario.model_dump(mode="python")
    node = data
    parts = q.field.split(".")
    for part in parts[:-1]:
        node = node[part]
    node[parts[-1]] = value
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(x) for x in err.get("loc", ())) or q.field
        msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        raise ScenarioError(f"{loc or q.field}: {msg}") from None


# --------------------------------------------------------------------------- measurements
def portion_from_share(share: float) -> str:
    """Measured share of the source → the questionnaire's portion words (defaults.py bands)."""
    if share >= defaults.ASSESS_ENTIRE_WORK_SHARE:
        return "entire"
    for name in ("tiny", "small", "moderate", "large"):
        if share < defaults.ASSESS_PORTION_BANDS[name]:
            return name
    return "entire"


def combined_facts(facts: list[EvidenceFacts]) -> EvidenceFacts | None:
    """Several reports on one pairing → the most serious reading of each number."""
    if not facts:
        return None
    if len(facts) == 1:
        return facts[0]

    def mx(name: str) -> Any:
        vals = [getattr(f, name) for f in facts if getattr(f, name) is not None]
        return max(vals) if vals else None

    heart = [f.heart_taken for f in facts if f.heart_taken is not None]
    return EvidenceFacts(
        medium=facts[0].medium,
        share_of_source_taken=mx("share_of_source_taken"),
        share_verbatim=mx("share_verbatim"),
        share_near_verbatim=mx("share_near_verbatim"),
        share_paraphrased=mx("share_paraphrased"),
        share_quoted=mx("share_quoted"),
        share_of_generated_copied=mx("share_of_generated_copied"),
        longest_passage_words=mx("longest_passage_words"),
        heart_score=mx("heart_score"),
        heart_taken=any(heart) if heart else None,
        expression_delivered=mx("expression_delivered"),
        semantic_similarity=mx("semantic_similarity"),
        style_similarity=mx("style_similarity"),
        copy_kind=", ".join(sorted({f.copy_kind for f in facts})),
        summary=" ".join(f.summary for f in facts if f.summary),
    )


def prefill_from_evidence(scenario: Scenario, facts: EvidenceFacts | list[EvidenceFacts]) -> tuple[Scenario, list[str]]:
    """Fill unanswered questions that a measurement can answer; never overwrite the user.

    Returns the new scenario and the ids of the questions pre-filled, so the app can label
    them "from the measurement" and the user can change them.
    """
    f = combined_facts(facts if isinstance(facts, list) else [facts])
    if f is None:
        return scenario, []
    filled: list[str] = []
    out = scenario
    for q in load_questionnaire().questions:
        if q.prefill is None or is_answered(out, q):
            continue
        value: Any = None
        if q.prefill == "share_of_source_taken" and f.share_of_source_taken is not None:
            if q.kind == "bool":
                value = f.share_of_source_taken >= defaults.ASSESS_ENTIRE_WORK_SHARE
            else:
                value = portion_from_share(f.share_of_source_taken)
        elif q.prefill == "heart_taken" and f.heart_taken is not None:
            value = f.heart_taken
        elif q.prefill == "medium":
            value = f.medium if q.option(f.medium) else None
        if value is None or q.option(value) is None:
            continue
        try:
            out = set_answer(out, q, value)
        except ScenarioError:
            continue  # the user's other answers contradict the measurement: keep theirs
        filled.append(q.id)
    return out, filled
