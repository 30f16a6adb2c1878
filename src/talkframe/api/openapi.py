"""A valid OpenAPI 3.1 document: schemas that routes embed by hand (`openapi_extra`) carry pydantic's local
`$defs`, whose `#/$defs/...` references do not resolve from the document's root. They are moved into
`components/schemas` and their references rewritten, so client generators and fuzzers see the whole request."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI


def _each_object(node: Any, visit: Callable[[dict[str, Any]], None]) -> None:
    """Call `visit` on every JSON object in `node`, each before the objects inside it (as they are after `visit`)."""
    if isinstance(node, list):
        for item in node:
            _each_object(item, visit)
    elif isinstance(node, dict):
        visit(node)
        for value in list(node.values()):
            _each_object(value, visit)


def _hoist(root: Any, components: dict[str, Any]) -> None:
    """Move every nested `$defs` into `components` (renaming on a clash) and point its references there."""
    _each_object(root, lambda node: _hoist_defs(node, components))


def _hoist_defs(node: dict[str, Any], components: dict[str, Any]) -> None:
    defs = node.pop("$defs", None)
    if defs:
        names: dict[str, str] = {}
        for name, schema in defs.items():
            target, n = name, 1
            while target in components and components[target] != schema:
                n += 1
                target = f"{name}{n}"
            names[name] = target
        _rewrite(node, names)
        for name, schema in defs.items():
            _rewrite(schema, names)
            components[names[name]] = schema
        for name in defs:
            _hoist(components[names[name]], components)


def _rewrite(node: Any, names: dict[str, str]) -> None:
    if isinstance(node, list):
        for item in node:
            _rewrite(item, names)
    elif isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            node["$ref"] = f"#/components/schemas/{names.get(ref[8:], ref[8:])}"
        for key, value in node.items():
            if key != "$defs":
                _rewrite(value, names)


def _fix_discriminators(root: Any, components: dict[str, Any]) -> None:
    """Discriminator mappings name schemas by reference too: point them at components, or drop a mapping whose
    schemas were inlined (the `oneOf` beside it still says everything)."""
    _each_object(root, lambda node: _fix_mapping(node, components))


def _fix_mapping(node: dict[str, Any], components: dict[str, Any]) -> None:
    mapping = node.get("discriminator", {}).get("mapping") if isinstance(node.get("discriminator"), dict) else None
    if isinstance(mapping, dict) and any(str(v).startswith("#/$defs/") for v in mapping.values()):
        names = {k: str(v)[8:] for k, v in mapping.items()}
        if all(n in components for n in names.values()):
            node["discriminator"]["mapping"] = {k: f"#/components/schemas/{n}" for k, n in names.items()}
        else:
            del node["discriminator"]["mapping"]


def resolve_schema_refs(app: FastAPI) -> None:
    """Wrap `app.openapi` so the cached document it serves has every `$ref` resolvable."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            doc = build()
            components = doc.setdefault("components", {}).setdefault("schemas", {})
            _hoist(doc.get("paths", {}), components)
            for schema in list(components.values()):
                _hoist(schema, components)
            _fix_discriminators(doc, components)
            app.openapi_schema = doc
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
