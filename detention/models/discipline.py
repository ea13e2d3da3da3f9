"""The discipline register (Mandela Rules 36–46) and the isolation register (Rules 43–46).

An incident report → a charge per person, notified in a language they understand → a hearing
→ the director's decision with reasons → a sanction from the prison's list, or none → appeal.
Every placement in isolation (a sanction or a security measure) has its own entry, with the
daily visits of medical staff and the medical clearances (Rule 45). The limits are data
(`DisciplineLimit`), Mandela defaults, "à confirmer" until a Malian jurist confirms them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.access import facility_scope as _facility_scope
from core.ids import global_id
from inmates.models import Custody
from prisons.dates import validate_past_date
from prisons.models import Facility, Unit


class DisciplineLimitKey(models.TextChoices):
    PREPARATION_HOURS = "preparation_hours", _("Délai minimal de préparation avant l'audience (heures)")
    ISOLATION_MAX_DAYS = "isolation_max_days", _("Durée maximale d'isolement consécutif (jours)")
    ISOLATION_ALERT_DAY = "isolation_alert_day", _("Jour d'alerte de l'isolement")
    RESTRAINT_REVIEW_MINUTES = "restraint_review_minutes", _("Durée de contrainte au-delà de laquelle un contrôle "
                                                             "est requis (minutes)")


DISCIPLINE_LIMIT_DEFAULTS = {
    DisciplineLimitKey.PREPARATION_HOURS: 24,
    DisciplineLimitKey.ISOLATION_MAX_DAYS: 15,
    DisciplineLimitKey.ISOLATION_ALERT_DAY: 13,
    DisciplineLimitKey.RESTRAINT_REVIEW_MINUTES: 120,
}


class DisciplineLimit(models.Model):
    """One limit of the discipline and isolation registers: data administrators edit, audited."""

    key = models.CharField(_("limite"), max_length=24, choices=DisciplineLimitKey.choices, unique=True)
    value = models.PositiveIntegerField(_("valeur"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    awaiting_confirmation = models.BooleanField(_("à confirmer par un juriste malien"), default=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("limite disciplinaire")
        verbose_name_plural = _("limites du régime disciplinaire et de l'isolement")
        ordering = ["key"]

    def __str__(self):
        return f"{self.get_key_display()} : {self.value}"

    @staticmethod
    def value_of(key) -> int:
        row = DisciplineLimit.objects.filter(key=key).first()
        return row.value if row else DISCIPLINE_LIMIT_DEFAULTS[key]


class SanctionKind(models.TextChoices):
    WARNING = "warning", _("Avertissement")
    PRIVILEGE = "privilege", _("Privation d'un avantage")
    ACTIVITY = "activity", _("Suspension d'activités")
    CONFINEMENT = "confinement", _("Confinement en cellule")
    ISOLATION = "isolation", _("Cellule disciplinaire (isolement)")
    OTHER = "other", _("Autre")


# Kinds that the Rules prohibit whatever the reason (Rule 43): never in a prison's list.
PROHIBITED_SANCTION_WORDS = ("nourriture", "alimentation", "repas", "eau", "boisson", "ration",
                             "corporel", "châtiment", "obscur", "collectif", "collective", "entrave")


class SanctionQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = _facility_scope(user, "facility_id")
        return self if scope is None else self.filter(scope)


class Sanction(models.Model):
    """One sanction of a prison's list (Rule 37): what the regulation allows, for how long."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("établissement"))
    name = models.CharField(_("sanction"), max_length=120)
    kind = models.CharField(_("nature"), max_length=12, choices=SanctionKind.choices)
    max_days = models.PositiveSmallIntegerField(_("durée maximale (jours)"), null=True, blank=True)
    is_active = models.BooleanField(_("en vigueur"), default=True)

    objects = SanctionQuerySet.as_manager()

    class Meta:
        verbose_name = _("sanction du règlement")
        verbose_name_plural = _("liste des sanctions")
        ordering = ["facility", "name"]
        constraints = [models.UniqueConstraint(fields=["facility", "name"], name="one_sanction_name_per_facility")]

    def __str__(self):
        return self.name


class IncidentQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = _facility_scope(user, "facility_id")
        return self if scope is None else self.filter(scope)


