"""Legal cases: charges, detention orders, hearings and judgments.

A case belongs to one custody (one stay). Co-accused share a case number but each has
their own case row, because each has their own detention orders and deadlines.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.clock import is_future
from core.ids import global_id
from inmates.models import Custody, LegalStatus
from prisons.dates import validate_past_date, validate_scheduled_date
from prisons.models import Region


class CourtKind(models.TextChoices):
    TGI = "tgi", _("Tribunal de grande instance")
    INSTANCE = "instance", _("Tribunal d'instance")
    CT_POLE = "ct_pole", _("Pôle judiciaire spécialisé (terrorisme et criminalité organisée)")
    ASSIZES = "assizes", _("Cour d'assises")
    APPEAL = "appeal", _("Cour d'appel")
    SUPREME = "supreme", _("Cour suprême")
    MILITARY = "military", _("Tribunal militaire")
    JUVENILE = "juvenile", _("Tribunal pour enfants")


class Court(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("nom"), max_length=160, unique=True)
    kind = models.CharField(_("type"), max_length=10, choices=CourtKind.choices)
    town = models.CharField(_("siège"), max_length=80)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("région"))

    class Meta:
        verbose_name = _("juridiction")
        verbose_name_plural = _("juridictions")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_counter_terrorism_pole(self):
        return self.kind == CourtKind.CT_POLE


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        ids = user.visible_facility_ids()
        return self if ids is None else self.filter(custody__facility_id__in=ids)

    def pretrial(self):
        return self.filter(legal_status__in=(LegalStatus.SUSPECT, LegalStatus.CHARGED),
                           closed_on__isnull=True)

    def of_magistrate(self, user):
        """The cases of a magistrate's court and cabinet (the court portal): none for anyone else."""
        profile = getattr(user, "magistrate_profile", None) if getattr(user, "is_authenticated", False) else None
        if profile is None or not user.is_active or not user.is_magistrate:
            return self.none()
        qs = self.filter(court_id=profile.court_id)
        if profile.function == "judge":
            return qs.filter(chamber__iexact=profile.cabinet.strip())
        return qs.filter(prosecutor__iexact=profile.cabinet.strip()) if profile.cabinet.strip() else qs


class Case(models.Model):
    uid = global_id()
    custody = models.ForeignKey(Custody, on_delete=models.PROTECT, related_name="cases",
                                verbose_name=_("séjour en détention"))
    case_number = models.CharField(_("numéro de dossier (RP / RI / parquet)"), max_length=60)
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="cases",
                              verbose_name=_("juridiction"))
    investigating_judge = models.CharField(_("juge d'instruction"), max_length=120, blank=True)
    chamber = models.CharField(_("cabinet / chambre"), max_length=60, blank=True)
    prosecutor = models.CharField(_("procureur / parquet"), max_length=120, blank=True)
    lawyer = models.CharField(_("avocat"), max_length=160, blank=True,
                              help_text=_("Laisser vide si la personne n'a pas d'avocat."))
    opened_on = models.DateField(_("ouvert le"), validators=[validate_past_date], null=True, blank=True)
    closed_on = models.DateField(_("clos le"), validators=[validate_past_date], null=True, blank=True)
    # Derived by casework.services.refresh_legal_status; never typed in.
    legal_status = models.CharField(_("statut juridique"), max_length=10,
                                    choices=LegalStatus.choices, default=LegalStatus.SUSPECT)
    notes = models.TextField(_("observations"), blank=True)
    # Derived by casework.services.refresh_sentence from the judgment and the arrest chain.
    sentence_ends_on = models.DateField(_("date de fin de peine (libération)"), null=True, blank=True)
    sentence_credit_days = models.PositiveIntegerField(_("détention déjà subie déduite (jours)"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("affaire")
        verbose_name_plural = _("affaires")
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["custody", "court", "case_number"],
                                    name="case_number_unique_per_custody_and_court"),
            models.CheckConstraint(condition=Q(closed_on__isnull=True) | Q(opened_on__isnull=True)
                                   | Q(closed_on__gte=models.F("opened_on")),
                                   name="case_closed_after_opened"),
        ]

    def __str__(self):
        return f"{self.case_number} — {self.court}"

    @property
    def terrorism_related(self):
        return any(c.terrorism_related for c in self.charges.all() if c.is_current)


