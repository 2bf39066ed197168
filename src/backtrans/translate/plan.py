"""Group all translation work of a run per model, across the whole corpus.

Every segment of every version follows its route. Steps are ordered by how
many steps are left after them: every pivot step (``zh → en``, ``ja → en``)
comes first, then every ``→ source`` step, where pivot outputs and English
versions share one model. Each model is loaded once per run; identical texts
are translated once (see :mod:`backtrans.translate.translator`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..types import ModelRef, Route


@dataclass(frozen=True)
class Job:
    """One version segment to carry back to the source language."""

    article: str
    lang: str
    index: int  #: position among the version's segments
    text: str
    route: Route


@dataclass(frozen=True)
class Step:
    """One model applied to the current texts of some jobs."""

    model: ModelRef
    output_lang: str
    remaining: int  #: steps left after this one on the jobs' routes
    jobs: tuple[int, ...]  #: indices into :attr:`Plan.jobs`


@dataclass(frozen=True)
class Plan:
    jobs: tuple[Job, ...]
    steps: tuple[Step, ...]

    @property
    def models(self) -> tuple[ModelRef, ...]:
        return tuple(dict.fromkeys(step.model for step in self.steps))


def build_plan(jobs: Sequence[Job]) -> Plan:
    """Steps per (steps left, model), the furthest from the end first; order is deterministic."""
    groups: dict[tuple[int, ModelRef], list[int]] = {}
    outputs: dict[tuple[int, ModelRef], str] = {}
    for j, job in enumerate(jobs):
        n = len(job.route.steps)
        for k, model in enumerate(job.route.steps):
            key = (n - 1 - k, model)
            groups.setdefault(key, []).append(j)
            outputs.setdefault(key, job.route.path[k + 1] if k + 1 < len(job.route.path) else job.route.target_lang)
    order = sorted(groups, key=lambda key: (-key[0], key[1].name, key[1].target_token or ""))
    steps = tuple(Step(model, outputs[(rem, model)], rem, tuple(groups[(rem, model)])) for rem, model in order)
    return Plan(tuple(jobs), steps)
