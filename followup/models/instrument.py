"""The assessment instrument, as data: DNAPES defines it (domains, items, answer scales,
guidance, who may assess) and versions it. A published version never changes: an edit is made
on a new draft version (services.instruments.draft_new_version), published in its turn."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role


class Instrument(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("nom"), max_length=160)
    purpose = models.TextField(_("objet"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("instrument d'évaluation")
        verbose_name_plural = _("instruments d'évaluation")
        ordering = ["name"]
        permissions = [("view_aggregates", _("Consulter les agrégats du suivi individuel (sans données nominatives)"))]

    def __str__(self):
        return self.name

    def published(self):
        """The version in use (the latest published one), or None."""
        return self.versions.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publiée")
    RETIRED = "retired", _("Remplacée")


class InstrumentVersion(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="versions",
                                   verbose_name=_("instrument"))
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("état"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    guidance = models.TextField(_("consignes générales"), blank=True)
    assessor_roles = models.JSONField(_("qui peut évaluer"), default=list,
                                      help_text=_("Rôles du personnel formé qui peuvent remplir cette évaluation."))
    change_note = models.TextField(_("ce qui change dans cette version"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   null=True, blank=True, verbose_name=_("créée par"))
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     null=True, blank=True, verbose_name=_("publiée par"))

    class Meta:
        verbose_name = _("version d'instrument")
        verbose_name_plural = _("versions d'instrument")
        ordering = ["instrument__name", "-number"]
        permissions = [("publish_instrumentversion", _("Publier une version d'instrument d'évaluation"))]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "number"], name="instrument_version_number_unique"),
            models.UniqueConstraint(fields=["instrument"], condition=Q(status="published"),
                                    name="one_published_version_per_instrument"),
            models.UniqueConstraint(fields=["instrument"], condition=Q(status="draft"),
                                    name="one_draft_version_per_instrument"),
        ]

    def __str__(self):
        return f"{self.instrument.name} — v{self.number}"

    @property
    def is_editable(self):
        return self.status == VersionStatus.DRAFT

    def clean(self):
        roles = self.assessor_roles
        if not isinstance(roles, list) or not roles or any(r not in Role.values for r in roles):
            raise ValidationError({"assessor_roles": _("Choisissez au moins un rôle qui peut évaluer.")})

    def assessor_roles_display(self):
        return [str(Role(r).label) for r in self.assessor_roles or [] if r in Role.values]

    def may_assess(self, user) -> bool:
        """Whether `user` holds one of the roles this version names (by role, never is_superuser)."""
        return bool(user and user.is_authenticated and user.is_active and self.assessor_roles
                    and user.has_role(*self.assessor_roles))


class AnswerScale(models.Model):
    """The possible answers of an item: [{"value": "…", "label": "…"}, …], in order."""

    version = models.ForeignKey(InstrumentVersion, on_delete=models.CASCADE, related_name="scales",
                                verbose_name=_("version"))
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("nom"), max_length=120)
    options = models.JSONField(_("réponses possibles"), default=list)

    class Meta:
        verbose_name = _("échelle de réponse")
        verbose_name_plural = _("échelles de réponse")
        ordering = ["version", "code"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="scale_code_unique_in_version")]

    def __str__(self):
        return self.name

    def clean(self):
        options = self.options
        ok = isinstance(options, list) and len(options) >= 2 and all(
            isinstance(o, dict) and str(o.get("value", "")).strip() and str(o.get("label", "")).strip()
            for o in options)
        if ok and len({str(o["value"]) for o in options}) != len(options):
            ok = False
        if not ok:
            raise ValidationError({"options": _("Une échelle a au moins deux réponses, chacune avec une valeur "
                                                "et un libellé, sans doublon.")})

    def values(self):
        return [str(o["value"]) for o in self.options]

    def label_of(self, value):
        return next((o["label"] for o in self.options if str(o["value"]) == str(value)), value)


class Domain(models.Model):
    version = models.ForeignKey(InstrumentVersion, on_delete=models.CASCADE, related_name="domains",
                                verbose_name=_("version"))
    order = models.PositiveSmallIntegerField(_("ordre"))
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("nom"), max_length=120)
    guidance = models.TextField(_("consignes"), blank=True)

    class Meta:
        verbose_name = _("domaine")
        verbose_name_plural = _("domaines")
        ordering = ["version", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="domain_code_unique_in_version")]

    def __str__(self):
        return self.name


class Item(models.Model):
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="items", verbose_name=_("domaine"))
    order = models.PositiveSmallIntegerField(_("ordre"))
    code = models.SlugField(_("code"), max_length=40)
    text = models.CharField(_("question"), max_length=300)
    guidance = models.TextField(_("consignes"), blank=True)
    scale = models.ForeignKey(AnswerScale, on_delete=models.PROTECT, related_name="items",
                              verbose_name=_("échelle de réponse"))

    class Meta:
        verbose_name = _("élément")
        verbose_name_plural = _("éléments")
        ordering = ["domain__order", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["domain", "code"], name="item_code_unique_in_domain")]

    def __str__(self):
        return self.text

    def clean(self):
        if self.scale_id and self.domain_id and self.scale.version_id != self.domain.version_id:
            raise ValidationError({"scale": _("L'échelle doit appartenir à la même version de l'instrument.")})
