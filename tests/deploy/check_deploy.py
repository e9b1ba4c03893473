#!/usr/bin/env python3
"""Checks deploy/ offline: the compose file, the Kubernetes overlays rendered by kustomize, and the
Prometheus rules. One check per invocation, so ctest reports each on its own:

  check_deploy.py compose      deploy/compose.yaml alone and merged with compose.postgres.yaml
                               (PyYAML only): each service's hardening, Redis auth, and on
                               PostgreSQL the database URL, the password secret and replicas
  check_deploy.py kustomize    every overlay rendered with `kubectl kustomize` (production with
                               throwaway secret files in a copy of deploy/): each workload's
                               hardening, the Secrets and ConfigMaps it names, the
                               NetworkPolicies against the design's calls (CALLS), and a
                               PodDisruptionBudget and an HPA for each replicated service
  check_deploy.py schema       every object of every overlay (rendered as for kustomize) against
                               the Kubernetes API schemas in k8s-schemas.json, strictly: a field
                               the API does not have, a wrong type, a missing required field, or
                               a kind with no schema there fails; known-bad objects must fail
                               too, so a validator that passes everything is caught
  check_deploy.py rules        `promtool check rules` and `promtool test rules`

A check whose tool is missing prints why it did not run and exits 77 (ctest: Skipped, with the
reason in the output), never a silent pass.
"""
import base64
import copy
import json
import os
import shutil
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEPLOY = os.path.join(ROOT, "deploy")
SKIP = 77
failures = []


def fail(msg):
    failures.append(msg)


# The override that runs every service on PostgreSQL, the replicated ones twice (<name>-2).
COMPOSE_POSTGRES = "compose.postgres.yaml"
# Services that keep one replica on PostgreSQL: the reference receiver is not chainhub's to scale.
SINGLE_REPLICA = {"province"}
# Keys whose lists replace each other in docker compose's merge but are appended by podman-compose
# 1.0.3's: an override must not set one that compose.yaml already sets for the same service.
REPLACED_LISTS = ("command", "entrypoint", "healthcheck")


def merge_compose(base, override):
    """compose's merge of two files, as far as both docker compose and podman-compose 1.0.3 agree:
    maps key by key, lists appended (without repeats), anything else replaced."""
    if isinstance(base, dict) and isinstance(override, dict):
        out = dict(base)
        for key, value in override.items():
            out[key] = merge_compose(base[key], value) if key in base else value
        return out
    if isinstance(base, list) and isinstance(override, list):
        return base + [v for v in override if v not in base]
    return override


