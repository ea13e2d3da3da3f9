"""The `followup` section (suivi individuel): a person's follow-up, the committee, preparing release,
the instrument."""

from django.urls import path

from .views import committee, instrument, person, release

app_name = "followup"
urlpatterns = [
    path("", person.index, name="index"),
    path("sejours/<int:pk>/", person.person, name="person"),
    path("sejours/<int:pk>/evaluation/", person.assessment_add, name="assessment_add"),
    path("sejours/<int:pk>/plan/", person.plan_add, name="plan_add"),
    path("sejours/<int:pk>/preparation-sortie/", release.checklist_open, name="checklist_open"),
    path("evaluations/<int:pk>/", person.assessment_detail, name="assessment_detail"),
    path("plans/<int:pk>/", person.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/intervention/", person.intervention_add, name="intervention_add"),
    path("plans/<int:pk>/note/", person.note_add, name="note_add"),
    path("plans/<int:pk>/revision/", person.review_add, name="review_add"),
    path("interventions/<int:pk>/seance/", person.session_add, name="session_add"),
    path("interventions/<int:pk>/inscription/", person.enrol, name="enrol"),
    path("etablissements/<int:pk>/comite/", committee.session_list, name="session_list"),
    path("etablissements/<int:pk>/comite/nouvelle/", committee.session_add, name="session_add_for"),
    path("etablissements/<int:pk>/sorties/", release.due_list, name="due_list"),
    path("comite/<int:pk>/", committee.session_detail, name="session_detail"),
    path("comite/<int:pk>/personne/", committee.reviewed_add, name="reviewed_add"),
    path("comite/<int:pk>/decision/", committee.decision_add, name="decision_add"),
    path("comite/<int:pk>/cloture/", committee.session_close, name="session_close"),
    path("preparations/<int:pk>/", release.checklist_detail, name="checklist_detail"),
    path("points/<int:pk>/", release.item_complete, name="item_complete"),
    path("instruments/", instrument.instrument_list, name="instrument_list"),
    path("instruments/<int:pk>/nouvelle-version/", instrument.version_draft, name="version_draft"),
    path("versions/<int:pk>/", instrument.version_detail, name="version_detail"),
    path("versions/<int:pk>/element/", instrument.item_add, name="item_add"),
    path("versions/<int:pk>/publier/", instrument.version_publish, name="version_publish"),
]