class DisciplinaryIncident(models.Model):
    """An incident report: when, where, what happened, witnesses, who reported it."""

    uid = global_id()

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("établissement"))
    occurred_at = models.DateTimeField(_("survenu le"), validators=[validate_past_date])
    place = models.CharField(_("lieu"), max_length=160)
    description = models.TextField(_("faits"))
    witnesses = models.TextField(_("témoins"), blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("rapport établi par"))
    reported_at = models.DateTimeField(_("rapport du"), auto_now_add=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("incident disciplinaire")
        verbose_name_plural = _("registre disciplinaire")
        ordering = ["-occurred_at", "-id"]

    def __str__(self):
        return _("Incident n° %(id)s") % {"id": self.pk}


class ChargeQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = _facility_scope(user, "incident__facility_id")
        return self if scope is None else self.filter(scope)


class DisciplinaryCharge(models.Model):
    """What one person is charged with after an incident: notified, heard, decided, appealed.
    A decision concerns exactly one charge, so one person (no collective punishment)."""

    uid = global_id()

    incident = models.ForeignKey(DisciplinaryIncident, on_delete=models.PROTECT, related_name="charges",
                                 verbose_name=_("incident"))
    custody = models.ForeignKey(Custody, on_delete=models.PROTECT, related_name="disciplinary_charges",
                                verbose_name=_("personne mise en cause"))
    offence = models.CharField(_("manquement reproché"), max_length=200)
    # Notification (Rule 39(2)(a)/41(1)).
    notified_at = models.DateTimeField(_("notifiée le"), null=True, blank=True)
    notified_language = models.CharField(_("langue de la notification"), max_length=60, blank=True)
    notified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    null=True, blank=True, verbose_name=_("notifiée par"))
    # Hearing (Rule 41(2)–(3)).
    heard_at = models.DateTimeField(_("entendue le"), null=True, blank=True)
    statement = models.TextField(_("déclaration de la personne"), blank=True)
    interpreter = models.CharField(_("interprète"), max_length=120, blank=True)
    heard_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 null=True, blank=True, verbose_name=_("audience tenue par"))
    # Decision (the director).
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   null=True, blank=True, verbose_name=_("décidée par"))
    reasons = models.TextField(_("motifs de la décision"), blank=True)
    sanction = models.ForeignKey(Sanction, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
                                 verbose_name=_("sanction"))
    sanction_days = models.PositiveSmallIntegerField(_("durée (jours)"), null=True, blank=True)
    # Appeal (Rule 41(4)).
    appeal_lodged_at = models.DateTimeField(_("recours formé le"), null=True, blank=True)
    appeal_outcome = models.TextField(_("issue du recours"), blank=True)
    appeal_decided_at = models.DateTimeField(_("recours jugé le"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("enregistrée par"))

    objects = ChargeQuerySet.as_manager()

    class Meta:
        verbose_name = _("poursuite disciplinaire")
        verbose_name_plural = _("poursuites disciplinaires")
        ordering = ["-incident__occurred_at", "-id"]
        permissions = [("decide_disciplinarycharge", _("Décider d'une poursuite disciplinaire (direction)"))]
        constraints = [
            # One charge per person per incident: no second sanction for the same fact (Rule 39(1)).
            models.UniqueConstraint(fields=["incident", "custody"], name="one_charge_per_person_per_incident"),
            models.CheckConstraint(condition=Q(decided_at__isnull=True) | Q(heard_at__isnull=False),
                                   name="charge_decided_after_hearing"),
            models.CheckConstraint(condition=Q(heard_at__isnull=True) | Q(notified_at__isnull=False),
                                   name="charge_heard_after_notification"),
        ]

    def __str__(self):
        return f"{self.custody.inmate} — {self.offence}"

    @property
    def stage(self):
        if self.appeal_decided_at:
            return _("Recours jugé")
        if self.appeal_lodged_at:
            return _("Recours formé")
        if self.decided_at:
            return _("Décidée")
        if self.heard_at:
            return _("Entendue")
        if self.notified_at:
            return _("Notifiée")
        return _("À notifier")


class IsolationReason(models.TextChoices):
    SANCTION = "sanction", _("Sanction disciplinaire")
    SECURITY = "security", _("Mesure de sécurité")


class IsolationQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = _facility_scope(user, "facility_id")
        return self if scope is None else self.filter(scope)

    def open(self):
        return self.filter(ended_at__isnull=True)


class IsolationPlacement(models.Model):
    """A placement in isolation (solitary confinement, Rule 44), a sanction or a security measure."""

    uid = global_id()

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("établissement"))
    custody = models.ForeignKey(Custody, on_delete=models.PROTECT, related_name="isolations",
                                verbose_name=_("personne"))
    reason_kind = models.CharField(_("fondement"), max_length=10, choices=IsolationReason.choices)
    charge = models.ForeignKey(DisciplinaryCharge, on_delete=models.PROTECT, related_name="isolations",
                               null=True, blank=True, verbose_name=_("décision disciplinaire"))
    reason = models.TextField(_("motif"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
                             verbose_name=_("unité d'isolement"))
    started_at = models.DateTimeField(_("début"), validators=[validate_past_date])
    planned_end_on = models.DateField(_("fin prévue le"))
    ended_at = models.DateTimeField(_("fin effective"), null=True, blank=True)
    end_reason = models.CharField(_("motif de fin"), max_length=200, blank=True)
    # Facts recorded on the request (Rule 45(2), Bangkok Rule 22): not kept elsewhere in the file.
    is_pregnant = models.BooleanField(_("femme enceinte"), default=False)
    with_infant = models.BooleanField(_("femme avec un nourrisson"), default=False)
    condition_worsened = models.BooleanField(_("état de santé que l'isolement aggraverait"), default=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("décidé par"))
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 null=True, blank=True, verbose_name=_("levé par"))

    objects = IsolationQuerySet.as_manager()

    class Meta:
        verbose_name = _("placement à l'isolement")
        verbose_name_plural = _("registre de l'isolement")
        ordering = ["-started_at", "-id"]
        permissions = [("record_isolation_visit", _("Enregistrer la visite médicale quotidienne à l'isolement"))]
        constraints = [
            models.UniqueConstraint(fields=["custody"], condition=Q(ended_at__isnull=True),
                                    name="one_open_isolation_per_custody"),
            models.CheckConstraint(condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                                   name="isolation_ends_after_start"),
            models.CheckConstraint(condition=~Q(reason_kind="sanction") | Q(charge__isnull=False),
                                   name="isolation_sanction_has_charge"),
        ]

    def __str__(self):
        return f"{self.custody.inmate} — {self.started_at:%d/%m/%Y}"


