"""Other names, family and contacts of a person held (Mandela Rule 7), and how someone
was told of an event.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.ids import global_id
from prisons.dates import validate_birth_date

from .people import Inmate


class AliasKind(models.TextChoices):
    ALIAS = "alias", _("Surnom / nom de guerre")
    SPELLING = "spelling", _("Autre orthographe")
    PREVIOUS = "previous", _("Ancien nom")


class Alias(models.Model):
    uid = global_id()
    inmate = models.ForeignKey(Inmate, on_delete=models.CASCADE, related_name="aliases",
                               verbose_name=_("détenu"))
    name = models.CharField(_("nom"), max_length=160)
    kind = models.CharField(_("type"), max_length=10, choices=AliasKind.choices, default=AliasKind.SPELLING)

    class Meta:
        verbose_name = _("autre nom")
        verbose_name_plural = _("autres noms")
        constraints = [models.UniqueConstraint(fields=["inmate", "name"], name="alias_unique_per_inmate")]

    def __str__(self):
        return self.name


class Relation(models.TextChoices):
    SPOUSE = "spouse", _("Conjoint(e)")
    CHILD = "child", _("Enfant")
    FATHER = "father", _("Père")
    MOTHER = "mother", _("Mère")
    SIBLING = "sibling", _("Frère / sœur")
    UNCLE_AUNT = "uncle_aunt", _("Oncle / tante")
    GUARDIAN = "guardian", _("Tuteur")
    OTHER_FAMILY = "other_family", _("Autre parent")
    OTHER = "other", _("Autre (ami, employeur…)")


class Relative(models.Model):
    """A family member or contact (Mandela Rule 7): next of kin, emergency contact, children."""

    uid = global_id()

    inmate = models.ForeignKey(Inmate, on_delete=models.CASCADE, related_name="relatives",
                               verbose_name=_("détenu"))
    name = models.CharField(_("nom et prénom"), max_length=160)
    relation = models.CharField(_("lien"), max_length=14, choices=Relation.choices)
    is_next_of_kin = models.BooleanField(_("plus proche parent"), default=False)
    is_emergency_contact = models.BooleanField(_("contact en cas d'urgence"), default=False)
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    address = models.CharField(_("adresse / localité"), max_length=200, blank=True)
    date_of_birth = models.DateField(_("date de naissance"), validators=[validate_birth_date], null=True, blank=True)
    age_years = models.PositiveSmallIntegerField(_("âge (si date inconnue)"), null=True, blank=True)
    whereabouts = models.CharField(_("où se trouve-t-il/elle"), max_length=200, blank=True)
    caregiver = models.CharField(_("qui en a la charge"), max_length=160, blank=True)
    notes = models.TextField(_("observations"), blank=True)

    class Meta:
        verbose_name = _("parent ou contact")
        verbose_name_plural = _("famille et contacts")
        ordering = ["relation", "name"]

    def __str__(self):
        return f"{self.name} ({self.get_relation_display()})"

    def clean(self):
        if self.relation == Relation.CHILD and not (self.date_of_birth or self.age_years is not None):
            raise ValidationError({"age_years": _("Indiquez l'âge ou la date de naissance de l'enfant.")})



class NotificationMethod(models.TextChoices):
    PHONE = "phone", _("Téléphone")
    IN_PERSON = "in_person", _("En personne")
    LETTER = "letter", _("Courrier")
    ICRC = "icrc", _("Par le CICR (messages Croix-Rouge)")
    OTHER = "other", _("Autre")
