"""`make test-kube-play`: the Helm chart's workloads started by `podman kube play` (podman 4.3).

Renders infrastructure/helm/instapay with values-dev.yaml (bundled PostgreSQL and Redis, generated
development secrets) and the images of `make images`, then:

1. the chart's Secrets become podman secrets (what `secretKeyRef` reads);
2. the bundled PostgreSQL runs from its image with the chart's user, database and password (podman
   4.3 plays no StatefulSet, and does not apply `fsGroup` to the emptyDir its read-only root
   filesystem needs);
3. the migration Job's pod template runs as a Pod (podman plays no Job): every container must exit 0;
4. every Deployment's pod template (command, args, environment from the ConfigMap and Secrets,
   securityContext, volumes) runs as a Pod named like its Service, so the Services' DNS names
   resolve; then its startup/liveness and readiness probes are asked from inside the container,
   as the kubelet would ask them, and must answer.

What podman 4.3 cannot do, and this therefore changes in its copy (Kubernetes needs none of it):
`$(VAR)` references in env values are expanded here (kubelet does it, podman passes them on
literally), `ports` are left out (podman publishes every containerPort on the host), and podman's
own conversion of the probes into health checks is not used (it runs `curl`, which the images do
not contain, against an unresolved named port). Deployment mechanics (replicas, rolling updates),
Services, NetworkPolicies, HPA, PDB and Ingress are not exercised.
"""

from __future__ import annotations

import base64
import json
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]  # no stubs in the lock (as in infra_lint)

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import infra_lint as lint  # type: ignore[import-not-found]  # infrastructure/tests
import podman_stack as ps

NETWORK = "instapay-kube"
Obj = dict[str, Any]


def render(tag: str) -> list[Obj]:
    values = lint.chart_values("values-dev.yaml")
    values.setdefault("image", {}).update({"registry": ps.IMAGE_REGISTRY, "tag": tag, "pullPolicy": "IfNotPresent"})
    objects: list[Obj] = lint.rendered_objects(values)
    return objects


def secret_values(objects: list[Obj]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for o in objects:
        if o["kind"] == "Secret":
            data = {k: base64.b64decode(v).decode() for k, v in (o.get("data") or {}).items()}
            out[o["metadata"]["name"]] = {**data, **(o.get("stringData") or {})}
    return out


def expand_env(container: Obj, secrets: dict[str, dict[str, str]]) -> None:
    known: dict[str, str] = {}
    kept = []
    for entry in container.get("env", []):
        ref = (entry.get("valueFrom") or {}).get("secretKeyRef")
        if ref and ref["key"] not in secrets.get(ref["name"], {}):
            # An optional key that is absent leaves the variable unset (Kubernetes' rule).
            assert ref.get("optional"), f"secret {ref['name']} has no key {ref['key']}"
            continue
        kept.append(entry)
        if ref:
            known[entry["name"]] = secrets[ref["name"]][ref["key"]]
        elif "value" in entry:
            entry["value"] = re.sub(r"\$\((\w+)\)", lambda m: known.get(m.group(1), m.group(0)), str(entry["value"]))
            known[entry["name"]] = entry["value"]
    if "env" in container:
        container["env"] = kept


def as_pod(workload: Obj, secrets: dict[str, dict[str, str]], restart: str) -> Obj:
    template = workload["spec"]["template"]
    spec = json.loads(json.dumps(template["spec"]))
    spec["restartPolicy"] = restart
    for container in spec.get("containers", []) + spec.get("initContainers", []):
        expand_env(container, secrets)
        container.pop("ports", None)
        for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
            container.pop(probe, None)
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": workload["metadata"]["name"], "labels": template["metadata"].get("labels", {})},
        "spec": spec,
    }


def play(objects: list[Obj], directory: Path, name: str) -> Path:
    path = directory / f"{name}.yaml"
    path.write_text(yaml.safe_dump_all(objects))
    ps.podman("kube", "play", "--network", NETWORK, str(path))
    return path


def probe_ok(container_name: str, container: Obj, probe: Obj) -> bool:
    if "httpGet" in probe:
        port = probe["httpGet"]["port"]
        if not str(port).isdigit():
            port = next(p["containerPort"] for p in container["ports"] if p.get("name") == port)
        url = f"http://127.0.0.1:{port}{probe['httpGet']['path']}"
        code = f"import urllib.request; urllib.request.urlopen({url!r}, timeout=3)"
        return ps.podman_ok("exec", container_name, "python", "-c", code, timeout=30)
    if "exec" in probe:
        return ps.podman_ok("exec", container_name, *probe["exec"]["command"], timeout=30)
    if "tcpSocket" in probe:
        port = probe["tcpSocket"]["port"]
        if not str(port).isdigit():
            port = next(p["containerPort"] for p in container["ports"] if p.get("name") == port)
        # Images without Python (Redis): bash's /dev/tcp, as a TCP probe connects.
        return ps.podman_ok("exec", container_name, "bash", "-c", f"exec 3<>/dev/tcp/127.0.0.1/{port}", timeout=30)
    raise AssertionError(f"unknown probe {probe}")


