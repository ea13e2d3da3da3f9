from django.urls import path

from . import views

app_name = "inmates"
urlpatterns = [
    path("", views.inmate_list, name="inmate_list"),
    path("<int:pk>/", views.inmate_detail, name="inmate_detail"),
    path("<int:pk>/identite/", views.inmate_edit, name="inmate_edit"),
    path("<int:pk>/age/verifier/", views.age_verify, name="age_verify"),
    path("<int:pk>/autres-noms/ajouter/", views.alias_add, name="alias_add"),
    path("<int:pk>/famille/ajouter/", views.relative_add, name="relative_add"),
    path("sejours/<int:pk>/gardes-anterieures/ajouter/", views.prior_custody_add, name="prior_custody_add"),
    path("sejours/<int:pk>/placement/", views.placement_add, name="placement_add"),
    path("unites/<int:pk>/occupants/", views.unit_occupants, name="unit_occupants"),
]
