#!/usr/bin/env python3
"""Writes k8s-schemas.json, the Kubernetes API schemas `check_deploy.py schema` validates the
rendered overlays against, pruned from the API's OpenAPI v2 document (swagger.json) to the kinds
deploy/k8s renders and the definitions they reach.

  vendor_k8s_schemas.py SWAGGER_JSON VERSION

SWAGGER_JSON is api/openapi-spec/swagger.json of the Kubernetes release VERSION (the file of the
branch release-VERSION of the Kubernetes repository; the Python client ships the same file as
kubernetes/swagger.json.unprocessed). Run it by hand, and commit the result, when deploy/k8s
starts to render a kind that is not in KINDS (the check names it) or to move to a newer release.

The output keeps each definition's validation keywords (type, format, properties, items,
additionalProperties, required, enum, $ref) and drops descriptions and the x-kubernetes-*
merge hints, so it stays small and its diffs readable. It is the upstream schema, unchanged
otherwise: check_deploy.py makes it strict (unknown fields fail) and gives int-or-string and
Quantity their two JSON types when it loads it.
"""
import json
import os
import sys

# (apiVersion, kind) of every object deploy/k8s renders.
KINDS = [
    ("v1", "ConfigMap"),
    ("v1", "Namespace"),
    ("v1", "PersistentVolumeClaim"),
    ("v1", "Secret"),
    ("v1", "Service"),
    ("apps/v1", "Deployment"),
    ("apps/v1", "StatefulSet"),
    ("autoscaling/v2", "HorizontalPodAutoscaler"),
    ("networking.k8s.io/v1", "NetworkPolicy"),
    ("policy/v1", "PodDisruptionBudget"),
]

KEEP = ("type", "format", "properties", "items", "additionalProperties", "required", "enum",
        "$ref", "x-kubernetes-preserve-unknown-fields")
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "k8s-schemas.json")


def prune(schema, refs):
    out = {}
    for key in KEEP:
        if key not in schema:
            continue
        value = schema[key]
        if key == "properties":
            value = {name: prune(sub, refs) for name, sub in value.items()}
        elif key in ("items", "additionalProperties") and isinstance(value, dict):
            value = prune(value, refs)
        elif key == "$ref":
            refs.append(value.split("/")[-1])
        out[key] = value
    return out


def main():
    if len(sys.argv) != 3:
        print(f"usage: {sys.argv[0]} SWAGGER_JSON VERSION", file=sys.stderr)
        return 2
    with open(sys.argv[1]) as f:
        definitions = json.load(f)["definitions"]
    by_gvk = {}
    for name, schema in definitions.items():
        for gvk in schema.get("x-kubernetes-group-version-kind", []):
            group_version = f"{gvk['group']}/{gvk['version']}" if gvk["group"] else gvk["version"]
            by_gvk[(group_version, gvk["kind"])] = name
    kinds = {}
    for api_version, kind in KINDS:
        if (api_version, kind) not in by_gvk:
            print(f"{api_version} {kind} is not in {sys.argv[1]}", file=sys.stderr)
            return 1
        kinds[f"{api_version} {kind}"] = by_gvk[(api_version, kind)]
    pruned = {}
    todo = list(kinds.values())
    while todo:
        name = todo.pop()
        if name not in pruned:
            refs = []
            pruned[name] = prune(definitions[name], refs)
            todo.extend(refs)
    with open(OUT, "w") as f:
        json.dump({"kubernetes": sys.argv[2], "kinds": kinds, "definitions": pruned}, f, indent=1,
                  sort_keys=True)
        f.write("\n")
    print(f"{OUT}: {len(kinds)} kinds, {len(pruned)} definitions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
