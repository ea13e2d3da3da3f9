from django.urls import path

from . import export_views, followup_views, inspection_views, views

app_name = "oversight"
urlpatterns = [
    path("", views.index, name="index"),
    path("inspection/", inspection_views.inspection_index, name="inspection_index"),
    path("etablissements/<int:pk>/inspection/", inspection_views.inspection_page, name="inspection"),
    path("etablissements/<int:pk>/inspection.pdf", inspection_views.inspection_pdf, name="inspection_pdf"),
    # Background exports, before the reports' <slug:key> (one's own only).
    path("exports/", export_views.export_list, name="export_list"),
    path("exports/nouveau/", export_views.export_start, name="export_start"),
    path("exports/<int:pk>/", export_views.export_detail, name="export_detail"),
    path("exports/<int:pk>/fichier/", export_views.export_download, name="export_download"),
    path("suivi-individuel/", followup_views.followup_page, name="followup_report"),
    path("<slug:key>/", views.report_page, name="report"),
    path("<slug:key>/export.<str:fmt>", views.report_export, name="export"),
]
