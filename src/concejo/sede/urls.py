from django.urls import path

from concejo.sede import views

app_name = "sede"

urlpatterns = [
    path("", views.home, name="home"),
    path("<str:dir3_code>/", views.entity_home, name="entity-home"),
]