class LegalClass(models.TextChoices):
    CONTRAVENTION = "contravention", _("Contravention")
    DELIT = "delit", _("Délit")
    CRIME = "crime", _("Crime")


# Order of seriousness, used to pick the governing charge (LAW.md "How a deadline is computed", 1).
LEGAL_CLASS_RANK = {LegalClass.CONTRAVENTION: 1, LegalClass.DELIT: 2, LegalClass.CRIME: 3}


class ChargeStatus(models.TextChoices):
    CURRENT = "current", _("Retenue")
    RECLASSIFIED = "reclassified", _("Requalifiée")
    DROPPED = "dropped", _("Abandonnée")


class Charge(models.Model):
    uid = global_id()
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="charges",
                             verbose_name=_("affaire"))
    offence = models.CharField(_("infraction"), max_length=200)
    legal_class = models.CharField(_("qualification"), max_length=14, choices=LegalClass.choices)
    max_penalty_months = models.PositiveIntegerField(
        _("peine maximale encourue (mois)"), null=True, blank=True,
        help_text=_("Détermine le délai applicable aux délits (≤ 2 ans ou > 2 ans)."),
    )
    terrorism_related = models.BooleanField(_("liée au terrorisme"), default=False)
    flagrant = models.BooleanField(_("flagrant délit"), default=False)
    article = models.CharField(_("texte de loi"), max_length=120, blank=True)
    status = models.CharField(_("état"), max_length=14, choices=ChargeStatus.choices,
                              default=ChargeStatus.CURRENT)
    charged_on = models.DateField(_("retenue le"), validators=[validate_past_date], null=True, blank=True)

    class Meta:
        verbose_name = _("chef d'inculpation")
        verbose_name_plural = _("chefs d'inculpation")
        ordering = ["id"]

    def __str__(self):
        return f"{self.offence} ({self.get_legal_class_display()})"

    @property
    def is_current(self):
        return self.status == ChargeStatus.CURRENT


class OrderKind(models.TextChoices):
    CUSTODY_EXTENSION = "custody_ext", _("Autorisation de prolongation de garde à vue")
    COMMITTAL = "committal", _("Mandat de dépôt")
    ARREST_WARRANT = "arrest_warrant", _("Mandat d'arrêt")
    DETENTION = "detention", _("Ordonnance de placement en détention provisoire")
    RENEWAL = "renewal", _("Ordonnance de prolongation de détention")
    PROSECUTOR = "prosecutor", _("Mandat de dépôt du parquet (flagrant délit)")
    CONVICTION = "conviction", _("Extrait de jugement / réquisition d'incarcérer")


class DetentionOrder(models.Model):
    """A written order that authorises detention. A renewal is a further order."""

    uid = global_id()

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="detention_orders",
                             verbose_name=_("affaire"))
    kind = models.CharField(_("type de titre"), max_length=16, choices=OrderKind.choices)
    reference = models.CharField(_("référence"), max_length=60, blank=True)
    issued_on = models.DateField(_("délivré le"), validators=[validate_past_date])
    issued_by = models.CharField(_("délivré par"), max_length=160)
    valid_until = models.DateField(_("valable jusqu'au"), validators=[validate_scheduled_date], null=True, blank=True)
    renews = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="renewals", verbose_name=_("prolonge le titre"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("titre de détention")
        verbose_name_plural = _("titres de détention")
        ordering = ["issued_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("issued_on")),
                                   name="order_valid_after_issue"),
            models.CheckConstraint(condition=~Q(kind="renewal") | Q(renews__isnull=False),
                                   name="renewal_names_its_order"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} du {self.issued_on:%d/%m/%Y}"

    def clean(self):
        if self.renews_id and self.renews.case_id != self.case_id:
            raise ValidationError({"renews": _("Le titre prolongé doit appartenir à la même affaire.")})
        if self.kind == OrderKind.RENEWAL and not self.renews_id:
            raise ValidationError({"renews": _("Une prolongation doit indiquer le titre qu'elle prolonge.")})


class HearingKind(models.TextChoices):
    FIRST_APPEARANCE = "first_appearance", _("Première comparution")
    EXAMINATION = "examination", _("Interrogatoire / audition")
    TRIAL = "trial", _("Audience de jugement")
    APPEAL = "appeal", _("Audience d'appel")
    DETENTION_REVIEW = "detention_review", _("Débat sur la détention")
    OTHER = "other", _("Autre")


class HearingOutcome(models.TextChoices):
    SCHEDULED = "scheduled", _("Prévue")
    HELD = "held", _("Tenue")
    ADJOURNED = "adjourned", _("Renvoyée")
    JUDGMENT = "judgment", _("Mise en délibéré / jugement")
    NOT_PRODUCED = "not_produced", _("Détenu non extrait")


class Hearing(models.Model):
    uid = global_id()
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="hearings",
                             verbose_name=_("affaire"))
    date = models.DateField(_("date"), validators=[validate_scheduled_date])
    kind = models.CharField(_("type"), max_length=18, choices=HearingKind.choices)
    outcome = models.CharField(_("issue"), max_length=14, choices=HearingOutcome.choices,
                               default=HearingOutcome.SCHEDULED)
    adjourned_to = models.DateField(_("renvoyée au"), validators=[validate_scheduled_date], null=True, blank=True)
    notes = models.TextField(_("observations"), blank=True)

    class Meta:
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(adjourned_to__isnull=True) | Q(adjourned_to__gt=models.F("date")),
                                   name="hearing_adjourned_to_later"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.date:%d/%m/%Y}"

    def clean(self):
        if self.outcome == HearingOutcome.ADJOURNED and not self.adjourned_to:
            raise ValidationError({"adjourned_to": _("Indiquez la date de renvoi.")})