def wait_probes(pod: str, workload: Obj, within: float = 120) -> str:
    results = []
    for container in workload["spec"]["template"]["spec"]["containers"]:
        name = f"{pod}-{container['name']}"
        for kind in ("startupProbe", "livenessProbe", "readinessProbe"):
            probe = container.get(kind)
            if not probe:
                continue
            deadline = time.monotonic() + within
            while not probe_ok(name, container, probe):
                if time.monotonic() > deadline:
                    raise AssertionError(f"{name}: {kind} fails; last log lines:\n{ps.tail_logs(name)}")
                time.sleep(1)
            results.append(kind.removesuffix("Probe"))
    return ", ".join(results)


def cleanup(files: list[Path], secret_names: list[str], config_maps: list[str]) -> None:
    for path in files:
        ps.podman("kube", "down", str(path), check=False)
    # A ConfigMap mounted as a volume becomes a named podman volume that `kube down` keeps.
    for name in config_maps:
        if ps.podman_ok("volume", "exists", name):
            ps.podman("volume", "rm", "-f", name, check=False)
    ps.podman("rm", "-f", "instapay-kube-postgresql", check=False)
    for name in secret_names:
        ps.podman("secret", "rm", name, check=False)
    ps.podman("network", "rm", "-f", NETWORK, check=False)


def main() -> None:
    started = time.monotonic()
    tag = ps.git_tag()
    ps.build_images(tag)
    objects = render(tag)
    secrets = secret_values(objects)
    workdir = Path(tempfile.mkdtemp(prefix="instapay-kube-"))
    files: list[Path] = []
    ps.say(f"podman kube play of the chart's workloads (values-dev.yaml, tag {tag})")
    config_maps = [o["metadata"]["name"] for o in objects if o["kind"] == "ConfigMap"]
    cleanup([], list(secrets), config_maps)
    try:
        ps.podman("network", "create", NETWORK)
        for name, data in secrets.items():
            secret_file = workdir / f"{name}.json"
            secret_file.write_text(json.dumps({k: base64.b64encode(v.encode()).decode() for k, v in data.items()}))
            ps.podman("secret", "create", name, str(secret_file))
            secret_file.unlink()
        ps.step(f"secrets {', '.join(secrets)} -> podman secrets")

        database = next(o for o in objects if o["kind"] == "StatefulSet")
        env = {e["name"]: e for e in database["spec"]["template"]["spec"]["containers"][0]["env"]}
        password_ref = env["POSTGRES_PASSWORD"]["valueFrom"]["secretKeyRef"]
        ps.podman(
            "run", "-d", "--name", "instapay-kube-postgresql", "--network", NETWORK,
            "--network-alias", database["metadata"]["name"],
            "-e", f"POSTGRES_USER={env['POSTGRES_USER']['value']}",
            "-e", f"POSTGRES_DB={env['POSTGRES_DB']['value']}",
            "-e", f"POSTGRES_PASSWORD={secrets[password_ref['name']][password_ref['key']]}",
            "--health-cmd", "pg_isready", "docker.io/library/postgres:16.6-bookworm",
        )  # fmt: skip
        ps.wait_healthy(["instapay-kube-postgresql"], {"healthcheck": {"interval": "1s", "retries": 60}})
        ps.step(f"{database['metadata']['name']}: PostgreSQL from its image (a StatefulSet podman cannot play)")

        config = [o for o in objects if o["kind"] == "ConfigMap"]
        job = next(o for o in objects if o["kind"] == "Job")
        files.append(play([*config, as_pod(job, secrets, "Never")], workdir, "migrate"))
        for container in job["spec"]["template"]["spec"]["containers"]:
            name = f"{job['metadata']['name']}-{container['name']}"
            code = ps.podman("wait", name).strip()
            assert code == "0", f"{name} exited {code}:\n{ps.tail_logs(name)}"
        count = len(job["spec"]["template"]["spec"]["containers"])
        ps.step(f"Job {job['metadata']['name']}: {count} migration containers ran, exit 0")

        deployments = [o for o in objects if o["kind"] == "Deployment"]
        # Redis first: the gateway's readiness needs it.
        deployments.sort(key=lambda o: o["metadata"]["name"] != "instapay-redis")
        for workload in deployments:
            name = workload["metadata"]["name"]
            files.append(play([*config, as_pod(workload, secrets, "Always")], workdir, name))
        for workload in deployments:
            name = workload["metadata"]["name"]
            asked = wait_probes(name, workload)
            ps.step(f"Deployment {name}: probes answer ({asked})")
        ps.say(f"kube play: {len(deployments)} Deployments healthy in {time.monotonic() - started:.0f} s")
    finally:
        cleanup(files, list(secrets), config_maps)


if __name__ == "__main__":
    main()
