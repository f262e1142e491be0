"""Scope checks for API views: `required_scopes = {"GET": "people:read", ...}`."""

from rest_framework.permissions import BasePermission

SAFE = ("GET", "HEAD", "OPTIONS")


class HasScope(BasePermission):
    message = "La clave de la API no tiene el permiso necesario para esta operación."
    code = "missing_scope"

    def has_permission(self, request, view) -> bool:
        if request.auth is None or not getattr(request.user, "is_authenticated", False):
            return False
        required = getattr(view, "required_scopes", {})
        scope = required.get(request.method) or (
            required.get("GET") if request.method in SAFE else None
        )
        if scope is None:
            # Reading needs just a valid key; a write nobody declared a scope for is refused.
            return request.method in SAFE
        return request.auth.application.has_scope(scope)


class PublicReadScopedWrite(HasScope):
    """Anyone may read; writing needs a key with the view's scope."""

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE:
            return True
        return super().has_permission(request, view)
