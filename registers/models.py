"""The paper-register back-fill: an import job per uploaded file, and one imported record per row
written, with its provenance (register volume, page, line) and its four-eyes verification."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from prisons.models import Facility


class JobStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Déposé")
    CHECKING = "checking", _("Contrôle en cours")
    CHECKED = "checked", _("Vérifié, prêt à importer")
    WITH_ERRORS = "with_errors", _("Erreurs à corriger")
    IMPORTING = "importing", _("Import en cours")
    IMPORTED = "imported", _("Importé")
    FAILED = "failed", _("Échec")
    CANCELLED = "cancelled", _("Annulé")


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        ids = user.visible_facility_ids()
        return self if ids is None else self.filter(facility_id__in=ids)


class ImportJob(models.Model):
    """One uploaded register file: checked (nothing written), then imported on confirmation."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("établissement"))
    file = models.FileField(_("fichier"), upload_to="registers/%Y/%m/")
    file_name = models.CharField(_("nom du fichier"), max_length=200, blank=True)
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("déposé par"))
    uploaded_at = models.DateTimeField(_("déposé le"), auto_now_add=True)
    status = models.CharField(_("état"), max_length=12, choices=JobStatus.choices, default=JobStatus.UPLOADED)
    total_rows = models.PositiveIntegerField(_("lignes"), default=0)
    new_rows = models.PositiveIntegerField(_("nouvelles"), default=0)
    unchanged_rows = models.PositiveIntegerField(_("déjà importées"), default=0)
    invalid_rows = models.PositiveIntegerField(_("invalides"), default=0)
    held_rows = models.PositiveIntegerField(_("doublons en attente de décision"), default=0)
    imported_rows = models.PositiveIntegerField(_("importées"), default=0)
    # One result per data row: {"row": n, "status": new|unchanged|invalid|held, "errors": {column: [msg]},
    # "matches": [...], "key": [volume, page, line]}.
    row_results = models.JSONField(_("résultat par ligne"), default=list, blank=True)
    # Decisions on held duplicates: {"<row>": "create" | "skip"}.
    decisions = models.JSONField(_("décisions sur les doublons"), default=dict, blank=True)
    checked_at = models.DateTimeField(_("contrôlé le"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("confirmé par"))
    confirmed_at = models.DateTimeField(_("confirmé le"), null=True, blank=True)
    imported_at = models.DateTimeField(_("importé le"), null=True, blank=True)
    failure = models.TextField(_("cause de l'échec"), blank=True)
    check_seconds = models.FloatField(_("durée du contrôle (s)"), null=True, blank=True)
    import_seconds = models.FloatField(_("durée de l'import (s)"), null=True, blank=True)
    updated_rows = models.PositiveIntegerField(_("corrigées"), default=0)
    # Progress of the check or the import under way (rows done of rows to do), for the progress bar.
    progress_done = models.PositiveIntegerField(_("lignes traitées"), default=0)
    progress_total = models.PositiveIntegerField(_("lignes à traiter"), default=0)
    # The failed rows as uploaded, with an "Erreurs" column (django-import-export's failed_dataset).
    error_file = models.FileField(_("classeur des erreurs"), upload_to="registers/errors/%Y/%m/", blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("import de registre")
        verbose_name_plural = _("imports de registres")
        ordering = ["-uploaded_at", "-id"]
        permissions = [("verify_importedrecord", _("Peut vérifier un enregistrement repris du registre"))]

    def __str__(self):
        return f"{self.file_name or self.sha256[:12]} — {self.facility_id}"


class RecordStatus(models.TextChoices):
    TO_VERIFY = "to_verify", _("À vérifier")
    VERIFIED = "verified", _("Vérifié sur le registre")
    SENT_BACK = "sent_back", _("Renvoyé pour correction")


class Reliability(models.TextChoices):
    VERIFIED = "verified", _("Vérifié sur le registre")
    REGISTER = "register", _("Registre seul (non vérifié)")
    ORAL = "oral", _("Déclaration orale")
    NO_FILE = "no_file", _("Aucun dossier")


class Source(models.TextChoices):
    """What the clerk copied the line from (the template's "Source" column)."""

    REGISTER = "register", _("Registre d'écrou")
    ORAL = "oral", _("Déclaration orale de la personne")
    NO_FILE = "no_file", _("Aucun dossier")


class ImportedRecordQuerySet(models.QuerySet):
    def visible_to(self, user):
        ids = user.visible_facility_ids()
        return self if ids is None else self.filter(facility_id__in=ids)

    def to_verify(self):
        return self.filter(status=RecordStatus.TO_VERIFY)


class ImportedRecord(models.Model):
    """A person (with stay, case and order) back-filled from one line of the paper register."""

    job = models.ForeignKey(ImportJob, on_delete=models.PROTECT, related_name="records",
                            verbose_name=_("import"))
    row_number = models.PositiveIntegerField(_("ligne du fichier"))
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("établissement"))
    register_volume = models.CharField(_("volume du registre"), max_length=20)
    register_page = models.PositiveIntegerField(_("page"))
    register_line = models.PositiveIntegerField(_("ligne"))
    register_number = models.CharField(_("numéro d'écrou du registre papier"), max_length=32, blank=True,
                                       db_index=True)
    # The line as copied from the register (the template's columns), kept beside what was written:
    # a corrected file is compared with it (unchanged lines are skipped, changed ones corrected).
    last_name = models.CharField(_("nom"), max_length=80, blank=True)
    first_name = models.CharField(_("prénom(s)"), max_length=120, blank=True)
    sex = models.CharField(_("sexe"), max_length=1, blank=True)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    birth_year = models.PositiveIntegerField(_("année de naissance"), null=True, blank=True)
    father_name = models.CharField(_("prénom du père"), max_length=120, blank=True)
    mother_name = models.CharField(_("nom et prénom de la mère"), max_length=160, blank=True)
    region = models.ForeignKey("prisons.Region", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("région d'origine"))
    admitted_on = models.DateField(_("date d'écrou"), null=True, blank=True)
    unit = models.ForeignKey("prisons.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("quartier / cellule"))
    legal_status = models.CharField(_("statut juridique"), max_length=10, blank=True)
    case_number = models.CharField(_("n° de dossier"), max_length=60, blank=True)
    court = models.ForeignKey("casework.Court", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("juridiction"))
    offence = models.CharField(_("infraction"), max_length=200, blank=True)
    legal_class = models.CharField(_("qualification"), max_length=14, blank=True)
    order_kind = models.CharField(_("type de titre"), max_length=16, blank=True)
    order_reference = models.CharField(_("référence du titre"), max_length=60, blank=True)
    order_issued_on = models.DateField(_("titre délivré le"), null=True, blank=True)
    order_issued_by = models.CharField(_("titre délivré par"), max_length=160, blank=True)
    order_valid_until = models.DateField(_("titre valable jusqu'au"), null=True, blank=True)
    origin = models.CharField(_("source de la ligne"), max_length=10, choices=Source.choices, default=Source.REGISTER)
    reliability = models.CharField(_("fiabilité"), max_length=10, choices=Reliability.choices,
                                   default=Reliability.REGISTER)
    corrected_by_job = models.ForeignKey(ImportJob, on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="corrected_records",
                                         verbose_name=_("corrigé par l'import"))
    inmate = models.ForeignKey("inmates.Inmate", on_delete=models.PROTECT, related_name="register_records",
                               verbose_name=_("détenu"))
    custody = models.ForeignKey("inmates.Custody", on_delete=models.PROTECT, related_name="register_records",
                                verbose_name=_("séjour"))
    case = models.ForeignKey("casework.Case", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="register_records", verbose_name=_("affaire"))
    status = models.CharField(_("état"), max_length=10, choices=RecordStatus.choices,
                              default=RecordStatus.TO_VERIFY)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("importé par"))
    imported_at = models.DateTimeField(_("importé le"), auto_now_add=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("vérifié par"))
    verified_at = models.DateTimeField(_("vérifié le"), null=True, blank=True)
    verification_note = models.TextField(_("observation du vérificateur"), blank=True)

    objects = ImportedRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("enregistrement repris du registre")
        verbose_name_plural = _("enregistrements repris des registres")
        ordering = ["register_volume", "register_page", "register_line"]
        constraints = [
            # A re-run of the same job never writes a row twice.
            models.UniqueConstraint(fields=["job", "row_number"], name="one_record_per_job_row"),
            # The natural key of a register line: the same line is never imported twice.
            models.UniqueConstraint(fields=["facility", "register_volume", "register_page", "register_line"],
                                    name="one_record_per_register_line"),
            models.CheckConstraint(
                condition=Q(status="to_verify") | Q(verified_by__isnull=False),
                name="record_verified_has_verifier"),
            models.CheckConstraint(condition=~Q(verified_by=models.F("imported_by")),
                                   name="record_verifier_not_importer"),
        ]

    def __str__(self):
        return f"{self.register_volume} p.{self.register_page} l.{self.register_line}"

    @property
    def source(self):  # the provenance, in words
        return _("Registre d'écrou papier, volume %(v)s, page %(p)s, ligne %(l)s") % {
            "v": self.register_volume, "p": self.register_page, "l": self.register_line}


class RegisterScanQuerySet(models.QuerySet):
    def served_to(self, user):
        """Only the staff of the scan's prison (not national staff, not another prison): a register page
        names some twenty-five people."""
        ids = user.visible_facility_ids()
        return self.none() if ids is None else self.filter(facility_id__in=ids)

    def of_page(self, facility_id, volume, page):
        return self.filter(facility_id=facility_id, register_volume__iexact=volume, register_page=page).order_by(
            "-uploaded_at", "-id")


class RegisterScan(models.Model):
    """The scanned image (JPEG, PNG) or PDF of one page of a paper register, uploaded with an import job:
    the second clerk verifies each record beside it. Kept in private storage, never served publicly."""

    job = models.ForeignKey(ImportJob, on_delete=models.PROTECT, related_name="scans", verbose_name=_("import"))
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("établissement"))
    register_volume = models.CharField(_("volume du registre"), max_length=20)
    register_page = models.PositiveIntegerField(_("page"))
    file = models.FileField(_("page scannée"), upload_to="registers/scans/%Y/%m/")
    file_name = models.CharField(_("nom du fichier"), max_length=200, blank=True)
    content_type = models.CharField(_("type"), max_length=40)
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("déposé par"))
    uploaded_at = models.DateTimeField(_("déposé le"), auto_now_add=True)

    objects = RegisterScanQuerySet.as_manager()

    class Meta:
        verbose_name = _("page scannée du registre")
        verbose_name_plural = _("pages scannées des registres")
        ordering = ["register_volume", "register_page"]
        constraints = [models.UniqueConstraint(fields=["job", "register_volume", "register_page"],
                                               name="one_scan_per_job_page")]

    def __str__(self):
        return _("Volume %(v)s, page %(p)s") % {"v": self.register_volume, "p": self.register_page}
