"""Reading configuration from the environment, with defaults for the embedded mode."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

REPO_ROOT = Path(__file__).resolve().parents[3]
INSECURE_SECRET_PREFIX = "django-insecure-"


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def data_dir() -> Path:
    path = Path(env_str("CONCEJO_DATA_DIR", str(REPO_ROOT / "var")))
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(directory: Path) -> str:
    """SECRET_KEY from the environment, or generated once and kept in the data folder."""
    given = env_str("SECRET_KEY")
    if given:
        return given
    path = directory / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(50)
    # Write atomically so that concurrent workers starting at once agree on one key.
    tmp = directory / f".secret_key.{os.getpid()}"
    tmp.write_text(key)
    tmp.chmod(0o600)
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    return path.read_text().strip()


def check_production(
    *,
    debug: bool,
    key: str,
    key_from_env: bool,
    database_url: str = "postgres://",
    allowed_hosts: list[str] | None = None,
    email_host: str = "smtp",
) -> None:
    """Production refuses to start with DEBUG on, a default secret, SQLite, no hosts, or
    no SMTP server (notices of notifications would only be printed, never sent)."""
    problems = []
    if not database_url.startswith(("postgres://", "postgresql://")):
        problems.append("DATABASE_URL must point to PostgreSQL in production")
    if allowed_hosts is not None and not allowed_hosts:
        problems.append("ALLOWED_HOSTS must list the public host names")
    if debug:
        problems.append("DEBUG must be off in production")
    if not email_host:
        problems.append("EMAIL_HOST must name the SMTP server for notification notices")
    if not key_from_env or key.startswith(INSECURE_SECRET_PREFIX) or len(key) < 40:
        problems.append("SECRET_KEY must be given in the environment (40+ random characters)")
    if problems:
        raise ImproperlyConfigured("; ".join(problems))


def check_oidc(
    *, issuer: str, client_id: str, client_secret: str, site_url: str, production: bool
) -> None:
    """OpenID Connect is either off (no OIDC_ISSUER) or fully configured.

    Production also wants HTTPS for the provider and for the address the provider
    sends citizens back to (SITE_URL), since codes and tokens travel there.
    """
    given = {
        "OIDC_ISSUER": issuer,
        "OIDC_CLIENT_ID": client_id,
        "OIDC_CLIENT_SECRET": client_secret,
    }
    if not any(given.values()):
        return
    problems = [
        f"{name} must be set with the other OIDC_ settings" for name, v in given.items() if not v
    ]
    if production and issuer and not issuer.startswith("https://"):
        problems.append("OIDC_ISSUER must be an https:// address in production")
    if production and not site_url.startswith("https://"):
        problems.append("SITE_URL must be the sede's https:// address to sign in with OIDC")
    if problems:
        raise ImproperlyConfigured("; ".join(problems))
