"""Courts, cases and their charges.

A case belongs to one custody (one stay). Co-accused share a case number but each has
their own case row, because each has their own detention orders and deadlines.
"""


from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.ids import global_id
from inmates.models import Custody, LegalStatus
from prisons.dates import validate_past_date
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
