from django.urls import path

from concejo.sectors.cleaning import backoffice

app_name = "cleaning_desk"

urlpatterns = [
    path("", backoffice.queue, name="queue"),
    path("partes/", backoffice.work_orders, name="work-orders"),
    path("cuadro/", backoffice.dashboard, name="dashboard"),
    path("<str:number>/", backoffice.report_view, name="report"),
]