class IsolationVisit(models.Model):
    """The daily visit of health staff to a person in isolation (Rule 46)."""

    uid = global_id()

    placement = models.ForeignKey(IsolationPlacement, on_delete=models.PROTECT, related_name="visits",
                                  verbose_name=_("placement"))
    visited_at = models.DateTimeField(_("visite du"), validators=[validate_past_date])
    visited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("personnel de santé"))
    adverse_effects = models.TextField(_("effets néfastes constatés"), blank=True)

    class Meta:
        verbose_name = _("visite médicale à l'isolement")
        verbose_name_plural = _("visites médicales à l'isolement")
        ordering = ["-visited_at"]

    def __str__(self):
        return f"{self.placement} — {self.visited_at:%d/%m/%Y %H:%M}"


class MedicalClearance(models.Model):
    """Health staff record that isolation would not worsen the person's condition (Rule 45(2))."""

    uid = global_id()

    custody = models.ForeignKey(Custody, on_delete=models.PROTECT, related_name="isolation_clearances",
                                verbose_name=_("personne"))
    cleared_at = models.DateTimeField(_("le"), validators=[validate_past_date])
    cleared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("personnel de santé"))
    grounds = models.TextField(_("constat médical"))
    valid_until = models.DateField(_("valable jusqu'au"))

    class Meta:
        verbose_name = _("avis médical sur l'isolement")
        verbose_name_plural = _("avis médicaux sur l'isolement")
        ordering = ["-cleared_at"]

    def __str__(self):
        return f"{self.custody.inmate} — {self.cleared_at:%d/%m/%Y}"
