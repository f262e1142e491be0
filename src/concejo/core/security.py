"""Security headers for every response (ENS mp.s.2 / OWASP): CSP without inline
scripts, no framing, no MIME sniffing, a strict referrer and permissions policy."""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

from django.conf import settings

STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# Swagger UI and ReDoc (served from the sidecar package) start with inline scripts.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; worker-src 'self' blob:; object-src 'none'; frame-ancestors 'none'"
)
DOCS_PATHS = ("/api/v1/docs/", "/api/v1/redoc/")
PRIVATE_PATHS = (
    "/backoffice/",
    "/carpeta/",
    "/admin/",
    "/api/v1/people/",
    "/api/v1/registry/",
    "/api/v1/cases/",
)


def _origin(url: str) -> str:
    """The scheme and host of an address, or "" when it has none."""

    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


@functools.lru_cache(maxsize=4)
def _strict_csp(tile_url: str, issuer: str) -> str:
    """The pages' policy, opened to the map tile server (the sede's maps load images from
    it) and to the citizens' identity provider (signing out posts a form that ends there)."""
    tiles, provider = _origin(tile_url), _origin(issuer)
    return STRICT_CSP.replace(
        "img-src 'self' data:", f"img-src 'self' data: {tiles}".strip()
    ).replace("form-action 'self'", f"form-action 'self' {provider}".strip())


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        csp = (
            DOCS_CSP
            if request.path.startswith(DOCS_PATHS)
            else _strict_csp(getattr(settings, "MAP_TILE_URL", ""), settings.OIDC_ISSUER)
        )
        if request.path.startswith("/admin/"):
            # Django's admin uses a few inline scripts of its own.
            csp = csp.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(self)"
        )
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.path.startswith(PRIVATE_PATHS):
            # Pages with personal data are not kept by browsers or shared caches.
            response.headers.setdefault("Cache-Control", "no-store")
        return response


class RequestSizeLimitMiddleware:
    """Refuse bodies over DATA_UPLOAD_MAX_MEMORY_SIZE before anything reads them.

    Django enforces that limit only when request.body is read; DRF's parsers read
    the stream, so without this a huge JSON body would be loaded into memory.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.http import HttpResponse, JsonResponse

        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit and length > limit:
            message = f"La petición supera el tamaño máximo ({limit // (1024 * 1024)} MB)."
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"code": "request_too_large", "message": message, "fields": {}}, status=413
                )
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
