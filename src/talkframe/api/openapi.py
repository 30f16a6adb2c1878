"""A valid OpenAPI 3.1 document: schemas that routes embed by hand (`openapi_extra`) carry pydantic's local
`$defs`, whose `#/$defs/...` references do not resolve from the document's root. They are moved into
`components/schemas` and their references rewritten, so client generators and fuzzers see the whole request."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI


def _hoist(node: Any, components: dict[str, Any]) -> None:
    """Move every nested `$defs` into `components` (renaming on a clash) and point its references there."""
    if isinstance(node, list):
        for item in node:
            _hoist(item, components)
        return
    if not isinstance(node, dict):
        return
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
    for value in list(node.values()):
        _hoist(value, components)


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


def _fix_discriminators(node: Any, components: dict[str, Any]) -> None:
    """Discriminator mappings name schemas by reference too: point them at components, or drop a mapping whose
    schemas were inlined (the `oneOf` beside it still says everything)."""
    if isinstance(node, list):
        for item in node:
            _fix_discriminators(item, components)
        return
    if not isinstance(node, dict):
        return
    mapping = node.get("discriminator", {}).get("mapping") if isinstance(node.get("discriminator"), dict) else None
    if isinstance(mapping, dict) and any(str(v).startswith("#/$defs/") for v in mapping.values()):
        names = {k: str(v)[8:] for k, v in mapping.items()}
        if all(n in components for n in names.values()):
            node["discriminator"]["mapping"] = {k: f"#/components/schemas/{n}" for k, n in names.items()}
        else:
            del node["discriminator"]["mapping"]
    for value in node.values():
        _fix_discriminators(value, components)


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
