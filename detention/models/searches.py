"""The searches register (Mandela Rules 50–52) and the register of the use of force and of
instruments of restraint (Rules 47–49, 82).

A search is a body search of one person (pat-down, strip, intrusive) or the search of a cell:
who searched (and their sex: the staff account holds none), who was present, why, what was
found and what became of it. A use of force: on whom, by whom, why, which means, how long,
the injuries seen (described without medical detail), the medical examination afterwards, the
report to the director the same day, and the review of a restraint beyond the limit
(`DisciplineLimit` RESTRAINT_REVIEW_MINUTES, 120 minutes by default, "à confirmer").
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.access import facility_scope as _facility_scope
from core.ids import global_id
from inmates.models import Custody, Sex
from prisons.dates import validate_past_date
from prisons.models import Facility, Unit


class SearchKind(models.TextChoices):
    PAT_DOWN = "pat_down", _("Fouille par palpation")
    STRIP = "strip", _("Fouille à nu")
    INTRUSIVE = "intrusive", _("Fouille intime (investigation corporelle)")
    CELL = "cell", _("Fouille de cellule")


BODY_SEARCH_KINDS = (SearchKind.PAT_DOWN, SearchKind.STRIP, SearchKind.INTRUSIVE)


class ItemOutcome(models.TextChoices):
    RETURNED = "returned", _("Rendu à la personne")
    KEPT = "kept", _("Consigné au greffe (vestiaire)")
    DESTROYED = "destroyed", _("Détruit")
    POLICE = "police", _("Remis à la police judiciaire")
    PENDING = "pending", _("Sort à décider")


class SearchQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = _facility_scope(user, "facility_id")
        return self if scope is None else self.filter(scope)

    def with_items(self):
        return self.filter(items__isnull=False).distinct()


class Search(models.Model):
    """One search: a body search of a person, or a cell search (Rules 50–52)."""

    uid = global_id()

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("établissement"))
    kind = models.CharField(_("nature de la fouille"), max_length=10, choices=SearchKind.choices)
    custody = models.ForeignKey(Custody, on_delete=models.PROTECT, related_name="searches", null=True, blank=True,
                                verbose_name=_("personne fouillée"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
                             verbose_name=_("cellule fouillée"))
    searched_at = models.DateTimeField(_("le"), validators=[validate_past_date])
    reason = models.TextField(_("motif"))
    at_admission = models.BooleanField(_("fouille d'admission (écrou)"), default=False)
    searched_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("fouille effectuée par"))
    # The staff account records no sex: it is recorded on the search, compared with the person's.
    # Blank only for an admission search recorded before the question was asked at intake.
    searcher_sex = models.CharField(_("sexe de l'agent qui a fouillé"), max_length=1, choices=Sex.choices,
                                    blank=True)
    witnesses = models.TextField(_("personnes présentes"), blank=True)
    # An intrusive search: by health staff (searched_by has the medical role), or authorised.
    authorised_by = models.CharField(_("autorisée par"), max_length=160, blank=True)
    authorisation_reference = models.CharField(_("référence de l'autorisation"), max_length=80, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("inscrite par"))
    recorded_at = models.DateTimeField(_("inscrite le"), auto_now_add=True)

    objects = SearchQuerySet.as_manager()

    class Meta:
        verbose_name = _("fouille")
        verbose_name_plural = _("registre des fouilles")
        ordering = ["-searched_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind="cell") | Q(custody__isnull=False),
                                   name="body_search_has_person"),
            models.CheckConstraint(condition=~Q(kind="cell") | Q(unit__isnull=False),
                                   name="cell_search_has_unit"),
        ]

    def __str__(self):
        return _("Fouille n° %(id)s") % {"id": self.pk}

    @property
    def is_body_search(self) -> bool:
        return self.kind in BODY_SEARCH_KINDS


class SearchItem(models.Model):
    """An item found during a search, and what became of it."""

    uid = global_id()

    search = models.ForeignKey(Search, on_delete=models.PROTECT, related_name="items", verbose_name=_("fouille"))
    description = models.CharField(_("objet trouvé"), max_length=240)
    outcome = models.CharField(_("sort de l'objet"), max_length=10, choices=ItemOutcome.choices)
    reference = models.CharField(_("référence (procès-verbal, scellé, reçu)"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("objet trouvé lors d'une fouille")
        verbose_name_plural = _("objets trouvés lors des fouilles")
        ordering = ["search", "id"]
        constraints = [models.CheckConstraint(condition=~Q(outcome="police") | ~Q(reference=""),
                                              name="item_to_police_has_reference")]

    def __str__(self):
        return self.description


class ForceReason(models.TextChoices):
    # Rule 82(1): the only grounds on which staff may use force.
    SELF_DEFENCE = "self_defence", _("Légitime défense")
    ESCAPE = "escape", _("Tentative d'évasion")
    RESISTANCE = "resistance", _("Résistance physique active ou passive à un ordre légal")
    OTHER = "other", _("Autre motif (à justifier)")


class ForceMeans(models.TextChoices):
    PHYSICAL = "physical", _("Maîtrise physique (clés, immobilisation)")
    HANDCUFFS = "handcuffs", _("Menottes")
    LEG_RESTRAINTS = "leg_restraints", _("Entraves aux chevilles")
    CHAINS = "chains", _("Chaînes ou fers")
    OTHER = "other", _("Autre moyen (préciser)")


# Rule 47(1): chains, irons and other inherently degrading or painful instruments are prohibited.
PROHIBITED_MEANS = (ForceMeans.CHAINS,)
PROHIBITED_MEANS_WORDS = ("chaîne", "chaine", "fers", "carcan", "corde", "fil de fer", "électrique", "electrique")


class UseOfForceQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = _facility_scope(user, "facility_id")
        return self if scope is None else self.filter(scope)


class UseOfForce(models.Model):
    """A use of force or of an instrument of restraint on one person (Rules 47–49, 82)."""

    uid = global_id()

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("établissement"))
    custody = models.ForeignKey(Custody, on_delete=models.PROTECT, related_name="uses_of_force",
                                verbose_name=_("personne"))
    occurred_at = models.DateTimeField(_("le"), validators=[validate_past_date])
    place = models.CharField(_("lieu"), max_length=160)
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True,
                                   verbose_name=_("agents intervenus"))
    other_staff = models.TextField(_("autres intervenants (noms, qualité)"), blank=True)
    reason_kind = models.CharField(_("fondement (Règle 82)"), max_length=12, choices=ForceReason.choices)
    reason = models.TextField(_("circonstances et motif"))
    means = models.CharField(_("moyen employé"), max_length=16, choices=ForceMeans.choices)
    means_detail = models.CharField(_("précision sur le moyen"), max_length=160, blank=True)
    duration_minutes = models.PositiveIntegerField(_("durée (minutes)"), null=True, blank=True,
                                                   help_text=_("Vide tant que la contrainte dure."))
    injuries = models.TextField(_("blessures constatées (description non médicale)"), blank=True)
    # The medical examination afterwards (required): health staff only; no finding is kept here.
    examined_at = models.DateTimeField(_("examen médical le"), null=True, blank=True)
    examined_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    null=True, blank=True, verbose_name=_("examen médical par"))
    # The report to the director, the same day (Rule 82(1)).
    reported_at = models.DateTimeField(_("rapport au directeur le"), null=True, blank=True)
    report_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                           null=True, blank=True, verbose_name=_("rapport enregistré par"))
    # The review of a restraint beyond the limit (Rules 47–49: the shortest time, removed as soon as possible).
    reviewed_at = models.DateTimeField(_("contrôle de la contrainte le"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    null=True, blank=True, verbose_name=_("contrôle par"))
    review_outcome = models.TextField(_("issue du contrôle"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("inscrit par"))
    recorded_at = models.DateTimeField(_("inscrit le"), auto_now_add=True)

    objects = UseOfForceQuerySet.as_manager()

    class Meta:
        verbose_name = _("usage de la force ou de moyens de contrainte")
        verbose_name_plural = _("registre de l'usage de la force et des moyens de contrainte")
        ordering = ["-occurred_at", "-id"]
        permissions = [
            ("examine_useofforce", _("Enregistrer l'examen médical après un usage de la force")),
            ("review_useofforce", _("Contrôler une contrainte au-delà de la durée limite (direction)")),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(means="chains"), name="force_no_chains_or_irons"),
            models.CheckConstraint(condition=Q(examined_at__isnull=True) | Q(examined_by__isnull=False),
                                   name="force_examination_has_examiner"),
            models.CheckConstraint(condition=Q(reviewed_at__isnull=True) | ~Q(review_outcome=""),
                                   name="force_review_has_outcome"),
        ]

    def __str__(self):
        return f"{self.custody.inmate} — {self.occurred_at:%d/%m/%Y %H:%M}"
