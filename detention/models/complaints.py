"""Requests and complaints (Rules 56–57), confidential ones and allegations of ill-treatment."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import need_to_know
from core.access import facility_scope as _facility_scope
from core.ids import global_id
from inmates.models import Custody
from prisons.dates import validate_past_date, validate_scheduled_date
from prisons.models import Facility


class ComplainantKind(models.TextChoices):
    DETAINEE = "detainee", _("Le détenu lui-même")
    RELATIVE = "relative", _("Un proche")
    LAWYER = "lawyer", _("Son avocat")
    CELL_LEADER = "cell_leader", _("Le chef de cellule")


class ComplaintChannel(models.TextChoices):
    ORAL = "oral", _("Oralement, à un agent")
    WRITTEN = "written", _("Par écrit")
    BOX = "box", _("Boîte aux plaintes")
    DIRECTOR_AUDIENCE = "audience", _("Audience du directeur")
    INSPECTION = "inspection", _("Lors d'une inspection / visite extérieure")


class ComplaintStatus(models.TextChoices):
    OPEN = "open", _("En attente de réponse")
    ANSWERED = "answered", _("Répondue")
    CLOSED = "closed", _("Close")


COMPLAINT_ANSWER_DAYS = 7


ALLEGATION_ANSWER_DAYS = 1


class ComplaintQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Facility scoping, then confidentiality (Rule 56): a confidential complaint is read
        by the director and the addressee only; national staff see escalated allegations."""
        qs = self
        scope = _facility_scope(user, "facility_id")
        if scope is not None:
            qs = qs.filter(scope)
        if getattr(user, "is_outside_service", False):
            return qs.filter(addressed_to=user)  # a monitor reads the complaints addressed to them (issue 14)
        if need_to_know.can_read_all_confidential_complaints(user):
            return qs
        allowed = Q(is_confidential=False) | Q(addressed_to=user)
        if need_to_know.can_read_allegations(user):
            allowed |= Q(is_allegation=True)
        return qs.filter(allowed)

    def open(self):
        return self.exclude(status=ComplaintStatus.CLOSED)

    def overdue(self, *, on=None):
        return self.filter(status=ComplaintStatus.OPEN, due_on__lt=on or timezone.localdate())


class Complaint(models.Model):
    """A request or complaint (Rules 56–57). An allegation of torture or ill-treatment is
    escalated at once and cannot be closed without a recorded referral."""

    uid = global_id()

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("établissement"))
    custody = models.ForeignKey(Custody, on_delete=models.PROTECT, related_name="complaints",
                                verbose_name=_("détenu concerné"))
    complainant_kind = models.CharField(_("déposée par"), max_length=12, choices=ComplainantKind.choices)
    complainant_name = models.CharField(_("nom de l'auteur (si autre que le détenu)"), max_length=160,
                                        blank=True)
    channel = models.CharField(_("voie"), max_length=10, choices=ComplaintChannel.choices)
    subject = models.CharField(_("objet"), max_length=200)
    details = models.TextField(_("exposé"))
    is_confidential = models.BooleanField(_("confidentielle"), default=False)
    is_allegation = models.BooleanField(_("allégation de torture ou de mauvais traitements"), default=False)
    addressed_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     null=True, blank=True, verbose_name=_("adressée à"))
    received_at = models.DateTimeField(_("reçue le"), validators=[validate_past_date])
    due_on = models.DateField(_("réponse attendue le"), validators=[validate_scheduled_date])
    status = models.CharField(_("état"), max_length=10, choices=ComplaintStatus.choices,
                              default=ComplaintStatus.OPEN)
    escalated_at = models.DateTimeField(_("signalée à la direction et à la DNAPES le"), null=True,
                                        blank=True)
    answer = models.TextField(_("réponse"), blank=True)
    answered_at = models.DateTimeField(_("répondue le"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    null=True, blank=True, verbose_name=_("répondue par"))
    referral_authority = models.CharField(_("autorité saisie"), max_length=160, blank=True,
                                          help_text=_("Procureur, juge, inspection, CNDH…"))
    referral_reference = models.CharField(_("référence de la saisine"), max_length=80, blank=True)
    referred_at = models.DateTimeField(_("transmise le"), null=True, blank=True)
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    null=True, blank=True, verbose_name=_("transmise par"))
    closed_at = models.DateTimeField(_("close le"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  null=True, blank=True, verbose_name=_("close par"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("enregistrée par"))
    # Chosen by the author's client (Idempotency-Key) or the form: a retry of the same request
    # finds the first complaint instead of registering a second one.
    request_key = models.CharField(_("clé de requête"), max_length=64, blank=True, editable=False)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        db_table = "inmates_complaint"
        verbose_name = _("requête ou plainte")
        verbose_name_plural = _("registre des requêtes et plaintes")
        ordering = ["-received_at", "-id"]
        permissions = [
            ("view_confidential_complaint", _("Lire les plaintes confidentielles")),
            ("view_allegation", _("Lire les allégations de torture ou de mauvais traitements signalées")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(is_allegation=False) | Q(escalated_at__isnull=False),
                                   name="allegation_is_escalated"),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(is_allegation=False) | Q(referred_at__isnull=False),
                name="allegation_closed_only_after_referral"),
            models.CheckConstraint(condition=~Q(status="closed") | Q(closed_at__isnull=False),
                                   name="complaint_closed_has_time"),
            models.UniqueConstraint(fields=["recorded_by", "request_key"], condition=~Q(request_key=""),
                                    name="complaint_request_key_unique_per_author"),
        ]

    def __str__(self):
        return _("Plainte n° %(id)s") % {"id": self.pk}

    def clean(self):
        errors = {}
        if self.complainant_kind and self.complainant_kind != ComplainantKind.DETAINEE \
                and not self.complainant_name.strip():
            errors["complainant_name"] = _("Indiquez le nom de la personne qui dépose la plainte.")
        if self.received_at and self.due_on and self.due_on < timezone.localtime(self.received_at).date():
            errors["due_on"] = _("L'échéance ne peut précéder la réception.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_referred(self):
        return self.referred_at is not None
