from django.urls import path

from . import views

app_name = "registers"

urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("modele.xlsx", views.template_download, name="template"),
    path("deposer/", views.job_upload, name="job_upload"),
    path("imports/<int:pk>/", views.job_detail, name="job_detail"),
    path("imports/<int:pk>/erreurs.xlsx", views.job_errors, name="job_errors"),
    path("imports/<int:pk>/confirmer/", views.job_confirm, name="job_confirm"),
    path("imports/<int:pk>/annuler/", views.job_cancel, name="job_cancel"),
    path("imports/<int:pk>/doublons/", views.job_decide, name="job_decide"),
    path("imports/<int:pk>/pages-scannees/", views.job_scans, name="job_scans"),
    path("a-verifier/", views.record_list, name="record_list"),
    path("enregistrements/<int:pk>/", views.record_detail, name="record_detail"),
    path("enregistrements/<int:pk>/page-scannee/fichier/", views.record_scan, name="record_scan"),
]
