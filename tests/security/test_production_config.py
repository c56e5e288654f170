"""Production starts with a strong SECRET_KEY and refuses a weak or missing one, judged in a
fresh process (the configuration is read at import, so only a fresh process shows what an
operator sees), and the key it then signs with is the one in the environment."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import config
from config import DEV_SECRET_KEY, ProductionConfig, config_for, secret_key_problem

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "9f2c4e7a1b8d3f60c5e9a2b7d4f1c8e3a6b0d5f2"
START = ("from lms import create_app; app = create_app(); "
         "print('started', app.config['SECRET_KEY'] == __import__('os').environ['SECRET_KEY'])")
# What create_app() does first, as the review ran it: quicker than importing every domain.
CONFIGURE = "import config; config.config_for(None); print('started')"


def _start_in_a_fresh_process(tmp_path, program: str = START,
                              **env: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("SECRET_KEY", "TEST_DATABASE_URL", "PUBLIC_BASE_URL")}
    environment.update(ALUR_ENV="production", ALUR_INSTANCE_DIR=str(tmp_path),
                       DATABASE_URL=f"sqlite:///{tmp_path / 'alur.sqlite3'}", **env)
    return subprocess.run([sys.executable, "-c", program], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=120)


def test_production_starts_with_a_strong_key_and_signs_with_it(tmp_path):
    run = _start_in_a_fresh_process(tmp_path, SECRET_KEY=STRONG_KEY,
                                    PUBLIC_BASE_URL="https://alur.example")
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().endswith("started True")


def test_the_reviews_command_accepts_a_strong_key(tmp_path):
    run = _start_in_a_fresh_process(tmp_path, CONFIGURE, SECRET_KEY=STRONG_KEY)
    assert run.returncode == 0, run.stderr


def test_the_app_refuses_to_start_without_a_key(tmp_path):
    run = _start_in_a_fresh_process(tmp_path)
    assert run.returncode != 0
    assert "SECRET_KEY is not set" in run.stderr and "started" not in run.stdout


@pytest.mark.parametrize("key", ["", "short-key", DEV_SECRET_KEY, "a" * 64])
def test_production_refuses_a_weak_or_missing_key(tmp_path, key):
    run = _start_in_a_fresh_process(tmp_path, CONFIGURE, SECRET_KEY=key)
    assert run.returncode != 0
    assert "SECRET_KEY" in run.stderr and "started" not in run.stdout


@pytest.mark.parametrize("key, problem", [
    ("", "not set"),
    (DEV_SECRET_KEY, "development or testing"),
    ("testing-secret", "development or testing"),
    ("0123456789abcdef", "fewer than 32"),
    ("x" * 40, "too few characters"),
    ("ab" * 20, "too few characters"),
    (STRONG_KEY, None),
    ("Kq3-vT9_zL1pW8rN4mX6cB2hJ7dF5gS0", None),
])
def test_which_keys_are_strong_enough(key, problem):
    found = secret_key_problem(key)
    assert (found is None) if problem is None else (problem in found)


def test_a_key_set_after_the_configuration_was_imported_is_the_one_used(monkeypatch):
    # The review's trap: `config` was imported (with no key) before the variable was set.
    assert config.Config.SECRET_KEY != STRONG_KEY
    monkeypatch.setenv("SECRET_KEY", STRONG_KEY)
    started = config_for("production")
    assert started.SECRET_KEY == STRONG_KEY and ProductionConfig.SECRET_KEY != STRONG_KEY
    assert started.SESSION_COOKIE_SECURE and started.REMEMBER_COOKIE_SECURE
