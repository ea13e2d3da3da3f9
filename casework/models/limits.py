"""Pre-trial detention limits (the table) and each case's computed deadline."""


from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .cases import Case, Court

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
    """A case's deadlines, as computed by casework.deadlines.rules from its orders and charges.

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
    # The first day after the last sweep on which one of the case's alerts opens or closes with
    # nothing else changing (approaching, deadline passed, maximum passed, no hearing for N days,
    # a hearing entering the window); empty when none will (casework.deadlines.schedule). The nightly sweep
    # selects by it: only the cases whose state changes today, plus the stale ones.
    next_change_on = models.DateField(_("prochain changement d'alerte le"), null=True, blank=True)

    class Meta:
        verbose_name = _("échéance de détention provisoire")
        verbose_name_plural = _("échéances de détention provisoire")
        indexes = [
            models.Index(fields=["next_change_on"], name="casedeadline_next_change"),
            # The few rows marked stale by the day's changes, without scanning the others.
            models.Index(fields=["case"], condition=Q(stale=True), name="casedeadline_stale"),
        ]

    def __str__(self):
        return f"{self._meta.verbose_name} — {self.case_id}"
