"""Step 5, social interview: the social investigation report, the needs and the social profile."""


from django.utils.translation import gettext as _

from inmates import services as inmate_services
from intake.models import (
    InterviewRecord,
    Need,
)

from .validation import _missing, _raise, _require

INTERVIEW_FIELDS = ("background", "family_situation", "languages", "own_account", "motivations",
                    "needs", "needs_notes", "conclusions")
PROFILE_FIELDS = ("ethnic_group", "ethnic_group_other", "religion", "religion_other", "education", "occupation",
                  "occupation_other", "marital_status", "children_count")
TERRORISM_PROFILE_FIELDS = ("affiliations", "involvement", "organisational_role", "organisational_role_other",
                            "engagement_reasons")


def _interview(intake, data, actor):
    errors = {}
    _require(errors, data, "background", _("Résumez le parcours de la personne."))
    _require(errors, data, "family_situation", _("Décrivez la situation familiale."))
    _require(errors, data, "conclusions", _("Rédigez les conclusions de l'enquête sociale."))
    bad = set(data.get("needs") or []) - set(Need.values)
    if bad:
        _missing(errors, "needs", _("Besoin inconnu : %(v)s") % {"v": ", ".join(sorted(bad))})
    terrorism = intake.custody.terrorism_related
    if terrorism:
        if not data.get("affiliations"):
            _missing(errors, "affiliations", _("Affaire liée au terrorisme : indiquez l'affiliation "
                                               "(« inconnue » si elle l'est)."))
        _require(errors, data, "involvement", _("Affaire liée au terrorisme : indiquez le type "
                                                "d'implication."))
    elif any(data.get(f) for f in TERRORISM_PROFILE_FIELDS):
        _missing(errors, "affiliations", _("Ces rubriques ne concernent que les affaires liées au "
                                           "terrorisme."))
    _raise(errors)
    record = InterviewRecord(intake=intake, **{
        f: (data.get(f) if f == "needs" else (data.get(f) or "").strip()) or ([] if f == "needs" else "")
        for f in INTERVIEW_FIELDS})
    record.full_clean()
    record.save()
    profile = {f: data[f] for f in PROFILE_FIELDS if data.get(f) not in (None, "")}
    if terrorism:
        profile.update({f: data.get(f) or ([] if f in ("affiliations", "engagement_reasons") else "")
                        for f in TERRORISM_PROFILE_FIELDS})
    if profile:
        inmate_services.record_social_profile(intake.inmate, actor=actor, **profile)
    return {"needs": [None, ", ".join(record.needs)]}
