"""/vie-carcerale/…: the register of requests to see one's own file (Rule 9) and its extracts."""

from django.urls import path

from . import own_file_views as views

app_name = "own_file"
urlpatterns = [
    path("sejours/<int:pk>/acces-dossier/", views.request_add, name="request_add"),
    path("demandes-dossier/<int:pk>/", views.request_detail, name="request_detail"),
    path("demandes-dossier/<int:pk>/reponse/", views.request_answer, name="request_answer"),
    path("demandes-dossier/<int:pk>/extrait/", views.extract_page, name="extract"),
    path("demandes-dossier/<int:pk>/extrait.pdf", views.extract_pdf, name="extract_pdf"),
    path("etablissements/<int:pk>/demandes-dossier/", views.request_list, name="request_list"),
]
