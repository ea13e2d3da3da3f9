"""Staff accounts, facility scoping and the audit trail.

This app sits at the bottom of the layers: it knows facilities (a staff member serves
some) but nothing of detainees; the audit trail points at its target generically.
"""

from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import access, need_to_know
from .roles import Role


class User(AbstractUser):
    """A staff member. Sees only the facilities they serve, unless their role is national."""

    facilities = models.ManyToManyField(
        "prisons.Facility",
        blank=True,
        related_name="staff",
        verbose_name=_("établissements d'affectation"),
    )
    job_title = models.CharField(_("fonction"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("membre du personnel")
        verbose_name_plural = _("membres du personnel")
        permissions = [("view_all_facilities", _("Voir tous les établissements (niveau national)"))]

    @property
    def sees_all_facilities(self) -> bool:
        if self.is_outside_service:
            return False  # a monitor or a magistrate never reads nationally, whatever else they hold
        return self.is_active and (self.is_superuser or self.has_perm("accounts.view_all_facilities"))

    def visible_facility_ids(self):
        """Ids of the facilities this user may see, or None when they see every facility.

        A monitor sees the prisons of their currently valid authorisations only (none: nothing);
        a magistrate serves no prison (the court portal reaches their cases by cabinet)."""
        if not hasattr(self, "_visible_facility_ids"):
            if self.is_monitor:
                ids = frozenset(
                    MonitorAuthorisation.objects.current().filter(monitor=self)
                    .values_list("facilities__id", flat=True)) - {None}
            elif self.is_outside_service:
                ids = frozenset()
            elif self.sees_all_facilities:
                ids = None
            else:
                ids = access.profile(self)["facilities"]
            self._visible_facility_ids = ids
        return self._visible_facility_ids

    def _group_names(self) -> frozenset:
        return access.profile(self)["groups"]

    @property
    def is_monitor(self) -> bool:
        return Role.MONITOR.value in self._group_names()

    @property
    def is_magistrate(self) -> bool:
        return Role.MAGISTRATE.value in self._group_names()

    @property
    def is_outside_service(self) -> bool:
        """A monitor or a magistrate: an account from outside the prison service (issue 14)."""
        return self.is_monitor or self.is_magistrate

    @property
    def outside_authorisation(self) -> bool:
        """A monitor with no currently valid authorisation: the account stops by itself (no
        sign-in, no page, no API token)."""
        return self.is_monitor and not MonitorAuthorisation.objects.current().filter(monitor=self).exists()

    def current_authorisations(self):
        return MonitorAuthorisation.objects.current().filter(monitor=self).prefetch_related("facilities")

    @property
    def roles(self) -> list:
        names = self._group_names()
        return [r for r in Role if r.value in names]

    def has_role(self, *roles) -> bool:
        names = self._group_names()
        return any(str(r) in names for r in roles)

    def has_perm(self, perm, obj=None):
        """Django's permission check, except for the need-to-know permissions (medical, social,
        confidential: `need_to_know.is_restricted`), which only the account's roles grant —
        never `is_superuser`, never a permission given to the account directly."""
        if need_to_know.is_restricted(perm):
            return need_to_know.role_grants(self, perm)
        return super().has_perm(perm, obj)

    def role_has_perm(self, perm: str) -> bool:
        """Whether one of the user's roles (groups) grants `perm` ("app_label.codename").

        Need-to-know is decided here, by role membership only: unlike `has_perm`, neither
        `is_superuser` nor a permission given to the account directly grants anything."""
        if not self.is_active:
            return False
        if perm in need_to_know.MONITOR_MEDICAL_READS and self.is_monitor:
            # The ICRC's own doctor, when a valid authorisation records it (issue 14, item 7).
            return MonitorAuthorisation.objects.current().filter(monitor=self, medical_access=True).exists()
        return perm in access.profile(self)["role_perms"]

    def __str__(self):
        return self.get_full_name() or self.username


class AccessGeneration(models.Model):
    """One row: the number drawn afresh on every change of anyone's access (accounts.access).
    Kept in the database, in the same transaction as the change, so that a change made while
    the cache is down still retires every cached access profile."""

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("génération des droits d'accès")

    def __str__(self):
        return str(self.value)


class MonitorBody(models.TextChoices):
    CNDH = "cndh", _("Commission nationale des droits de l'homme (CNDH)")
    ICRC = "icrc", _("Comité international de la Croix-Rouge (CICR)")
    MAGISTRATE = "magistrate", _("Magistrat en visite")
    OTHER = "other", _("Autre organisme")


class MonitorAuthorisationQuerySet(models.QuerySet):
    def current(self, on=None):
        """Valid on the day `on` (today): started, not ended, not revoked."""
        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on, ends_on__gte=on, revoked_at__isnull=True)

    def visible_to(self, user):
        """DNAPES and administrators see every authorisation; a monitor their own."""
        if user.has_perm("accounts.add_monitorauthorisation") and not user.is_outside_service:
            return self
        return self.filter(monitor=user) if user.is_monitor else self.none()


class MonitorAuthorisation(models.Model):
    """The authorisation that opens a monitor's account (issue 14, item 7; Mandela Rules 83–85):
    for which prisons, between which dates, granted by whom and why. Outside it the account
    reads nothing and cannot sign in."""

    monitor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="monitor_authorisations",
                                verbose_name=_("observateur"))
    body = models.CharField(_("organisme"), max_length=12, choices=MonitorBody.choices)
    body_detail = models.CharField(_("précision sur l'organisme"), max_length=160, blank=True)
    facilities = models.ManyToManyField("prisons.Facility", related_name="+",
                                        verbose_name=_("établissements"))
    starts_on = models.DateField(_("du"))
    ends_on = models.DateField(_("au"))
    reference = models.CharField(_("référence de l'autorisation"), max_length=80)
    reason = models.TextField(_("motif"))
    medical_access = models.BooleanField(
        _("accès aux données médicales"), default=False,
        help_text=_("Seulement pour le médecin du CICR, si l'autorisation le prévoit expressément."))
    medical_access_authorised_by = models.CharField(_("accès médical autorisé par"), max_length=160, blank=True)
    granted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("accordée par"))
    granted_at = models.DateTimeField(_("accordée le"), default=timezone.now)
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)
    revoked_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("révoquée par"))
    revoke_reason = models.TextField(_("motif de la révocation"), blank=True)

    objects = MonitorAuthorisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("autorisation d'observateur")
        verbose_name_plural = _("autorisations d'observateurs")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                   name="monitor_authorisation_ends_after_start"),
            models.CheckConstraint(condition=models.Q(medical_access=False) | models.Q(body="icrc"),
                                   name="monitor_medical_access_icrc_only"),
        ]

    def __str__(self):
        return f"{self.get_body_display()} — {self.monitor} ({self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y})"

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("La fin de l'autorisation précède son début.")
        if self.medical_access and self.body != MonitorBody.ICRC:
            errors["medical_access"] = _("Seul le médecin du CICR peut recevoir un accès aux données médicales.")
        if self.medical_access and not self.medical_access_authorised_by.strip():
            errors["medical_access_authorised_by"] = _("Indiquez qui a autorisé l'accès aux données médicales.")
        if self.body == MonitorBody.OTHER and not self.body_detail.strip():
            errors["body_detail"] = _("Précisez l'organisme.")
        for name in ("reference", "reason"):
            if not (getattr(self, name) or "").strip():
                errors[name] = _("Ce champ est obligatoire.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_current(self):
        today = timezone.localdate()
        return self.revoked_at is None and self.starts_on <= today <= self.ends_on


class AuditAction(models.TextChoices):
    CREATE = "create", _("Création")
    UPDATE = "update", _("Modification")
    VIEW = "view", _("Consultation du dossier")
    VIEW_MEDICAL = "view_medical", _("Consultation médicale")
    # A list or a search of people: one entry per request, with the query and how many it returned.
    LIST = "list", _("Consultation d'une liste ou recherche")
    EXPORT = "export", _("Export")
    LOGIN = "login", _("Connexion")
    LOGOUT = "logout", _("Déconnexion")
    LOGIN_FAILED = "login_failed", _("Échec de connexion")
    OTHER = "other", _("Autre")


class DigestScheme(models.IntegerChoices):
    # Entries written before the sealed chain: an unkeyed hash chained entry to entry
    # (`prev_hash`); kept for history, protected since by their seal.
    LEGACY_CHAIN = 1, "legacy"
    # A keyed digest (HMAC-SHA256, AUDIT_CHAIN_KEY) of the entry's own content, computed when
    # it is written; the entry is chained afterwards by its seal.
    KEYED = 2, "keyed"


class AuditEntry(models.Model):
    """One append-only line of the audit trail (Mandela Rule 6).

    Written without any lock: the row is immutable and carries a keyed digest of its own
    content; the sealer (`chain.seal_audit_chain`) then chains the entries in seal order.
    """

    at = models.DateTimeField(_("date et heure"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_entries",
        verbose_name=_("auteur"),
    )
    actor_name = models.CharField(_("identifiant de l'auteur"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices, db_index=True)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("type d'objet")
    )
    target_id = models.CharField(_("identifiant de l'objet"), max_length=64, blank=True, db_index=True)
    target_repr = models.CharField(_("objet"), max_length=255, blank=True)
    # The detainee the entry concerns, when there is one, so that a file's history is one query.
    inmate_id = models.BigIntegerField(_("détenu concerné"), null=True, blank=True, db_index=True)
    facility = models.ForeignKey(
        "prisons.Facility", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("établissement"),
    )
    changes = models.JSONField(_("modifications"), default=dict, blank=True)
    # Values of fields only some readers may see (medical, social profile…), kept apart from
    # `changes` so that nothing that shows `changes` can leak them:
    # {field: {"permission": "app.view_model", "values": [old, new]}}; see `change_rows`.
    restricted_changes = models.JSONField(_("modifications à diffusion restreinte"), default=dict,
                                          blank=True)
    reason = models.TextField(_("motif"), blank=True)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    digest_scheme = models.PositiveSmallIntegerField(choices=DigestScheme.choices,
                                                     default=DigestScheme.KEYED)
    prev_hash = models.CharField(max_length=64, blank=True)  # legacy entries only
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("entrée du journal d'audit")
        verbose_name_plural = _("journal d'audit")
        ordering = ["-at", "-id"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()} {self.target_repr}"

    def change_rows(self, reader) -> list:
        """The changes as rows (label, old, new) for `reader`: a restricted field's values only
        when one of the reader's roles may read the field itself, otherwise "modifié"."""
        from .audit_fields import change_rows

        return change_rows(self, reader)


class AuditSeal(models.Model):
    """One link of the audit chain: entry `entry` sealed at `position` (1, 2, 3… without gaps).

    `chain_hash` = HMAC(key, position, previous seal's chain_hash, entry id, entry digest),
    so that no seal can be changed, removed or reordered without the key. Append-only.
    """

    position = models.PositiveBigIntegerField(_("rang"), unique=True)
    entry = models.OneToOneField(AuditEntry, on_delete=models.PROTECT, related_name="seal",
                                 verbose_name=_("entrée"))
    entry_hash = models.CharField(max_length=64)
    prev_hash = models.CharField(max_length=64, blank=True)
    chain_hash = models.CharField(max_length=64)
    sealed_at = models.DateTimeField(_("scellée le"), default=timezone.now)

    class Meta:
        verbose_name = _("sceau du journal d'audit")
        verbose_name_plural = _("sceaux du journal d'audit")
        default_permissions = ("view",)

    def __str__(self):
        return f"#{self.position} → {self.entry_id}"


class AuditCheckpoint(models.Model):
    """The chain head at a moment (how many seals, the last one, its hash), signed with the key.

    Written to this append-only table and, as a line, to AUDIT_CHECKPOINT_FILE outside the
    database, so that removing the newest entries and seals (or all of them) is detected."""

    at = models.DateTimeField(_("date et heure"), default=timezone.now)
    seal_count = models.PositiveBigIntegerField(_("nombre de sceaux"))
    last_seal_id = models.BigIntegerField(_("dernier sceau"))
    head_hash = models.CharField(max_length=64)
    key_id = models.CharField(max_length=16)
    signature = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("point de contrôle du journal d'audit")
        verbose_name_plural = _("points de contrôle du journal d'audit")
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.seal_count}"