def check_compose_stack(where, compose, postgres):
    """Each service of one stack (compose.yaml alone, or merged with the PostgreSQL override)."""
    services = compose["services"]
    secrets = compose.get("secrets", {})
    redis = services["redis"]
    if "redis_password" not in redis.get("secrets", []):
        fail(f"{where}: redis must mount the redis_password secret")
    script = "\n".join(redis.get("command", []))
    if "user default off" not in script or "--aclfile" not in script:
        fail(f"{where}: redis must turn the default user off and load an ACL file")
    if "appendfsync everysec" not in script:
        fail(f"{where}: redis must run appendfsync everysec (what the outbox republish covers)")
    for name, svc in services.items():
        if name in ("redis", "postgres"):
            continue
        env = svc.get("environment", {})
        at = f"{where}: service {name}"
        if not str(env.get("CHAINHUB_REDIS", "")).startswith("redis://chainhub@"):
            fail(f"{at}: CHAINHUB_REDIS must name the ACL user (redis://chainhub@...)")
        if env.get("CHAINHUB_REQUIRE_REDIS_AUTH") != "true":
            fail(f"{at}: CHAINHUB_REQUIRE_REDIS_AUTH must be true")
        for secret in ("redis_password",) + (("postgres_password",) if postgres else ()):
            if secret not in svc.get("secrets", []):
                fail(f"{at}: must mount the {secret} secret")
        for secret in svc.get("secrets", []):
            if secret not in secrets:
                fail(f"{at}: secret {secret} is not declared")
        if svc.get("user") != "10001:10001":
            fail(f"{at}: must run as 10001:10001")
        if svc.get("read_only") is not True:
            fail(f"{at}: root filesystem must be read-only")
        if svc.get("cap_drop") != ["ALL"]:
            fail(f"{at}: must drop every capability")
        if "no-new-privileges:true" not in svc.get("security_opt", []):
            fail(f"{at}: must set no-new-privileges")
        for port in svc.get("ports", []):
            if not str(port).startswith("127.0.0.1:"):
                fail(f"{at}: port {port} must be published on 127.0.0.1 only")
        if "healthcheck" not in svc:
            fail(f"{at}: needs a healthcheck")
        if any("PASSWORD" in k and not k.endswith("_FILE") for k in env):
            fail(f"{at}: a password in the environment (read it from a secret file)")
        url = str(env.get("CHAINHUB_DATABASE_URL", ""))
        if not postgres:
            if url:
                fail(f"{at}: compose.yaml alone stores in SQLite, not {url}")
            continue
        if not url.startswith("postgresql://chainhub@postgres:5432/"):
            fail(f"{at}: CHAINHUB_DATABASE_URL must be postgresql://chainhub@postgres:5432/<db> "
                 f"(no password in it), not {url!r}")
        if "PGPASSWORD" not in " ".join(map(str, svc.get("entrypoint", []))):
            fail(f"{at}: the entrypoint must give libpq the password secret as PGPASSWORD")
        base = name[:-2] if name.endswith("-2") else name
        if name.endswith("-2"):
            first = services.get(base)
            if first is None:
                fail(f"{at}: a second replica of a service that is not there")
                continue
            if svc.get("ports"):
                fail(f"{at}: a second replica publishes no port (the first has them)")
            for key in ("command", "entrypoint", "environment", "secrets", "image"):
                if svc.get(key) != first.get(key) and not (
                        key == "environment" and
                        {k: v for k, v in svc[key].items() if k != "CHAINHUB_DATA_DIR"} ==
                        {k: v for k, v in first[key].items() if k != "CHAINHUB_DATA_DIR"}) and not (
                        key == "secrets" and set(svc[key]) == set(first[key])):
                    fail(f"{at}: {key} differs from {base}'s")
        elif name not in SINGLE_REPLICA and f"{name}-2" not in services:
            fail(f"{at}: runs one replica on PostgreSQL (add {name}-2)")
    if postgres:
        pg = services.get("postgres")
        if pg is None:
            fail(f"{where}: no postgres service")
            return
        at = f"{where}: service postgres"
        if str(pg.get("user", "")).split(":")[0] in ("", "0", "root"):
            fail(f"{at}: must run as a non-root user")
        if "healthcheck" not in pg:
            fail(f"{at}: needs a healthcheck")
        if "postgres_password" not in pg.get("secrets", []):
            fail(f"{at}: must read its password from the postgres_password secret")
        if "postgres_password" not in secrets:
            fail(f"{where}: secret postgres_password is not declared")
        env = pg.get("environment", {})
        if any("PASSWORD" in k and not k.endswith("_FILE") for k in env):
            fail(f"{at}: a password in the environment (read it from the secret)")
        for port in pg.get("ports", []):
            if not str(port).startswith("127.0.0.1:"):
                fail(f"{at}: port {port} must be published on 127.0.0.1 only")
        if not pg.get("volumes"):
            fail(f"{at}: its data needs a volume")


def check_compose():
    with open(os.path.join(DEPLOY, "compose.yaml")) as f:
        compose = yaml.safe_load(f)
    with open(os.path.join(DEPLOY, COMPOSE_POSTGRES)) as f:
        override = yaml.safe_load(f)
    check_compose_stack("compose", compose, postgres=False)
    for name, svc in override.get("services", {}).items():
        for key in REPLACED_LISTS:
            if key in svc and key in compose["services"].get(name, {}):
                fail(f"{COMPOSE_POSTGRES}: service {name} sets {key}, which compose.yaml sets: "
                     "podman-compose 1.0.3 would append the two")
    merged = merge_compose(compose, override)
    check_compose_stack(f"compose + {COMPOSE_POSTGRES}", merged, postgres=True)
    return len(compose["services"]) + len(merged["services"])


# The calls between services the design has (docs/architecture.md): the NetworkPolicies must allow
# exactly these, and nothing else inside the cluster.
CALLS = {
    "registry": set(),
    "intake": {"registry"},
    "assessment": {"registry", "intake"},
    "notify": set(),
    "sync": {"registry", "intake", "assessment"},
    "support": {"registry", "intake", "assessment"},
}


def selects(selector, labels):
    return all(labels.get(k) == v for k, v in (selector.get("matchLabels") or {}).items())


