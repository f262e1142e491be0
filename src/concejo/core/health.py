"""`/healthz`: the database answers and every migration is applied."""

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    checks = {}
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        checks["migrations"] = "ok" if not pending else f"{len(pending)} pendientes"
    except Exception as exc:  # any failure means "not healthy"; say which
        failed = "migrations" if checks.get("database") == "ok" else "database"
        checks[failed] = f"error: {exc.__class__.__name__}"
    healthy = all(v == "ok" for v in checks.values()) and len(checks) == 2
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )
