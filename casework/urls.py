from django.urls import path

from casework import views
from casework.releases import views as release_views

app_name = "casework"
urlpatterns = [
    path("sejours/<int:custody_pk>/ouvrir/", views.case_open, name="case_open"),
    path("<int:pk>/modifier/", views.case_edit, name="case_edit"),
    path("<int:pk>/chefs/ajouter/", views.charge_add, name="charge_add"),
    path("chefs/<int:pk>/etat/", views.charge_status, name="charge_status"),
    path("<int:pk>/titres/ajouter/", views.order_add, name="order_add"),
    path("<int:pk>/audiences/ajouter/", views.hearing_add, name="hearing_add"),
    path("<int:pk>/jugements/ajouter/", views.judgment_add, name="judgment_add"),
    path("<int:pk>/liberation/", release_views.release_order_add, name="release_order_add"),
    path("liberations/<int:pk>/executer/", release_views.release_order_execute, name="release_order_execute"),
]