class Verdict(models.TextChoices):
    CONVICTED = "convicted", _("Condamnation")
    ACQUITTED = "acquitted", _("Acquittement / relaxe")
    DISMISSED = "dismissed", _("Non-lieu")


class JudgmentLevel(models.TextChoices):
    FIRST = "first", _("Premier ressort")
    APPEAL = "appeal", _("Appel")
    CASSATION = "cassation", _("Cassation")


# A prison sentence in months is at most 100 years; life is its own box (and keeps dates computable).
MAX_SENTENCE_MONTHS = 1200


class Judgment(models.Model):
    uid = global_id()
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="judgments",
                             verbose_name=_("affaire"))
    level = models.CharField(_("degré"), max_length=10, choices=JudgmentLevel.choices,
                             default=JudgmentLevel.FIRST)
    decided_on = models.DateField(_("rendu le"), validators=[validate_past_date])
    verdict = models.CharField(_("décision"), max_length=10, choices=Verdict.choices)
    sentence_months = models.PositiveIntegerField(
        _("peine d'emprisonnement (mois)"), null=True, blank=True,
        validators=[MaxValueValidator(MAX_SENTENCE_MONTHS, _("Au plus %(limit_value)s mois (100 ans) : pour une "
                                                             "perpétuité, cochez « réclusion à perpétuité »."))])
    life_sentence = models.BooleanField(_("perpétuité"), default=False)
    death_sentence = models.BooleanField(_("peine de mort"), default=False)
    suspended = models.BooleanField(_("avec sursis"), default=False)
    fine_xof = models.PositiveBigIntegerField(_("amende (FCFA)"), null=True, blank=True)
    sentence_starts_on = models.DateField(_("début d'exécution de la peine"), validators=[validate_scheduled_date], null=True, blank=True)
    appeal_filed_on = models.DateField(_("appel interjeté le"), validators=[validate_past_date], null=True, blank=True)
    appeal_by = models.CharField(_("appel formé par"), max_length=80, blank=True)
    notes = models.TextField(_("observations"), blank=True)

    class Meta:
        verbose_name = _("jugement")
        verbose_name_plural = _("jugements")
        ordering = ["decided_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(appeal_filed_on__isnull=True) | Q(appeal_filed_on__gte=models.F("decided_on")),
                                   name="appeal_after_judgment"),
            models.CheckConstraint(condition=Q(sentence_months__isnull=True)
                                   | Q(sentence_months__lte=MAX_SENTENCE_MONTHS), name="judgment_sentence_at_most_100_years"),
            models.CheckConstraint(condition=Q(verdict="convicted") | (Q(sentence_months__isnull=True)
                                   & Q(life_sentence=False) & Q(death_sentence=False)),
                                   name="sentence_only_on_conviction"),
        ]

    def __str__(self):
        return f"{self.get_verdict_display()} — {self.decided_on:%d/%m/%Y}"

    def clean(self):
        # A judgment that closes its case before the case opened would break the case's own
        # constraint (closed on or after opened): refused here, in French, before any write.
        if self.case_id and self.decided_on and self.case.opened_on and self.decided_on < self.case.opened_on:
            raise ValidationError({"decided_on": _(
                "Le jugement ne peut pas être antérieur à l'ouverture de l'affaire (le %(opened)s).")
                % {"opened": self.case.opened_on.strftime("%d/%m/%Y")}})
        if self.verdict == Verdict.CONVICTED and not (
            self.sentence_months or self.life_sentence or self.death_sentence or self.fine_xof
        ):
            raise ValidationError({"sentence_months": _("Indiquez la peine prononcée.")})


