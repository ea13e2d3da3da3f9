from django.urls import path

from . import views
from .presentations import views as presentations

app_name = "intake"
urlpatterns = [
    path("", views.intake_list, name="intake_list"),
    path("arrivee/", views.arrival_new, name="arrival_new"),
    path("<int:pk>/", views.intake_detail, name="intake_detail"),
    path("<int:pk>/etape/<slug:slug>/", views.step_form, name="step_form"),
    path("<int:pk>/fiche/", views.intake_sheet, name="intake_sheet"),
    path("<int:pk>/recu-effets.pdf", views.registry_receipt, name="registry_receipt"),
    path("<int:pk>/rapport-social/", views.social_report, name="social_report"),
    path("<int:pk>/fichier/<str:kind>/", views.intake_file, name="intake_file"),
    path("<int:pk>/fichier/<str:kind>/<int:item>/", views.intake_file, name="intake_file_item"),
    path("presentations/", presentations.presentation_list, name="presentation_list"),
    path("presentations/nouvelle/", presentations.presentation_new, name="presentation_new"),
    path("presentations/<int:pk>/", presentations.presentation_detail, name="presentation_detail"),
    path("presentations/<int:pk>/decision/<slug:decision>/", presentations.presentation_decide,
         name="presentation_decide"),
    path("presentations/<int:pk>/lettre-parquet.pdf", presentations.presentation_letter, name="presentation_letter"),
]
