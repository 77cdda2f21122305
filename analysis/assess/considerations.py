"""The considerations of the four factors and the holdings they cite, as data.

``data/considerations.yaml`` lists every consideration once (id, factor, condition,
direction, prior weight, the holdings it cites, its wording per audience);
``data/holdings.yaml`` says what each authority actually held, with its pinpoint, topic and
direction. This module loads both, validates them against the scenario format (a condition
naming a field or an answer that does not exist is a packaging error, raised at load), and
compiles each condition into a plain predicate over a flat dictionary of facts, so the
engine's core is a few dictionary look-ups per consideration (fast enough to re-run for
every alternative answer in the sensitivity analysis).

The condition language is documented at the top of ``considerations.yaml``.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping
from functools import cache, lru_cache
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from analysis.assess.scenario import Scenario
from analysis.resources import data_dir

Facts = Mapping[str, Any]
Predicate = Callable[[Facts], bool]
Direction = Literal["favours", "disfavours", "neutral"]

# Facts computed by the engine (analysis/assess/factors.py) rather than answered; conditions
# may name them beside the scenario's own fields. Values each may take, for validation.
DERIVED_FACTS: dict[str, tuple[Any, ...]] = {
    "purpose_degree": ("strong", "some", "none"),
    "amount": ("tiny", "small", "moderate", "large", "entire"),
    "amount_measured": (True, False),
    "heart": (True, False),
    "heart_measured": (True, False),
    "long_passage": (True, False),
    "measured": (True, False),
    "substitution": ("low", "moderate", "high", "unknown"),
    "substitution_measured": (True, False),
    "training": (True, False),
    "ai_involved": (True, False),
    "criticism_of_source": (True, False),
    "parody_on_target": (True, False),
    "takes_only_unprotected": (True, False),
    "no_copied_expression": (True, False),
    "expression_measured_absent": (True, False),
    "needs_whole_for": ("search", "access", "training", "interoperability", "record"),
    "users_copying": (True, False),
}
_OPS = {"has", "has_any", "has_none", "not", "not_in", "set", "only"}


class ConsiderationError(ValueError):
    """considerations.yaml or holdings.yaml is inconsistent (a packaging bug)."""


# --------------------------------------------------------------------------- fields
def _literal_values(annotation: Any) -> tuple[Any, ...] | None:
    """The values a scenario field may take (None where free text, a number or a date)."""
    if annotation is bool:
        return (True, False)
    if typing.get_origin(annotation) is Literal:
        return typing.get_args(annotation)
    args = typing.get_args(annotation)  # unions (X | None) and list[X]
    if not args:
        return None
    out: list[Any] = []
    for arg in args:
        if arg is type(None):
            continue
        vals = _literal_values(arg)
        if vals is None:
            return None
        out.extend(vals)
    return tuple(out)


@cache
def scenario_field(path: str) -> tuple[bool, tuple[Any, ...] | None]:
    """(is a Scenario field, its allowed values or None). Raises on an unknown path."""
    model: Any = Scenario
    parts = path.split(".")
    for i, part in enumerate(parts):
        fields = getattr(model, "model_fields", None)
        if fields is None or part not in fields:
            raise ConsiderationError(f"{path!r} is not a scenario field")
        ann = fields[part].annotation
        if i < len(parts) - 1:
            model = ann
    return True, _literal_values(ann)


def check_fact(key: str, values: list[Any], where: str) -> None:
    if key in DERIVED_FACTS:
        allowed: tuple[Any, ...] | None = DERIVED_FACTS[key]
    else:
        try:
            _, allowed = scenario_field(key)
        except ConsiderationError as exc:
            raise ConsiderationError(f"{where}: {exc}") from None
    if allowed is None:
        return
    for v in values:
        if not any(_eq(v, a) for a in allowed):
            raise ConsiderationError(f"{where}: {key} cannot be {v!r} (one of {list(allowed)})")


# --------------------------------------------------------------------------- conditions
def _eq(a: Any, b: Any) -> bool:
    """Equality that keeps True apart from 1 and "partly" apart from True."""
    return a == b and isinstance(a, bool) == isinstance(b, bool)


def _in(a: Any, values: list[Any]) -> bool:
    return any(_eq(a, v) for v in values)


def _answered(v: Any) -> bool:
    return v is not None and v != () and v != [] and v != frozenset()


def compile_condition(cond: Mapping[str, Any] | None, where: str) -> Predicate:
    """A condition mapping → a predicate over facts. All entries must hold."""
    if not cond:
        return lambda f: True
    if not isinstance(cond, Mapping):
        raise ConsiderationError(f"{where}: a condition is a mapping of facts to tests")
    tests: list[Predicate] = []
    for key, val in cond.items():
        if key == "any":
            if not isinstance(val, list) or not val:
                raise ConsiderationError(f"{where}: 'any' takes a list of conditions")
            tests.append(_any_of([compile_condition(c, where) for c in val]))
        else:
            tests.append(_leaf(str(key), val, where))
    if len(tests) == 1:
        return tests[0]
    return lambda f: all(t(f) for t in tests)


def _any_of(subs: list[Predicate]) -> Predicate:
    return lambda f: any(s(f) for s in subs)


def _leaf(key: str, val: Any, where: str) -> Predicate:
    if isinstance(val, Mapping):
        if len(val) != 1 or next(iter(val)) not in _OPS:
            raise ConsiderationError(f"{where}: {key}: a test is one of {sorted(_OPS)}")
        op, arg = next(iter(val.items()))
        if op == "set":
            check_fact(key, [], where)
            want = bool(arg)
            return lambda f: _answered(f.get(key)) == want
        args = list(arg) if isinstance(arg, list) else [arg]
        check_fact(key, args, where)
        # list answers (purposes, what is taken) hold strings only, so plain set tests are exact
        wanted = frozenset(args)
        if op == "has":
            return lambda f: arg in (f.get(key) or ())
        if op == "has_any":
            return lambda f: not wanted.isdisjoint(f.get(key) or ())
        if op == "has_none":
            return lambda f: wanted.isdisjoint(f.get(key) or ())
        if op == "only":
            return lambda f: _answered(f.get(key)) and wanted.issuperset(f.get(key) or ())
        if op == "not":
            return lambda f: not _eq(f.get(key), arg)
        return lambda f: not _in(f.get(key), args)  # not_in
    if isinstance(val, list):
        check_fact(key, val, where)
        return lambda f: _in(f.get(key), val)
    check_fact(key, [val], where)
    return lambda f: _eq(f.get(key), val)


def condition_leaves(cond: Mapping[str, Any] | None) -> list[tuple[str, Any]]:
    """The positive tests of a condition (field, wanted value or values), for the basis.

    Guards (``not``, ``not_in``, ``set: false``, ``has_none``) say what must *not* hold and
    are left out: a reason rests on what the answers say, not on what they do not.
    """
    out: list[tuple[str, Any]] = []
    for key, val in (cond or {}).items():
        if key == "any":
            continue  # alternatives: the engine names the one that held (see factors.py)
        if isinstance(val, Mapping):
            op, arg = next(iter(val.items()))
            if op in ("has", "has_any", "only"):
                out.append((key, arg))
            elif op == "set" and arg:
                out.append((key, None))
            continue
        out.append((key, val))
    return out


# --------------------------------------------------------------------------- models
class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Holding(_Model):
    id: str
    authority: str
    pinpoint: str | None = None
    factor: Literal[0, 1, 2, 3, 4]
    direction: Literal["favours", "disfavours", "either"]
    topics: list[str]
    holds: str
    requires: dict[str, Any] | None = None


class Wording(_Model):
    text: str
    legal: str | None = None

    def for_audience(self) -> dict[str, str]:
        legal = self.legal or self.text
        return {"creator": self.text, "counsel": legal, "student": legal}


class Consideration(_Model):
    id: str
    factor: Literal[1, 2, 3, 4]
    topic: str
    group: str | None = None
    degree: Literal["strong", "some", "none"] | None = None
    when: dict[str, Any] = Field(default_factory=dict)
    direction: Direction
    weight: float = Field(ge=0, le=3, description="the prior weight from the authorities")
    cites: list[str]
    text: str
    legal: str | None = None
    source: Literal["answer", "measurement", "default"] = "answer"
    measured_if: str | None = Field(
        default=None, description="a fact: the reason rests on a measurement when it holds, else on an answer"
    )

    @model_validator(mode="after")
    def _check(self) -> Consideration:
        if self.degree is not None and self.group != "purpose":
            raise ValueError(f"{self.id}: only the purpose group sets a degree")
        if self.group == "purpose" and self.degree is None:
            raise ValueError(f"{self.id}: a purpose rule needs a degree")
        if self.direction == "neutral" and self.weight:
            raise ValueError(f"{self.id}: a neutral consideration has weight 0")
        if self.direction != "neutral" and not self.weight:
            raise ValueError(f"{self.id}: a consideration that moves its factor needs a weight")
        if not self.id.startswith(f"f{self.factor}."):
            raise ValueError(f"{self.id}: ids start with f{self.factor}.")
        return self

    @property
    def fitted(self) -> bool:
        """Whether its weight is fitted to the courts' findings (neutral ones are explanations)."""
        return self.direction != "neutral"

    @property
    def sign(self) -> int:
        return 1 if self.direction == "favours" else -1 if self.direction == "disfavours" else 0

    @property
    def wording(self) -> Wording:
        return Wording(text=self.text, legal=self.legal)


