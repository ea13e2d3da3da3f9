"""The multidisciplinary committee of a prison: sessions, members by role, the people reviewed,
decisions with their reasons. A decision that changes the regime records the classification it
made through detention.services.classify (the session is its reason)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.access import facility_scope
from core.ids import global_id
from detention.models import Activity, Classification, Risk
from inmates.models import Custody
from prisons.dates import validate_past_date, validate_scheduled_date
from prisons.models import Facility

from .plan import IndividualPlan


class MemberRole(models.TextChoices):
    DIRECTOR = "director", _("Direction")
    SECURITY = "security", _("Sécurité")
    SOCIAL = "social", _("Service social")
    MEDICAL = "medical", _("Service médical")
    EDUCATION = "education", _("Enseignement / formation")


class SessionQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = facility_scope(user, "facility_id")
        return self if scope is None else self.filter(scope)


class CommitteeSession(models.Model):
    uid = global_id()
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="committee_sessions",
                                 verbose_name=_("établissement"))
    held_on = models.DateField(_("tenue le"), validators=[validate_past_date])
    agenda = models.TextField(_("ordre du jour"), blank=True)
    closed_at = models.DateTimeField(_("procès-verbal arrêté le"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("arrêté par"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("convoquée par"))

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("séance du comité pluridisciplinaire")
        verbose_name_plural = _("séances du comité pluridisciplinaire")
        ordering = ["-held_on", "-id"]
        permissions = [("decide_committeesession", _("Enregistrer les décisions du comité pluridisciplinaire"))]

    def __str__(self):
        return f"{self.facility.name} — {self.held_on:%d/%m/%Y}"

    @property
    def is_closed(self):
        return self.closed_at is not None


class CommitteeMember(models.Model):
    uid = global_id()
    session = models.ForeignKey(CommitteeSession, on_delete=models.CASCADE, related_name="members",
                                verbose_name=_("séance"))
    role = models.CharField(_("au titre de"), max_length=10, choices=MemberRole.choices)
    name = models.CharField(_("nom"), max_length=160)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name=_("compte"))

    class Meta:
        verbose_name = _("membre présent")
        verbose_name_plural = _("membres présents")
        ordering = ["session", "role", "id"]

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"


class CommitteeReview(models.Model):
    uid = global_id()
    session = models.ForeignKey(CommitteeSession, on_delete=models.CASCADE, related_name="reviewed",
                                verbose_name=_("séance"))
    custody = models.ForeignKey(Custody, on_delete=models.PROTECT, related_name="committee_reviews",
                                verbose_name=_("séjour"))

    class Meta:
        verbose_name = _("personne examinée")
        verbose_name_plural = _("personnes examinées")
        ordering = ["session", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "custody"], name="reviewed_once_per_session")]

    def __str__(self):
        return f"{self.session} — {self.custody.inmate}"


class DecisionKind(models.TextChoices):
    PLAN_APPROVED = "plan", _("Plan individuel approuvé")
    REGIME = "regime", _("Régime (classement) modifié")
    ACTIVITY = "activity", _("Accès à une activité modifié")
    REVIEW_DATE = "review", _("Date de révision fixée")


class DecisionQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = facility_scope(user, "session__facility_id")
        return self if scope is None else self.filter(scope)


class CommitteeDecision(models.Model):
    uid = global_id()
    session = models.ForeignKey(CommitteeSession, on_delete=models.PROTECT, related_name="decisions",
                                verbose_name=_("séance"))
    custody = models.ForeignKey(Custody, on_delete=models.PROTECT, related_name="committee_decisions",
                                verbose_name=_("séjour"))
    kind = models.CharField(_("décision"), max_length=8, choices=DecisionKind.choices)
    reasons = models.TextField(_("motifs"))
    plan = models.ForeignKey(IndividualPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions",
                             verbose_name=_("plan"))
    risk = models.CharField(_("nouveau niveau de risque"), max_length=6, choices=Risk.choices, blank=True)
    classification = models.OneToOneField(Classification, on_delete=models.PROTECT, null=True, blank=True,
                                          related_name="committee_decision", verbose_name=_("classement enregistré"))
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("activité"))
    activity_access = models.BooleanField(_("accès accordé"), null=True, blank=True)
    next_review_on = models.DateField(_("prochaine révision le"), validators=[validate_scheduled_date],
                                      null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("enregistrée par"))
    decided_at = models.DateTimeField(_("enregistrée le"), auto_now_add=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("décision du comité")
        verbose_name_plural = _("décisions du comité")
        ordering = ["session", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(kind="plan") | Q(plan__isnull=False), name="plan_decision_names_plan"),
            models.CheckConstraint(condition=~Q(kind="regime") | ~Q(risk=""), name="regime_decision_names_risk"),
            models.CheckConstraint(condition=~Q(kind="activity") | Q(activity__isnull=False),
                                   name="activity_decision_names_activity"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.custody.inmate}"

    def clean(self):
        errors = {}
        if not (self.reasons or "").strip():
            errors["reasons"] = _("Une décision du comité se motive.")
        if self.kind == DecisionKind.PLAN_APPROVED and not self.plan_id:
            errors["plan"] = _("Indiquez le plan approuvé.")
        if self.kind == DecisionKind.REGIME and not self.risk:
            errors["risk"] = _("Indiquez le nouveau niveau de risque.")
        if self.kind in (DecisionKind.REGIME, DecisionKind.REVIEW_DATE) and not self.next_review_on:
            errors["next_review_on"] = _("Indiquez la date de la prochaine révision.")
        if self.kind == DecisionKind.ACTIVITY and (not self.activity_id or self.activity_access is None):
            errors["activity"] = _("Indiquez l'activité et si l'accès est accordé ou retiré.")
        if errors:
            raise ValidationError(errors)