def check_network(overlay, by_kind, postgres):
    policies = list(by_kind.get("NetworkPolicy", {}).values())
    pods = {}
    for kind in ("Deployment", "StatefulSet"):
        for w in by_kind.get(kind, {}).values():
            pods[w["metadata"]["name"]] = w["spec"]["template"]["metadata"]["labels"]
    if not any(p["spec"].get("podSelector") == {} and
               set(p["spec"].get("policyTypes", [])) == {"Ingress", "Egress"} for p in policies):
        fail(f"{overlay}: no default-deny NetworkPolicy for the namespace")
    for name, labels in pods.items():
        if labels.get("app.kubernetes.io/component") != "service":
            continue
        reach = set()
        for p in policies:
            spec = p["spec"]
            if "Egress" not in spec.get("policyTypes", []) or not selects(spec["podSelector"],
                                                                          labels):
                continue
            for rule in spec.get("egress", []):
                for peer in rule.get("to", []):
                    if "podSelector" in peer and "namespaceSelector" not in peer:
                        for target, target_labels in pods.items():
                            if selects(peer["podSelector"], target_labels):
                                reach.add(target)
        internal = {t for t in reach if t not in ("redis", "postgres")}
        expected = CALLS.get(name)
        if expected is None:
            fail(f"{overlay}: service {name} is not in check_deploy.py's CALLS table")
            continue
        if internal != expected:
            fail(f"{overlay}: {name} may call {sorted(internal)}, the design has {sorted(expected)}")
        if "redis" not in reach:
            fail(f"{overlay}: {name} may not reach Redis")
        if postgres and "postgres" not in reach:
            fail(f"{overlay}: {name} may not reach PostgreSQL")


def render(overlay, workdir):
    out = subprocess.run(["kubectl", "kustomize", overlay], cwd=workdir, capture_output=True,
                         text=True)
    if out.returncode != 0:
        fail(f"kustomize {overlay}: {out.stderr.strip()}")
        return []
    return [d for d in yaml.safe_load_all(out.stdout) if d]


def check_objects(overlay, objects, postgres=False):
    by_kind = {}
    for o in objects:
        by_kind.setdefault(o["kind"], {})[o["metadata"]["name"]] = o
    check_network(overlay, by_kind, postgres)
    if postgres:
        deployments = by_kind.get("Deployment", {})
        for name, d in deployments.items():
            if d["spec"].get("replicas", 1) > 1:
                if name not in by_kind.get("PodDisruptionBudget", {}):
                    fail(f"{overlay}: {name} runs {d['spec']['replicas']} replicas without a "
                         "PodDisruptionBudget")
                if name not in by_kind.get("HorizontalPodAutoscaler", {}):
                    fail(f"{overlay}: {name} runs {d['spec']['replicas']} replicas without an HPA")
    secrets = by_kind.get("Secret", {})
    configmaps = by_kind.get("ConfigMap", {})
    workloads = list(by_kind.get("Deployment", {}).values()) + list(
        by_kind.get("StatefulSet", {}).values())
    if not by_kind.get("Deployment"):
        fail(f"{overlay}: no Deployment rendered")
    for w in workloads:
        where = f"{overlay}: {w['kind']} {w['metadata']['name']}"
        spec = w["spec"]["template"]["spec"]
        if spec.get("securityContext", {}).get("runAsNonRoot") is not True:
            fail(f"{where}: runAsNonRoot must be true")
        for vol in spec.get("volumes", []):
            if "secret" in vol and vol["secret"]["secretName"] not in secrets and not vol[
                    "secret"].get("optional"):
                fail(f"{where}: volume {vol['name']} names a Secret that is not rendered: "
                     f"{vol['secret']['secretName']}")
            if "configMap" in vol and vol["configMap"]["name"] not in configmaps:
                fail(f"{where}: volume {vol['name']} names a missing ConfigMap")
        for c in spec["containers"]:
            sc = c.get("securityContext", {})
            if sc.get("readOnlyRootFilesystem") is not True:
                fail(f"{where}: container {c['name']} needs readOnlyRootFilesystem")
            if sc.get("allowPrivilegeEscalation") is not False:
                fail(f"{where}: container {c['name']} must not allow privilege escalation")
            if sc.get("capabilities", {}).get("drop") != ["ALL"]:
                fail(f"{where}: container {c['name']} must drop every capability")
            res = c.get("resources", {})
            if not res.get("requests") or not res.get("limits"):
                fail(f"{where}: container {c['name']} needs requests and limits")
            for ref in c.get("envFrom", []):
                if "configMapRef" in ref and ref["configMapRef"]["name"] not in configmaps:
                    fail(f"{where}: envFrom names a missing ConfigMap")
            for env in c.get("env", []):
                key = env.get("valueFrom", {}).get("secretKeyRef")
                if key and key["name"] not in secrets and not key.get("optional"):
                    fail(f"{where}: env {env['name']} names a missing Secret {key['name']}")
        if w["kind"] == "Deployment":
            c = spec["containers"][0]
            for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
                if "grpc" not in c.get(probe, {}):
                    fail(f"{where}: {probe} must be a native gRPC probe")
            mounts = {m["mountPath"] for m in c.get("volumeMounts", [])}
            if "/etc/chainhub/redis" not in mounts:
                fail(f"{where}: must mount the Redis password at /etc/chainhub/redis")
    env = {}
    for cm in configmaps.values():
        if cm["metadata"]["name"].startswith("chainhub-config"):
            env = cm.get("data", {})
    if env.get("CHAINHUB_REQUIRE_REDIS_AUTH") != "true":
        fail(f"{overlay}: chainhub-config must set CHAINHUB_REQUIRE_REDIS_AUTH=true")
    if not any(n.startswith("chainhub-redis") for n in secrets):
        fail(f"{overlay}: the Secret chainhub-redis is not rendered")
    return len(objects)


