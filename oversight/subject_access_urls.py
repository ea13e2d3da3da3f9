"""/detenus/<id>/acces-personne/ (page) and …/acces-personne.pdf: the subject-access export."""

from django.urls import path

from . import subject_access_views as views

app_name = "subject_access"
urlpatterns = [
    path("<int:pk>/acces-personne/", views.subject_access_page, name="subject_access"),
    path("<int:pk>/acces-personne.pdf", views.subject_access_pdf, name="subject_access_pdf"),
]
