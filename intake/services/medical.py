"""Step 4, medical: the examination at admission (medical staff only)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from intake.models import (
    MedicalExamination,
)

from .validation import _missing, _raise, _require


def _medical(intake, data, actor):
    errors = {}
    if data.get("fit_for_detention") not in (True, False):
        _missing(errors, "fit_for_detention", _("Indiquez si la personne est apte à la détention."))
    if data.get("visible_injuries"):
        _require(errors, data, "injuries_description", _("Décrivez les blessures (où, quoi)."))
    if data.get("ill_treatment_alleged"):
        if not any((data.get(f) or "").strip() for f in
                   ("allegation_by_whom", "allegation_where", "allegation_when", "allegation_account")):
            _missing(errors, "allegation_account",
                     _("Consignez l'allégation : par qui, où, quand, et le récit de la personne."))
    _require(errors, data, "contagious_screening", _("Indiquez le résultat du dépistage "
                                                     "(tuberculose, etc.)."))
    if data.get("visible_injuries") or data.get("ill_treatment_alleged"):
        # Rules 30 and 34: signs of ill-treatment are reported to a competent authority.
        _require(errors, data, "report_authority", _("Une blessure ou une allégation doit être "
                                                     "signalée : indiquez à quelle autorité."))
        _require(errors, data, "report_date", _("Indiquez la date du signalement."))
    report_date = data.get("report_date")
    if isinstance(report_date, datetime.date) and report_date > timezone.localdate():
        _missing(errors, "report_date", _("La date du signalement est dans le futur."))
    _raise(errors)
    text = {f: (data.get(f) or "").strip() for f in (
        "injuries_description", "allegation_by_whom", "allegation_where", "allegation_when",
        "allegation_account", "contagious_screening", "treatment", "report_authority")}
    exam = MedicalExamination(
        intake=intake, fit_for_detention=data["fit_for_detention"],
        visible_injuries=bool(data.get("visible_injuries")),
        ill_treatment_alleged=bool(data.get("ill_treatment_alleged")),
        report_date=data.get("report_date") or None, **text,
    )
    exam.full_clean()
    exam.save()
    intake.medically_fit = exam.fit_for_detention
    # The audit trail carries no medical detail, only what everyone may know.
    return {"apte": [None, exam.fit_for_detention]}
