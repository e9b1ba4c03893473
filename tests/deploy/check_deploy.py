#!/usr/bin/env python3
"""Checks deploy/ offline: the compose file, the Kubernetes overlays rendered by kustomize, and the
Prometheus rules. One check per invocation, so ctest reports each on its own:

  check_deploy.py compose      deploy/compose.yaml (PyYAML only)
  check_deploy.py kustomize    every overlay rendered with `kubectl kustomize` (production with
                               throwaway secret files in a copy of deploy/): each workload's
                               hardening, the Secrets and ConfigMaps it names, the
                               NetworkPolicies against the design's calls (CALLS), and a
                               PodDisruptionBudget and an HPA for each replicated service
  check_deploy.py rules        `promtool check rules` and `promtool test rules`

A check whose tool is missing prints why it did not run and exits 77 (ctest: Skipped, with the
reason in the output), never a silent pass.
"""
import base64
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


def check_compose():
    with open(os.path.join(DEPLOY, "compose.yaml")) as f:
        compose = yaml.safe_load(f)
    services = compose["services"]
    secrets = compose.get("secrets", {})
    redis = services["redis"]
    if "redis_password" not in redis.get("secrets", []):
        fail("compose: redis must mount the redis_password secret")
    script = "\n".join(redis.get("command", []))
    if "user default off" not in script or "--aclfile" not in script:
        fail("compose: redis must turn the default user off and load an ACL file")
    if "appendfsync everysec" not in script:
        fail("compose: redis must run appendfsync everysec (what the outbox republish covers)")
    for name, svc in services.items():
        if name == "redis":
            continue
        env = svc.get("environment", {})
        where = f"compose: service {name}"
        if not str(env.get("CHAINHUB_REDIS", "")).startswith("redis://chainhub@"):
            fail(f"{where}: CHAINHUB_REDIS must name the ACL user (redis://chainhub@...)")
        if env.get("CHAINHUB_REQUIRE_REDIS_AUTH") != "true":
            fail(f"{where}: CHAINHUB_REQUIRE_REDIS_AUTH must be true")
        for secret in ("redis_password",):
            if secret not in svc.get("secrets", []):
                fail(f"{where}: must mount the {secret} secret")
        for secret in svc.get("secrets", []):
            if secret not in secrets:
                fail(f"{where}: secret {secret} is not declared")
        if svc.get("user") != "10001:10001":
            fail(f"{where}: must run as 10001:10001")
        if svc.get("read_only") is not True:
            fail(f"{where}: root filesystem must be read-only")
        if svc.get("cap_drop") != ["ALL"]:
            fail(f"{where}: must drop every capability")
        for port in svc.get("ports", []):
            if not str(port).startswith("127.0.0.1:"):
                fail(f"{where}: port {port} must be published on 127.0.0.1 only")
        if "healthcheck" not in svc:
            fail(f"{where}: needs a healthcheck")
    return len(services)


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


def check_kustomize():
    if shutil.which("kubectl") is None:
        print("NOT RUN: kubectl is not installed (Debian 12's kubernetes-client 1.20 is too old "
              "for kustomize components; install a kubectl >= 1.21 to run this check)")
        return SKIP
    counts = {}
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(DEPLOY, os.path.join(tmp, "deploy"))
        counts["local"] = check_objects("local", render("deploy/k8s/overlays/local", tmp))
        # The production overlay reads three files that are never in git: a clone renders once
        # they exist, whatever their content.
        secrets = os.path.join(tmp, "deploy/k8s/overlays/production/secrets")
        for name in ("jwt_secret", "postgres_password", "redis_password"):
            with open(os.path.join(secrets, name), "w") as f:
                f.write(f"throwaway-{name}")
        prod = render("deploy/k8s/overlays/production", tmp)
        counts["production"] = check_objects("production", prod, postgres=True)
        for o in prod:
            if o["kind"] == "Secret":
                for value in (o.get("data") or {}).values():
                    if b"change-me-placeholder" in base64.b64decode(value):
                        fail(f"production: Secret {o['metadata']['name']} keeps a placeholder")
    print(f"rendered {counts}")
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
    checks = {"compose": check_compose, "kustomize": check_kustomize, "rules": check_rules}
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
