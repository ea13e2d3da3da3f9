"""The register of serious incidents and injuries (Mandela Rules 69–72; LAW.md "Rules 69–72").

Deaths have their own register (`inmates.DeathInCustody`). Here: a serious injury, an attempted
suicide, an assault, a riot, an escape, a fire… with its circumstances; the judicial authority
informed (required within 24 h for an injury, an attempted suicide or an escape — a
disappearance); the next of kin told at once of a person's serious injury, whatever the person's
earlier choice about family notices (Rule 70 as the deaths' Rule 69); the independent inquiry.
An injury recorded by health staff enters this register too; its medical details live in their
own model (`InjuryMedicalDetail`), read and written by medical staff only (need-to-know).
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.access import facility_scope as _facility_scope
from core.ids import global_id
from inmates.models import Custody, NotificationMethod
from prisons.dates import validate_past_date
from prisons.models import Facility

# Rule 71: "without delay"; the register flags a notice not made within 24 hours.
AUTHORITY_NOTICE_HOURS = 24


class IncidentKind(models.TextChoices):
    SERIOUS_INJURY = "serious_injury", _("Blessure grave")
    ATTEMPTED_SUICIDE = "attempted_suicide", _("Tentative de suicide")
    ASSAULT_DETAINEES = "assault_detainees", _("Agression entre personnes détenues")
    ASSAULT_STAFF = "assault_staff", _("Agression contre le personnel")
    RIOT = "riot", _("Mutinerie ou mouvement collectif")
    ESCAPE = "escape", _("Évasion ou tentative d'évasion")
    FIRE = "fire", _("Incendie")
    OTHER = "other", _("Autre incident grave")


# The judicial authority must be informed (Rule 71: death, disappearance, serious injury).
AUTHORITY_REQUIRED_KINDS = frozenset({IncidentKind.SERIOUS_INJURY, IncidentKind.ATTEMPTED_SUICIDE,
                                      IncidentKind.ESCAPE})
# A person is concerned and the next of kin are told at once (Rules 69–70).
KIN_REQUIRED_KINDS = frozenset({IncidentKind.SERIOUS_INJURY, IncidentKind.ATTEMPTED_SUICIDE})


class InvolvementPart(models.TextChoices):
    VICTIM = "victim", _("Victime")
    AUTHOR = "author", _("Auteur présumé")
    WITNESS = "witness", _("Témoin")
    INVOLVED = "involved", _("Impliqué(e)")


class SeriousIncidentQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = _facility_scope(user, "facility_id")
        return self if scope is None else self.filter(scope)

    def authority_required(self):
        return self.filter(kind__in=AUTHORITY_REQUIRED_KINDS)

    def authority_overdue(self, *, now):
        """Required and still not informed 24 h after the incident."""
        deadline = now - datetime.timedelta(hours=AUTHORITY_NOTICE_HOURS)
        return self.authority_required().filter(authority_informed_at__isnull=True, occurred_at__lt=deadline)

    def kin_missing(self):
        """A person's serious injury whose next of kin are not yet told."""
        return self.filter(kind__in=KIN_REQUIRED_KINDS, custody__isnull=False, kin_told_at__isnull=True)


