"""The daily occupancy snapshot, kept for the trend (figures counted from the records)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.ids import global_id


class OccupancySnapshot(models.Model):
    """One day's occupancy of one facility, or of the whole country (facility empty).

    Written by the nightly job (`snapshot_occupancy`); rewritten in place if it runs again.
    """

    day = models.DateField(_("jour"))
    facility = models.ForeignKey("prisons.Facility", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("établissement"))
    held = models.PositiveIntegerField(_("détenus"))
    capacity = models.PositiveIntegerField(_("capacité officielle"))
    untried = models.PositiveIntegerField(_("non jugés"))
    figures = models.JSONField(_("détail"), default=dict, help_text=_("Chiffres du jour, par unité."))
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("relevé d'occupation")
        verbose_name_plural = _("relevés d'occupation")
        ordering = ["-day"]
        default_permissions = ("view",)
        permissions = [("view_reports", _("Consulter les rapports de supervision")),
                       ("view_roll", _("Consulter l'appel du soir de son établissement")),
                       ("view_inspection", _("Consulter la vue d'inspection d'un établissement"))]
        constraints = [
            models.UniqueConstraint(fields=["day", "facility"], name="one_occupancy_snapshot_per_facility_day"),
            models.UniqueConstraint(fields=["day"], condition=Q(facility__isnull=True),
                                    name="one_national_occupancy_snapshot_per_day"),
        ]
        indexes = [models.Index(fields=["facility", "day"], name="occupancy_snapshot_fac_day")]

    def __str__(self):
        return f"{self.day} {self.facility_id or 'national'}: {self.held}/{self.capacity}"


class FollowupSnapshot(models.Model):
    """One night's counts of the individual follow-up (oversight.followup_report) for one prison and
    one category: the people held that day, and how many of them had an assessment, a plan, attended
    a session, were refused an activity because of their category. Raw counts, never published as
    they are: the trend protects each month's table as the day's report is protected. The legal
    status is the one of that day, so the trend does not re-file the past under today's status.

    Written by the nightly job (`snapshot_followup`); rewritten in place if it runs again that day."""

    day = models.DateField(_("jour"))
    facility = models.ForeignKey("prisons.Facility", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("établissement"))
    category = models.CharField(_("catégorie"), max_length=20,
                                help_text=_("« terror-<statut juridique> » ou « other »."))
    held = models.PositiveIntegerField(_("personnes détenues"))
    assessed = models.PositiveIntegerField(_("avec une évaluation"))
    planned = models.PositiveIntegerField(_("avec un plan"))
    attended = models.PositiveIntegerField(_("ayant suivi une séance"))
    refused = models.PositiveIntegerField(_("inscription refusée (catégorie)"))
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("relevé du suivi individuel")
        verbose_name_plural = _("relevés du suivi individuel")
        ordering = ["-day", "facility", "category"]
        default_permissions = ("view",)
        constraints = [
            models.UniqueConstraint(fields=["day", "facility", "category"], name="one_followup_snapshot_per_cell"),
            models.CheckConstraint(condition=Q(assessed__lte=models.F("held")) & Q(planned__lte=models.F("held"))
                                   & Q(attended__lte=models.F("held")) & Q(refused__lte=models.F("held")),
                                   name="followup_snapshot_within_held"),
        ]

    def __str__(self):
        return f"{self.day} {self.facility_id} {self.category}: {self.held}"


# How long a request to see one's own file may wait for its extract before the register flags it.
# Loi n°2013-015 sets no delay that LAW.md records: to be confirmed (settings.OWN_FILE_ANSWER_DAYS).
OWN_FILE_ANSWER_DAYS = 30


def own_file_answer_days() -> int:
    from django.conf import settings

    return int(getattr(settings, "OWN_FILE_ANSWER_DAYS", OWN_FILE_ANSWER_DAYS))


class OwnFileRequester(models.TextChoices):
    DETAINEE = "detainee", _("La personne détenue elle-même")
    LAWYER = "lawyer", _("Son avocat, pour elle")
    REPRESENTATIVE = "representative", _("Un représentant mandaté")


class OwnFileChannel(models.TextChoices):
    ORAL = "oral", _("Oralement, à un agent")
    WRITTEN = "written", _("Par écrit")
    DIRECTOR_AUDIENCE = "audience", _("Audience du directeur")
    INSPECTION = "inspection", _("Lors d'une inspection / visite extérieure")


class OwnFileRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        ids = user.visible_facility_ids()
        return self if ids is None else self.filter(facility_id__in=ids)

    def pending(self):
        return self.filter(answered_at__isnull=True)

    def late(self, *, on=None, days=None):
        """Pending requests received more than `days` days before `on`."""
        import datetime

        from django.utils import timezone

        on = on or timezone.localdate()
        days = own_file_answer_days() if days is None else days
        limit = datetime.datetime.combine(on - datetime.timedelta(days=days), datetime.time.min)
        return self.pending().filter(requested_at__lt=timezone.make_aware(limit))


class OwnFileRequest(models.Model):
    """A detainee's request to see their own file (Mandela Rule 9; Loi n°2013-015): who asked,
    when, by which channel, who received it; answered with a printable extract of their own
    file (no other person's data, no security intelligence), handed over or not."""

    uid = global_id()

    facility = models.ForeignKey("prisons.Facility", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("établissement"))
    custody = models.ForeignKey("inmates.Custody", on_delete=models.PROTECT, related_name="own_file_requests",
                                verbose_name=_("séjour"))
    requester = models.CharField(_("demandée par"), max_length=16, choices=OwnFileRequester.choices,
                                 default=OwnFileRequester.DETAINEE)
    requester_name = models.CharField(_("nom du demandeur (si autre que la personne)"), max_length=160,
                                      blank=True)
    channel = models.CharField(_("voie"), max_length=12, choices=OwnFileChannel.choices)
    requested_at = models.DateTimeField(_("demandée le"))
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("reçue par"))
    recorded_at = models.DateTimeField(_("enregistrée le"), auto_now_add=True)
    answered_at = models.DateTimeField(_("répondue le"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    null=True, blank=True, verbose_name=_("répondue par"))
    extract_handed_over = models.BooleanField(_("extrait remis à la personne"), default=False)
    answer_note = models.TextField(_("observations sur la réponse"), blank=True)

    objects = OwnFileRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("demande d'accès au dossier")
        verbose_name_plural = _("registre des demandes d'accès au dossier")
        ordering = ["-requested_at", "-id"]
        default_permissions = ("view", "add", "change")
        constraints = [
            models.CheckConstraint(condition=Q(answered_at__isnull=True) | Q(answered_by__isnull=False),
                                   name="own_file_answer_has_author"),
            models.CheckConstraint(condition=Q(answered_at__isnull=False) | Q(extract_handed_over=False),
                                   name="own_file_extract_only_when_answered"),
        ]
        indexes = [models.Index(fields=["facility", "answered_at"], name="own_file_fac_answered")]

    def __str__(self):
        return _("Demande d'accès au dossier n° %(id)s") % {"id": self.pk}

    @property
    def is_pending(self):
        return self.answered_at is None

    def clean(self):
        errors = {}
        if self.requester and self.requester != OwnFileRequester.DETAINEE and not self.requester_name.strip():
            errors["requester_name"] = _("Indiquez le nom de la personne qui fait la demande.")
        if self.requested_at and self.answered_at and self.answered_at < self.requested_at:
            errors["answered_at"] = _("La réponse ne peut précéder la demande.")
        if self.custody_id and self.requested_at and self.requested_at < self.custody.admitted_at:
            errors["requested_at"] = _("La demande ne peut précéder l'écrou.")
        if errors:
            raise ValidationError(errors)


class ExportKind(models.TextChoices):
    BACKLOG = "backlog", _("Bilan de la détention provisoire")
    REPORT = "report", _("Rapport de supervision")


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"
    PDF = "pdf", "PDF"


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    RUNNING = "running", _("En préparation")
    DONE = "done", _("Prêt")
    FAILED = "failed", _("Échec")


class ExportJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Only the member of staff who asked, and only for a prison they still serve."""
        if not user.is_authenticated:
            return self.none()
        qs = self.filter(requested_by=user)
        ids = user.visible_facility_ids()
        return qs if ids is None else qs.filter(Q(facility__isnull=True) | Q(facility_id__in=ids))


class ExportJob(models.Model):
    """An export prepared in the background (the backlog, a report as PDF, XLSX or CSV): its
    progress for the page that waits, then its file, kept in private storage (MEDIA_ROOT) and
    downloaded only by the member of staff who asked (oversight.export_jobs)."""

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("demandé par"))
    facility = models.ForeignKey("prisons.Facility", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("établissement"),
                                 help_text=_("Vide : tous les établissements de la personne qui a demandé."))
    kind = models.CharField(_("export"), max_length=12, choices=ExportKind.choices)
    report = models.CharField(_("rapport"), max_length=32, blank=True)
    fmt = models.CharField(_("format"), max_length=4, choices=ExportFormat.choices)
    day = models.DateField(_("jour du rapport"), null=True, blank=True)
    title = models.CharField(_("titre"), max_length=200)
    status = models.CharField(_("état"), max_length=8, choices=ExportStatus.choices, default=ExportStatus.PENDING)
    progress = models.PositiveSmallIntegerField(_("avancement (%)"), default=0)
    step = models.CharField(_("étape"), max_length=120, blank=True)
    failure = models.TextField(_("cause de l'échec"), blank=True)
    file = models.FileField(_("fichier"), upload_to="exports/%Y/%m/", blank=True)
    filename = models.CharField(_("nom du fichier"), max_length=200, blank=True)
    content_type = models.CharField(_("type du fichier"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("export en arrière-plan")
        verbose_name_plural = _("exports en arrière-plan")
        ordering = ["-created_at", "-id"]
        default_permissions = ()
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="export_job_progress_at_most_100"),
            models.CheckConstraint(condition=~Q(status="done") | (~Q(file="") & Q(progress=100)),
                                   name="export_job_done_has_its_file"),
            models.CheckConstraint(condition=~Q(kind="report") | ~Q(report=""), name="export_job_report_named"),
        ]
        indexes = [models.Index(fields=["requested_by", "created_at"], name="export_job_user_created")]

    def __str__(self):
        return f"{self.title} ({self.get_fmt_display()}) — {self.get_status_display()}"

    @property
    def is_finished(self):
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)
