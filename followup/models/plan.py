"""The individual plan: goals, interventions chosen from a catalogue (each with its provider),
sessions held and attended, progress notes and reviews. The committee approves it
(committee.CommitteeDecision); enrolment in an activity from the plan goes through detention's
enrol service and its eligibility rules, and a refusal is kept (EnrolmentRefusal) to be counted."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.access import facility_scope
from core.ids import global_id
from detention.models import Activity, ActivityKind, Enrolment
from inmates.models import Custody
from prisons.dates import validate_past_date, validate_scheduled_date


class ProviderKind(models.TextChoices):
    STAFF = "staff", _("Personnel pénitentiaire")
    NGO = "ngo", _("ONG / association")
    RELIGIOUS = "religious", _("Leader religieux reconnu")


class InterventionType(models.Model):
    """The catalogue (data, seeded by a migration): what an intervention is and who provides it."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    provider_kinds = models.JSONField(_("prestataires possibles"), default=list)
    activity_kinds = models.JSONField(_("types d'activité correspondants"), default=list, blank=True,
                                      help_text=_("Les activités de l'établissement où l'intervention peut se "
                                                  "dérouler (inscription selon les règles d'accès)."))
    is_active = models.BooleanField(_("proposée"), default=True)

    class Meta:
        verbose_name = _("type d'intervention")
        verbose_name_plural = _("catalogue des interventions")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def activity_kinds_display(self):
        return [str(ActivityKind(k).label) for k in self.activity_kinds or [] if k in ActivityKind.values]


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Projet")
    APPROVED = "approved", _("Approuvé par le comité")
    CLOSED = "closed", _("Clos")


class PlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = facility_scope(user, "custody__facility_id")
        return self if scope is None else self.filter(scope)

    def in_force(self):
        return self.exclude(status=PlanStatus.CLOSED)


class IndividualPlan(models.Model):
    uid = global_id()
    custody = models.ForeignKey(Custody, on_delete=models.PROTECT, related_name="individual_plans",
                                verbose_name=_("séjour"))
    assessment = models.ForeignKey("followup.Assessment", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="plans", verbose_name=_("évaluation de départ"))
    status = models.CharField(_("état"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    summary = models.TextField(_("orientation générale"))
    drafted_on = models.DateField(_("rédigé le"), validators=[validate_past_date])
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("rédigé par"))
    approved_on = models.DateField(_("approuvé le"), null=True, blank=True)
    next_review_on = models.DateField(_("prochaine révision le"), validators=[validate_scheduled_date])
    closed_on = models.DateField(_("clos le"), null=True, blank=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan individuel")
        verbose_name_plural = _("plans individuels")
        ordering = ["-drafted_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["custody"], condition=~Q(status="closed"),
                                    name="one_plan_in_force_per_custody"),
            models.CheckConstraint(condition=~Q(status="approved") | Q(approved_on__isnull=False),
                                   name="approved_plan_has_date"),
        ]

    def __str__(self):
        return f"{self.custody.inmate} — {self.get_status_display()} ({self.drafted_on:%d/%m/%Y})"


class GoalStatus(models.TextChoices):
    OPEN = "open", _("En cours")
    MET = "met", _("Atteint")
    DROPPED = "dropped", _("Abandonné")


class Goal(models.Model):
    uid = global_id()
    plan = models.ForeignKey(IndividualPlan, on_delete=models.CASCADE, related_name="goals", verbose_name=_("plan"))
    text = models.CharField(_("objectif"), max_length=300)
    domain = models.CharField(_("domaine"), max_length=120, blank=True)
    status = models.CharField(_("état"), max_length=8, choices=GoalStatus.choices, default=GoalStatus.OPEN)

    class Meta:
        verbose_name = _("objectif")
        verbose_name_plural = _("objectifs")
        ordering = ["plan", "id"]

    def __str__(self):
        return self.text


class Intervention(models.Model):
    uid = global_id()
    plan = models.ForeignKey(IndividualPlan, on_delete=models.CASCADE, related_name="interventions",
                             verbose_name=_("plan"))
    goal = models.ForeignKey(Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="interventions",
                             verbose_name=_("objectif"))
    kind = models.ForeignKey(InterventionType, on_delete=models.PROTECT, related_name="interventions",
                             verbose_name=_("intervention"))
    provider_kind = models.CharField(_("prestataire"), max_length=10, choices=ProviderKind.choices)
    provider_name = models.CharField(_("nom du prestataire"), max_length=160, blank=True)
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("activité de l'établissement"))
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("inscription"))
    added_on = models.DateField(_("ajoutée le"), validators=[validate_past_date])
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("ajoutée par"))

    class Meta:
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        ordering = ["plan", "id"]

    def __str__(self):
        return f"{self.kind.name} ({self.get_provider_kind_display()})"


