"""Staff accounts, facility scoping and the audit trail.

This app sits at the bottom of the layers: it knows facilities (a staff member serves
some) but nothing of detainees; the audit trail points at its target generically.
"""

from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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

    def __str__(self):
        return self.get_full_name() or self.username


class AuditAction(models.TextChoices):
    CREATE = "create", _("Création")
    UPDATE = "update", _("Modification")
    VIEW = "view", _("Consultation du dossier")
    VIEW_MEDICAL = "view_medical", _("Consultation médicale")
    EXPORT = "export", _("Export")
    LOGIN = "login", _("Connexion")
    LOGOUT = "logout", _("Déconnexion")
    LOGIN_FAILED = "login_failed", _("Échec de connexion")
    OTHER = "other", _("Autre")


class AuditEntry(models.Model):
    """One append-only line of the audit trail (Mandela Rule 6). Chained by hash."""

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
    reason = models.TextField(_("motif"), blank=True)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("entrée du journal d'audit")
        verbose_name_plural = _("journal d'audit")
        ordering = ["-at", "-id"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()} {self.target_repr}"
