from django.urls import path

from concejo.sectors.revenue import backoffice

app_name = "revenue_desk"

urlpatterns = [
    path("", backoffice.desk, name="desk"),
    path("recibos/", backoffice.receipts, name="receipts"),
    path("recibos/<uuid:receipt_id>/", backoffice.receipt_view, name="receipt"),
    path("remesas/<uuid:remittance_id>/", backoffice.remittance_view, name="remittance"),
    path("objetos/", backoffice.objects, name="objects"),
    path("recaudacion/", backoffice.report, name="report"),
]
