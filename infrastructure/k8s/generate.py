"""Renders the Helm chart into the plain manifests of this directory (one file per template).

The chart is the single source; these files are for `kubectl apply -k infrastructure/k8s` without
Helm. Regenerate after changing the chart:
    .venv/bin/python infrastructure/k8s/generate.py
infrastructure/tests checks that the committed files equal this output.
"""

from __future__ import annotations

from pathlib import Path

import helm_python as helm
import yaml

HERE = Path(__file__).resolve().parent
CHART = HERE.parent / "helm" / "instapay"
VALUES = HERE / "values-manifests.yaml"
RELEASE = "instapay"
NAMESPACE = "instapay"
HEADER = "# Generated from infrastructure/helm/instapay by infrastructure/k8s/generate.py: do not edit.\n"
# Apply order: namespace first, workloads after their configuration.
ORDER = [
    "namespace",
    "configmap",
    "networkpolicies",
    "services",
    "migration-job",
    "deployments",
    "relays",
    "hpa",
    "pdb",
    "ingress",
]


def render() -> dict[str, str]:
    """File name -> content of every generated manifest file."""
    values = yaml.safe_load(VALUES.read_text())
    with helm.Chart.load(CHART) as chart:
        rendered = chart.render(values=values, name=RELEASE, namespace=NAMESPACE, revision=1, is_install=True)
    files: dict[str, str] = {}
    for template, text in rendered.items():
        stem = Path(template).stem
        if not template.endswith(".yaml") or not text.strip():
            continue
        # Not installed by Helm, so not labelled as managed by it.
        text = text.replace("app.kubernetes.io/managed-by: Helm", "app.kubernetes.io/managed-by: kubectl")
        index = ORDER.index(stem) if stem in ORDER else len(ORDER)
        files[f"{index:02d}-{stem}.yaml"] = HEADER + text.strip() + "\n"
    return files


def kustomization(files: list[str]) -> str:
    lines = [
        "# kubectl apply -k infrastructure/k8s  (create the Secret first: see secret.example.yaml)",
        "apiVersion: kustomize.config.k8s.io/v1beta1",
        "kind: Kustomization",
        "resources:",
    ]
    return "\n".join(lines + [f"  - {name}" for name in sorted(files)]) + "\n"


def main() -> None:
    for old in HERE.glob("[0-9][0-9]-*.yaml"):
        old.unlink()
    files = render()
    for name, text in files.items():
        (HERE / name).write_text(text)
        print(f"wrote infrastructure/k8s/{name}")
    (HERE / "kustomization.yaml").write_text(kustomization(list(files)))


if __name__ == "__main__":
    main()
