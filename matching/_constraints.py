"""Hard constraints, applied before any ranking.

A project can be matched to an investor only if it is listed (vetted or funding), its
instrument is one the investor accepts, the investor's ticket max reaches the project's
minimum ticket, and the investor may legally take the instrument::

    from matching import eligibility_problems

    eligibility_problems(investor, project)   # [] when the pair may be matched,
                                              # else codes like ["instrument_not_accepted"]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._records import INSTRUMENTS, INVESTOR_TYPES, RANKABLE_STATUSES, InvestorRecord, ProjectRecord

# Equity crowdfunding (株式投資型クラウドファンディング) caps an individual at ¥500,000 per issuer
# per year, so an individual cannot meet a higher minimum ticket on equity.
INDIVIDUAL_EQUITY_CAP_YEN = 500_000
# Corporate furusato donations (企業版ふるさと納税) can only be made by corporations.
FURUSATO_INVESTOR_TYPES = frozenset({"company", "corporate_donor"})
_EQUITY = INSTRUMENTS.index("equity")
_FURUSATO = INSTRUMENTS.index("corporate_furusato")
_INSTRUMENT_INDEX = {s: i for i, s in enumerate(INSTRUMENTS)}


def eligibility_problems(investor: InvestorRecord, project: ProjectRecord) -> list[str]:
    """Codes of the hard constraints a pair breaks; empty when it may be matched."""
    problems = []
    if project.status not in RANKABLE_STATUSES:
        problems.append("project_not_listed")
    if project.instrument not in investor.instruments:
        problems.append("instrument_not_accepted")
    if project.instrument == "corporate_furusato" and investor.investor_type not in FURUSATO_INVESTOR_TYPES:
        problems.append("furusato_requires_corporation")
    cap = investor.ticket_max_yen
    if project.instrument == "equity" and investor.investor_type == "individual":
        cap = min(cap, INDIVIDUAL_EQUITY_CAP_YEN)
    if cap < project.min_ticket_yen:
        problems.append("ticket_too_small")
    return problems


class ProjectConstraints:
    """Per-project arrays: ``listed``, ``instrument`` (code) and ``min_ticket``."""

    def __init__(self, listed: np.ndarray, instrument: np.ndarray, min_ticket: np.ndarray) -> None:
        self.listed, self.instrument, self.min_ticket = listed, instrument, min_ticket

    @classmethod
    def build(cls, projects: Sequence[ProjectRecord]) -> ProjectConstraints:
        return cls(
            np.array([p.status in RANKABLE_STATUSES for p in projects], bool),
            np.array([_INSTRUMENT_INDEX[p.instrument] for p in projects], np.int64),
            np.array([p.min_ticket_yen for p in projects], np.int64),
        )

    def arrays(self) -> dict[str, np.ndarray]:
        return {"pc_listed": self.listed, "pc_instrument": self.instrument, "pc_min_ticket": self.min_ticket}

    @classmethod
    def from_arrays(cls, a: dict[str, np.ndarray]) -> ProjectConstraints:
        return cls(
            a["pc_listed"].astype(bool), a["pc_instrument"].astype(np.int64), a["pc_min_ticket"].astype(np.int64)
        )


class InvestorConstraints:
    """Per-investor arrays: accepted instruments, ticket max, and the two legal flags."""

    def __init__(
        self, accepts: np.ndarray, ticket_max: np.ndarray, individual: np.ndarray, furusato_ok: np.ndarray
    ) -> None:
        self.accepts, self.ticket_max = accepts, ticket_max
        self.individual, self.furusato_ok = individual, furusato_ok

    @classmethod
    def build(cls, investors: Sequence[InvestorRecord]) -> InvestorConstraints:
        accepts = np.zeros((len(investors), len(INSTRUMENTS)), bool)
        for r, inv in enumerate(investors):
            for s in inv.instruments:
                if s in _INSTRUMENT_INDEX:
                    accepts[r, _INSTRUMENT_INDEX[s]] = True
        types = [inv.investor_type for inv in investors]
        if unknown := set(types) - set(INVESTOR_TYPES):
            raise ValueError(f"unknown investor_type {sorted(unknown)}")
        return cls(
            accepts,
            np.array([inv.ticket_max_yen for inv in investors], np.int64),
            np.array([t == "individual" for t in types], bool),
            np.array([t in FURUSATO_INVESTOR_TYPES for t in types], bool),
        )

    def arrays(self) -> dict[str, np.ndarray]:
        return {
            "ic_accepts": self.accepts,
            "ic_ticket_max": self.ticket_max,
            "ic_individual": self.individual,
            "ic_furusato_ok": self.furusato_ok,
        }

    @classmethod
    def from_arrays(cls, a: dict[str, np.ndarray]) -> InvestorConstraints:
        return cls(
            a["ic_accepts"].astype(bool),
            a["ic_ticket_max"].astype(np.int64),
            a["ic_individual"].astype(bool),
            a["ic_furusato_ok"].astype(bool),
        )

    def take(self, rows: np.ndarray) -> InvestorConstraints:
        return InvestorConstraints(
            self.accepts[rows], self.ticket_max[rows], self.individual[rows], self.furusato_ok[rows]
        )


def eligible_mask(
    inv: InvestorConstraints, rows: np.ndarray, proj: ProjectConstraints, *, check_listed: bool = True
) -> np.ndarray:
    """Boolean (len(rows) × n_projects): which pairs pass every hard constraint."""
    acc = inv.accepts[rows][:, proj.instrument]
    cap = inv.ticket_max[rows][:, None]
    equity = proj.instrument[None, :] == _EQUITY
    cap = np.where(equity & inv.individual[rows][:, None], np.minimum(cap, INDIVIDUAL_EQUITY_CAP_YEN), cap)
    ok = acc & (cap >= proj.min_ticket[None, :])
    ok &= ~((proj.instrument[None, :] == _FURUSATO) & ~inv.furusato_ok[rows][:, None])
    if check_listed:
        ok &= proj.listed[None, :]
    return np.asarray(ok)


class ConstraintArrays:
    """Both sides together, for code that walks investors in chunks."""

    def __init__(self, inv: InvestorConstraints, proj: ProjectConstraints) -> None:
        self.inv, self.proj = inv, proj

    @classmethod
    def build(cls, investors: Sequence[InvestorRecord], projects: Sequence[ProjectRecord]) -> ConstraintArrays:
        return cls(InvestorConstraints.build(investors), ProjectConstraints.build(projects))

    def mask(self, rows: np.ndarray, *, check_listed: bool = False) -> np.ndarray:
        return eligible_mask(self.inv, rows, self.proj, check_listed=check_listed)


def eligible_pairs(
    inv: InvestorConstraints, ii: np.ndarray, proj: ProjectConstraints, jj: np.ndarray, *, check_listed: bool = False
) -> np.ndarray:
    """Like :func:`eligible_mask` but for aligned pairs (``ii[r]``, ``jj[r]``)."""
    instr = proj.instrument[jj]
    cap = inv.ticket_max[ii]
    cap = np.where((instr == _EQUITY) & inv.individual[ii], np.minimum(cap, INDIVIDUAL_EQUITY_CAP_YEN), cap)
    ok = inv.accepts[ii, instr] & (cap >= proj.min_ticket[jj]) & ~((instr == _FURUSATO) & ~inv.furusato_ok[ii])
    if check_listed:
        ok &= proj.listed[jj]
    return np.asarray(ok)
