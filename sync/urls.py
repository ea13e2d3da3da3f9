from django.urls import path

from . import views

app_name = "sync"

urlpatterns = [
    path("", views.health_page, name="health"),
    path("actions/<int:seq>/renvoyer/", views.resend, name="resend"),
    path("doublons/", views.duplicate_list, name="duplicates"),
    path("doublons/<int:pk>/decision/", views.duplicate_decide, name="duplicate_decide"),
]
