"""The court portal: magistrates' profiles, their acknowledgement of notices, and the
orders they submit to the prison.
"""


from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.ids import global_id
from prisons.dates import validate_past_date

from .cases import Case, Court
from .orders import DetentionOrder, ReleaseOrder, ReleaseOrderKind

# --- The court portal (issue 14, item 8): magistrates' own cases, notices and orders ---------


class MagistrateFunction(models.TextChoices):
    JUDGE = "judge", _("Juge d'instruction")
    PROSECUTOR = "prosecutor", _("Procureur / parquet")


class MagistrateProfile(models.Model):
    """A magistrate's court and cabinet: which cases the court portal shows them. A judge sees
    the cases of their court whose cabinet (`Case.chamber`) is theirs; a prosecutor the cases of
    their court (of their office, `Case.prosecutor`, when one is named)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="magistrate_profile",
                                verbose_name=_("compte"))
    function = models.CharField(_("fonction"), max_length=12, choices=MagistrateFunction.choices)
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name=_("juridiction"))
    cabinet = models.CharField(_("cabinet / parquet"), max_length=60, blank=True,
                               help_text=_("Tel qu'il figure sur les affaires (ex. « 3e cabinet »)."))

    class Meta:
        verbose_name = _("profil de magistrat")
        verbose_name_plural = _("profils de magistrats")

    def __str__(self):
        return f"{self.user} — {self.get_function_display()}, {self.cabinet or self.court}"

    def clean(self):
        if self.function == MagistrateFunction.JUDGE and not self.cabinet.strip():
            raise ValidationError({"cabinet": _("Indiquez le cabinet du juge d'instruction.")})


class NoticeAcknowledgement(models.Model):
    """The magistrate's acknowledgement of an art. 129 notice, shown to the prison on the alert."""

    alert = models.OneToOneField("DeadlineAlert", on_delete=models.PROTECT, related_name="notice_acknowledgement",
                                 verbose_name=_("alerte"))
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                        verbose_name=_("accusé de réception par"))
    acknowledged_at = models.DateTimeField(_("accusé de réception le"))
    note = models.TextField(_("observations du magistrat"), blank=True)

    class Meta:
        verbose_name = _("accusé de réception d'un avis article 129")
        verbose_name_plural = _("accusés de réception d'avis article 129")
        ordering = ["-acknowledged_at"]

    def __str__(self):
        return f"{self._meta.verbose_name} — {self.alert_id}"


class SubmissionKind(models.TextChoices):
    RENEWAL = "renewal", _("Ordonnance de prolongation de détention")
    RELEASE = "release", _("Ordonnance ou décision de mise en liberté")


class SubmissionStatus(models.TextChoices):
    PENDING = "pending", _("À confirmer par le greffe")
    CONFIRMED = "confirmed", _("Confirmée sur l'original")
    REJECTED = "rejected", _("Rejetée")


class CourtSubmissionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The prison's staff: their prisons' submissions; a magistrate: those of their own cases."""
        if getattr(user, "is_magistrate", False):
            return self.filter(case__in=Case.objects.of_magistrate(user))
        ids = user.visible_facility_ids()
        return self if ids is None else self.filter(case__custody__facility_id__in=ids)

    def pending(self):
        return self.filter(status=SubmissionStatus.PENDING)


class CourtSubmission(models.Model):
    """An order sent by a magistrate through the portal (a PDF and its data). It has no effect
    until a clerk of the prison confirms it against the paper original (four eyes): it then
    becomes a detention order (renewal) or a release order through casework's own services."""

    uid = global_id()

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="court_submissions",
                             verbose_name=_("affaire"))
    kind = models.CharField(_("type d'ordonnance"), max_length=10, choices=SubmissionKind.choices)
    document = models.FileField(_("ordonnance (PDF)"), upload_to="court_orders/%Y/")
    reference = models.CharField(_("référence"), max_length=60)
    issued_on = models.DateField(_("rendue le"), validators=[validate_past_date])
    issued_by = models.CharField(_("magistrat signataire"), max_length=160)
    renews = models.ForeignKey(DetentionOrder, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("titre prolongé"))
    valid_until = models.DateField(_("prolongée jusqu'au"), null=True, blank=True)
    release_kind = models.CharField(_("type de décision de libération"), max_length=16,
                                    choices=ReleaseOrderKind.choices, blank=True)
    notes = models.TextField(_("observations"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("transmise par"))
    submitted_at = models.DateTimeField(_("transmise le"))
    status = models.CharField(_("état"), max_length=10, choices=SubmissionStatus.choices,
                              default=SubmissionStatus.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("vérifiée par"))
    decided_at = models.DateTimeField(_("vérifiée le"), null=True, blank=True)
    rejection_reason = models.TextField(_("motif du rejet"), blank=True)
    detention_order = models.OneToOneField(DetentionOrder, on_delete=models.PROTECT, null=True, blank=True,
                                           related_name="court_submission", verbose_name=_("titre enregistré"))
    release_order = models.OneToOneField(ReleaseOrder, on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="court_submission", verbose_name=_("décision enregistrée"))

    objects = CourtSubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("ordonnance transmise par une juridiction")
        verbose_name_plural = _("ordonnances transmises par les juridictions")
        ordering = ["-submitted_at", "-id"]
        permissions = [
            ("use_court_portal", _("Utiliser le portail des juridictions (ses propres affaires)")),
            ("confirm_courtsubmission", _("Confirmer ou rejeter une ordonnance transmise (greffe)")),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                                   name="rejected_submission_has_reason"),
            models.CheckConstraint(condition=Q(status="pending") | Q(decided_at__isnull=False),
                                   name="decided_submission_has_date"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.reference}"

    def clean(self):
        errors = {}
        if self.kind == SubmissionKind.RENEWAL:
            if not self.renews_id:
                errors["renews"] = _("Indiquez le titre de détention que l'ordonnance prolonge.")
            elif self.renews.case_id != self.case_id:
                errors["renews"] = _("Le titre prolongé doit appartenir à la même affaire.")
            if not self.valid_until:
                errors["valid_until"] = _("Indiquez jusqu'à quand la détention est prolongée.")
            elif self.issued_on and self.valid_until < self.issued_on:
                errors["valid_until"] = _("La prolongation ne peut finir avant la date de l'ordonnance.")
        if self.kind == SubmissionKind.RELEASE and not self.release_kind:
            errors["release_kind"] = _("Indiquez le type de décision de libération.")
        for name in ("reference", "issued_by"):
            if not (getattr(self, name) or "").strip():
                errors[name] = _("Ce champ est obligatoire.")
        if errors:
            raise ValidationError(errors)
