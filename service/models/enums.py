"""Closed vocabularies shared by tables and API schemas (stored as text + CHECK)."""

from __future__ import annotations

from enum import StrEnum


class OrgKind(StrEnum):
    local_management_corp = "local_management_corp"
    company = "company"
    npo = "npo"
    municipality = "municipality"
    regional_bank = "regional_bank"
    public_financier = "public_financier"
    fund = "fund"
    individual = "individual"


class Role(StrEnum):
    investor = "investor"
    project_lead = "project_lead"
    bank = "bank"
    admin = "admin"


class Sector(StrEnum):
    mobility = "mobility"
    medical_care = "medical_care"
    elderly_care = "elderly_care"
    retail = "retail"
    energy = "energy"
    vacant_houses = "vacant_houses"
    education = "education"
    childcare = "childcare"
    snow_removal = "snow_removal"
    agriculture = "agriculture"
    tourism = "tourism"
    disaster_resilience = "disaster_resilience"
    digital = "digital"


class Instrument(StrEnum):
    equity = "equity"
    loan = "loan"
    revenue_share = "revenue_share"
    social_impact_bond = "social_impact_bond"
    donation = "donation"
    corporate_furusato = "corporate_furusato"


class Stage(StrEnum):
    idea = "idea"
    pilot = "pilot"
    operating = "operating"
    scaling = "scaling"


class ProjectStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"
    vetted = "vetted"
    funding = "funding"
    funded = "funded"
    closed = "closed"
    rejected = "rejected"
    withdrawn = "withdrawn"


class InvestorType(StrEnum):
    individual = "individual"
    company = "company"
    fund = "fund"
    regional_bank = "regional_bank"
    public_financier = "public_financier"
    corporate_donor = "corporate_donor"


class RiskTolerance(StrEnum):
    low = "low"
    medium = "medium"
    high = "high"


# "Listed" is defined here once. matching/ (a pure library that may not import the service) keeps
# its copy as matching.RANKABLE_STATUSES; tests/service/test_one_source.py asserts they agree, as
# it does for every vocabulary above and its Literal in matching/_records.py.

#: Statuses in which a project is listed and takes money: matches rank it, investors can join.
OPEN_STATUSES: frozenset[ProjectStatus] = frozenset({ProjectStatus.vetted, ProjectStatus.funding})
#: Statuses whose projects the public may see: the open ones and those that already raised.
PUBLIC_STATUSES: frozenset[ProjectStatus] = OPEN_STATUSES | {ProjectStatus.funded, ProjectStatus.closed}
