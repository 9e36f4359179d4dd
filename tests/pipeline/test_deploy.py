"""The systemd units and the example environment file in deploy/ are valid and consistent."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cli.main import build_parser
from core.settings import Settings
from tests.conftest import REPO

DEPLOY = REPO / "deploy"
UNITS = sorted(DEPLOY.glob("*.service"))
EXE = "/opt/sohoa/.venv/bin/sohoa"


def _env_example() -> dict[str, str]:
    out = {}
    for line in (DEPLOY / "sohoa.env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            out[key.strip()] = value.strip()
    return out


def _exec(unit: Path, key: str = "ExecStart") -> list[str]:
    for line in unit.read_text(encoding="utf-8").splitlines():
        if line.startswith(f"{key}="):
            return shlex.split(line.removeprefix(f"{key}="))
    raise AssertionError(f"{unit.name} has no {key}")


def test_units_exist_for_web_and_both_queues():
    assert {u.name for u in UNITS} == {
        "sohoa-web.service",
        "sohoa-worker-ocr.service",
        "sohoa-worker-index.service",
    }


@pytest.mark.parametrize("unit", UNITS, ids=lambda u: u.name)
def test_unit_commands_parse_with_the_real_cli(unit):
    argv = _exec(unit)
    assert argv[0] == EXE
    args = build_parser().parse_args(argv[1:])
    if args.command == "worker":
        assert not args.once
        text = unit.read_text(encoding="utf-8")
        assert "OMP_THREAD_LIMIT=1" in text and "KillMode=mixed" in text
        if args.queues == ("index",):
            assert args.concurrency == 1  # the single writer


@pytest.mark.parametrize("unit", UNITS, ids=lambda u: u.name)
def test_every_unit_upgrades_the_schema_before_starting(unit):
    # Units started together (on one machine or several) migrate once, under the lock.
    pre = [
        ln for ln in unit.read_text(encoding="utf-8").splitlines() if ln.startswith("ExecStartPre=")
    ]
    assert len(pre) == 1, pre
    argv = _exec(unit, "ExecStartPre")
    assert argv[0] == EXE
    args = build_parser().parse_args(argv[1:])
    assert (args.command, args.db_command, args.migrate) == ("db", "upgrade", False)


def test_env_example_is_read_by_settings(monkeypatch):
    env = _env_example()
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    s = Settings(_env_file=None)  # type: ignore[call-arg]
    assert s.database_url and s.database_url.startswith("postgresql+psycopg://")
    assert s.broker_url and s.broker_url.startswith("redis://")
    assert str(s.data_dir) == env["SOHOA_DATA_DIR"]
    known = {f"SOHOA_{name.upper()}" for name in Settings.model_fields}
    for key in env:
        if key.startswith("SOHOA_"):
            assert key.split("__")[0] in known, key
    # The lease outlives the Celery hard limit (page timeout + 60 s soft + 30 s hard).
    assert s.pipeline.lease_s > s.ocr.page_timeout_s + 90


def _verify(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["systemd-analyze", "verify", *map(str, sorted(folder.glob("*")))],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_systemd_analyze_verify(tmp_path):
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze not installed (no systemd on this machine)")
    exe = Path(sys.executable).with_name("sohoa")
    if not exe.exists():
        pytest.skip(f"{exe} not installed; verify needs a real executable")
    env = tmp_path / "sohoa.env"
    shutil.copy(DEPLOY / "sohoa.env.example", env)
    good = tmp_path / "good"
    good.mkdir()
    for unit in UNITS:
        text = unit.read_text(encoding="utf-8").replace(EXE, str(exe))
        (good / unit.name).write_text(text.replace("/etc/sohoa/sohoa.env", str(env)))
    res = _verify(good)
    assert res.returncode == 0, res.stderr
    assert "ignoring" not in res.stderr and "rror" not in res.stderr, res.stderr
    # The check itself catches a broken unit (a typo'd key, a missing program).
    bad = tmp_path / "bad"
    bad.mkdir()
    text = (good / "sohoa-worker-ocr.service").read_text().replace("KillMode=", "KilMode=")
    (bad / "sohoa-worker-ocr.service").write_text(text)
    assert "Unknown key" in _verify(bad).stderr
