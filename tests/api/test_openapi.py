"""The served OpenAPI document is valid 3.1 and every `$ref` in it resolves, so client generators and fuzzers
see every request body whole (the generate body used to point at `#/$defs/...`, which resolves nowhere)."""

from __future__ import annotations

from typing import Any

from openapi_spec_validator import validate


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        here = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return here + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def _resolve(doc: dict, ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = doc
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def test_openapi_is_valid_and_every_ref_resolves(client) -> None:  # type: ignore[no-untyped-def]
    doc = client.get("/openapi.json").json()
    validate(doc)
    refs = _refs(doc)
    assert refs, "the document uses references"
    unresolved = []
    for ref in set(refs):
        try:
            _resolve(doc, ref)
        except (KeyError, AssertionError):
            unresolved.append(ref)
    assert unresolved == []
    generate = doc["paths"]["/v2/video/generate"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert "video_inputs" in generate["properties"]
    assert "$defs" not in str(doc)