class Counter(_Model):
    cites: list[str]
    text: str


class Rules:
    """The loaded, validated and compiled data: considerations by factor, holdings by id."""

    def __init__(
        self,
        considerations: list[Consideration],
        holdings: dict[str, Holding],
        counters: dict[int, dict[str, Counter]],
        topics: set[str],
    ) -> None:
        self.considerations = considerations
        self.by_id = {c.id: c for c in considerations}
        self.holdings = holdings
        self.counters = counters
        self.topics = topics
        self.when: dict[str, Predicate] = {c.id: compile_condition(c.when, c.id) for c in considerations}
        self.requires: dict[str, Predicate] = {
            h.id: compile_condition(h.requires, h.id) for h in holdings.values() if h.requires
        }
        self.by_factor: dict[int, list[Consideration]] = {n: [] for n in (1, 2, 3, 4)}
        for c in considerations:
            self.by_factor[c.factor].append(c)
        self.fields = sorted({k for c in considerations for k in _keys(c.when)} - set(DERIVED_FACTS))
        self.fields += sorted(
            {k for h in holdings.values() for k in _keys(h.requires)} - set(DERIVED_FACTS) - set(self.fields)
        )

    def applicable(self, factor: int, facts: Facts) -> list[Consideration]:
        """The considerations of one factor that hold for these facts, groups resolved."""
        done: set[str] = set()
        out: list[Consideration] = []
        for c in self.by_factor[factor]:
            if c.group is not None and c.group in done:
                continue
            if self.when[c.id](facts):
                out.append(c)
                if c.group is not None:
                    done.add(c.group)
        return out

    def purpose_rule(self, facts: Facts) -> Consideration | None:
        """The first rule of the purpose group that holds: the degree of further purpose."""
        for c in self.by_factor[1]:
            if c.group == "purpose" and self.when[c.id](facts):
                return c
        return None


