"""The five-step arrival workflow (DESIGN.md §3): security, administration, registry,
medical, interview. One Intake per arrival; one StepRecord per completed step (who and
when); each step's data in its own model. Medical details live in their own model, which
only medical staff have the permission to read.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.ids import global_id
from inmates.models import ArrestingForce, Custody, Inmate, Sex
from prisons.dates import validate_past_date
from prisons.models import Facility


class Step(models.IntegerChoices):
    SECURITY = 1, _("Sécurité")
    ADMINISTRATION = 2, _("Administration")
    REGISTRY = 3, _("Fouille et consigne (vestiaire)")
    MEDICAL = 4, _("Visite médicale")
    INTERVIEW = 5, _("Entretien social")


# URL slug (API and pages) and permission codename of each step.
STEP_SLUGS = {
    Step.SECURITY: "security",
    Step.ADMINISTRATION: "administration",
    Step.REGISTRY: "registry",
    Step.MEDICAL: "medical",
    Step.INTERVIEW: "interview",
}
SLUG_STEPS = {slug: step for step, slug in STEP_SLUGS.items()}
STEP_PERMISSIONS = {step: f"intake.complete_{slug}" for step, slug in STEP_SLUGS.items()}


class IdentityDecision(models.TextChoices):
    NEW = "new", _("Nouvelle personne")
    READMISSION = "readmission", _("Même personne (ré-écrou)")


class IntakeStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("En cours")
    COMPLETED = "completed", _("Terminé")


class IntakeQuerySet(models.QuerySet):
    def visible_to(self, user):
        ids = user.visible_facility_ids()
        return self if ids is None else self.filter(facility_id__in=ids)

    def in_progress(self):
        return self.filter(status=IntakeStatus.IN_PROGRESS)

    def stalled(self, *, hours=None, now=None):
        """In progress with no step completed for more than `hours` (INTAKE_STALL_HOURS)."""
        hours = settings.INTAKE_STALL_HOURS if hours is None else hours
        cutoff = (now or timezone.now()) - timezone.timedelta(hours=hours)
        return self.in_progress().filter(last_activity_at__lt=cutoff)


class Intake(models.Model):
    """One arrival, from the warrant to the social report."""

    uid = global_id()

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="intakes",
                                 verbose_name=_("établissement"))
    inmate = models.ForeignKey(Inmate, on_delete=models.PROTECT, related_name="intakes",
                               verbose_name=_("détenu"))
    custody = models.OneToOneField(Custody, on_delete=models.PROTECT, related_name="intake",
                                   verbose_name=_("séjour"))
    # The warrant (Mandela Rule 7): the case and the detention order it opened.
    case = models.ForeignKey("casework.Case", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("affaire"))
    warrant = models.ForeignKey("casework.DetentionOrder", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("titre de détention"))
    identity_decision = models.CharField(_("identification"), max_length=12,
                                         choices=IdentityDecision.choices)
    candidates_shown = models.JSONField(
        _("correspondances proposées"), default=list, blank=True,
        help_text=_("Personnes déjà connues proposées au greffe avant sa décision (id, score)."),
    )
    status = models.CharField(_("état"), max_length=12, choices=IntakeStatus.choices,
                              default=IntakeStatus.IN_PROGRESS)
    last_step = models.PositiveSmallIntegerField(_("dernière étape effectuée"), default=0)
    medically_fit = models.BooleanField(_("apte à la détention"), null=True, blank=True)
    opened_at = models.DateTimeField(_("ouvert le"), default=timezone.now)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("ouvert par"))
    last_activity_at = models.DateTimeField(_("dernière activité"), default=timezone.now)
    completed_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    objects = IntakeQuerySet.as_manager()

    class Meta:
        verbose_name = _("écrou")
        verbose_name_plural = _("écrous")
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["facility", "status", "last_activity_at"],
                                name="intake_facility_status_idx")]
        permissions = [
            ("complete_security", _("Effectuer l'étape sécurité de l'écrou")),
            ("complete_administration", _("Effectuer l'étape administrative de l'écrou")),
            ("complete_registry", _("Effectuer l'étape fouille et consigne de l'écrou")),
            ("complete_medical", _("Effectuer la visite médicale d'entrée")),
            ("complete_interview", _("Effectuer l'entretien social d'entrée")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(last_step__gte=0, last_step__lte=5),
                                   name="intake_last_step_range"),
            models.CheckConstraint(
                condition=(Q(status="completed", completed_at__isnull=False, last_step=5)
                           | (Q(status="in_progress") & Q(completed_at__isnull=True))),
                name="intake_completed_iff_all_steps",
            ),
        ]

    def __str__(self):
        return _("Écrou de %(who)s (%(code)s, %(day)s)") % {
            "who": self.inmate, "code": self.facility.code,
            "day": timezone.localtime(self.opened_at).strftime("%d/%m/%Y")}

    @property
    def next_step(self):
        return Step(self.last_step + 1) if self.last_step < len(Step) else None

    @property
    def is_completed(self):
        return self.status == IntakeStatus.COMPLETED

    def is_stalled(self, now=None):
        hours = settings.INTAKE_STALL_HOURS
        return (not self.is_completed
                and self.last_activity_at < (now or timezone.now()) - timezone.timedelta(hours=hours))


class StepRecord(models.Model):
    """Who completed which step, and when. One per (intake, step)."""

    uid = global_id()

    intake = models.ForeignKey(Intake, on_delete=models.PROTECT, related_name="step_records",
                               verbose_name=_("écrou"))
    step = models.PositiveSmallIntegerField(_("étape"), choices=Step.choices)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("effectuée par"))
    completed_at = models.DateTimeField(_("effectuée le"), default=timezone.now)

    class Meta:
        verbose_name = _("étape d'écrou effectuée")
        verbose_name_plural = _("étapes d'écrou effectuées")
        ordering = ["step"]
        constraints = [
            models.UniqueConstraint(fields=["intake", "step"], name="one_record_per_intake_step"),
        ]

    def __str__(self):
        return f"{self.get_step_display()} — {self.completed_by}"


class RulesMode(models.TextChoices):
    ORAL = "oral", _("Oralement")
    WRITTEN = "written", _("Par écrit")
    BOTH = "both", _("Oralement et par écrit")


class BriefingLanguage(models.TextChoices):
    """The languages of Mali in which the rules and rights are explained (Rules 54–55)."""

    BAMBARA = "bambara", _("Bambara (bamanankan)")
    FULFULDE = "fulfulde", _("Peul (fulfulde)")
    SONGHAI = "songhai", _("Songhaï")
    TAMASHEQ = "tamasheq", _("Tamasheq")
    ARABIC = "arabic", _("Arabe / hassaniya")
    SONINKE = "soninke", _("Soninké")
    DOGON = "dogon", _("Dogon")
    BOZO = "bozo", _("Bozo")
    SENUFO = "senufo", _("Sénoufo")
    MINYANKA = "minyanka", _("Minyanka")
    BOBO = "bobo", _("Bobo")
    KASSONKE = "kassonke", _("Khassonké")
    MANINKA = "maninka", _("Malinké (maninka)")
    FRENCH = "french", _("Français")
    ENGLISH = "english", _("Anglais")
    OTHER = "other", _("Autre langue (préciser)")


class Acknowledgement(models.TextChoices):
    SIGNATURE = "signature", _("Signature")
    THUMBPRINT = "thumbprint", _("Empreinte du pouce")
    REFUSED = "refused", _("Refus de signer (en présence d'un témoin)")


class SecurityCheck(models.Model):
    """Step 1: rules explained (Rules 54–55) in a language the person understands, charges and
    reasons for detention communicated (Rule 111), search, unit assigned."""

    uid = global_id()

    intake = models.OneToOneField(Intake, on_delete=models.PROTECT, related_name="security",
                                  verbose_name=_("écrou"))
    rules_explained = models.BooleanField(_("règlement, droits et procédure de plainte expliqués"))
    rules_language = models.CharField(_("langue utilisée"), max_length=60, choices=BriefingLanguage.choices)
    rules_language_other = models.CharField(_("autre langue"), max_length=60, blank=True)
    rules_mode = models.CharField(_("forme"), max_length=8, choices=RulesMode.choices)
    interpreter_name = models.CharField(_("interprète"), max_length=120, blank=True,
                                        help_text=_("Nom de l'interprète, s'il y en a eu un."))
    # None: recorded before the question was asked (intakes before issue 16).
    can_read = models.BooleanField(_("sait lire"), null=True)
    acknowledgement = models.CharField(_("accusé de la personne"), max_length=10, blank=True,
                                       choices=Acknowledgement.choices)
    acknowledgement_witness = models.CharField(_("témoin du refus"), max_length=120, blank=True)
    charges_communicated_at = models.DateTimeField(
        _("charges et motifs de la détention communiqués le"), null=True, blank=True)
    charges_communicated_by = models.CharField(_("communiqués par"), max_length=120, blank=True)
    search_done = models.BooleanField(_("fouille effectuée"))
    prohibited_items_found = models.BooleanField(_("objets interdits trouvés"), default=False)
    items_found = models.TextField(_("objets trouvés"), blank=True)
    placement = models.ForeignKey("inmates.Placement", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("affectation"))
    notes = models.TextField(_("observations"), blank=True)

    class Meta:
        verbose_name = _("contrôle de sécurité")
        verbose_name_plural = _("contrôles de sécurité")
        constraints = [
            models.CheckConstraint(condition=~models.Q(can_read=False, rules_mode=RulesMode.WRITTEN),
                                   name="security_oral_briefing_if_cannot_read"),
            models.CheckConstraint(
                condition=~models.Q(acknowledgement=Acknowledgement.REFUSED, acknowledgement_witness=""),
                name="security_refusal_has_witness"),
            models.CheckConstraint(condition=~models.Q(rules_language=BriefingLanguage.OTHER,
                                                       rules_language_other=""),
                                   name="security_other_language_named"),
        ]

    def __str__(self):
        return f"{self._meta.verbose_name} — {self.intake_id}"

    @property
    def language_display(self):
        if self.rules_language == BriefingLanguage.OTHER:
            return self.rules_language_other
        return self.get_rules_language_display()


class AdministrationRecord(models.Model):
    """Step 2: identity confirmed, number issued, photo, fingerprints, warrant scan."""

    uid = global_id()

    intake = models.OneToOneField(Intake, on_delete=models.PROTECT, related_name="administration",
                                  verbose_name=_("écrou"))
    identity_confirmed = models.BooleanField(_("identité vérifiée sur le titre de détention"))
    identity_notes = models.TextField(_("écarts constatés"), blank=True)
    prisoner_number = models.CharField(_("numéro d'écrou"), max_length=32)
    photo = models.ImageField(_("photo"), upload_to="intake/photos/%Y/")
    warrant_scan = models.FileField(_("titre de détention numérisé"), upload_to="intake/warrants/%Y/")
    no_contact_reason = models.CharField(_("motif d'absence de contact"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("enregistrement administratif")
        verbose_name_plural = _("enregistrements administratifs")

    def __str__(self):
        return f"{self._meta.verbose_name} — {self.intake_id}"


class Finger(models.TextChoices):
    R_THUMB = "r_thumb", _("Pouce droit")
    R_INDEX = "r_index", _("Index droit")
    R_MIDDLE = "r_middle", _("Majeur droit")
    R_RING = "r_ring", _("Annulaire droit")
    R_LITTLE = "r_little", _("Auriculaire droit")
    L_THUMB = "l_thumb", _("Pouce gauche")
    L_INDEX = "l_index", _("Index gauche")
    L_MIDDLE = "l_middle", _("Majeur gauche")
    L_RING = "l_ring", _("Annulaire gauche")
    L_LITTLE = "l_little", _("Auriculaire gauche")


class Fingerprint(models.Model):
    """One finger: its image, or the reason it could not be taken."""

    uid = global_id()

    intake = models.ForeignKey(Intake, on_delete=models.PROTECT, related_name="fingerprints",
                               verbose_name=_("écrou"))
    finger = models.CharField(_("doigt"), max_length=8, choices=Finger.choices)
    image = models.ImageField(_("empreinte"), upload_to="intake/fingerprints/%Y/", blank=True)
    missing_reason = models.CharField(_("motif si non relevée"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("empreinte digitale")
        verbose_name_plural = _("empreintes digitales")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["intake", "finger"], name="one_print_per_finger"),
            models.CheckConstraint(condition=~Q(image="") | ~Q(missing_reason=""),
                                   name="fingerprint_image_or_reason"),
        ]

    def __str__(self):
        return f"{self._meta.verbose_name} — {self.intake_id}"


class RegistryRecord(models.Model):
    """Step 3: property inventory, sealed and stored, acknowledged (Rule 67)."""

    uid = global_id()

    intake = models.OneToOneField(Intake, on_delete=models.PROTECT, related_name="registry",
                                  verbose_name=_("écrou"))
    seal_number = models.CharField(_("numéro de scellé"), max_length=40, blank=True)
    storage_place = models.CharField(_("lieu de rangement"), max_length=120, blank=True)
    acknowledgement = models.CharField(_("reconnaissance par le détenu"), max_length=10,
                                       choices=Acknowledgement.choices)
    witness_name = models.CharField(_("témoin"), max_length=160, blank=True)
    notes = models.TextField(_("observations"), blank=True)

    class Meta:
        verbose_name = _("inventaire des effets")
        verbose_name_plural = _("inventaires des effets")
        constraints = [
            models.CheckConstraint(condition=~Q(acknowledgement="refused") | ~Q(witness_name=""),
                                   name="refusal_needs_witness"),
        ]

    def __str__(self):
        return f"{self._meta.verbose_name} — {self.intake_id}"


class PropertyCategory(models.TextChoices):
    PHONE = "phone", _("Téléphone")
    ID_PAPERS = "id_papers", _("Pièces d'identité")
    CASH = "cash", _("Argent")
    JEWELLERY = "jewellery", _("Bijoux / montre")
    CLOTHING = "clothing", _("Vêtements")
    DOCUMENTS = "documents", _("Documents")
    OTHER = "other", _("Autre")


class PropertyItem(models.Model):
    uid = global_id()
    registry = models.ForeignKey(RegistryRecord, on_delete=models.PROTECT, related_name="items",
                                 verbose_name=_("inventaire"))
    category = models.CharField(_("catégorie"), max_length=10, choices=PropertyCategory.choices)
    description = models.CharField(_("description"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantité"), default=1)
    cash_amount = models.PositiveBigIntegerField(_("montant"), null=True, blank=True)
    currency = models.CharField(_("devise"), max_length=3, default="XOF")
    imei = models.CharField(_("IMEI"), max_length=15, blank=True)

    class Meta:
        verbose_name = _("effet personnel")
        verbose_name_plural = _("effets personnels")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="property_quantity_positive"),
            models.CheckConstraint(condition=~Q(category="cash") | Q(cash_amount__isnull=False),
                                   name="cash_has_amount"),
        ]

    def __str__(self):
        return f"{self.get_category_display()} — {self.description}"


class MedicalExamination(models.Model):
    """Step 4 (Rules 30 and 34). Readable only with intake.view_medicalexamination,
    which only the medical role holds; everyone else sees Intake.medically_fit."""

    uid = global_id()

    intake = models.OneToOneField(Intake, on_delete=models.PROTECT, related_name="medical",
                                  verbose_name=_("écrou"))
    fit_for_detention = models.BooleanField(_("apte à la détention"))
    visible_injuries = models.BooleanField(_("blessures visibles"), default=False)
    injuries_description = models.TextField(_("blessures (où, quoi)"), blank=True)
    ill_treatment_alleged = models.BooleanField(_("allégation de mauvais traitements"), default=False)
    allegation_by_whom = models.CharField(_("par qui"), max_length=160, blank=True)
    allegation_where = models.CharField(_("où"), max_length=160, blank=True)
    allegation_when = models.CharField(_("quand"), max_length=80, blank=True)
    allegation_account = models.TextField(_("récit de la personne"), blank=True)
    contagious_screening = models.TextField(_("dépistage des maladies contagieuses"))
    treatment = models.TextField(_("traitement en cours / prescrit"), blank=True)
    report_authority = models.CharField(_("signalé à (autorité)"), max_length=160, blank=True)
    report_date = models.DateField(_("signalé le"), validators=[validate_past_date], null=True, blank=True)

    class Meta:
        verbose_name = _("visite médicale d'entrée")
        verbose_name_plural = _("visites médicales d'entrée")
        constraints = [
            # Rule 34: signs of ill-treatment are reported onward, always.
            models.CheckConstraint(
                condition=(Q(visible_injuries=False, ill_treatment_alleged=False)
                           | (~Q(report_authority="") & Q(report_date__isnull=False))),
                name="injury_or_allegation_reported",
            ),
        ]

    def __str__(self):
        return f"{self._meta.verbose_name} — {self.intake_id}"


class Need(models.TextChoices):
    LAWYER = "lawyer", _("Avocat")
    FAMILY_CONTACT = "family_contact", _("Contact avec la famille")
    HEALTH = "health", _("Santé")
    SCHOOLING = "schooling", _("Scolarité / alphabétisation")
    VOCATIONAL = "vocational", _("Formation professionnelle")


class InterviewRecord(models.Model):
    """Step 5: the social investigation report."""

    uid = global_id()

    intake = models.OneToOneField(Intake, on_delete=models.PROTECT, related_name="interview",
                                  verbose_name=_("écrou"))
    background = models.TextField(_("parcours"))
    family_situation = models.TextField(_("situation familiale"))
    languages = models.CharField(_("langues parlées"), max_length=200, blank=True)
    own_account = models.TextField(_("récit de la personne sur les faits reprochés"), blank=True)
    motivations = models.TextField(_("motivations exprimées"), blank=True)
    needs = models.JSONField(_("besoins"), default=list, blank=True)
    needs_notes = models.TextField(_("précisions sur les besoins"), blank=True)
    conclusions = models.TextField(_("conclusions de l'enquête sociale"))

    class Meta:
        verbose_name = _("entretien social")
        verbose_name_plural = _("entretiens sociaux")

    def __str__(self):
        return f"{self._meta.verbose_name} — {self.intake_id}"

    def get_needs_display(self):
        return [str(Need(v).label) for v in self.needs or []]


# --- A person brought without a valid title (Mandela Rule 7; ICPPED art. 17) ----------------

class MissingTitle(models.TextChoices):
    NONE = "none", _("Aucun titre présenté")
    EXPIRED = "expired", _("Titre expiré")
    IRREGULAR = "irregular", _("Titre irrégulier (autorité, signature, mentions obligatoires)")
    OTHER_PERSON = "other_person", _("Titre établi au nom d'une autre personne")
    WRONG_PRISON = "wrong_prison", _("Titre pour un autre établissement")
    OTHER = "other", _("Autre motif")


class PresentationOutcome(models.TextChoices):
    PENDING = "pending", _("En attente de décision")
    REFUSED = "refused", _("Refusée : personne remise à l'escorte")
    HELD = "held", _("Retenue en attente de régularisation")
    REGULARISED = "regularised", _("Régularisée : titre reçu, écrou ouvert")
    RELEASED = "released", _("Libérée : aucun titre produit")



class PresentationQuerySet(models.QuerySet):
    def visible_to(self, user):
        ids = user.visible_facility_ids()
        return self if ids is None else self.filter(facility_id__in=ids)


class Presentation(models.Model):
    """A person brought to the prison without a valid commitment order. Nobody is turned away
    or held without a trace: the presentation is recorded with whatever is known, then either
    refused (the person handed back to the escort) or, by the director's decision, held pending
    regularisation — a stay that counts in the roll, a critical alert and a letter to the
    prosecutor — until a title arrives (regularised: the arrival steps follow) or the person is
    released."""

    uid = global_id()

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="presentations",
                                 verbose_name=_("établissement"))
    presented_at = models.DateTimeField(_("date et heure de la présentation"), validators=[validate_past_date])
    # Who brought the person.
    escort_force = models.CharField(_("force de l'escorte"), max_length=16,
                                    choices=ArrestingForce.choices)
    escort_unit = models.CharField(_("unité / service de l'escorte"), max_length=120)
    escort_names = models.CharField(_("agents de l'escorte (noms, grades, matricules)"), max_length=240)
    # Whatever is known of the person.
    last_name = models.CharField(_("nom (déclaré)"), max_length=80)
    first_name = models.CharField(_("prénom(s) (déclarés)"), max_length=120, blank=True)
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices)
    birth_year = models.PositiveSmallIntegerField(_("année de naissance (estimée)"), null=True, blank=True)
    declared = models.TextField(_("ce que la personne ou l'escorte déclare"), blank=True,
                                help_text=_("Origine, motif avancé de l'arrestation, lieu et date d'arrestation…"))
    # What is wrong with the title.
    missing = models.CharField(_("défaut du titre"), max_length=16, choices=MissingTitle.choices)
    missing_details = models.TextField(_("ce qui manque ou est irrégulier"))
    document_shown = models.CharField(_("pièce présentée (le cas échéant)"), max_length=200, blank=True)
    prosecutor = models.ForeignKey("casework.Court", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("parquet à aviser"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("enregistrée par"))
    recorded_at = models.DateTimeField(_("enregistrée le"), default=timezone.now)
    # The decision.
    outcome = models.CharField(_("suite donnée"), max_length=12, choices=PresentationOutcome.choices,
                               default=PresentationOutcome.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("décision prise par"))
    decided_at = models.DateTimeField(_("décision le"), null=True, blank=True)
    decision_reason = models.TextField(_("motif de la décision"), blank=True)
    handed_to = models.CharField(_("remise à (agent de l'escorte)"), max_length=160, blank=True)
    inmate = models.ForeignKey(Inmate, on_delete=models.PROTECT, null=True, blank=True, related_name="presentations",
                               verbose_name=_("personne"))
    custody = models.OneToOneField(Custody, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="presentation", verbose_name=_("séjour"))
    letter_printed_at = models.DateTimeField(_("lettre au parquet imprimée le"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("clôturée par"))
    closed_at = models.DateTimeField(_("clôturée le"), null=True, blank=True)
    close_note = models.TextField(_("suite (titre reçu ou libération)"), blank=True)
    intake = models.OneToOneField(Intake, on_delete=models.PROTECT, null=True, blank=True, related_name="presentation",
                                  verbose_name=_("écrou ouvert à la régularisation"))

    objects = PresentationQuerySet.as_manager()

    class Meta:
        verbose_name = _("présentation sans titre valable")
        verbose_name_plural = _("présentations sans titre valable")
        ordering = ["-presented_at", "-id"]
        indexes = [models.Index(fields=["facility", "outcome"], name="presentation_facility_idx")]
        permissions = [("decide_presentation",
                        _("Décider de retenir une personne sans titre en attente de régularisation"))]
        constraints = [
            # A held person has a stay; a refused one never does; every decision says who and when.
            models.CheckConstraint(
                condition=Q(outcome="pending", decided_at__isnull=True, custody__isnull=True)
                | Q(outcome="refused", decided_at__isnull=False, custody__isnull=True)
                | Q(outcome__in=["held", "regularised", "released"], decided_at__isnull=False,
                    custody__isnull=False, inmate__isnull=False),
                name="presentation_outcome_consistent"),
            models.CheckConstraint(condition=Q(outcome__in=["regularised", "released"]) | Q(closed_at__isnull=True),
                                   name="presentation_closed_only_when_settled"),
        ]

    def __str__(self):
        return _("Présentation sans titre : %(who)s (%(code)s, %(day)s)") % {
            "who": f"{self.last_name.upper()} {self.first_name}".strip(), "code": self.facility.code,
            "day": timezone.localtime(self.presented_at).strftime("%d/%m/%Y")}



class KeptUpload(models.Model):
    """A file the administration step accepted (photo, warrant scan, a fingerprint) while the step
    itself was refused for something else: kept in private storage so that it need not be chosen
    again, until the step is completed (then its record holds the file, and this row goes)."""

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="kept_uploads",
                               verbose_name=_("écrou"))
    field = models.CharField(_("champ"), max_length=40)
    file = models.FileField(_("fichier"), upload_to="intake/kept/%Y/")
    original_name = models.CharField(_("nom du fichier"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("déposé par"))
    uploaded_at = models.DateTimeField(_("déposé le"), auto_now=True)

    class Meta:
        verbose_name = _("fichier gardé en attente de l'étape")
        verbose_name_plural = _("fichiers gardés en attente de l'étape")
        ordering = ["id"]
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["intake", "field"], name="one_kept_upload_per_field")]

    def __str__(self):
        return f"{self.field} — {self.original_name}"
