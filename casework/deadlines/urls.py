from django.urls import path

from casework.deadlines import views
from casework.releases import views as release_views

app_name = "deadlines"
urlpatterns = [
    path("", views.alert_list, name="alert_list"),
    path("alertes/<int:pk>/avis-article-129.pdf", views.art129_notice, name="art129_notice"),
    path("delais/", views.limit_list, name="limit_list"),
    path("delais/<int:pk>/modifier/", views.limit_edit, name="limit_edit"),
    path("bilan/", views.backlog_report, name="backlog"),
    # One route per format (no free-form segment in the URL).
    path("bilan/export.csv", views.backlog_export, {"fmt": "csv"}, name="backlog_csv"),
    path("bilan/export.xlsx", views.backlog_export, {"fmt": "xlsx"}, name="backlog_xlsx"),
    path("sorties-en-retard/", release_views.late_release_register, name="late_releases"),
    path("sorties-en-retard/export.csv", release_views.late_release_csv, name="late_release_csv"),
    path("bilan/export.pdf", views.backlog_export, {"fmt": "pdf"}, name="backlog_pdf"),
]