def _keys(cond: Mapping[str, Any] | None) -> set[str]:
    out: set[str] = set()
    for key, val in (cond or {}).items():
        if key == "any":
            for sub in val:
                out |= _keys(sub)
        else:
            out.add(str(key))
    return out


def _load_yaml(name: str) -> Any:
    return yaml.safe_load((data_dir() / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def load_rules() -> Rules:
    """Load, validate and compile ``considerations.yaml`` and ``holdings.yaml`` (cached)."""
    from analysis.assess.caselaw import is_known_authority

    hdata = _load_yaml("holdings.yaml") or {}
    topics = set(hdata.get("topics") or [])
    holdings: dict[str, Holding] = {}
    for raw in hdata.get("holdings") or []:
        try:
            h = Holding.model_validate(raw)
        except ValidationError as exc:
            raise ConsiderationError(f"holdings.yaml: {raw.get('id', '?')}: {exc.errors()[0]['msg']}") from None
        if h.id in holdings:
            raise ConsiderationError(f"holdings.yaml: duplicate holding {h.id}")
        if not h.id.startswith(h.authority + "."):
            raise ConsiderationError(f"holdings.yaml: {h.id} must start with its authority '{h.authority}.'")
        if not is_known_authority(h.authority):
            raise ConsiderationError(f"holdings.yaml: {h.id}: authority {h.authority!r} is not in the case library")
        bad = set(h.topics) - topics
        if bad:
            raise ConsiderationError(f"holdings.yaml: {h.id}: unknown topics {sorted(bad)}")
        holdings[h.id] = h
    cdata = _load_yaml("considerations.yaml") or {}
    considerations: list[Consideration] = []
    seen: set[str] = set()
    for raw in cdata.get("considerations") or []:
        try:
            c = Consideration.model_validate(raw)
        except ValidationError as exc:
            err = exc.errors()[0]
            raise ConsiderationError(
                f"considerations.yaml: {raw.get('id', '?')}: {'.'.join(map(str, err['loc']))}: {err['msg']}"
            ) from None
        if c.id in seen:
            raise ConsiderationError(f"considerations.yaml: duplicate consideration {c.id}")
        seen.add(c.id)
        if c.topic not in topics:
            raise ConsiderationError(f"considerations.yaml: {c.id}: unknown topic {c.topic!r}")
        for hid in c.cites:
            if hid not in holdings:
                raise ConsiderationError(
                    f"considerations.yaml: {c.id} cites {hid!r}, which holdings.yaml does not list"
                )
        if c.measured_if is not None and c.measured_if not in DERIVED_FACTS:
            raise ConsiderationError(f"considerations.yaml: {c.id}: measured_if names no derived fact")
        considerations.append(c)
    counters: dict[int, dict[str, Counter]] = {}
    for n, by_dir in (cdata.get("counters") or {}).items():
        counters[int(n)] = {}
        for direction, raw in by_dir.items():
            ctr = Counter.model_validate(raw)
            for hid in ctr.cites:
                if hid not in holdings:
                    raise ConsiderationError(f"considerations.yaml: counter {n}/{direction} cites unknown {hid!r}")
            counters[int(n)][direction] = ctr
    return Rules(considerations, holdings, counters, topics)
