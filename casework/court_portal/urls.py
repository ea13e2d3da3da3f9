from django.urls import path

from casework.court_portal import views

app_name = "court"
urlpatterns = [
    path("", views.home, name="home"),
    path("affaires/<int:pk>/", views.case_detail, name="case_detail"),
    path("affaires/<int:pk>/ordonnance/", views.submit, name="submit"),
    path("alertes/<int:pk>/accuser-reception/", views.acknowledge, name="acknowledge"),
    path("transmissions/", views.submission_list, name="submission_list"),
    path("transmissions/<int:pk>/", views.submission_detail, name="submission_detail"),
    path("transmissions/<int:pk>/ordonnance.pdf", views.submission_document, name="submission_document"),
    path("transmissions/<int:pk>/confirmer/", views.submission_confirm, name="submission_confirm"),
    path("transmissions/<int:pk>/rejeter/", views.submission_reject, name="submission_reject"),
]
