"""The shape of one catalogue metric (:data:`impact.catalogue.CATALOGUE` holds them)."""

from __future__ import annotations

from typing import Literal

import msgspec

ImpDimension = Literal["what", "who", "how_much", "contribution", "risk"]


class MetricDefinition(msgspec.Struct, frozen=True, kw_only=True):
    """One catalogue metric. ``higher_is_better`` gives the direction; ``inputs`` are required,
    ``optional_inputs`` have defaults; ``computable`` says whether :func:`impact.compute` can
    compute it from those inputs."""

    id: str
    name_ja: str
    name_en: str
    unit: str
    higher_is_better: bool
    definition_ja: str
    definition_en: str
    source: str
    imp_dimension: ImpDimension
    sdg_targets: tuple[str, ...]
    inputs: tuple[str, ...]
    optional_inputs: tuple[str, ...] = ()
    computable: bool = True


def _m(
    id: str,
    name_ja: str,
    name_en: str,
    unit: str,
    higher: bool,
    def_ja: str,
    def_en: str,
    source: str,
    dim: ImpDimension,
    sdgs: tuple[str, ...],
    inputs: tuple[str, ...],
    optional: tuple[str, ...] = (),
) -> MetricDefinition:
    return MetricDefinition(
        id=id,
        name_ja=name_ja,
        name_en=name_en,
        unit=unit,
        higher_is_better=higher,
        definition_ja=def_ja,
        definition_en=def_en,
        source=source,
        imp_dimension=dim,
        sdg_targets=sdgs,
        inputs=inputs,
        optional_inputs=optional,
    )
