"""Staff accounts, facility scoping and the audit trail.

This app sits at the bottom of the layers: it knows facilities (a staff member serves
some) but nothing of detainees; the audit trail points at its target generically.
"""

from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import need_to_know
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
        return self.is_active and (self.is_superuser or self.has_perm("accounts.view_all_facilities"))

    def visible_facility_ids(self):
        """Ids of the facilities this user may see, or None when they see every facility."""
        if self.sees_all_facilities:
            return None
        if not hasattr(self, "_visible_facility_ids"):
            self._visible_facility_ids = frozenset(self.facilities.values_list("id", flat=True))
        return self._visible_facility_ids

    @property
    def roles(self) -> list:
        names = {g.name for g in self.groups.all()}
        return [r for r in Role if r.value in names]

    def has_role(self, *roles) -> bool:
        return self.groups.filter(name__in=[str(r) for r in roles]).exists()

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
        if not hasattr(self, "_role_perms"):
            from django.contrib.auth.models import Permission

            self._role_perms = frozenset(
                f"{app}.{codename}" for app, codename in Permission.objects.filter(group__user=self)
                .values_list("content_type__app_label", "codename")
            )
        return perm in self._role_perms

    def __str__(self):
        return self.get_full_name() or self.username


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
