"""The exchange's own records: this database's identity, the prison's outbox, the national
server's sites, applied actions, change log and rejections, and the cross-prison duplicates."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.ids import uuid7
from prisons.models import Facility


class SiteIdentity(models.Model):
    """This database's own id, made once when the database is created (never copied from elsewhere:
    a restored backup keeps it, a copied disk carries it, and the national server refuses a
    second prison presenting it)."""

    site_id = models.UUIDField(_("identifiant du site"), default=uuid7, unique=True, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("identité du site")

    def __str__(self):
        return str(self.site_id)



class OutboxAction(models.Model):
    """One change made at this prison, waiting for the national server's acknowledgement. Written in
    the same transaction as the change and its audit entry; removed only once acknowledged."""

    class State(models.TextChoices):
        WAITING = "waiting", _("En attente d'envoi")
        REJECTED = "rejected", _("Refusée par le serveur national")

    seq = models.BigAutoField(primary_key=True)
    action_id = models.UUIDField(_("identifiant de l'action"), default=uuid7, unique=True, editable=False)
    model = models.CharField(_("type d'enregistrement"), max_length=60)
    uid = models.UUIDField(_("identifiant global"))
    op = models.CharField(_("opération"), max_length=8)  # "upsert" or "delete"
    data = models.JSONField(_("contenu"), default=dict)
    size = models.PositiveIntegerField(_("taille (octets)"), default=0)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.WAITING)
    attempts = models.PositiveIntegerField(_("envois tentés"), default=0)
    rejection = models.TextField(_("motif du refus"), blank=True)

    class Meta:
        verbose_name = _("action à envoyer")
        verbose_name_plural = _("actions à envoyer")
        indexes = [models.Index(fields=["state", "seq"], name="outbox_state_seq_idx")]

    def __str__(self):
        return f"{self.seq} {self.model} {self.uid}"



class ExchangeState(models.Model):
    """One row: this prison's view of its exchange (what it last did, and how it went)."""

    last_push_at = models.DateTimeField(_("dernier envoi réussi"), null=True, blank=True)
    last_pull_at = models.DateTimeField(_("dernière réception réussie"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("dernière tentative"), null=True, blank=True)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    failures = models.PositiveIntegerField(_("échecs consécutifs"), default=0)
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), null=True, blank=True)
    cursor = models.BigIntegerField(_("curseur du journal national"), default=0)
    pushed_total = models.PositiveBigIntegerField(_("actions envoyées"), default=0)
    bytes_sent = models.PositiveBigIntegerField(_("octets envoyés"), default=0)
    bytes_received = models.PositiveBigIntegerField(_("octets reçus"), default=0)
    audit_position = models.PositiveBigIntegerField(_("journal d'audit acquitté jusqu'au rang"), default=0)

    class Meta:
        verbose_name = _("état de l'échange")

    def __str__(self):
        return f"cursor {self.cursor}"



class Site(models.Model):
    """At the national server: one prison's server, its credential and its exchange's health."""

    facility = models.OneToOneField(Facility, on_delete=models.PROTECT, related_name="sync_site",
                                    verbose_name=_("établissement"))
    token_hash = models.CharField(_("empreinte du jeton"), max_length=64, unique=True)
    site_id = models.UUIDField(_("identifiant de la base du site"), null=True, blank=True, unique=True)
    schema_version = models.PositiveSmallIntegerField(_("version du format"), null=True, blank=True)
    last_seq = models.BigIntegerField(_("dernière action acquittée"), default=0)
    last_push_at = models.DateTimeField(_("dernier envoi reçu"), null=True, blank=True)
    last_pull_at = models.DateTimeField(_("dernière réception servie"), null=True, blank=True)
    last_refusal = models.TextField(_("dernier refus"), blank=True)
    last_refusal_at = models.DateTimeField(_("refusé le"), null=True, blank=True)
    silence_alerted_at = models.DateTimeField(_("silence signalé le"), null=True, blank=True)
    # The prison's audit chain, as received: the last verified seal, and a break if one was found.
    audit_position = models.PositiveBigIntegerField(_("journal d'audit vérifié jusqu'au rang"), default=0)
    audit_head = models.CharField(_("tête de la chaîne d'audit"), max_length=64, blank=True)
    audit_break = models.TextField(_("rupture de la chaîne d'audit"), blank=True)
    audit_break_at = models.DateTimeField(_("rupture constatée le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("site synchronisé")
        verbose_name_plural = _("sites synchronisés")

    def __str__(self):
        return str(self.facility)


class AppliedAction(models.Model):
    """At the national server: an action already applied (a replay changes nothing)."""

    action_id = models.UUIDField(unique=True)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    seq = models.BigIntegerField()
    applied_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return str(self.action_id)



class RecordVersion(models.Model):
    """At the national server: which site's action last wrote a record (an older one arriving late
    is acknowledged without being applied)."""

    uid = models.UUIDField(primary_key=True)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    seq = models.BigIntegerField()

    def __str__(self):
        return f"{self.uid} {self.seq}"



class Rejection(models.Model):
    """At the national server: an action refused, with the reason, held until someone fixes it."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="rejections")
    action_id = models.UUIDField()
    seq = models.BigIntegerField()
    model = models.CharField(max_length=60)
    uid = models.UUIDField()
    reason = models.TextField(_("motif"))
    data = models.JSONField(default=dict)
    at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("action refusée")
        constraints = [models.UniqueConstraint(fields=["action_id"], name="one_rejection_per_action")]

    def __str__(self):
        return f"{self.model} {self.uid}: {self.reason[:60]}"



class ChangeLog(models.Model):
    """At the national server: what the prisons pull, by cursor (`seq`). `facility` empty: reference
    data for every prison; else a record a prison needs (a person coming to it, or a change to the
    file of someone it held)."""

    seq = models.BigAutoField(primary_key=True)
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    model = models.CharField(max_length=60)
    key = models.JSONField()  # the uid (travelling records) or the natural key (reference data)
    op = models.CharField(max_length=8)
    data = models.JSONField(default=dict)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["facility", "seq"], name="changelog_facility_seq_idx")]

    def __str__(self):
        return f"{self.seq} {self.model}"



class DuplicateCandidate(models.Model):
    """At the national server: two files, from two prisons, that may be the same person."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("À décider")
        SAME = "same", _("Même personne")
        DIFFERENT = "different", _("Personnes différentes")

    inmate = models.ForeignKey("inmates.Inmate", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("dossier arrivé"))
    other = models.ForeignKey("inmates.Inmate", on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("dossier existant"))
    score = models.PositiveSmallIntegerField(_("ressemblance"))
    reasons = models.JSONField(default=list)
    decision = models.CharField(_("décision"), max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decision_reason = models.TextField(_("motif de la décision"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    found_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("doublon possible entre établissements")
        constraints = [models.UniqueConstraint(fields=["inmate", "other"], name="one_candidate_per_pair")]

    def __str__(self):
        return f"{self.inmate_id} ~ {self.other_id}"



class FileCopy(models.Model):
    """At the national server: a prison that holds a copy of a person's file (it made it, held the
    person, or received the file with a transfer), so that later changes reach it one by one."""

    inmate = models.ForeignKey("inmates.Inmate", on_delete=models.CASCADE, related_name="+")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["inmate", "facility"], name="one_copy_per_prison")]

    def __str__(self):
        return f"{self.inmate_id} @ {self.facility_id}"
