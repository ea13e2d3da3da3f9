from django.urls import path

from . import deadline_views as views

app_name = "deadlines"
urlpatterns = [
    path("", views.alert_list, name="alert_list"),
    path("alertes/<int:pk>/avis-article-129.pdf", views.art129_notice, name="art129_notice"),
    path("delais/", views.limit_list, name="limit_list"),
    path("delais/<int:pk>/modifier/", views.limit_edit, name="limit_edit"),
    path("bilan/", views.backlog_report, name="backlog"),
    path("bilan/export.<str:fmt>", views.backlog_export, name="backlog_export"),
]