class SeriousIncident(models.Model):
    """A serious incident or injury: what, where, when, who; the notices and the inquiry."""

    uid = global_id()

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("établissement"))
    custody = models.ForeignKey(Custody, on_delete=models.PROTECT, related_name="serious_incidents", null=True,
                                blank=True, verbose_name=_("personne concernée"),
                                help_text=_("Vide pour un incident collectif."))
    kind = models.CharField(_("nature"), max_length=20, choices=IncidentKind.choices)
    occurred_at = models.DateTimeField(_("survenu le"), validators=[validate_past_date])
    place = models.CharField(_("lieu"), max_length=160)
    circumstances = models.TextField(_("circonstances"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("enregistré par"))
    recorded_at = models.DateTimeField(_("enregistré le"), auto_now_add=True)
    # Rule 71: a judicial authority independent of the prison.
    authority_informed_at = models.DateTimeField(_("autorité judiciaire informée le"), null=True, blank=True)
    authority_informed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                              related_name="+", null=True, blank=True,
                                              verbose_name=_("autorité informée par"))
    authority = models.CharField(_("autorité judiciaire informée"), max_length=160, blank=True)
    authority_reference = models.CharField(_("référence (soit-transmis, procès-verbal…)"), max_length=80,
                                           blank=True)
    # Rules 69–70: the next of kin, at once.
    kin_told_at = models.DateTimeField(_("famille prévenue le"), null=True, blank=True)
    kin_told_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    null=True, blank=True, verbose_name=_("famille prévenue par"))
    kin_name = models.CharField(_("parent prévenu"), max_length=160, blank=True)
    kin_method = models.CharField(_("moyen"), max_length=10, choices=NotificationMethod.choices, blank=True)
    # Rule 71: the independent inquiry, to its outcome.
    inquiry_authority = models.CharField(_("autorité chargée de l'enquête"), max_length=160, blank=True)
    inquiry_reference = models.CharField(_("référence de l'enquête"), max_length=80, blank=True)
    inquiry_outcome = models.TextField(_("conclusions de l'enquête"), blank=True)
    inquiry_closed_on = models.DateField(_("enquête close le"), null=True, blank=True)
    involved = models.ManyToManyField(Custody, through="IncidentInvolvement", related_name="+", blank=True,
                                      verbose_name=_("personnes impliquées"))

    objects = SeriousIncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("incident grave")
        verbose_name_plural = _("registre des incidents graves et blessures")
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(authority_informed_at__isnull=True)
                                   | (Q(authority_informed_by__isnull=False) & ~Q(authority="")),
                                   name="incident_authority_informed_by_whom"),
            models.CheckConstraint(condition=Q(kin_told_at__isnull=True)
                                   | (Q(kin_told_by__isnull=False) & ~Q(kin_name="") & ~Q(kin_method="")),
                                   name="incident_kin_told_by_whom_how"),
            models.CheckConstraint(condition=Q(inquiry_closed_on__isnull=True) | ~Q(inquiry_outcome=""),
                                   name="incident_inquiry_closed_with_outcome"),
            models.CheckConstraint(condition=~Q(kind__in=sorted(k.value for k in KIN_REQUIRED_KINDS)) | Q(custody__isnull=False),
                                   name="incident_injury_has_person"),
        ]

    def __str__(self):
        return _("Incident grave n° %(id)s") % {"id": self.pk}

    @property
    def authority_required(self) -> bool:
        return self.kind in AUTHORITY_REQUIRED_KINDS

    @property
    def kin_required(self) -> bool:
        return self.kind in KIN_REQUIRED_KINDS and self.custody_id is not None

    @property
    def authority_deadline(self):
        return self.occurred_at + datetime.timedelta(hours=AUTHORITY_NOTICE_HOURS)

    def authority_late(self, now) -> bool:
        """Required and not informed within 24 h (still missing past the deadline, or informed after it)."""
        if not self.authority_required:
            return False
        if self.authority_informed_at is None:
            return now > self.authority_deadline
        return self.authority_informed_at > self.authority_deadline

    def missing(self, now) -> list[str]:
        """What is still owed, in the register's words (shown in red)."""
        items = []
        if self.authority_required and self.authority_informed_at is None:
            items.append(_("Autorité judiciaire non informée (Règle 71)") if now > self.authority_deadline
                         else _("Autorité judiciaire à informer dans les 24 h (Règle 71)"))
        if self.kin_required and self.kin_told_at is None:
            items.append(_("Famille non prévenue (Règles 69–70)"))
        return items


class IncidentInvolvement(models.Model):
    """A person involved in an incident (a collective one above all): victim, author, witness."""

    uid = global_id()

    incident = models.ForeignKey(SeriousIncident, on_delete=models.PROTECT, related_name="involvements",
                                 verbose_name=_("incident"))
    custody = models.ForeignKey(Custody, on_delete=models.PROTECT, related_name="incident_involvements",
                                verbose_name=_("personne"))
    part = models.CharField(_("rôle dans l'incident"), max_length=10, choices=InvolvementPart.choices,
                            default=InvolvementPart.INVOLVED)

    class Meta:
        verbose_name = _("personne impliquée dans un incident")
        verbose_name_plural = _("personnes impliquées dans un incident")
        constraints = [models.UniqueConstraint(fields=["incident", "custody"], name="one_involvement_per_person")]

    def __str__(self):
        return f"{self.custody.inmate} — {self.get_part_display()}"


class InjuryMedicalDetail(models.Model):
    """The medical side of an injury (need-to-know: medical staff only, `accounts.need_to_know`)."""

    uid = global_id()

    incident = models.OneToOneField(SeriousIncident, on_delete=models.PROTECT, related_name="medical_detail",
                                    verbose_name=_("incident"))
    nature_of_injuries = models.TextField(_("nature des blessures"))
    treatment = models.TextField(_("soins donnés"), blank=True)
    examining_doctor = models.CharField(_("médecin examinateur"), max_length=160)
    examined_at = models.DateTimeField(_("examiné le"), validators=[validate_past_date])
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("enregistré par"))

    class Meta:
        verbose_name = _("constat médical d'une blessure")
        verbose_name_plural = _("constats médicaux des blessures")

    def __str__(self):
        return _("Constat médical — incident n° %(id)s") % {"id": self.incident_id}
