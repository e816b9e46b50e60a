"""Request and response components exactly as msgspec decodes and encodes them.

Litestar's own schema for a msgspec Struct drops what the decoder enforces: it never says
``additionalProperties: false`` for a Struct with ``forbid_unknown_fields=True``, and it loses the
constraints of list items (``list[MunicipalityCode]`` becomes a list of any string). This plugin
keeps Litestar's component (its name, and references to enums and nested Structs) and replaces
every property whose msgspec schema needs no reference with msgspec's own JSON schema, so the
document states what the server enforces.

:class:`UploadFormSchemaPlugin` does the same for a multipart form written as a dataclass of
:class:`~litestar.datastructures.UploadFile` fields: each is a file part the request must carry
(a default of ``None`` only lets the handler answer a missing part with a 422 naming it), and
no other part is accepted.
"""

from __future__ import annotations

import dataclasses
import types
from typing import Any, Union, get_args, get_origin, get_type_hints

import msgspec

# Litestar builds the component itself (name, registry, references); only its properties are redone.
from litestar._openapi.schema_generation.plugins.dataclass import DataclassSchemaPlugin as _LitestarDataclassPlugin
from litestar._openapi.schema_generation.plugins.struct import StructSchemaPlugin as _LitestarStructPlugin
from litestar.datastructures import UploadFile
from litestar.openapi.spec import OpenAPIFormat, OpenAPIType, Reference, Schema
from litestar.plugins import OpenAPISchemaPlugin
from litestar.typing import FieldDefinition

_ALIASES = {f.metadata.get("alias", f.name): f.name for f in dataclasses.fields(Schema)}
_SCHEMA_VALUED = frozenset({"items", "not", "contains", "if", "then", "else", "propertyNames"})
_SCHEMA_LISTS = frozenset({"anyOf", "oneOf", "allOf", "prefixItems"})


def _has_reference(value: Any) -> bool:
    if isinstance(value, dict):
        return "$ref" in value or any(_has_reference(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_reference(v) for v in value)
    return False


def schema_from_json(value: dict[str, Any]) -> Schema | Reference:
    """A JSON Schema dict (as msgspec writes it) as Litestar's :class:`Schema`."""
    if "$ref" in value:
        return Reference(ref=value["$ref"])
    kwargs: dict[str, Any] = {}
    for key, item in value.items():
        if key in _SCHEMA_VALUED:
            item = schema_from_json(item)
        elif key in _SCHEMA_LISTS:
            item = [schema_from_json(v) for v in item]
        elif key == "properties":
            item = {k: schema_from_json(v) for k, v in item.items()}
        elif key == "additionalProperties" and isinstance(item, dict):
            item = schema_from_json(item)
        kwargs[_ALIASES[key]] = item
    return Schema(**kwargs)


class MsgspecStructSchemaPlugin(OpenAPISchemaPlugin):
    """Struct components whose properties are msgspec's own JSON schema (see the module doc)."""

    def __init__(self) -> None:
        self._litestar = _LitestarStructPlugin()

    def is_plugin_supported_field(self, field_definition: FieldDefinition) -> bool:
        return self._litestar.is_plugin_supported_field(field_definition)

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: Any) -> Schema:
        schema = self._litestar.to_openapi_schema(field_definition, schema_creator)
        struct = field_definition.annotation
        try:
            (root,), components = msgspec.json.schema_components([struct], ref_template="#/components/schemas/{name}")
        except (TypeError, ValueError):  # a type msgspec cannot describe: keep Litestar's schema
            return schema
        own = components[root["$ref"].rsplit("/", 1)[1]] if "$ref" in root else root
        properties = dict(schema.properties or {})
        for name, prop in own.get("properties", {}).items():
            if name in properties and not _has_reference(prop):
                properties[name] = schema_from_json(prop)
        schema.properties = properties
        schema.required = sorted(own.get("required", []))
        if own.get("additionalProperties") is False:
            schema.additional_properties = False
        return schema


def _is_upload(annotation: Any) -> bool:
    """``UploadFile`` or ``UploadFile | None``."""
    if annotation is UploadFile:
        return True
    if get_origin(annotation) in (Union, types.UnionType):
        return {a for a in get_args(annotation) if a is not type(None)} == {UploadFile}
    return False


def upload_fields(form: Any) -> list[str] | None:
    """The fields of a dataclass whose fields are all uploads; None for anything else."""
    if not (isinstance(form, type) and dataclasses.is_dataclass(form)):
        return None
    hints = get_type_hints(form)
    names = [f.name for f in dataclasses.fields(form)]
    return names if names and all(_is_upload(hints[name]) for name in names) else None


class UploadFormSchemaPlugin(OpenAPISchemaPlugin):
    """A multipart form of file parts: each one required and binary, no other part (see the module doc)."""

    def __init__(self) -> None:
        self._litestar = _LitestarDataclassPlugin()

    def is_plugin_supported_field(self, field_definition: FieldDefinition) -> bool:
        return upload_fields(field_definition.annotation) is not None

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: Any) -> Schema:
        schema = self._litestar.to_openapi_schema(field_definition, schema_creator)
        names = upload_fields(field_definition.annotation) or []
        schema.properties = {
            name: Schema(
                type=OpenAPIType.STRING,
                format=OpenAPIFormat.BINARY,
                content_media_type="application/octet-stream",
                description="A file part (with a filename in its Content-Disposition).",
            )
            for name in names
        }
        schema.required = sorted(names)
        schema.additional_properties = False
        return schema
