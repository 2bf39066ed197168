"""The witnesses besides chrF++ in the view model: similarities and noise floors, formatted for the pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..types import Estimate, LanguageWitness, ModelInfo, PairWitness, Report, Scores, VersionWitness
from .viewmodel import ModelView, Setting, WitnessCells


def _num(value: float | None, digits: int) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _ci(ci: tuple[float, float] | None, digits: int) -> str:
    return "" if ci is None else f"{ci[0]:.{digits}f}–{ci[1]:.{digits}f}"


def _title(direct: str, back: str, floor: str, excess: str) -> str:
    parts = []
    if direct != "–":
        parts.append(f"direct similarity source ↔ version {direct}; source ↔ back-translation {back}")
    if floor != "–":
        parts.append(f"the source's own round trip scores chrF++ {floor}; excess drift {excess}")
    return "; ".join(parts)


def _cells(
    direct: Estimate | float | None, back: Estimate | float | None, floor: Scores | float | None, excess: float | None
) -> WitnessCells:
    d = direct.value if isinstance(direct, Estimate) else direct
    b = back.value if isinstance(back, Estimate) else back
    f = floor.chrf if isinstance(floor, Scores) else floor
    cells = (_num(d, 2), _num(b, 2), _num(f, 1), _num(excess, 1))
    return WitnessCells(
        direct=cells[0],
        direct_ci=_ci(direct.ci, 2) if isinstance(direct, Estimate) else "",
        back=cells[1],
        floor=cells[2],
        floor_ci=_ci(floor.chrf_ci, 1) if isinstance(floor, Scores) else "",
        excess=cells[3],
        title=_title(*cells),
    )


def pair_cells(witness: PairWitness | None) -> WitnessCells | None:
    if witness is None:
        return None
    return _cells(witness.direct, witness.back, witness.floor, witness.excess_drift)


def version_cells(witness: VersionWitness | LanguageWitness | None) -> WitnessCells | None:
    if witness is None:
        return None
    return _cells(witness.direct, witness.back, witness.floor, witness.excess_drift)


def encoder_view(encoder: ModelInfo | None) -> ModelView | None:
    return None if encoder is None else ModelView(encoder.name, encoder.revision, encoder.backend, encoder.compute_type)


def witness_settings(record: Mapping[str, Any]) -> list[Setting]:
    """The signature's record of how the witnesses were computed, flattened to name/value lines."""
    out = []
    for group, values in record.items():
        for name, value in values.items() if isinstance(values, Mapping) else [("", values)]:
            if isinstance(value, Mapping):
                out += [Setting(f"{group} {name} {k}".strip(), str(v)) for k, v in value.items()]
            else:
                out.append(Setting(f"{group} {name}".strip(), str(value)))
    return out


def has_witnesses(report: Report) -> tuple[bool, bool]:
    """(any similarities, any noise floors) in the report."""
    witnesses = [s.witness for s in report.languages if s.witness is not None]
    return (
        any(w.direct is not None or w.back is not None for w in witnesses),
        any(w.floor is not None for w in witnesses),
    )
