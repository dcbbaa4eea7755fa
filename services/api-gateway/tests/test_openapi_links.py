"""The public OpenAPI's links (instapay_common.web.openapi_links) lead somewhere real: in the merged
document every link names an operation the gateway exposes, fills exactly that operation's path
parameters, and reads them from a field the answer it hangs on really has. The schemathesis run
of the proof suite follows them in its stateful phase."""

from __future__ import annotations

from typing import Any

from api_gateway.api_reference import merged_spec


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _field_exists(spec: dict[str, Any], schema: dict[str, Any], pointer: str) -> bool:
    """Does the JSON pointer `/items/0/id` name a field of `schema`?"""
    for part in pointer.strip("/").split("/"):
        schema = _resolve(spec, schema)
        if part.isdigit() and schema.get("type") == "array":
            schema = schema["items"]
        elif part in schema.get("properties", {}):
            schema = schema["properties"][part]
        else:
            return False
    return True


def _links(spec: dict[str, Any]):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            for status, response in operation.get("responses", {}).items():
                for name, link in response.get("links", {}).items():
                    yield f"{method.upper()} {path} {status} {name}", response, link


def test_every_link_leads_to_an_exposed_operation_and_fills_its_path_parameters():
    spec = merged_spec()
    links = list(_links(spec))
    assert len(links) >= 7  # transfers, payment requests (3 + accept's transfer), clients, notifications
    for where, response, link in links:
        target_path, method = link["operationRef"].removeprefix("#/paths/").rsplit("/", 1)
        target_path = target_path.replace("~1", "/").replace("~0", "~")
        assert method in spec["paths"].get(target_path, {}), f"{where}: no {link['operationRef']}"
        target = spec["paths"][target_path][method]
        path_params = {p["name"] for p in target.get("parameters", []) if p["in"] == "path"}
        assert set(link["parameters"]) == path_params, where
        body = response["content"]["application/json"]["schema"]
        for expression in link["parameters"].values():
            assert expression.startswith("$response.body#"), where
            assert _field_exists(spec, body, expression.removeprefix("$response.body#")), f"{where}: {expression}"


def test_a_created_payment_request_links_to_what_each_party_can_do_with_it():
    spec = merged_spec()
    created = spec["paths"]["/api/v1/payment-requests"]["post"]["responses"]["201"]["links"]
    assert {link["operationRef"].rsplit("~1", 1)[-1] for link in created.values()} == {
        "accept/post",
        "decline/post",
        "cancel/post",
    }