NO_KUBECTL = ("NOT RUN: kubectl is not installed (Debian 12's kubernetes-client 1.20 is too old "
              "for kustomize components; install a kubectl >= 1.21 to run this check)")


def render_overlays(tmp):
    """Every overlay rendered from a copy of deploy/ in tmp: {overlay: [object, ...]}."""
    shutil.copytree(DEPLOY, os.path.join(tmp, "deploy"))
    overlays = {"local": render("deploy/k8s/overlays/local", tmp)}
    # The production overlay reads three files that are never in git: a clone renders once
    # they exist, whatever their content.
    secrets = os.path.join(tmp, "deploy/k8s/overlays/production/secrets")
    for name in ("jwt_secret", "postgres_password", "redis_password"):
        with open(os.path.join(secrets, name), "w") as f:
            f.write(f"throwaway-{name}")
    overlays["production"] = render("deploy/k8s/overlays/production", tmp)
    return overlays


def check_kustomize():
    if shutil.which("kubectl") is None:
        print(NO_KUBECTL)
        return SKIP
    counts = {}
    with tempfile.TemporaryDirectory() as tmp:
        overlays = render_overlays(tmp)
    counts["local"] = check_objects("local", overlays["local"])
    prod = overlays["production"]
    counts["production"] = check_objects("production", prod, postgres=True)
    for o in prod:
        if o["kind"] == "Secret":
            for value in (o.get("data") or {}).values():
                if b"change-me-placeholder" in base64.b64decode(value):
                    fail(f"production: Secret {o['metadata']['name']} keeps a placeholder")
    print(f"rendered {counts}")
    return 0


SCHEMAS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "k8s-schemas.json")


def strict(schema):
    """The vendored upstream schema made as strict as the API server, in place: an object with
    declared properties takes no other field (like kubeconform -strict), and an int-or-string
    (a port number or name, a count or a percentage) takes either type."""
    if "properties" in schema and "additionalProperties" not in schema and not schema.get(
            "x-kubernetes-preserve-unknown-fields"):
        schema["additionalProperties"] = False
    if schema.get("format") == "int-or-string":
        schema["type"] = ["integer", "string"]
    for sub in list(schema.get("properties", {}).values()) + [schema.get("items"),
                                                               schema.get("additionalProperties")]:
        if isinstance(sub, dict):
            strict(sub)


