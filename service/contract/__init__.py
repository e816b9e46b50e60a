"""The OpenAPI document as the API's contract: problem responses, security and exact schemas.

``create_app`` passes :class:`MsgspecStructSchemaPlugin` to Litestar and calls
:func:`apply_contract` on the built app; ``tests/contract`` fuzzes the result with schemathesis.
"""

from service.contract.problems import BEARER, COOKIE, DESCRIPTIONS, KNOWN, Contract, apply_contract, derive
from service.contract.schemas import MsgspecStructSchemaPlugin, schema_from_json

__all__ = [
    "BEARER",
    "COOKIE",
    "DESCRIPTIONS",
    "KNOWN",
    "Contract",
    "MsgspecStructSchemaPlugin",
    "apply_contract",
    "derive",
    "schema_from_json",
]
