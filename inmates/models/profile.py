"""The social profile collected at the intake interview (DESIGN.md §5)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.ids import global_id
from inmates.vocabularies import OTHER, VOCABULARIES, EthnicGroup, Occupation, OrganisationalRole, Religion

from .people import Inmate


class Education(models.TextChoices):
    NONE = "none", _("Aucune scolarité")
    KORANIC = "koranic", _("École coranique")
    PRIMARY = "primary", _("Primaire")
    SECONDARY = "secondary", _("Secondaire")
    HIGHER = "higher", _("Supérieur")
    VOCATIONAL = "vocational", _("Formation professionnelle")
    UNKNOWN = "unknown", _("Inconnu")


class MaritalStatus(models.TextChoices):
    SINGLE = "single", _("Célibataire")
    MARRIED = "married", _("Marié(e)")
    POLYGAMOUS = "polygamous", _("Marié (union polygame)")
    DIVORCED = "divorced", _("Divorcé(e)")
    WIDOWED = "widowed", _("Veuf / veuve")
    UNKNOWN = "unknown", _("Inconnu")


class Affiliation(models.TextChoices):
    MNLA = "mnla", _("MNLA ou autre mouvement sécessionniste")
    ANSAR_DINE = "ansar_dine", _("Ansar Dine")
    AQIM = "aqim", _("AQMI")
    JNIM = "jnim", _("JNIM")
    MUJAO = "mujao", _("MUJAO")
    ISLAMIC_STATE = "islamic_state", _("Affilié à l'État islamique")
    OTHER = "other", _("Autre groupe")
    UNKNOWN = "unknown", _("Inconnue")


class Involvement(models.TextChoices):
    VOLUNTARY = "voluntary", _("A rejoint volontairement")
    FORCED = "forced", _("A rejoint sous la contrainte")
    DENIES = "denies", _("Nie toute implication")
    UNCLEAR = "unclear", _("Indéterminé")


class EngagementReason(models.TextChoices):
    IDENTITY = "identity", _("Identité (nordiste / Azawad, appartenance ethnique ou régionale)")
    STATE_FAILURE = "state_failure", _("Défaillance des services de l'État")
    REPRESENTATION = "representation", _("Absence de représentation politique ou de gouvernance")
    JUSTICE = "justice", _("Absence de justice")
    SURVIVAL = "survival", _("Survie (rejoindre ou être tué)")
    ECONOMIC = "economic", _("Opportunité économique")
    LIBYA = "libya", _("Libye")
    ALGERIA = "algeria", _("Algérie")
    FOREIGN_MILITARY = "foreign_military", _("Présence militaire étrangère")
    ETHNIC_TENSION = "ethnic_tension", _("Tensions ethniques et discrimination")
    IDEOLOGY = "ideology", _("Idéologie ou religion")


class SocialProfile(models.Model):
    """The structured profile collected at the intake interview (DESIGN.md §5).

    Used for aggregate statistics only; the affiliation and engagement fields are filled
    for terrorism-related cases.
    """

    uid = global_id()

    inmate = models.OneToOneField(Inmate, on_delete=models.CASCADE, related_name="social_profile",
                                  verbose_name=_("détenu"))
    # The four answers that were free text: a code from a controlled list (inmates.vocabularies),
    # "other" with the answer itself in `<field>_other`.
    ethnic_group = models.CharField(_("groupe ethnique"), max_length=60, blank=True, choices=EthnicGroup.choices)
    ethnic_group_other = models.CharField(_("groupe ethnique (autre)"), max_length=120, blank=True)
    religion = models.CharField(_("religion"), max_length=60, blank=True, choices=Religion.choices)
    religion_other = models.CharField(_("religion (autre)"), max_length=120, blank=True)
    education = models.CharField(_("niveau d'instruction"), max_length=12, choices=Education.choices,
                                 default=Education.UNKNOWN)
    occupation = models.CharField(_("profession / activité"), max_length=120, blank=True,
                                  choices=Occupation.choices)
    occupation_other = models.CharField(_("profession / activité (autre)"), max_length=120, blank=True)
    marital_status = models.CharField(_("situation matrimoniale"), max_length=12,
                                      choices=MaritalStatus.choices, default=MaritalStatus.UNKNOWN)
    children_count = models.PositiveSmallIntegerField(_("nombre d'enfants"), null=True, blank=True)
    affiliations = models.JSONField(_("affiliation(s)"), default=list, blank=True,
                                    help_text=_("Plusieurs choix possibles."))
    involvement = models.CharField(_("type d'implication"), max_length=10, choices=Involvement.choices,
                                   blank=True)
    organisational_role = models.CharField(_("rôle dans l'organisation"), max_length=120, blank=True,
                                           choices=OrganisationalRole.choices)
    organisational_role_other = models.CharField(_("rôle dans l'organisation (autre)"), max_length=120,
                                                 blank=True)
    engagement_reasons = models.JSONField(_("raisons de l'engagement"), default=list, blank=True,
                                          help_text=_("Plusieurs choix possibles."))
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   related_name="+", verbose_name=_("renseigné par"))

    class Meta:
        verbose_name = _("profil social")
        verbose_name_plural = _("profils sociaux")
        constraints = [
            constraint
            for field, vocabulary in VOCABULARIES.items()
            for constraint in (
                models.CheckConstraint(condition=Q(**{f"{field}__in": ["", *vocabulary.values]}),
                                       name=f"socialprofile_{field}_in_list"),
                # "other" always says what; any other code carries no free text.
                models.CheckConstraint(
                    condition=(Q(**{field: OTHER}) & ~Q(**{f"{field}_other": ""}))
                    | (~Q(**{field: OTHER}) & Q(**{f"{field}_other": ""})),
                    name=f"socialprofile_{field}_other_with_text"),
            )
        ]

    def __str__(self):
        return str(self.inmate)

    def clean(self):
        errors = {}
        bad = set(self.affiliations or []) - set(Affiliation.values)
        if bad:
            errors["affiliations"] = _("Affiliation inconnue : %(v)s") % {"v": ", ".join(sorted(bad))}
        bad = set(self.engagement_reasons or []) - set(EngagementReason.values)
        if bad:
            errors["engagement_reasons"] = _("Raison inconnue : %(v)s") % {"v": ", ".join(sorted(bad))}
        for field in VOCABULARIES:
            other = f"{field}_other"
            setattr(self, other, " ".join((getattr(self, other) or "").split()))
            if getattr(self, field) == OTHER and not getattr(self, other):
                errors[other] = _("« Autre » : précisez la réponse.")
            elif getattr(self, field) != OTHER and getattr(self, other):
                errors[other] = _("Ne précisez la réponse que lorsque « Autre » est choisi.")
        if errors:
            raise ValidationError(errors)

    def get_affiliations_display(self):
        return [str(Affiliation(v).label) for v in self.affiliations or []]

    def get_engagement_reasons_display(self):
        return [str(EngagementReason(v).label) for v in self.engagement_reasons or []]
