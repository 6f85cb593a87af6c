"""The deployment files in deploy/ run commands the bot accepts, on the ports and paths its configuration uses:
the systemd unit, the compose file, the proxy in front of the replicas."""

from __future__ import annotations

import configparser
import re
import shlex
import shutil
from pathlib import Path

import pytest
import yaml

from bot.__main__ import parser
from bot.cli.run import on_port
from bot.config import load_config
from tests.conftest import ROOT

DEPLOY = ROOT / "deploy"


def accepted(argv: list[str]):
    """The arguments of `python -m bot …` as the CLI reads them (argparse exits on anything it refuses)."""
    assert argv[:3] == ["python", "-m", "bot"] or argv[1:3] == ["-m", "bot"], argv
    return parser().parse_args(argv[3:])


@pytest.fixture
def province(tmp_path) -> Path:
    """deploy/province.toml beside the example's commune files, laid out as compose mounts them."""
    shutil.copy(DEPLOY / "province.toml", tmp_path / "province.toml")
    shutil.copytree(ROOT / "examples" / "province" / "communes", tmp_path / "communes")
    return tmp_path / "province.toml"


def test_the_systemd_unit_runs_a_replica_on_the_port_its_instance_names():
    unit = configparser.ConfigParser(interpolation=None, strict=True)
    unit.optionxform = str
    unit.read(DEPLOY / "lelolamviec@.service")
    args = accepted(shlex.split(unit["Service"]["ExecStart"].replace("%i", "8082")))
    assert args.command == "run" and args.port == 8082
    assert "TOKEN" not in unit["Service"]["ExecStart"], "tokens come from the EnvironmentFile, never argv"
    assert unit["Service"]["KillSignal"] == "SIGTERM" and unit["Service"]["Restart"] == "always"


def test_compose_migrates_first_then_runs_replicas_whose_health_check_asks_their_own_port(province):
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert accepted(services["migrate"]["command"]).command == "db"
    run = accepted(services["bot"]["command"])
    assert run.command == "run" and run.port and services["bot"]["deploy"]["replicas"] >= 2
    assert services["bot"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert f"127.0.0.1:{run.port}/healthz" in " ".join(services["bot"]["healthcheck"]["test"])
    config = on_port(load_config(province), run.port)
    assert re.match(r"postgresql\+asyncpg://\w+@postgres/", config.database.url), "the compose service's name"
    assert (DEPLOY / "Dockerfile").exists() and services["bot"]["build"]["dockerfile"] == "deploy/Dockerfile"


def test_the_proxy_sends_both_webhooks_and_the_pages_to_the_replicas_and_keeps_metrics_inside(province):
    proxy = (DEPLOY / "nginx.conf").read_text()
    config = load_config(province)
    locations = set(re.findall(r"location\s+=?\s*(\S+)\s*\{\s*proxy_pass", proxy))
    assert locations == {config.telegram.webhook.path, config.zalo.webhook.path, "/web/"}
    upstream = re.findall(r"server 127\.0\.0\.1:(\d+)", proxy)
    assert len(upstream) >= 2 and "/metrics" not in locations and "/healthz" not in locations
    assert "access_log off" in proxy, "sign-in links and secrets never reach the proxy's log"
