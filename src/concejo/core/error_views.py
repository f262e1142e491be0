"""404 and 500 pages: JSON with the common error body under /api/, Spanish pages elsewhere."""

from django.http import JsonResponse
from django.views import defaults


def _api(request) -> bool:
    return request.path.startswith("/api/")


def not_found(request, exception=None):
    if _api(request):
        return JsonResponse(
            {"code": "not_found", "message": "No se ha encontrado lo que busca.", "fields": {}},
            status=404,
        )
    return defaults.page_not_found(request, exception, template_name="404.html")


def server_error(request):
    if _api(request):
        return JsonResponse(
            {
                "code": "server_error",
                "message": "Error interno; se ha registrado para su revisión.",
                "fields": {},
            },
            status=500,
        )
    return defaults.server_error(request, template_name="500.html")
