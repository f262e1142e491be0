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


def test_openid_connect_is_either_off_or_fully_configured():
    environment.check_oidc(issuer="", client_id="", client_secret="", site_url="", production=True)
    with pytest.raises(ImproperlyConfigured, match="OIDC_CLIENT_SECRET"):
        environment.check_oidc(
            issuer="https://clave.example", client_id="sede", client_secret="",
            site_url="https://sede.example", production=True,
        )  # fmt: skip
    with pytest.raises(ImproperlyConfigured, match="OIDC_ISSUER"):
        environment.check_oidc(
            issuer="", client_id="sede", client_secret="s",
            site_url="https://sede.example", production=True,
        )  # fmt: skip
    environment.check_oidc(
        issuer="https://clave.example", client_id="sede", client_secret="s",
        site_url="https://sede.example", production=True,
    )  # fmt: skip


def test_production_wants_https_for_the_provider_and_the_return_address():
    with pytest.raises(ImproperlyConfigured, match="OIDC_ISSUER must be an https") as caught:
        environment.check_oidc(
            issuer="http://clave.example", client_id="sede", client_secret="s",
            site_url="http://127.0.0.1:8000", production=True,
        )  # fmt: skip
    assert "SITE_URL" in str(caught.value)
    environment.check_oidc(
        issuer="http://127.0.0.1:9000", client_id="sede", client_secret="s",
        site_url="http://127.0.0.1:8000", production=False,
    )  # fmt: skip


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


def test_production_settings_module_refuses_a_half_configured_openid_provider(tmp_path):
    import os
    import subprocess
    import sys

    production = {
        **os.environ, "CONCEJO_ENV": "production", "SECRET_KEY": "s" * 50,
        "CONCEJO_DATA_DIR": str(tmp_path), "DATABASE_URL": "postgres://u:p@db:5432/concejo",
        "ALLOWED_HOSTS": "sede.example", "EMAIL_HOST": "smtp.example",
        "SITE_URL": "https://sede.example", "OIDC_ISSUER": "https://clave.example",
        "OIDC_CLIENT_ID": "", "OIDC_CLIENT_SECRET": "",
    }  # fmt: skip

    def load(**env):
        return subprocess.run(
            [sys.executable, "-c", "import concejo.conf.settings"],
            env={**production, **env}, capture_output=True, text=True, check=False,
        )  # fmt: skip

    half = load()
    assert half.returncode != 0
    assert "OIDC_CLIENT_ID must be set" in half.stderr
    assert "OIDC_CLIENT_SECRET must be set" in half.stderr
    assert load(OIDC_CLIENT_ID="sede", OIDC_CLIENT_SECRET="s").returncode == 0
