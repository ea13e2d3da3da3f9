from django.urls import path

from . import views

app_name = "oversight"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:key>/", views.report_page, name="report"),
    path("<slug:key>/export.<str:fmt>", views.report_export, name="export"),
]
