"""The command line contract, run as a real subprocess."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.conftest import REPO
from tests.processes import free_port, start_group, stop_group

ENV = {**os.environ, "PYTHONPATH": str(REPO)}


def run_cli(*args: str, timeout: float = 30, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "proxy", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, env=ENV)


def test_bad_config_exits_before_binding_the_port(tmp_path):
    port = free_port()
    config = tmp_path / "config.yaml"
    config.write_text(f"listen: 127.0.0.1:{port}\nupstream: demo\ntimeouts:\n  read: soon\n")
    result = run_cli("serve", "--config", str(config))
    assert result.returncode == 2
    assert f"{config}:4:9: timeouts.read: expected a positive number" in result.stderr
    with socket.socket() as s:  # the port was never bound
        s.bind(("127.0.0.1", port))


def test_a_start_without_rules_or_config_exits_before_binding(tmp_path):
    """Started from the wrong directory: one clear line and status 2, not a proxy that serves
    without its rules and logs a traceback a second."""
    port = free_port()
    result = run_cli("serve", "--listen", f"127.0.0.1:{port}", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"rules directory rules (in {tmp_path}) not found (set --rules or rules_dir in "
        "config.yaml); there is no ./config.yaml here either: start from the install directory"]
    with socket.socket() as s:  # the port was never bound
        s.bind(("127.0.0.1", port))


def test_a_config_naming_a_missing_rules_dir_exits_before_binding(tmp_path):
    port = free_port()
    config = tmp_path / "config.yaml"
    config.write_text(f"listen: 127.0.0.1:{port}\nrules_dir: {tmp_path / 'gone'}\n")
    result = run_cli("serve", "--config", str(config))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"rules directory {tmp_path / 'gone'} not found (set --rules or rules_dir in config.yaml)"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))


def test_named_config_must_exist(tmp_path):
    result = run_cli("serve", "--config", str(tmp_path / "missing.yaml"))
    assert result.returncode == 2 and "file not found" in result.stderr


def wait_for(url: str, deadline: float = 20) -> bytes:
    end = time.monotonic() + deadline
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read()
        except OSError:
            if time.monotonic() > end:
                raise
            time.sleep(0.2)


def test_serve_demo_and_demo_origin_commands(tmp_path):
    proxy_port, origin_port = free_port(), free_port()
    origin = start_group([sys.executable, "-m", "proxy", "demo-origin", "--listen",
                          f"127.0.0.1:{origin_port}"], cwd=REPO, env=ENV)
    proxy = start_group([sys.executable, "-m", "proxy", "serve", "--listen",
                         f"127.0.0.1:{proxy_port}", "--upstream", "demo", "--rules",
                         str(REPO / "rules")], cwd=tmp_path, env=ENV)
    try:
        assert "苏ICP备15003616号".encode("gb18030") in wait_for(
            f"http://127.0.0.1:{origin_port}/")
        # one worker per core: spawned interpreters importing lxml on a busy machine
        assert "苏ICP备15003616号".encode() in wait_for(f"http://127.0.0.1:{proxy_port}/", 60)
        assert wait_for(f"http://127.0.0.1:{proxy_port}/_a11y/healthz") == b"ok\n"
    finally:
        stop_group(proxy, (proxy_port,))
        stop_group(origin, (origin_port,))
    assert proxy.returncode == 0


def test_report_answers_bad_targets_clearly(tmp_path):
    result = run_cli("report", "--out", str(tmp_path / "r"), "www.example.gov.cn")
    assert result.returncode == 2
    assert "report: 'www.example.gov.cn': expected a URL (http://...) or a path (/...)" \
        in result.stderr
    result = run_cli("report", "http://a.example/", "http://b.example/")
    assert result.returncode == 2 and "one origin per report" in result.stderr