class InterventionSession(models.Model):
    uid = global_id()
    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="sessions",
                                     verbose_name=_("intervention"))
    held_on = models.DateField(_("tenue le"), validators=[validate_past_date])
    attended = models.BooleanField(_("la personne était présente"))
    note = models.CharField(_("observation"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("enregistrée par"))

    class Meta:
        verbose_name = _("séance")
        verbose_name_plural = _("séances")
        ordering = ["-held_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["intervention", "held_on"],
                                               name="one_session_per_intervention_and_day")]

    def __str__(self):
        return f"{self.intervention} — {self.held_on:%d/%m/%Y}"


class ProgressNote(models.Model):
    uid = global_id()
    plan = models.ForeignKey(IndividualPlan, on_delete=models.CASCADE, related_name="notes", verbose_name=_("plan"))
    intervention = models.ForeignKey(Intervention, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="notes", verbose_name=_("intervention"))
    written_on = models.DateField(_("écrite le"), validators=[validate_past_date])
    text = models.TextField(_("note de suivi"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("auteur"))

    class Meta:
        verbose_name = _("note de suivi")
        verbose_name_plural = _("notes de suivi")
        ordering = ["-written_on", "-id"]

    def __str__(self):
        return f"{self.plan} — {self.written_on:%d/%m/%Y}"


class PlanReview(models.Model):
    uid = global_id()
    plan = models.ForeignKey(IndividualPlan, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("plan"))
    reviewed_on = models.DateField(_("révisé le"), validators=[validate_past_date])
    summary = models.TextField(_("bilan"))
    next_review_on = models.DateField(_("prochaine révision le"), validators=[validate_scheduled_date])
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("révisé par"))

    class Meta:
        verbose_name = _("révision du plan")
        verbose_name_plural = _("révisions du plan")
        ordering = ["-reviewed_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(next_review_on__gt=models.F("reviewed_on")),
                                              name="plan_review_date_after_review")]

    def __str__(self):
        return f"{self.plan} — {self.reviewed_on:%d/%m/%Y}"


class EnrolmentRefusal(models.Model):
    """An enrolment from a plan that the activity's access rules refused: kept, to be counted
    (`because_of_category`: the person's category — terrorism-related, untried or convicted —
    rather than the regime of their unit or the lack of a placement)."""

    uid = global_id()

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="refusals",
                                     verbose_name=_("intervention"))
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="+", verbose_name=_("activité"))
    reason = models.CharField(_("motif du refus"), max_length=300)
    because_of_category = models.BooleanField(_("à cause de la catégorie de la personne"))
    terrorism_related = models.BooleanField(_("affaire liée au terrorisme"), default=False)
    legal_status = models.CharField(_("statut juridique"), max_length=10, blank=True)
    refused_on = models.DateField(_("refusée le"))
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("demandée par"))

    class Meta:
        verbose_name = _("inscription refusée")
        verbose_name_plural = _("inscriptions refusées")
        ordering = ["-refused_on", "-id"]

    def __str__(self):
        return f"{self.activity} — {self.refused_on:%d/%m/%Y}"
