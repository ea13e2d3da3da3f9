"""Legal cases: charges, detention orders, hearings and judgments.

A case belongs to one custody (one stay). Co-accused share a case number but each has
their own case row, because each has their own detention orders and deadlines.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from inmates.models import Custody, LegalStatus
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


class Case(models.Model):
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
    opened_on = models.DateField(_("ouvert le"), null=True, blank=True)
    closed_on = models.DateField(_("clos le"), null=True, blank=True)
    # Derived by casework.services.refresh_legal_status; never typed in.
    legal_status = models.CharField(_("statut juridique"), max_length=10,
                                    choices=LegalStatus.choices, default=LegalStatus.SUSPECT)
    notes = models.TextField(_("observations"), blank=True)
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
    charged_on = models.DateField(_("retenue le"), null=True, blank=True)

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

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="detention_orders",
                             verbose_name=_("affaire"))
    kind = models.CharField(_("type de titre"), max_length=16, choices=OrderKind.choices)
    reference = models.CharField(_("référence"), max_length=60, blank=True)
    issued_on = models.DateField(_("délivré le"))
    issued_by = models.CharField(_("délivré par"), max_length=160)
    valid_until = models.DateField(_("valable jusqu'au"), null=True, blank=True)
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
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="hearings",
                             verbose_name=_("affaire"))
    date = models.DateField(_("date"))
    kind = models.CharField(_("type"), max_length=18, choices=HearingKind.choices)
    outcome = models.CharField(_("issue"), max_length=14, choices=HearingOutcome.choices,
                               default=HearingOutcome.SCHEDULED)
    adjourned_to = models.DateField(_("renvoyée au"), null=True, blank=True)
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


class Judgment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="judgments",
                             verbose_name=_("affaire"))
    level = models.CharField(_("degré"), max_length=10, choices=JudgmentLevel.choices,
                             default=JudgmentLevel.FIRST)
    decided_on = models.DateField(_("rendu le"))
    verdict = models.CharField(_("décision"), max_length=10, choices=Verdict.choices)
    sentence_months = models.PositiveIntegerField(_("peine d'emprisonnement (mois)"), null=True, blank=True)
    life_sentence = models.BooleanField(_("perpétuité"), default=False)
    death_sentence = models.BooleanField(_("peine de mort"), default=False)
    suspended = models.BooleanField(_("avec sursis"), default=False)
    fine_xof = models.PositiveBigIntegerField(_("amende (FCFA)"), null=True, blank=True)
    sentence_starts_on = models.DateField(_("début d'exécution de la peine"), null=True, blank=True)
    appeal_filed_on = models.DateField(_("appel interjeté le"), null=True, blank=True)
    appeal_by = models.CharField(_("appel formé par"), max_length=80, blank=True)
    notes = models.TextField(_("observations"), blank=True)

    class Meta:
        verbose_name = _("jugement")
        verbose_name_plural = _("jugements")
        ordering = ["decided_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(appeal_filed_on__isnull=True) | Q(appeal_filed_on__gte=models.F("decided_on")),
                                   name="appeal_after_judgment"),
            models.CheckConstraint(condition=Q(verdict="convicted") | (Q(sentence_months__isnull=True)
                                   & Q(life_sentence=False) & Q(death_sentence=False)),
                                   name="sentence_only_on_conviction"),
        ]

    def __str__(self):
        return f"{self.get_verdict_display()} — {self.decided_on:%d/%m/%Y}"

    def clean(self):
        if self.verdict == Verdict.CONVICTED and not (
            self.sentence_months or self.life_sentence or self.death_sentence or self.fine_xof
        ):
            raise ValidationError({"sentence_months": _("Indiquez la peine prononcée.")})
