import os
import secrets
import subprocess
import sys

from django.conf import settings

MANAGE = settings.BASE_DIR / "manage.py"


def production_env(tmp_path, **overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SECURE_", "DJANGO_", "AUTOSALES_")) and key not in ("DEBUG", "SECRET_KEY")
    }
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="sales.example.com",
        AUTOSALES_INSECURE_DEV_KEY="0",
        AUTOSALES_VAR_DIR=str(tmp_path),
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def check_deploy(env):
    return subprocess.run(
        [sys.executable, str(MANAGE), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_clean_in_production_mode(tmp_path):
    result = check_deploy(production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_refuses_the_development_secret_key(tmp_path):
    result = check_deploy(production_env(tmp_path, SECRET_KEY=None, AUTOSALES_INSECURE_DEV_KEY="1"))
    assert result.returncode != 0
    assert "security.W009" in result.stderr


def test_deploy_check_refuses_cookies_sent_over_plain_http(tmp_path):
    result = check_deploy(production_env(tmp_path, SECURE_COOKIES="0", SECURE_SSL_REDIRECT="0"))
    assert result.returncode != 0
    for warning in ("security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


def test_production_without_secret_key_refuses_to_start(tmp_path):
    result = check_deploy(production_env(tmp_path, SECRET_KEY=None))
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
