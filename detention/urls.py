"""The `life` section (vie carcérale): life inside and, beside it, the movements of a person
(transfers, cell moves, releases, deaths) that `inmates` serves. One namespace, one prefix."""

from django.urls import path

from inmates import death_views
from inmates import views as inmate_views

from . import views

app_name = "life"
urlpatterns = [
    path("", views.index, name="index"),
    path("sejours/<int:pk>/", views.custody_life, name="custody_life"),
    path("sejours/<int:pk>/transfert/", inmate_views.transfer_request, name="transfer_request"),
    path("sejours/<int:pk>/cellule/", inmate_views.cell_move, name="cell_move"),
    path("sejours/<int:pk>/placements/", inmate_views.placement_history, name="placement_history"),
    path("sejours/<int:pk>/sortie/", inmate_views.release_form, name="release_form"),
    path("sejours/<int:pk>/deces/", death_views.death_add, name="death_add"),
    path("deces/<int:pk>/informations/", death_views.death_notifications, name="death_notifications"),
    path("deces/<int:pk>/suivi/", death_views.death_follow_up, name="death_follow_up"),
    path("etablissements/<int:pk>/deces/", death_views.death_list, name="death_list"),
    path("sejours/<int:pk>/classement/", views.classification_form, name="classification_form"),
    path("sejours/<int:pk>/visite/", views.visit_add, name="visit_add"),
    path("sejours/<int:pk>/plainte/", views.complaint_add, name="complaint_add"),
    path("sejours/<int:pk>/famille/", views.family_notification_add, name="family_notification_add"),
    path("transferts/<int:pk>/", inmate_views.transfer_detail, name="transfer_detail"),
    path("transferts/<int:pk>/approuver/", inmate_views.transfer_approve, name="transfer_approve"),
    path("transferts/<int:pk>/depart/", inmate_views.transfer_depart, name="transfer_depart"),
    path("transferts/<int:pk>/arrivee/", inmate_views.transfer_arrive, name="transfer_arrive"),
    path("transferts/<int:pk>/annuler/", inmate_views.transfer_cancel, name="transfer_cancel"),
    path("sorties/<int:pk>/recu/", inmate_views.release_receipt, name="release_receipt"),
    path("unites/<int:pk>/chef/", views.cell_leader_appoint, name="cell_leader_appoint"),
    path("visites/<int:pk>/sortie/", views.visit_leave, name="visit_leave"),
    path("plaintes/<int:pk>/", views.complaint_detail, name="complaint_detail"),
    path("plaintes/<int:pk>/<str:step>/", views.complaint_step, name="complaint_step"),
    path("activites/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activites/<int:pk>/inscrire/", views.activity_enrol, name="activity_enrol"),
    path("inscriptions/<int:pk>/fin/", views.enrolment_end, name="enrolment_end"),
    path("famille/<int:pk>/prevenu/", views.family_notification_told, name="family_notification_told"),
    path("etablissements/<int:pk>/transferts/", inmate_views.transfer_list, name="transfer_list"),
    path("etablissements/<int:pk>/classements/", views.classification_list, name="classification_list"),
    path("etablissements/<int:pk>/separation/", inmate_views.separation, name="separation"),
    path("etablissements/<int:pk>/chefs-de-cellule/", views.cell_leaders, name="cell_leaders"),
    path("etablissements/<int:pk>/visites/", views.visit_list, name="visit_list"),
    path("etablissements/<int:pk>/jours-de-visite/", views.visiting_days, name="visiting_days"),
    path("etablissements/<int:pk>/plaintes/", views.complaint_list, name="complaint_list"),
    path("etablissements/<int:pk>/activites/", views.activity_list, name="activity_list"),
    path("etablissements/<int:pk>/activites/nouvelle/", views.activity_add, name="activity_add"),
    path("etablissements/<int:pk>/acces-activites/", views.activity_access, name="activity_access"),
]

from . import discipline_views  # noqa: E402  (discipline and isolation registers, issue 14)

urlpatterns += [
    path("etablissements/<int:pk>/discipline/", discipline_views.discipline_list, name="discipline_list"),
    path("discipline/<int:pk>/", discipline_views.discipline_detail, name="discipline_detail"),
    path("etablissements/<int:pk>/isolement/", discipline_views.isolation_list, name="isolation_list"),
    path("etablissements/<int:pk>/discipline/rapport/", discipline_views.incident_report, name="incident_report"),
    path("discipline/<int:pk>/notifier/", discipline_views.charge_notify, name="charge_notify"),
    path("discipline/<int:pk>/audience/", discipline_views.charge_hear, name="charge_hear"),
    path("discipline/<int:pk>/decision/", discipline_views.charge_decide, name="charge_decide"),
    path("discipline/<int:pk>/recours/", discipline_views.charge_appeal, name="charge_appeal"),
    path("discipline/<int:pk>/recours/issue/", discipline_views.charge_appeal_outcome, name="charge_appeal_outcome"),
    path("sejours/<int:pk>/isolement/", discipline_views.isolation_place, name="isolation_place"),
    path("isolement/<int:pk>/", discipline_views.isolation_detail, name="isolation_detail"),
    path("isolement/<int:pk>/fin/", discipline_views.isolation_end, name="isolation_end"),
    path("isolement/<int:pk>/visite/", discipline_views.isolation_visit, name="isolation_visit"),
]

from . import search_views  # noqa: E402  (searches and use-of-force registers, issue 14)

urlpatterns += [
    path("etablissements/<int:pk>/fouilles/", search_views.search_list, name="search_list"),
    path("etablissements/<int:pk>/fouilles/nouvelle/", search_views.search_add, name="search_add"),
    path("fouilles/<int:pk>/", search_views.search_detail, name="search_detail"),
    path("etablissements/<int:pk>/usage-force/", search_views.force_list, name="force_list"),
    path("etablissements/<int:pk>/usage-force/nouvelle/", search_views.force_add, name="force_add"),
    path("usage-force/<int:pk>/", search_views.force_detail, name="force_detail"),
    path("usage-force/<int:pk>/examen/", search_views.force_examination, name="force_examination"),
    path("usage-force/<int:pk>/rapport/", search_views.force_report, name="force_report"),
    path("usage-force/<int:pk>/controle/", search_views.force_review, name="force_review"),
    path("usage-force/<int:pk>/duree/", search_views.force_duration, name="force_duration"),
]

from . import incident_views  # noqa: E402  (serious incidents and injuries, issue 14 item 5)

urlpatterns += [
    path("etablissements/<int:pk>/incidents/", incident_views.incident_list, name="incident_list"),
    path("etablissements/<int:pk>/incidents/ajouter/", incident_views.incident_add, name="incident_add"),
    path("sejours/<int:pk>/blessure/", incident_views.injury_add, name="injury_add"),
    path("incidents/<int:pk>/", incident_views.incident_detail, name="incident_detail"),
    path("incidents/<int:pk>/autorite/", incident_views.incident_authority, name="incident_authority"),
    path("incidents/<int:pk>/famille/", incident_views.incident_kin, name="incident_kin"),
    path("incidents/<int:pk>/enquete/", incident_views.incident_inquiry, name="incident_inquiry"),
    path("incidents/<int:pk>/constat-medical/", incident_views.incident_medical, name="incident_medical"),
]
