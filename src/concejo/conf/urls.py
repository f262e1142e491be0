from django.contrib import admin
from django.urls import include, path

from concejo.core.health import healthz
from concejo.signatures.views import verify_signatures

admin.site.site_header = "Concejo · Administración"
admin.site.site_title = "Concejo"
admin.site.index_title = "Administración de la plataforma"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("concejo.api.urls")),
    path("backoffice/limpieza/", include("concejo.sectors.cleaning.backoffice_urls")),
    path("backoffice/tributos/", include("concejo.sectors.revenue.backoffice_urls")),
    path("backoffice/proteccion-datos/", include("concejo.privacy.backoffice_urls")),
    path("backoffice/", include("concejo.backoffice.urls")),
    path("open311/v2/", include("concejo.sectors.cleaning.urls")),
    path("verificar/firma/", verify_signatures, name="verify-signatures"),
    path("verificar/", include("concejo.verification.urls")),
    path("", include("concejo.sede.urls")),
]

handler404 = "concejo.core.error_views.not_found"
handler500 = "concejo.core.error_views.server_error"
