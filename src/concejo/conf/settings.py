"""All of Concejo's settings, read from the environment in this one module.

Defaults give the embedded mode (SQLite file and local files under the data
folder); production sets CONCEJO_ENV=production and a real SECRET_KEY,
DATABASE_URL and ALLOWED_HOSTS. See docs/deployment.md for every variable.
"""

from __future__ import annotations

import dj_database_url

from concejo.conf.environment import (
    REPO_ROOT,
    check_oidc,
    check_production,
    data_dir,
    env_bool,
    env_int,
    env_list,
    env_str,
    secret_key,
)

ENVIRONMENT = env_str("CONCEJO_ENV", "embedded")  # embedded | production
PRODUCTION = ENVIRONMENT == "production"
DATA_DIR = data_dir()

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = secret_key(DATA_DIR)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
if PRODUCTION:
    check_production(
        debug=DEBUG,
        key=SECRET_KEY,
        key_from_env=bool(env_str("SECRET_KEY")),
        database_url=env_str("DATABASE_URL"),
        allowed_hosts=ALLOWED_HOSTS,
        email_host=env_str("EMAIL_HOST"),
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Public base URL, used in receipts and verification links.
SITE_URL = env_str("SITE_URL", f"http://127.0.0.1:{env_int('PORT', 8000)}")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "concejo.core",
    "concejo.organization",
    "concejo.people",
    "concejo.audit",
    "concejo.deadlines",
    "concejo.procedures",
    "concejo.outbox",
    "concejo.verification",
    "concejo.registry",
    "concejo.documents",
    "concejo.cases",
    "concejo.signatures",
    "concejo.notifications",
    "concejo.sectors.cleaning",
    "concejo.sectors.revenue",
    "concejo.apikeys",
    "concejo.accounts",
    "concejo.backups",
    "concejo.privacy",
    "concejo.demo",
    "concejo.api",
    "concejo.sede",
    "concejo.backoffice",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "concejo.core.security.SecurityHeadersMiddleware",
    "concejo.core.security.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "concejo.accounts.middleware.SessionPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "concejo.conf.urls"
WSGI_APPLICATION = "concejo.conf.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "concejo.backoffice.context.desk_entities",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# Embedded default: one SQLite file in the data folder, tuned for concurrent
# use (WAL journal, IMMEDIATE write transactions, a generous busy timeout).
SQLITE_PATH = DATA_DIR / "concejo.sqlite3"
PREPARE_ONLY_WHEN_ASKED = 2**31 - 1  # psycopg's executions before it prepares on its own
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{SQLITE_PATH}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT", 30),
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    # Tests use a file (not :memory:) so that threaded tests share one database.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-concejo.sqlite3")}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Django's own queries bind their values on the client and are never
    # prepared; only statements that ask for it (core.writes: one hot statement
    # per shape) are prepared on the server, once per connection. Turn it off
    # behind a pooler that cannot keep prepared statements (PgBouncer in
    # transaction mode before 1.21).
    if env_bool("DATABASE_PREPARED_STATEMENTS", True):
        DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = (
            PREPARE_ONLY_WHEN_ASKED
        )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = ["concejo.core.auth_backends.GuardedModelBackend"]
LOGIN_FAILURES_ALLOWED = env_int("LOGIN_FAILURES_ALLOWED", 5)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 60)
LOGIN_LOCKOUT_MAX_SECONDS = env_int("LOGIN_LOCKOUT_MAX_SECONDS", 3600)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation: Spanish UI, Madrid time --------------------------
LANGUAGE_CODE = "es"
LANGUAGES = [("es", "Español")]
TIME_ZONE = "Europe/Madrid"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [REPO_ROOT / "src" / "concejo" / "locale"]

# --- Static and uploaded files --------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Leaflet (the sede's maps), from its pinned Python package rather than a CDN.
STATICFILES_DIRS = [("leaflet", __import__("xstatic.pkg.leaflet", fromlist=["BASE_DIR"]).BASE_DIR)]
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

LOGIN_URL = "/backoffice/entrar/"
LOGIN_REDIRECT_URL = "/backoffice/"

# --- Security -------------------------------------------------------------
# Django's database sessions, read by one prepared statement (concejo.accounts.sessions).
SESSION_ENGINE = "concejo.accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True

# --- API ------------------------------------------------------------------
# Trusted reverse proxies in front of gunicorn (client IP for audit and rate limits).
NUM_PROXIES = env_int("NUM_PROXIES", 0)