class SchemaValidator:
    def __init__(self, jsonschema):
        with open(SCHEMAS) as f:
            vendored = json.load(f)
        self.version = vendored["kubernetes"]
        self.kinds = vendored["kinds"]
        self.definitions = vendored["definitions"]
        for schema in self.definitions.values():
            strict(schema)
        # A Quantity is "2Gi" or a plain number (cpu: 2).
        quantity = self.definitions.get("io.k8s.apimachinery.pkg.api.resource.Quantity")
        if quantity:
            quantity["type"] = ["string", "number"]
        self.jsonschema = jsonschema
        self.validators = {}

    def validator(self, api_version, kind):
        key = f"{api_version} {kind}"
        if key not in self.validators:
            schema = {
                "definitions": self.definitions,
                "allOf": [{"$ref": f"#/definitions/{self.kinds[key]}"}],
                "properties": {"apiVersion": {"enum": [api_version]}, "kind": {"enum": [kind]},
                               "metadata": {"required": ["name"]}},
                "required": ["apiVersion", "kind", "metadata"],
            }
            self.jsonschema.Draft4Validator.check_schema(schema)
            self.validators[key] = self.jsonschema.Draft4Validator(schema)
        return self.validators[key]

    def errors(self, obj):
        """[(path, message)] for each way obj breaks its kind's schema, [] when it is valid."""
        key = f"{obj.get('apiVersion')} {obj.get('kind')}"
        if key not in self.kinds:
            return [("", f"no schema for {key} in k8s-schemas.json (add the kind to KINDS in "
                         "vendor_k8s_schemas.py and regenerate it)")]
        found = []
        for e in self.validator(obj.get("apiVersion"), obj.get("kind")).iter_errors(obj):
            path = list(e.absolute_path)
            if e.validator == "additionalProperties" and e.validator_value is False:
                for field in sorted(set(e.instance) - set(e.schema.get("properties", {}))):
                    found.append((dotted(path + [field]), "unknown field"))
            else:
                found.append((dotted(path), e.message))
        return sorted(found)


def dotted(path):
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(object)"


def schema_self_test(schemas, deployment):
    """The validator must reject what the API server would: a typo'd field at the top and deep
    down, a string where a number goes, and a kind it has no schema for."""
    bad = copy.deepcopy(deployment)
    bad["spec"]["replica"] = 2
    container = bad["spec"]["template"]["spec"]["containers"][0]
    container.setdefault("ports", [{"containerPort": 1}])[0]["containerPort"] = "x"
    container.setdefault("securityContext", {})["readOnlyRootFileSystem"] = True
    container = "spec.template.spec.containers[0]"
    cases = [
        (bad, {"spec.replica", f"{container}.ports[0].containerPort",
               f"{container}.securityContext.readOnlyRootFileSystem"}),
        ({"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}}, {""}),
    ]
    for obj, expected in cases:
        got = {path for path, _ in schemas.errors(obj)}
        if got != expected:
            fail(f"schema self-test: a known-bad {obj['kind']} gave errors at {sorted(got)}, "
                 f"expected exactly {sorted(expected)}: the validator is not strict")


def check_schema():
    if shutil.which("kubectl") is None:
        print(NO_KUBECTL)
        return SKIP
    try:
        import jsonschema
    except ImportError:
        print("NOT RUN: the Python module jsonschema is missing (Debian package "
              "python3-jsonschema; scripts/deps.sh installs it)")
        return SKIP
    schemas = SchemaValidator(jsonschema)
    with tempfile.TemporaryDirectory() as tmp:
        overlays = render_overlays(tmp)
    counts = {}
    for overlay, objects in overlays.items():
        counts[overlay] = len(objects)
        for o in objects:
            where = f"{overlay}: {o.get('kind')} {(o.get('metadata') or {}).get('name')}"
            for path, message in schemas.errors(o):
                fail(f"{where}: {path}: {message}" if path else f"{where}: {message}")
    deployments = [o for o in overlays["local"] if o.get("kind") == "Deployment"]
    if deployments:
        schema_self_test(schemas, deployments[0])
    else:
        fail("local: no Deployment rendered for the schema self-test")
    print(f"validated {counts} against the Kubernetes {schemas.version} API schemas")
    return 0


def check_rules():
    promtool = shutil.which("promtool")
    if promtool is None:
        print("NOT RUN: promtool is not installed (Debian package prometheus; scripts/deps.sh "
              "installs it)")
        return SKIP
    rules = os.path.join(DEPLOY, "prometheus")
    for args in (["check", "rules", "chainhub-rules.yaml"],
                 ["test", "rules", "chainhub-rules.test.yaml"]):
        out = subprocess.run([promtool] + args, cwd=rules, capture_output=True, text=True)
        print(out.stdout.strip())
        if out.returncode != 0:
            fail(f"promtool {' '.join(args)}: {out.stdout.strip()} {out.stderr.strip()}")
    return 0


def main():
    what = sys.argv[1] if len(sys.argv) > 1 else ""
    checks = {"compose": check_compose, "kustomize": check_kustomize, "schema": check_schema,
              "rules": check_rules}
    if what not in checks:
        print(f"usage: {sys.argv[0]} {'|'.join(checks)}", file=sys.stderr)
        return 2
    result = checks[what]()
    if result == SKIP:
        return SKIP
    for f in failures:
        print("FAIL:", f)
    if failures:
        return 1
    print(f"{what}: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
