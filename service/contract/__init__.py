"""The OpenAPI document as the API's contract: problem responses, security and exact schemas.

``create_app`` passes :class:`MsgspecStructSchemaPlugin` and :class:`UploadFormSchemaPlugin` to Litestar and calls
:func:`apply_contract` on the built app (plugins add to an operation's contract through
:class:`ContractSource`); ``tests/contract`` fuzzes the result with schemathesis.
"""

from service.contract.problems import (
    BEARER,
    COOKIE,
    DESCRIPTIONS,
    KNOWN,
    Addition,
    Contract,
    ContractSource,
    apply_contract,
    derive,
)
from service.contract.schemas import MsgspecStructSchemaPlugin, UploadFormSchemaPlugin, schema_from_json

__all__ = [
    "BEARER",
    "COOKIE",
    "DESCRIPTIONS",
    "KNOWN",
    "Addition",
    "Contract",
    "ContractSource",
    "MsgspecStructSchemaPlugin",
    "UploadFormSchemaPlugin",
    "apply_contract",
    "derive",
    "schema_from_json",
]
