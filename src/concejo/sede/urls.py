from django.urls import path

from concejo.sede import views

app_name = "sede"

urlpatterns = [
    path("", views.home, name="home"),
    path("<str:dir3_code>/", views.entity_home, name="entity-home"),
    path("<str:dir3_code>/calendario/", views.calendar_page, name="calendar"),
    path("<str:dir3_code>/procedimientos/", views.catalog, name="catalog"),
    path("<str:dir3_code>/procedimientos/<str:sia_code>/", views.procedure_page, name="procedure"),
]
