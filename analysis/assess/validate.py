"""Check the engine against the courts: run it on every library case encoded as a scenario.

Agreement is counted on cases with a clear outcome (fair use / not fair use): the engine
agrees when it leans the way the court ruled; a "close call" counts as not agreeing and is
also reported as its own rate. Each factor's agreement compares the engine's lean with the
court's finding where the court found F, A or N. Cases whose outcome is mixed or not
reached are listed but not scored.

The weights in ``data/weights.yaml`` are set by hand, not fitted to these cases, so no
leave-one-out is needed; each case is assessed without itself among the precedents.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from analysis.assess.caselaw import load_cases
from analysis.assess.engine import evaluate
from analysis.assess.factors import load_weights
from analysis.assess.models import LEAN_VALUE

_EXPECTED = {"fair_use": "leans_fair_use", "not_fair_use": "leans_against"}
_SIGN = {lean: "F" if v > 0 else "A" if v < 0 else "N" for lean, v in LEAN_VALUE.items()}
TARGET_AGREEMENT = 0.85
TARGET_CLOSE_CALL = 0.15


class CaseResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    case_id: str
    name: str
    outcome: str
    predicted: str
    agrees: bool | None = Field(description="None for cases without a clear outcome")
    factor_leans: dict[str, str]
    court_factors: dict[str, str]
    provisional: bool = False


class ValidationResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cases_total: int
    clear_cases: int
    agreed: int
    agreement: float
    close_calls: int
    close_call_rate: float
    confusion: dict[str, dict[str, int]] = Field(description="court outcome -> engine label -> count")
    factor_agreement: dict[str, float]
    factor_counts: dict[str, int]
    disagreements: list[CaseResult]
    results: list[CaseResult]
    fitted: bool = False
    weights_provenance: str = ""

    @property
    def meets_target(self) -> bool:
        return self.agreement >= TARGET_AGREEMENT and self.close_call_rate <= TARGET_CLOSE_CALL


# Answers that come close to restating a court's conclusion (did the use share the source's
# purpose, would it substitute, was there harm, was the amount reasonable). Withholding them
# is a stress test: how much does agreement rest on facts versus characterisations?
CONCLUSORY_ANSWERS = (
    "use.same_purpose_as_source",
    "market.substitutes",
    "market.harm_evidence",
    "use.amount_reasonable",
)


def _withhold(scenario, fields: tuple[str, ...]):
    updates: dict[str, dict] = {}
    for path in fields:
        head, leaf = path.split(".")
        updates.setdefault(head, {})[leaf] = None
    return scenario.model_copy(update={h: getattr(scenario, h).model_copy(update=u) for h, u in updates.items()})


def validate_library(withhold: tuple[str, ...] = ()) -> ValidationResult:
    """Run the engine on every case; ``withhold`` clears the named answers first (stress test)."""
    cases = load_cases()
    results: list[CaseResult] = []
    labels = ["leans_fair_use", "close_call", "leans_against"]
    confusion: dict[str, dict[str, int]] = {}
    f_hits = {f"f{i}": 0 for i in range(1, 5)}
    f_n = {f"f{i}": 0 for i in range(1, 5)}
    for cid, case in sorted(cases.items()):
        core = evaluate(_withhold(case.scenario, withhold) if withhold else case.scenario)
        pred = core.overall.label
        clear = case.outcome in _EXPECTED
        agrees = (pred == _EXPECTED[case.outcome]) if clear else None
        leans = {f"f{f.factor}": f.lean for f in core.findings}
        court = case.factors.model_dump()
        results.append(
            CaseResult(
                case_id=cid,
                name=case.name,
                outcome=case.outcome,
                predicted=pred,
                agrees=agrees,
                factor_leans=leans,
                court_factors=court,
                provisional=case.provisional,
            )
        )
        row = confusion.setdefault(case.outcome, {k: 0 for k in labels})
        row[pred] += 1
        for k, code in court.items():
            if code in ("F", "A", "N"):
                f_n[k] += 1
                f_hits[k] += int(_SIGN[leans[k]] == code)
    clear = [r for r in results if r.agrees is not None]
    agreed = sum(1 for r in clear if r.agrees)
    close = sum(1 for r in clear if r.predicted == "close_call")
    prov = load_weights().get("provenance", {})
    return ValidationResult(
        cases_total=len(results),
        clear_cases=len(clear),
        agreed=agreed,
        agreement=round(agreed / len(clear), 4) if clear else 0.0,
        close_calls=close,
        close_call_rate=round(close / len(clear), 4) if clear else 0.0,
        confusion=confusion,
        factor_agreement={k: round(f_hits[k] / f_n[k], 4) if f_n[k] else 0.0 for k in f_hits},
        factor_counts=f_n,
        disagreements=[r for r in clear if not r.agrees],
        results=results,
        fitted=False,
        weights_provenance=str(prov.get("method", "")),
    )


def format_validation(v: ValidationResult) -> str:
    lines = [
        "Four-factor engine against the case library",
        f"  cases: {v.cases_total} ({v.clear_cases} with a clear outcome; mixed / not reached listed, not scored)",
        f"  agreement with the courts: {v.agreed}/{v.clear_cases} = {v.agreement:.1%} (target >= {TARGET_AGREEMENT:.0%})",
        f"  close calls: {v.close_calls}/{v.clear_cases} = {v.close_call_rate:.1%} (target <= {TARGET_CLOSE_CALL:.0%})",
        f"  weights: {v.weights_provenance or 'see data/weights.yaml'}; fitted: {'yes (leave-one-out)' if v.fitted else 'no, so no leave-one-out needed'}",
        "",
        "Confusion matrix (rows: court; columns: engine)",
        f"  {'':16}{'leans fair':>12}{'close call':>12}{'leans against':>15}",
    ]
    for outcome, row in sorted(v.confusion.items()):
        lines.append(f"  {outcome:16}{row['leans_fair_use']:>12}{row['close_call']:>12}{row['leans_against']:>15}")
    lines += ["", "Each factor: engine's lean vs the court's finding (F / A / N findings only)"]
    for k, rate in v.factor_agreement.items():
        lines.append(f"  factor {k[1]}: {rate:.1%} of {v.factor_counts[k]}")
    if v.disagreements:
        lines += ["", "Where the engine and the court differ"]
        for r in v.disagreements:
            lines.append(
                f"  {r.case_id}: court {r.outcome}, engine {r.predicted} "
                f"(engine {', '.join(_SIGN[x] for x in r.factor_leans.values())}; court {', '.join(r.court_factors.values())})"
            )
    lines += ["", f"Target met: {'yes' if v.meets_target else 'NO'}"]
    return "\n".join(lines)


def run_validation_cli() -> int:
    """``fairuse validate``: print the figures; exit 0 when the target is met, else 1."""
    v = validate_library()
    if v.cases_total == 0:
        print("No cases in the library (analysis/assess/data/cases/).")
        return 1
    print(format_validation(v))
    stress = validate_library(withhold=CONCLUSORY_ANSWERS)
    print("")
    print("Stress test: the same cases with the answers closest to a court's conclusion withheld")
    print("  (" + ", ".join(CONCLUSORY_ANSWERS) + ")")
    print(
        f"  agreement {stress.agreed}/{stress.clear_cases} = {stress.agreement:.1%}; close calls {stress.close_calls} = {stress.close_call_rate:.1%}; "
        f"wrong way {stress.clear_cases - stress.agreed - stress.close_calls}"
    )
    return 0 if v.meets_target else 1
