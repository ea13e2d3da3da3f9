"""Life inside the prison: classification and its reviews, cell leaders, visits and the
visiting days, requests and complaints, activities and enrolments, family notifications
(Mandela Rules 8, 11, 56–57, 68–70).

These models moved from `inmates` without their tables: each keeps its `db_table`
(`inmates_…`), so the rows, their ids and the audit trail pointing at them are unchanged.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import need_to_know
from core.access import facility_scope as _facility_scope
from core.ids import global_id
from inmates.models import Custody, NotificationMethod, Relative, Transfer
from prisons.dates import validate_past_date, validate_scheduled_date
from prisons.models import HELD_STATUSES, Facility, Unit


class Risk(models.TextChoices):
    HIGH = "high", _("Risque élevé")
    MEDIUM = "medium", _("Risque moyen")
    LOW = "low", _("Risque faible")


class ClassificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = _facility_scope(user, "custody__facility_id")
        return self if scope is None else self.filter(scope)

    def in_force(self):
        """The assessment in force for each custody (the most recent one)."""
        newest = (Classification.objects.filter(custody=OuterRef("custody"))
                  .order_by("-assessed_on", "-id").values("id")[:1])
        return self.filter(id=models.Subquery(newest))

    def review_overdue(self, *, on=None):
        """Assessments in force, of people still held, whose review date has passed."""
        day = on or timezone.localdate()
        return self.in_force().filter(custody__status__in=HELD_STATUSES, next_review_on__lt=day)


class Classification(models.Model):
    """A security risk assessment, made by a person about a person (Rule 8). Never automatic:
    the terrorism flag or the legal status never sets it."""

    uid = global_id()

    custody = models.ForeignKey(Custody, on_delete=models.PROTECT, related_name="classifications",
                                verbose_name=_("séjour"))
    risk = models.CharField(_("niveau de risque"), max_length=6, choices=Risk.choices)
    assessed_on = models.DateField(_("évalué le"), validators=[validate_past_date])
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("évaluateur"))
    reasons = models.TextField(_("motifs de l'évaluation individuelle"))
    next_review_on = models.DateField(_("prochaine révision le"), validators=[validate_scheduled_date])
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClassificationQuerySet.as_manager()

    class Meta:
        db_table = "inmates_classification"
        verbose_name = _("classement de sécurité")
        verbose_name_plural = _("classements de sécurité")
        ordering = ["-assessed_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(next_review_on__gt=models.F("assessed_on")),
                                   name="classification_review_after_assessment"),
        ]

    def __str__(self):
        return f"{self.custody.inmate} — {self.get_risk_display()} ({self.assessed_on:%d/%m/%Y})"

    def clean(self):
        errors = {}
        if not (self.reasons or "").strip():
            errors["reasons"] = _("Une évaluation individuelle se motive.")
        if self.assessed_on and self.next_review_on and self.next_review_on <= self.assessed_on:
            errors["next_review_on"] = _("La révision doit suivre l'évaluation.")
        if errors:
            raise ValidationError(errors)


class CellLeaderQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = _facility_scope(user, "unit__facility_id")
        return self if scope is None else self.filter(scope)

    def current(self):
        return self.filter(ended_at__isnull=True)


class CellLeader(models.Model):
    """The leader of a cell, chosen by its occupants with staff agreement (DESIGN.md §5)."""

    uid = global_id()

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="cell_leaders",
                             verbose_name=_("unité / cellule"))
    custody = models.ForeignKey(Custody, on_delete=models.PROTECT, related_name="cell_leaderships",
                                verbose_name=_("séjour"))
    started_at = models.DateTimeField(_("depuis le"), validators=[validate_past_date])
    ended_at = models.DateTimeField(_("jusqu'au"), validators=[validate_past_date], null=True, blank=True)
    end_reason = models.CharField(_("motif de fin"), max_length=200, blank=True)
    appointed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("désigné par"))
    agreement_noted = models.BooleanField(
        _("accord du personnel constaté"), default=False,
        help_text=_("Choisi par les détenus de la cellule, avec l'accord du personnel."))
    agreement_notes = models.TextField(_("comment le choix a été fait"), blank=True)

    objects = CellLeaderQuerySet.as_manager()

    class Meta:
        db_table = "inmates_cellleader"
        verbose_name = _("chef de cellule")
        verbose_name_plural = _("chefs de cellule")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["unit"], condition=Q(ended_at__isnull=True),
                                    name="one_current_leader_per_unit"),
            models.CheckConstraint(condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                                   name="cell_leader_ends_after_start"),
            models.CheckConstraint(condition=Q(agreement_noted=True), name="cell_leader_agreement_noted"),
        ]

    def __str__(self):
        return f"{self.custody.inmate} — {self.unit}"

    def clean(self):
        if not self.agreement_noted:
            raise ValidationError({"agreement_noted": _("L'accord du personnel doit être constaté.")})


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("lundi")
    TUESDAY = 1, _("mardi")
    WEDNESDAY = 2, _("mercredi")
    THURSDAY = 3, _("jeudi")
    FRIDAY = 4, _("vendredi")
    SATURDAY = 5, _("samedi")
    SUNDAY = 6, _("dimanche")


DEFAULT_VISITING_DAYS = [Weekday.FRIDAY.value]


def default_visiting_days():
    return list(DEFAULT_VISITING_DAYS)


class FacilityVisitingRule(models.Model):
    """The days a prison receives visitors (families often on Fridays). Lawyers: any day."""

    uid = global_id()

    facility = models.OneToOneField(Facility, on_delete=models.PROTECT, related_name="visiting_rule",
                                    verbose_name=_("établissement"))
    visiting_days = models.JSONField(_("jours de visite"), default=default_visiting_days,
                                     help_text=_("0 = lundi … 6 = dimanche."))
    notes = models.TextField(_("observations (horaires, conditions)"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   related_name="+", verbose_name=_("modifié par"))
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        db_table = "inmates_facilityvisitingrule"
        verbose_name = _("jours de visite")
        verbose_name_plural = _("jours de visite")

    def __str__(self):
        return f"{self.facility.code}: {self.days_display()}"

    def clean(self):
        days = self.visiting_days
        if not isinstance(days, list) or any(d not in Weekday.values for d in days):
            raise ValidationError({"visiting_days": _("Jours de visite invalides.")})

    def days_display(self):
        return ", ".join(str(Weekday(d).label) for d in sorted(self.visiting_days))

    @staticmethod
    def days_for(facility):
        rule = FacilityVisitingRule.objects.filter(facility=facility).first()
        return sorted(rule.visiting_days) if rule else list(DEFAULT_VISITING_DAYS)


class IdDocumentKind(models.TextChoices):
    NATIONAL_ID = "national_id", _("Carte d'identité nationale")
    NINA = "nina", _("Fiche / carte NINA")
    PASSPORT = "passport", _("Passeport")
    CONSULAR = "consular", _("Carte consulaire")
    PROFESSIONAL = "professional", _("Carte professionnelle (avocat, ONG, ONU, CICR)")
    OTHER = "other", _("Autre pièce")


class Visitor(models.Model):
    """A person who visits, identified by an identity document."""

    uid = global_id()

    last_name = models.CharField(_("nom"), max_length=80)
    first_name = models.CharField(_("prénom(s)"), max_length=120)
    id_document_kind = models.CharField(_("pièce d'identité"), max_length=12, choices=IdDocumentKind.choices)
    id_document_number = models.CharField(_("numéro de la pièce"), max_length=40)
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    organisation = models.CharField(_("organisation / barreau"), max_length=120, blank=True)

    class Meta:
        db_table = "inmates_visitor"
        verbose_name = _("visiteur")
        verbose_name_plural = _("visiteurs")
        ordering = ["last_name", "first_name"]
        constraints = [models.UniqueConstraint(fields=["id_document_kind", "id_document_number"],
                                               name="visitor_unique_document")]

    def __str__(self):
        return f"{self.last_name.upper()} {self.first_name}"


class VisitorKind(models.TextChoices):
    FAMILY = "family", _("Famille")
    LAWYER = "lawyer", _("Avocat")
    RELIGIOUS = "religious", _("Responsable religieux")
    ICRC = "icrc", _("CICR")
    NGO = "ngo", _("ONG")
    UN = "un", _("Nations unies")
    OTHER = "other", _("Autre")


class VisitQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = _facility_scope(user, "facility_id")
        return self if scope is None else self.filter(scope)


class Visit(models.Model):
    """One line of the visitors' register."""

    uid = global_id()

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("établissement"))
    custody = models.ForeignKey(Custody, on_delete=models.PROTECT, related_name="visits",
                                verbose_name=_("détenu visité"))
    visitor = models.ForeignKey(Visitor, on_delete=models.PROTECT, related_name="visits",
                                verbose_name=_("visiteur"))
    kind = models.CharField(_("qualité du visiteur"), max_length=10, choices=VisitorKind.choices)
    relation = models.CharField(_("lien avec le détenu"), max_length=80, blank=True)
    arrived_at = models.DateTimeField(_("entrée"), validators=[validate_past_date])
    left_at = models.DateTimeField(_("sortie"), validators=[validate_past_date], null=True, blank=True)
    items_brought = models.TextField(_("objets apportés (nourriture, vêtements…)"), blank=True)
    notes = models.TextField(_("observations"), blank=True)
    # A family visit outside the visiting days, authorised by the direction (recorded, with why).
    exception_authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
        verbose_name=_("exception autorisée par"))
    exception_reason = models.TextField(_("motif de l'exception aux jours de visite"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("enregistré par"))

    objects = VisitQuerySet.as_manager()

    class Meta:
        db_table = "inmates_visit"
        verbose_name = _("visite")
        verbose_name_plural = _("registre des visites")
        ordering = ["-arrived_at"]
        permissions = [("authorise_visit_exception", _("Autoriser une visite hors des jours de visite"))]
        indexes = [models.Index(fields=["facility", "arrived_at"], name="visit_facility_day_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(left_at__isnull=True) | Q(left_at__gte=models.F("arrived_at")),
                                   name="visit_leaves_after_arrival"),
            models.CheckConstraint(condition=Q(exception_authorised_by__isnull=True) | ~Q(exception_reason=""),
                                   name="visit_exception_has_reason"),
        ]

    def __str__(self):
        return f"{self.visitor} → {self.custody.inmate} ({self.arrived_at:%d/%m/%Y})"


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


class ActivityKind(models.TextChoices):
    TAILORING = "tailoring", _("Atelier de couture")
    MECHANICS = "mechanics", _("Atelier de mécanique")
    FARM = "farm", _("Jardin / parcelle agricole")
    KITCHEN = "kitchen", _("Cuisine")
    LIBRARY = "library", _("Bibliothèque")
    MOSQUE = "mosque", _("Mosquée")
    CHURCH = "church", _("Église")
    SCHOOLING = "schooling", _("Scolarité / alphabétisation")
    TRAINING = "training", _("Formation professionnelle")
    SPORT = "sport", _("Sport")
    OTHER = "other", _("Autre")


class ActivityQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = _facility_scope(user, "facility_id")
        return self if scope is None else self.filter(scope)

    def active(self):
        return self.filter(is_active=True)


class Activity(models.Model):
    """A workshop, place of worship, class… and which regimes and categories may attend.

    Terrorism-related detainees are often barred; recording who may attend makes the gap
    visible (DESIGN.md §5: equal access where possible)."""

    uid = global_id()

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="activities",
                                 verbose_name=_("établissement"))
    name = models.CharField(_("nom"), max_length=120)
    kind = models.CharField(_("type"), max_length=10, choices=ActivityKind.choices)
    open_to_regimes = models.JSONField(_("régimes admis"), default=list, blank=True,
                                       help_text=_("Régimes des unités dont les détenus peuvent participer."))
    open_to_untried = models.BooleanField(_("ouverte aux prévenus"), default=True)
    open_to_convicted = models.BooleanField(_("ouverte aux condamnés"), default=True)
    open_to_terrorism_related = models.BooleanField(_("ouverte aux personnes poursuivies ou condamnées "
                                                      "pour terrorisme"), default=False)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    is_active = models.BooleanField(_("en service"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("créée par"))

    objects = ActivityQuerySet.as_manager()

    class Meta:
        db_table = "inmates_activity"
        verbose_name = _("activité")
        verbose_name_plural = _("activités")
        ordering = ["facility__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "name"], name="activity_name_unique_in_facility"),
            models.CheckConstraint(condition=Q(open_to_untried=True) | Q(open_to_convicted=True),
                                   name="activity_open_to_someone"),
        ]

    def __str__(self):
        return f"{self.name} ({self.facility.code})"

    def clean(self):
        from prisons.models import Regime

        regimes = self.open_to_regimes
        if not isinstance(regimes, list) or not regimes or any(r not in Regime.values for r in regimes):
            raise ValidationError({"open_to_regimes": _("Choisissez au moins un régime admis.")})

    def open_to_regimes_display(self):
        from prisons.models import Regime

        return [str(Regime(r).label) for r in self.open_to_regimes or []]

    def refusal_for(self, custody, unit):
        """Why `custody` (placed in `unit`) may not attend, or None."""
        if unit is None:
            return _("La personne n'est placée dans aucune unité.")
        if unit.regime not in (self.open_to_regimes or []):
            return _("Cette activité n'est pas ouverte au régime « %(r)s ».") % {"r": unit.get_regime_display()}
        if custody.terrorism_related and not self.open_to_terrorism_related:
            return _("Cette activité n'est pas ouverte aux personnes poursuivies ou condamnées pour terrorisme.")
        if custody.is_untried and not self.open_to_untried:
            return _("Cette activité n'est pas ouverte aux prévenus.")
        if not custody.is_untried and not self.open_to_convicted:
            return _("Cette activité n'est pas ouverte aux condamnés.")
        return None


class EnrolmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = _facility_scope(user, "activity__facility_id")
        return self if scope is None else self.filter(scope)

    def current(self):
        return self.filter(ended_on__isnull=True)


class Enrolment(models.Model):
    uid = global_id()
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="enrolments",
                                 verbose_name=_("activité"))
    custody = models.ForeignKey(Custody, on_delete=models.PROTECT, related_name="enrolments",
                                verbose_name=_("séjour"))
    started_on = models.DateField(_("depuis le"), validators=[validate_scheduled_date])
    ended_on = models.DateField(_("jusqu'au"), validators=[validate_scheduled_date], null=True, blank=True)
    end_reason = models.CharField(_("motif de fin"), max_length=200, blank=True)
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("inscrit par"))

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        db_table = "inmates_enrolment"
        verbose_name = _("inscription à une activité")
        verbose_name_plural = _("inscriptions aux activités")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "custody"], condition=Q(ended_on__isnull=True),
                                    name="one_current_enrolment_per_activity"),
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                                   name="enrolment_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.custody.inmate} — {self.activity.name}"


