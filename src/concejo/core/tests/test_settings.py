import pytest
from django.core.exceptions import ImproperlyConfigured

from concejo.conf import environment


def test_production_refuses_debug_on():
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        environment.check_production(debug=True, key="x" * 50, key_from_env=True)


def test_production_refuses_a_generated_or_default_secret():
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        environment.check_production(debug=False, key="x" * 50, key_from_env=False)
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        environment.check_production(
            debug=False, key="django-insecure-" + "x" * 40, key_from_env=True
        )


def test_production_refuses_to_print_notices_instead_of_sending_them():
    with pytest.raises(ImproperlyConfigured, match="EMAIL_HOST"):
        environment.check_production(debug=False, key="k" * 50, key_from_env=True, email_host="")


def test_production_accepts_a_real_configuration():
    environment.check_production(debug=False, key="k" * 50, key_from_env=True)


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = environment.secret_key(tmp_path)
    second = environment.secret_key(tmp_path)
    assert first == second
    assert len(first) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_secret_key_from_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert environment.secret_key(tmp_path) == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def test_booleans_are_parsed_strictly(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    assert environment.env_bool("X_FLAG") is True
    monkeypatch.setenv("X_FLAG", "quizás")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        environment.env_bool("X_FLAG")


def test_production_settings_module_refuses_to_start_with_debug(tmp_path):
    """Importing the settings as production with DEBUG on fails before serving anything."""
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "CONCEJO_ENV": "production",
        "DEBUG": "true",
        "SECRET_KEY": "s" * 50,
        "CONCEJO_DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", "import concejo.conf.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "DEBUG must be off in production" in result.stderr
