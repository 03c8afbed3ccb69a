"""The container and deployment files say what operators rely on: a non-root user, a health
check, port 8080, probes on healthz/readyz, a config the proxy accepts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from proxy.config.load import settings_from_data
from proxy.siterules.file import read_rule_file
from proxy.siterules.yamlload import load_marked

REPO = Path(__file__).resolve().parent.parent
DOCKERFILE = (REPO / "Dockerfile").read_text(encoding="utf-8")


def instructions(name: str) -> list[str]:
    """Arguments of every `NAME ...` instruction, continuation lines joined."""
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    return [line.split(None, 1)[1] for line in joined.splitlines()
            if line.split(None, 1)[:1] == [name]]


def test_dockerfile_runs_as_non_root_on_8080_with_a_healthcheck():
    [user] = instructions("USER")
    assert user.strip() not in ("root", "0")
    assert instructions("EXPOSE") == ["8080"]
    [check] = instructions("HEALTHCHECK")
    assert "/_a11y/healthz" in check and "curl" not in check
    assert instructions("FROM")[0].startswith("python:3.11-slim")
    assert any("pip install" in run for run in instructions("RUN"))
    assert any("BFP_LISTEN=0.0.0.0:8080" in env for env in instructions("ENV"))
    copied = " ".join(instructions("COPY"))
    assert "/app/config.yaml" in copied and "/app/rules" in copied


def test_dockerignore_keeps_tests_and_history_out():
    ignored = (REPO / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".git", "tests", "bench"} <= set(ignored)


def k8s_documents() -> dict[str, dict]:
    docs = yaml.safe_load_all((REPO / "deploy" / "k8s.yaml").read_text(encoding="utf-8"))
    return {f"{d['kind']}/{d['metadata']['name']}": d for d in docs if d}


def test_k8s_deployment_has_probes_resources_and_mounts():
    docs = k8s_documents()
    deployment = docs["Deployment/barrier-free-proxy"]
    pod = deployment["spec"]["template"]["spec"]
    [container] = pod["containers"]
    assert container["readinessProbe"]["httpGet"]["path"] == "/_a11y/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/_a11y/healthz"
    assert {"cpu", "memory"} <= set(container["resources"]["requests"])
    mounts = {m["mountPath"] for m in container["volumeMounts"]}
    assert {"/app/config.yaml", "/app/rules"} <= mounts
    assert pod["terminationGracePeriodSeconds"] > 20  # the proxy's own grace period
    assert docs["Service/barrier-free-proxy"]["spec"]["selector"] == \
        deployment["spec"]["selector"]["matchLabels"]


def test_k8s_configmaps_hold_a_valid_config_and_valid_rules(tmp_path):
    docs = k8s_documents()
    text = docs["ConfigMap/bfp-config"]["data"]["config.yaml"]
    data, problems = load_marked(text, "config.yaml")
    settings, more = settings_from_data(data, "config.yaml")
    assert problems + more == []
    assert settings.listen_host == "0.0.0.0" and settings.rules_dir == "/app/rules"
    for name, body in docs["ConfigMap/bfp-rules"]["data"].items():
        (tmp_path / name).write_text(body, encoding="utf-8")
        assert read_rule_file(tmp_path / name).errors == ()


@pytest.mark.parametrize("name", ["compose-config.yaml"], ids=["compose-config"])
def test_compose_config_is_valid(name):
    data, problems = load_marked((REPO / "deploy" / name).read_text(encoding="utf-8"), name)
    settings, more = settings_from_data(data, name)
    assert problems + more == [] and settings.cache.redis_url


def test_compose_puts_replicas_behind_nginx():
    compose = yaml.safe_load((REPO / "deploy" / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert services["proxy"]["deploy"]["replicas"] >= 2
    assert {"nginx", "redis"} <= set(services)
    nginx = (REPO / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert "proxy_pass http://bfp_proxies" in nginx and "server proxy:8080" in nginx
