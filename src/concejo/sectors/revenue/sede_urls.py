from django.urls import path

from concejo.sectors.revenue import sede_views

urlpatterns = [
    path("", sede_views.my_taxes, name="my-taxes"),
    path("recibos/<uuid:receipt_id>/carta/", sede_views.letter, name="my-taxes-letter"),
    path("recibos/<uuid:receipt_id>/pagar/", sede_views.pay, name="my-taxes-pay"),
    path("<uuid:person_id>/domiciliacion/", sede_views.mandate, name="my-taxes-mandate"),
    path("<uuid:person_id>/certificado/", sede_views.certificate, name="my-taxes-certificate"),
]