REST_FRAMEWORK = {
    # 0, not None: without trusted proxies DRF must use REMOTE_ADDR, never the
    # client-written X-Forwarded-For header.
    "NUM_PROXIES": NUM_PROXIES,
    "DEFAULT_AUTHENTICATION_CLASSES": ["concejo.api.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "concejo.core.pagination.KeysetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "concejo.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_RATES": {
        "deadlines": env_str("THROTTLE_DEADLINES", "300/min"),
        "catalog": env_str("THROTTLE_CATALOG", "300/min"),
        "csv": env_str("THROTTLE_CSV", "30/min"),
        "open311": env_str("THROTTLE_OPEN311", "12000/min"),  # per API key
        "open311_read": env_str("THROTTLE_OPEN311_READ", "600/min"),  # GETs, per address
        "reports": env_str("THROTTLE_REPORTS", "20/min"),  # the sede's report form, per address
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Concejo API",
    "DESCRIPTION": "API REST de la plataforma de administración electrónica Concejo.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Shared by every worker process (rate limits must hold across gunicorn workers).
CACHES = {
    "default": {
        # Django's file cache, its folder counted once a minute, not at every write (ADR 0036).
        "BACKEND": "concejo.core.cache.SharedFileCache",
        "LOCATION": str(DATA_DIR / "cache"),
        # Rate-limit counters live here: keep enough of them for every client.
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}

# Uploads: JSON bodies carry attachments in base64 (4/3 of their size).
REGISTRY_MAX_FILE_BYTES = env_int("REGISTRY_MAX_FILE_MB", 20) * 1024 * 1024
REGISTRY_MAX_ENTRY_BYTES = env_int("REGISTRY_MAX_ENTRY_MB", 50) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = REGISTRY_MAX_ENTRY_BYTES * 4 // 3 + 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# Side effects: "inline" runs outbox tasks right after commit in this process;
# "deferred" leaves them to `concejo sweep` / workers.
OUTBOX_MODE = env_str("OUTBOX_MODE", "inline")

# Password of the entities' seal certificates (PKCS#12 files named on each entity).
SEAL_PASSWORD = env_str("SEAL_PASSWORD", "" if PRODUCTION else "concejo-sello-pruebas")
# Certification authorities whose signatures the verifier trusts (PEM/DER files).
TRUSTED_CA_FILES = env_list("TRUSTED_CA_FILES", [])
# Who applies employees' signatures in the portafirmas (signatures.backends.SignatureBackend).
SIGNATURE_BACKEND = env_str("SIGNATURE_BACKEND", "concejo.signatures.backends.ServerSealBackend")
# The official ENI XSDs (documentoEni.xsd, expedienteEni.xsd ...) that imports are
# validated against; by default the reference copy next to the project when present.
ENI_XSD_DIR = env_str("ENI_XSD_DIR", str(REPO_ROOT.parent / "shared" / "reference" / "xsd" / "eni"))

# E-mail (notices of notifications): SMTP when EMAIL_HOST is set, else the console.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "notificaciones@concejo.example")
# SMS notices: a class with send(phone, text); the default writes to the log.
SMS_BACKEND = env_str("SMS_BACKEND", "concejo.notifications.notices.ConsoleSmsSender")
# Art. 43.2 Ley 39/2015: ten natural days without access = rejected. "end_of_day": at the
# end of the tenth day (Madrid time); "same_time": exactly ten days after it was made available.
NOTIFICATION_EXPIRY_DAYS = env_int("NOTIFICATION_EXPIRY_DAYS", 10)
NOTIFICATION_EXPIRY_CUTOFF = env_str("NOTIFICATION_EXPIRY_CUTOFF", "end_of_day")

# The sede's demo identity provider (choose a demo citizen to sign in): never in production.
DEMO_IDENTITY = env_bool("DEMO_IDENTITY", not PRODUCTION) and not PRODUCTION

# Citizens' sign-in through an OpenID Connect provider (e.g. a Cl@ve bridge); off
# without OIDC_ISSUER. The claims name where the provider puts each piece of identity.
OIDC_ISSUER = env_str("OIDC_ISSUER", "").rstrip("/")
OIDC_CLIENT_ID = env_str("OIDC_CLIENT_ID", "")
OIDC_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET", "")
OIDC_SCOPES = env_str("OIDC_SCOPES", "openid profile email")
OIDC_NIF_CLAIM = env_str("OIDC_NIF_CLAIM", "nif")
OIDC_GIVEN_NAME_CLAIM = env_str("OIDC_GIVEN_NAME_CLAIM", "given_name")
OIDC_SURNAME1_CLAIM = env_str("OIDC_SURNAME1_CLAIM", "family_name")
OIDC_SURNAME2_CLAIM = env_str("OIDC_SURNAME2_CLAIM", "")
OIDC_BUSINESS_NAME_CLAIM = env_str("OIDC_BUSINESS_NAME_CLAIM", "name")
OIDC_EMAIL_CLAIM = env_str("OIDC_EMAIL_CLAIM", "email")
OIDC_BUTTON_LABEL = env_str("OIDC_BUTTON_LABEL", "Cl@ve")
OIDC_ALGORITHMS = env_list("OIDC_ALGORITHMS", ["RS256"])
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10)
# The entity (DIR3) whose register receives citizens signing in for the first time;
# empty: the oldest top-level entity.
OIDC_ENTITY = env_str("OIDC_ENTITY", "")
check_oidc(
    issuer=OIDC_ISSUER,
    client_id=OIDC_CLIENT_ID,
    client_secret=OIDC_CLIENT_SECRET,
    site_url=SITE_URL,
    production=PRODUCTION,
)

# Online payment of taxes: the gateway class (sectors/revenue/gateways.py). The embedded
# mode's demo gateway refuses to run in production; "" turns online payment off.
PAYMENT_GATEWAY = env_str(
    "PAYMENT_GATEWAY", "" if PRODUCTION else "concejo.sectors.revenue.gateways.DemoGateway"
)

# Maps: the tile server (allowed in the CSP's img-src) and where they open.
MAP_TILE_URL = env_str("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_CENTER = (41.6520, -4.7286)  # Plaza Mayor de Valladolid

# Employees: a second factor (TOTP) is required of these roles (and superusers) when
# TWO_FACTOR_REQUIRED (on in production); sessions end after this long without use.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", PRODUCTION)
TWO_FACTOR_ROLES = ["administrator", "signer", "tax_officer"]
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_MINUTES", 30) * 60

# --- Concejo --------------------------------------------------------------
# Representation (apoderamiento) may be granted for at most this many years (art. 6 Ley 39/2015).
REPRESENTATION_MAX_YEARS = 5
# Street cleaning: each process keeps the entity's categories, districts and
# routing rules this many seconds (an edit in another process reaches it then).
CLEANING_CONFIG_SECONDS = env_int("CLEANING_CONFIG_SECONDS", 30)