class NotificationEvent(models.TextChoices):
    ADMISSION = "admission", _("Incarcération")
    TRANSFER = "transfer", _("Transfert")
    SERIOUS_ILLNESS = "illness", _("Maladie ou blessure grave")
    DEATH = "death", _("Décès")


class NotificationChoice(models.TextChoices):
    WISHES = "wishes", _("La personne demande que l'on prévienne ce contact")
    DECLINES = "declines", _("La personne ne souhaite pas que l'on prévienne sa famille")
    NOT_ASKED = "not_asked", _("Sans objet (décès : le plus proche parent est prévenu d'office)")


class FamilyNotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = _facility_scope(user, "custody__facility_id")
        return self if scope is None else self.filter(scope)


class FamilyNotification(models.Model):
    """Telling the family of admission, transfer, serious illness or death (Rules 68–70),
    following the person's own choice of whom to tell (except death: next of kin at once)."""

    uid = global_id()

    custody = models.ForeignKey(Custody, on_delete=models.PROTECT, related_name="family_notifications",
                                verbose_name=_("séjour"))
    event = models.CharField(_("événement"), max_length=10, choices=NotificationEvent.choices)
    transfer = models.ForeignKey(Transfer, on_delete=models.PROTECT, related_name="family_notifications",
                                 null=True, blank=True, verbose_name=_("transfert"))
    choice = models.CharField(_("choix de la personne"), max_length=10, choices=NotificationChoice.choices)
    relative = models.ForeignKey(Relative, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
                                 verbose_name=_("contact à prévenir"))
    contact_name = models.CharField(_("nom du contact"), max_length=160, blank=True)
    contact_phone = models.CharField(_("téléphone du contact"), max_length=40, blank=True)
    told_at = models.DateTimeField(_("prévenu le"), validators=[validate_past_date], null=True, blank=True)
    told_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                null=True, blank=True, verbose_name=_("prévenu par"))
    method = models.CharField(_("moyen"), max_length=10, choices=NotificationMethod.choices, blank=True)
    notes = models.TextField(_("observations"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("enregistré par"))
    recorded_at = models.DateTimeField(_("enregistré le"), auto_now_add=True)

    objects = FamilyNotificationQuerySet.as_manager()

    class Meta:
        db_table = "inmates_familynotification"
        verbose_name = _("information de la famille")
        verbose_name_plural = _("informations des familles")
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(choice="declines") | Q(told_at__isnull=True),
                                   name="family_not_told_against_choice"),
            models.CheckConstraint(condition=Q(told_at__isnull=True) | Q(told_by__isnull=False),
                                   name="family_told_by_someone"),
        ]

    def __str__(self):
        return f"{self.custody.inmate} — {self.get_event_display()}"

    def clean(self):
        errors = {}
        if self.event == NotificationEvent.DEATH and self.choice == NotificationChoice.DECLINES:
            errors["choice"] = _("En cas de décès, le plus proche parent est prévenu sans délai (Règle 69).")
        if self.choice == NotificationChoice.DECLINES and self.told_at:
            errors["told_at"] = _("La personne a refusé que sa famille soit prévenue.")
        if self.choice != NotificationChoice.DECLINES and not (self.relative_id or self.contact_name.strip()):
            errors["relative"] = _("Indiquez le contact à prévenir.")
        if self.told_at and not self.method:
            errors["method"] = _("Indiquez comment le contact a été prévenu.")
        if self.relative_id and self.custody_id and self.relative.inmate_id != self.custody.inmate_id:
            errors["relative"] = _("Ce contact n'est pas celui de cette personne.")
        if self.event == NotificationEvent.TRANSFER and self.transfer_id is None:
            errors["transfer"] = _("Indiquez le transfert concerné.")
        if errors:
            raise ValidationError(errors)


from detention.models_discipline import (  # noqa: E402,F401  (the registers of issue 14, one module)
    DisciplinaryCharge,
    DisciplinaryIncident,
    DisciplineLimit,
    IsolationPlacement,
    IsolationVisit,
    MedicalClearance,
    Sanction,
)
from detention.models_incidents import (  # noqa: E402,F401  (the register of serious incidents, issue 14)
    IncidentInvolvement,
    InjuryMedicalDetail,
    SeriousIncident,
)
from detention.models_searches import (  # noqa: E402,F401  (searches and use of force, issue 14)
    Search,
    SearchItem,
    UseOfForce,
)
