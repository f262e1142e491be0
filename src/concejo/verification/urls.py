from django.urls import path

from concejo.verification import views

app_name = "verification"

urlpatterns = [
    path("", views.verify, name="verify"),
    path("<str:code>/", views.document, name="document"),
    path("<str:code>/descargar", views.download, name="download"),
]