# --- Pre-trial deadlines and alerts (LAW.md "Pre-trial detention limits", "How a deadline is computed") ---


class LimitKey(models.TextChoices):
    POLICE = "police", _("Garde à vue")
    POLICE_TERRORISM = "police_terrorism", _("Garde à vue — terrorisme ou criminalité organisée transnationale")
    DELIT_SHORT = "delit_short", _("Délit, peine maximale ≤ 2 ans")
    DELIT_LONG = "delit_long", _("Délit, peine maximale > 2 ans")
    CRIME = "crime", _("Crime (y compris les crimes terroristes)")
    FLAGRANT = "flagrant", _("Flagrant délit, mandat de dépôt du parquet")


class PeriodUnit(models.TextChoices):
    HOURS = "hours", _("heures")
    DAYS = "days", _("jours")
    MONTHS = "months", _("mois")


class CountedFrom(models.TextChoices):
    CUSTODY_START = "custody_start", _("Début de la garde à vue")
    FIRST_APPEARANCE = "first_appearance", _("Première comparution devant le juge d'instruction")
    DETENTION_ORDER = "detention_order", _("Titre de détention")


class DetentionLimitQuerySet(models.QuerySet):
    def in_force(self, on):
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on), valid_from__lte=on)


class DetentionLimit(models.Model):
    """One row of the limits table: data administrators edit, never code (LAW.md)."""

    key = models.CharField(_("situation"), max_length=20, choices=LimitKey.choices)
    code_version = models.CharField(_("version du code"), max_length=40,
                                    help_text=_("Ex. CPP-2001 (Loi n°01-080), CPP-2024 (Loi n°2024-028)."))
    code_title = models.CharField(_("texte"), max_length=200, blank=True)
    valid_from = models.DateField(_("applicable aux titres délivrés à partir du"))
    valid_to = models.DateField(_("jusqu'au"), null=True, blank=True)
    applies_to = models.CharField(_("s'applique à"), max_length=200, blank=True)
    initial_amount = models.PositiveIntegerField(_("durée initiale"))
    initial_unit = models.CharField(_("unité"), max_length=8, choices=PeriodUnit.choices)
    renewal_count = models.PositiveSmallIntegerField(
        _("nombre de prolongations"), null=True, blank=True,
        help_text=_("0 : aucune. Vide : autant que nécessaire dans la limite de la durée maximale."),
    )
    renewal_amount = models.PositiveIntegerField(_("durée d'une prolongation"), null=True, blank=True)
    renewal_unit = models.CharField(_("unité"), max_length=8, choices=PeriodUnit.choices, blank=True)
    max_amount = models.PositiveIntegerField(_("durée maximale absolue"))
    max_unit = models.CharField(_("unité"), max_length=8, choices=PeriodUnit.choices)
    counted_from = models.CharField(_("point de départ"), max_length=20, choices=CountedFrom.choices)
    renewal_window_working_days = models.PositiveSmallIntegerField(
        _("fenêtre de prolongation (jours ouvrables avant l'échéance)"), default=0,
    )
    article = models.CharField(_("article"), max_length=120, blank=True)
    awaiting_confirmation = models.BooleanField(
        _("à confirmer par un juriste malien"), default=True,
        help_text=_("Valeur par défaut non encore confirmée : à vérifier avant tout usage."),
    )
    source_note = models.TextField(_("source et remarques"), blank=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = DetentionLimitQuerySet.as_manager()

    class Meta:
        verbose_name = _("délai légal de détention")
        verbose_name_plural = _("tableau des délais légaux")
        ordering = ["-valid_from", "code_version", "key"]
        constraints = [
            models.UniqueConstraint(fields=["key", "code_version"], name="one_limit_per_key_and_code_version"),
            models.CheckConstraint(condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                                   name="limit_valid_to_after_from"),
            models.CheckConstraint(condition=Q(renewal_count=0) | Q(renewal_count__isnull=False, renewal_amount__isnull=False)
                                   | Q(renewal_count__isnull=True),
                                   name="limit_renewals_have_a_length"),
        ]

    def __str__(self):
        return f"{self.get_key_display()} ({self.code_version})"


class CaseDeadline(models.Model):
    """A case's deadlines, as computed by casework.deadlines from its orders and charges.

    Recomputed when the case changes (on commit) and by the nightly sweep for rows marked
    stale; the sweep then compares these dates with today in a few set-based queries.
    """

    case = models.OneToOneField(Case, on_delete=models.CASCADE, primary_key=True, related_name="deadline",
                                verbose_name=_("affaire"))
    limit = models.ForeignKey(DetentionLimit, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("délai appliqué"))
    governing_class = models.CharField(_("qualification retenue"), max_length=14, blank=True)
    has_order = models.BooleanField(_("titre de détention au dossier"), default=False)
    start_on = models.DateField(_("point de départ"), null=True, blank=True)
    deadline_on = models.DateField(_("échéance"), null=True, blank=True, db_index=True)
    max_on = models.DateField(_("durée maximale atteinte le"), null=True, blank=True)
    renewal_window_from = models.DateField(_("fenêtre de prolongation à partir du"), null=True, blank=True)
    renewals_counted = models.PositiveSmallIntegerField(_("prolongations prises en compte"), default=0)
    first_custody_at = models.DateTimeField(_("premier jour de privation de liberté"), null=True, blank=True)
    prior_custody_count = models.PositiveSmallIntegerField(default=0)
    conservative_deadline_on = models.DateField(_("échéance prudente (depuis le premier jour de garde)"),
                                                null=True, blank=True)
    conservative_max_on = models.DateField(_("durée maximale prudente"), null=True, blank=True)
    hearing_reference_on = models.DateField(null=True, blank=True)
    police_custody_hours = models.FloatField(_("durée de la garde à vue (heures)"), null=True, blank=True)
    police_custody_limit_hours = models.PositiveIntegerField(null=True, blank=True)
    police_custody_exceeded = models.BooleanField(_("garde à vue excessive"), default=False)
    notes = models.TextField(_("remarques du calcul"), blank=True)
    # Still untried and still held when last computed: the sweep's scope, kept current by
    # the recomputation of changed cases (so the nightly sweep needs no join over every case).
    active = models.BooleanField(_("détention provisoire en cours"), default=False)
    # Copied from the case on each recomputation, for the backlog's lists by court and judge.
    court = models.ForeignKey(Court, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                              verbose_name=_("juridiction"))
    investigating_judge = models.CharField(_("juge d'instruction"), max_length=120, blank=True)
    stale = models.BooleanField(default=False)
    computed_at = models.DateTimeField(_("calculé le"))

    class Meta:
        verbose_name = _("échéance de détention provisoire")
        verbose_name_plural = _("échéances de détention provisoire")

    def __str__(self):
        return f"{self._meta.verbose_name} — {self.case_id}"


class AlertKind(models.TextChoices):
    APPROACHING = "approaching", _("Échéance proche")
    OVERDUE = "overdue", _("Délai dépassé sans prolongation")
    BEYOND_MAXIMUM = "beyond_max", _("Durée maximale dépassée")
    NO_HEARING = "no_hearing", _("Aucune audience depuis longtemps")
    NO_ORDER = "no_order", _("Aucun titre de détention au dossier")
    POLICE_CUSTODY = "police_custody", _("Garde à vue excessive avant l'écrou")
    RELEASE_DUE = "release_due", _("Décision de libération reçue : sortie à exécuter")
    LATE_RELEASE = "late_release", _("Sortie en retard sur la décision de libération")
    SENTENCE_ENDING = "sentence_ending", _("Fin de peine proche")
    SERVED_HELD = "served_held", _("Peine purgée, personne toujours détenue")
    # Opened at once by the director's decision to hold a person brought without a valid
    # title (intake.presentations), on the stay itself; critical until a title is received.
    NO_TITLE = "no_title", _("Retenu sans titre valable : régularisation à obtenir")


# Kinds about the pre-trial stage (swept from CaseDeadline); the others concern release.
PRETRIAL_ALERT_KINDS = ("approaching", "overdue", "beyond_max", "no_hearing", "no_order", "police_custody")
RELEASE_ALERT_KINDS = ("release_due", "late_release", "sentence_ending", "served_held")
# The most serious irregularities (LAW.md, release): a person held past a release order or past
# the sentence, or held without a title; then a detention past its limit. Shown first and in red,
# named first in the digest; the first three are also e-mailed to the direction and DNAPES at once.
RELEASE_IRREGULARITY_KINDS = ("late_release", "served_held", "no_title")
CRITICAL_ALERT_KINDS = (*RELEASE_IRREGULARITY_KINDS, "overdue", "beyond_max", "police_custody")


class AlertCloseReason(models.TextChoices):
    RENEWAL = "renewal", _("Prolongation enregistrée")
    DEADLINE_PASSED = "deadline_passed", _("Échéance passée (alerte « délai dépassé »)")
    JUDGMENT = "judgment", _("Jugement ou fin de la détention provisoire")
    RELEASE = "release", _("Sortie de détention")
    ORDER = "order", _("Titre de détention enregistré")
    HEARING = "hearing", _("Audience enregistrée")
    CHANGED = "changed", _("Dossier corrigé")
    LATE = "late", _("Délai d'exécution dépassé (alerte « sortie en retard »)")
    SENTENCE_SERVED = "sentence_served", _("Fin de peine atteinte (alerte « peine purgée »)")


class DeadlineAlertQuerySet(models.QuerySet):
    def visible_to(self, user):
        ids = user.visible_facility_ids()
        return self if ids is None else self.filter(custody__facility_id__in=ids)

    def open(self):
        return self.filter(closed_at__isnull=True)


class DeadlineAlert(models.Model):
    """A flag on a pre-trial detention. At most one open per (case, kind); closed ones are history.

    A person held with no case at all has nothing to compute a deadline from: the alert
    "no detention order on file" is then on the stay itself (`case` empty), one open per stay.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="alerts", verbose_name=_("affaire"),
                             null=True, blank=True)
    # Always set (the case's stay for a case alert): scoping and lists read it, not the case.
    custody = models.ForeignKey(Custody, on_delete=models.PROTECT, related_name="deadline_alerts",
                                verbose_name=_("séjour"), null=True)
    kind = models.CharField(_("type d'alerte"), max_length=16, choices=AlertKind.choices)
    due_on = models.DateField(_("date en cause"), null=True, blank=True)
    opened_at = models.DateTimeField(_("ouverte le"))
    closed_at = models.DateTimeField(_("close le"), null=True, blank=True)
    close_reason = models.CharField(_("motif de clôture"), max_length=16, choices=AlertCloseReason.choices,
                                    blank=True)

    objects = DeadlineAlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("alerte de détention")
        verbose_name_plural = _("alertes de détention")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["kind", "closed_at"], name="alert_kind_closed_idx")]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], condition=Q(closed_at__isnull=True),
                                    name="one_open_alert_per_case_and_kind"),
            models.UniqueConstraint(fields=["custody", "kind"], condition=Q(closed_at__isnull=True, case__isnull=True),
                                    name="one_open_caseless_alert_per_custody_and_kind"),
            models.CheckConstraint(condition=Q(closed_at__isnull=True) | ~Q(close_reason=""),
                                   name="closed_alert_has_reason"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.case or self.custody}"

    @property
    def is_open(self):
        return self.closed_at is None

    @property
    def is_critical(self):
        return self.kind in CRITICAL_ALERT_KINDS


class BacklogSnapshot(models.Model):
    """The backlog figures of one day, nationally (facility empty) or for one prison."""

    day = models.DateField(_("jour"))
    facility = models.ForeignKey("prisons.Facility", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("établissement"))
    figures = models.JSONField(_("chiffres"), default=dict)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("instantané du bilan de la détention provisoire")
        verbose_name_plural = _("instantanés du bilan de la détention provisoire")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["day", "facility"], condition=Q(facility__isnull=False),
                                    name="one_snapshot_per_day_and_facility"),
            models.UniqueConstraint(fields=["day"], condition=Q(facility__isnull=True),
                                    name="one_national_snapshot_per_day"),
        ]

    def __str__(self):
        return f"{self._meta.verbose_name} — {self.day}"


class SweepRun(models.Model):
    """One run of the deadline sweep: its start tells the next run from when to look for changes."""

    day = models.DateField(_("jour de référence"))
    started_at = models.DateTimeField(_("début"))
    finished_at = models.DateTimeField(_("fin"), null=True, blank=True)
    refreshed = models.PositiveIntegerField(_("échéances recalculées"), default=0)
    opened = models.PositiveIntegerField(_("alertes ouvertes"), default=0)
    closed = models.PositiveIntegerField(_("alertes closes"), default=0)

    class Meta:
        verbose_name = _("balayage des échéances")
        verbose_name_plural = _("balayages des échéances")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self._meta.verbose_name} — {self.day}"


# --- Release orders (LAW.md "Release"; Mandela Rule 7(e)) ------------------------------------


class ReleaseOrderKind(models.TextChoices):
    ACQUITTAL = "acquittal", _("Acquittement / relaxe")
    DISMISSAL = "dismissal", _("Non-lieu")
    PROVISIONAL = "provisional", _("Mise en liberté provisoire")
    SENTENCE_SERVED = "sentence_served", _("Fin de peine")
    PARDON = "pardon", _("Grâce")
    COURT_ORDER = "court_order", _("Ordonnance ou décision de mise en liberté")


class ReleaseOrderQuerySet(models.QuerySet):
    def visible_to(self, user):
        ids = user.visible_facility_ids()
        return self if ids is None else self.filter(case__custody__facility_id__in=ids)

    def pending(self):
        return self.filter(executed_at__isnull=True)

    def late(self, *, now, hours):
        """Executed more than `hours` after receipt, or still pending past that delay."""
        limit = datetime.timedelta(hours=hours)
        return self.filter(Q(executed_at__isnull=True, received_at__lte=now - limit)
                           | Q(executed_at__isnull=False, delay_hours__gt=hours))


class ReleaseOrder(models.Model):
    """A decision to release that reached the prison: the clock of Rule 7(e) starts on receipt."""

    uid = global_id()

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="release_orders",
                             verbose_name=_("affaire"))
    kind = models.CharField(_("type de décision"), max_length=16, choices=ReleaseOrderKind.choices)
    received_at = models.DateTimeField(_("reçue à l'établissement le"))
    brought_by = models.CharField(_("apportée par"), max_length=160)
    authority = models.CharField(_("autorité ayant ordonné la libération"), max_length=160)
    reference = models.CharField(_("référence de la décision"), max_length=80)
    issued_on = models.DateField(_("décision rendue le"), null=True, blank=True)
    notes = models.TextField(_("observations"), blank=True)
    release = models.OneToOneField("inmates.Release", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="release_order", verbose_name=_("sortie"))
    executed_at = models.DateTimeField(_("sortie effective le"), null=True, blank=True)
    delay_hours = models.DecimalField(_("délai d'exécution (heures)"), max_digits=8, decimal_places=1,
                                      null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("enregistrée par"))
    recorded_at = models.DateTimeField(_("enregistrée le"), auto_now_add=True)

    objects = ReleaseOrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("décision de libération")
        verbose_name_plural = _("décisions de libération")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(executed_at__isnull=True),
                                    name="one_pending_release_order_per_case"),
            models.CheckConstraint(condition=Q(executed_at__isnull=True) | Q(executed_at__gte=models.F("received_at")),
                                   name="release_order_executed_after_receipt"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.reference}"

    def clean(self):
        errors = {}
        if self.received_at and is_future(self.received_at):
            errors["received_at"] = _("La date de réception est dans le futur.")
        if self.issued_on and self.received_at and self.issued_on > timezone.localtime(self.received_at).date():
            errors["issued_on"] = _("La décision ne peut être rendue après sa réception.")
        for name in ("brought_by", "authority", "reference"):
            if not (getattr(self, name) or "").strip():
                errors[name] = _("Ce champ est obligatoire.")
        if errors:
            raise ValidationError(errors)

    def hours_waited(self, now=None):
        """Hours between receipt and exit (or now, while the person is still held)."""
        if self.delay_hours is not None:
            return self.delay_hours
        now = now or timezone.now()
        return Decimal(str(round((now - self.received_at).total_seconds() / 3600, 1)))


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
