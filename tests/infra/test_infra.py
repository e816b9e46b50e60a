"""Static checks of infra/: no Docker engine or Kubernetes cluster runs in the test environment."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

INFRA = Path(__file__).resolve().parents[2] / "infra"
SECRET_ENV = (
    "KYOSO_DATABASE_URL",
    "KYOSO_MIGRATION_DATABASE_URL",
    "KYOSO_SECRET_KEY",
    "KYOSO_AUDIT_KEY",
    "KYOSO_OIDC_CLIENT_SECRET",
)
SERVE = ["uv", "run", "--no-sync", "kyoso", "serve", "--host", "0.0.0.0", "--port", "8000", "--no-reload"]
WEB_LABELS = {"app.kubernetes.io/name": "kyoso", "app.kubernetes.io/component": "web"}


def manifests() -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = []
    for path in sorted((INFRA / "k8s").glob("*.yaml")):
        docs.extend(doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc)
    return docs


def one(kind: str) -> dict[str, Any]:
    found = [doc for doc in manifests() if doc["kind"] == kind]
    assert len(found) == 1, f"expected one {kind}, found {len(found)}"
    return found[0]


def pod_spec(workload: dict[str, Any]) -> dict[str, Any]:
    return workload["spec"]["template"]["spec"]


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = (INFRA / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines()]
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "")
        for line in lines
        if line and not line.startswith("#")
    ]


# -- compose -----------------------------------------------------------------------------------


def test_compose_file_matches_the_compose_specification() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.compose-spec",
            str(INFRA / "compose.yaml"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_runs_migrations_before_the_service_against_a_healthy_postgres_18() -> None:
    services = yaml.safe_load((INFRA / "compose.yaml").read_text(encoding="utf-8"))["services"]

    db, migrate, kyoso = services["db"], services["migrate"], services["kyoso"]
    assert db["image"].startswith("postgres:18")
    assert "healthcheck" in db
    assert any(v.endswith(":/var/lib/postgresql") for v in db["volumes"])
    assert migrate["command"][-2:] == ["migrate", "upgrade"]
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"
    assert kyoso["depends_on"]["db"]["condition"] == "service_healthy"
    assert kyoso["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert "8000:8000" in kyoso["ports"]
    assert kyoso["environment"]["KYOSO_DATABASE_URL"].startswith("postgresql://kyoso:${POSTGRES_PASSWORD")
    for service in (migrate, kyoso):
        assert service["build"] == {"context": "..", "dockerfile": "infra/Dockerfile"}


def test_compose_takes_every_secret_from_the_environment() -> None:
    services = yaml.safe_load((INFRA / "compose.yaml").read_text(encoding="utf-8"))["services"]

    for name, service in services.items():
        for key, value in (service.get("environment") or {}).items():
            if "PASSWORD" in key or "SECRET" in key:
                assert re.fullmatch(r"\$\{[A-Z_]+(:[?-][^}]*)?\}", str(value)), f"{name}.{key} is a literal"


# -- Kubernetes --------------------------------------------------------------------------------


def test_every_manifest_names_its_api_version_kind_and_name() -> None:
    docs = manifests()

    assert {doc["kind"] for doc in docs} >= {"Deployment", "Service", "Job", "PodDisruptionBudget", "Secret"}
    for doc in docs:
        assert doc.get("apiVersion"), doc
        assert doc.get("kind"), doc
        if doc["kind"] != "Kustomization":
            assert doc["metadata"]["name"], doc


def test_deployment_is_replicated_probed_on_health_and_sized() -> None:
    deployment = one("Deployment")
    (container,) = pod_spec(deployment)["containers"]

    assert deployment["spec"]["replicas"] >= 2
    assert deployment["spec"]["selector"]["matchLabels"] == WEB_LABELS
    assert deployment["spec"]["template"]["metadata"]["labels"] == WEB_LABELS
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        assert container[probe]["httpGet"]["path"] == "/health"
        assert container[probe]["httpGet"]["port"] in ("http", 8000)
    assert container["ports"] == [{"name": "http", "containerPort": 8000, "protocol": "TCP"}]
    assert {"cpu", "memory"} <= container["resources"]["requests"].keys()
    assert "memory" in container["resources"]["limits"]
    assert container["command"] == SERVE


@pytest.mark.parametrize("kind", ["Deployment", "Job"])
def test_workloads_run_as_non_root_without_privileges(kind: str) -> None:
    spec = pod_spec(one(kind))

    assert spec["securityContext"]["runAsNonRoot"] is True
    assert spec["securityContext"]["runAsUser"] != 0
    for container in spec["containers"]:
        context = container["securityContext"]
        assert context["allowPrivilegeEscalation"] is False
        assert context["readOnlyRootFilesystem"] is True
        assert context["capabilities"]["drop"] == ["ALL"]
        assert {m["mountPath"] for m in container["volumeMounts"]} >= {"/tmp"}


@pytest.mark.parametrize("kind", ["Deployment", "Job"])
def test_workloads_read_secrets_only_from_the_secret(kind: str) -> None:
    secret_name = one("Secret")["metadata"]["name"]

    for container in pod_spec(one(kind))["containers"]:
        env = {item["name"]: item for item in container["env"]}
        for name in ("KYOSO_DATABASE_URL", "KYOSO_SECRET_KEY", "KYOSO_AUDIT_KEY"):
            assert "value" not in env[name]
            assert env[name]["valueFrom"]["secretKeyRef"] == {"name": secret_name, "key": name}
        for name in SECRET_ENV:
            assert "value" not in env.get(name, {}), f"{name} is a literal in the {kind}"


def test_secret_template_holds_placeholders_only() -> None:
    secret = one("Secret")

    assert "data" not in secret
    assert set(secret["stringData"]) == set(SECRET_ENV)
    for key, value in secret["stringData"].items():
        assert re.search(r"<[^<>]+>", value), f"{key} has no <placeholder>: it may be a real value"
    for path in (INFRA / "k8s").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"postgres(ql)?://[^:<\s]+:[^@<…\s]+@", text), f"credentials in {path.name}"


def test_migrations_run_as_the_owner_role_and_the_service_as_the_app_role() -> None:
    secret_name = one("Secret")["metadata"]["name"]
    job_env = {item["name"]: item for item in pod_spec(one("Job"))["containers"][0]["env"]}
    assert job_env["KYOSO_MIGRATION_DATABASE_URL"]["valueFrom"]["secretKeyRef"] == {
        "name": secret_name,
        "key": "KYOSO_MIGRATION_DATABASE_URL",
    }
    web_env = {item["name"] for item in pod_spec(one("Deployment"))["containers"][0]["env"]}
    assert "KYOSO_MIGRATION_DATABASE_URL" not in web_env  # the service never holds owner rights
    assert "kyoso_app" in one("Secret")["stringData"]["KYOSO_DATABASE_URL"]


def test_migration_job_runs_the_upgrade_once() -> None:
    job = one("Job")
    (container,) = pod_spec(job)["containers"]

    assert container["command"][-2:] == ["migrate", "upgrade"]
    assert pod_spec(job)["restartPolicy"] == "Never"
    assert job["spec"]["backoffLimit"] <= 3
    assert container["image"] == pod_spec(one("Deployment"))["containers"][0]["image"]


def test_service_and_disruption_budget_select_the_web_pods() -> None:
    service, pdb = one("Service"), one("PodDisruptionBudget")

    assert service["spec"]["selector"] == WEB_LABELS
    assert service["spec"]["ports"][0]["targetPort"] == "http"
    assert pdb["spec"]["selector"]["matchLabels"] == WEB_LABELS
    assert 1 <= pdb["spec"]["minAvailable"] < one("Deployment")["spec"]["replicas"]


# -- Dockerfile --------------------------------------------------------------------------------


def test_dockerfile_builds_a_frozen_non_root_image_with_a_healthcheck() -> None:
    instructions = dockerfile_instructions()
    by_name: dict[str, list[str]] = {}
    for name, args in instructions:
        by_name.setdefault(name, []).append(args)

    assert by_name["FROM"] == ["python:3.11-slim"]
    assert any("pip install" in run and "uv" in run for run in by_name["RUN"])
    assert any("uv sync --frozen --no-dev" in run and "--no-install-project" not in run for run in by_name["RUN"])
    assert by_name["EXPOSE"] == ["8000"]
    user = by_name["USER"][-1].split(":")[0]
    assert user not in ("root", "0")
    assert [name for name, _ in instructions].index("USER") < [name for name, _ in instructions].index("CMD")
    (healthcheck,) = by_name["HEALTHCHECK"]
    assert "http://127.0.0.1:8000/health" in healthcheck
    assert json.loads(by_name["CMD"][-1]) == SERVE


def test_docker_build_context_leaves_out_local_state() -> None:
    ignored = (INFRA / "Dockerfile.dockerignore").read_text(encoding="utf-8").split()

    assert {".git", ".venv", ".data"} <= set(ignored)
