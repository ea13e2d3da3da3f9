"""The demo accounts: one per role, never a superuser, with a published password."""

import datetime as dt

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from accounts import monitors
from accounts.models import AuditAction, User
from accounts.roles import Role
from accounts.services import record_audit
from casework.court_portal.services import set_magistrate_profile
from casework.models import Court
from prisons.models import Facility

DEMO_PASSWORD = "Demo-Mali-2026"


# username, role, facility codes, first name, last name, job title
ACCOUNTS = [
    ("greffe.bamako", Role.CLERK, ("BKO",), "Aminata", "Sidibé", "Greffière principale"),
    ("securite.bamako", Role.SECURITY, ("BKO",), "Bakary", "Diarra", "Chef de la sécurité"),
    ("medecin.bamako", Role.MEDICAL, ("BKO",), "Fatoumata", "Cissé", "Médecin de l'infirmerie"),
    ("social.bamako", Role.SOCIAL, ("BKO",), "Oumou", "Traoré", "Assistante sociale"),
    ("directeur.bamako", Role.DIRECTOR, ("BKO",), "Modibo", "Keïta", "Régisseur (directeur)"),
    ("greffe.koulikoro", Role.CLERK, ("KLK",), "Seydou", "Coulibaly", "Greffier"),
    ("dnapes.national", Role.DNAPES, (), "Mariam", "Konaté", "Chargée du suivi national (DNAPES)"),
    ("admin", Role.ADMIN, (), "Ibrahim", "Maïga", "Administrateur système"),
    # Accounts from outside the prison service (issue 14): a CNDH monitor authorised for Bamako
    # (granted by dnapes.national, 90 days from the seeding) and an investigating judge of the
    # 3e cabinet of the TGI de la Commune III (the court portal).
    ("cndh.bamako", Role.MONITOR, ("BKO",), "Kadiatou", "Touré", "Observatrice de la CNDH"),
    ("juge.bamako", Role.MAGISTRATE, (), "Souleymane", "Sangaré", "Juge d'instruction, 3e cabinet"),
]
DEMO_JUDGE = ("TGI-C3", "3e cabinet")
MONITOR_DAYS = 90


def ensure_accounts():
    """Create the demo accounts that do not exist yet; never touch an existing one, except to
    take away the superuser status an earlier version gave the demo administrator (audited).

    Never a superuser: the demo administrator is `is_staff` with the system administrator role
    (accounts and reference data; no detainee's medical, social or confidential data).
    Returns rows (username, role label, facility codes, created now?). The password is hashed
    once for all of them (hashing is deliberately slow; they share the same known password).
    """
    facilities = {f.code: f for f in Facility.objects.all()}
    rows, hashed = [], None
    for username, role, codes, first, last, title in ACCOUNTS:
        user = User.objects.filter(username=username).first()
        created = user is None
        if created:
            user = User(username=username, first_name=first, last_name=last, job_title=title,
                        is_staff=role == Role.ADMIN, is_superuser=False)
            validate_password(DEMO_PASSWORD, user)
            hashed = hashed or make_password(DEMO_PASSWORD)
            user.password = hashed
            user.save()
            user.groups.add(Group.objects.get(name=role.value))
            # A monitor's prisons are those of their authorisation; the assignment only offers them
            # as the addressee of a complaint there.
            user.facilities.set([facilities[c] for c in codes if c in facilities])
        elif user.is_superuser:
            _demote_superuser(user)
        rows.append((username, str(role.label), ", ".join(codes) or "toutes", created))
    _ensure_outside_access([facilities[c] for c in ("BKO",) if c in facilities])
    return rows


def _ensure_outside_access(bamako):
    """The demo monitor holds a valid authorisation for Bamako, the demo judge their cabinet: through
    the services (audited), granted by the demo DNAPES and administrator accounts."""
    monitor = User.objects.filter(username="cndh.bamako", is_active=True).first()
    granter = User.objects.filter(username="dnapes.national", is_active=True).first()
    if monitor and granter and granter.has_role(Role.DNAPES) and bamako and monitor.is_monitor and not monitor.current_authorisations().exists():
        today = timezone.localdate()
        monitors.grant_monitor_authorisation(
            monitor, actor=granter, body="cndh", facilities=bamako, starts_on=today,
            ends_on=today + dt.timedelta(days=MONITOR_DAYS), reference="CNDH/VISITE/DEMO",
            reason="Visite de suivi des conditions de détention (démonstration)")
    judge = User.objects.filter(username="juge.bamako", is_active=True).first()
    admin = User.objects.filter(username="admin", is_active=True).first()
    court = Court.objects.filter(code=DEMO_JUDGE[0]).first()
    if judge and admin and admin.has_role(Role.ADMIN) and court and judge.is_magistrate and not hasattr(judge, "magistrate_profile"):
        set_magistrate_profile(judge, actor=admin, function="judge", court=court, cabinet=DEMO_JUDGE[1])


@transaction.atomic
def _demote_superuser(user):
    """A demo account is never a superuser (earlier versions made `admin` one, with the published
    password): the flag goes, audited; its role stays (system administrator: accounts and
    reference data, no detainee's medical, social or confidential data)."""
    User.objects.filter(pk=user.pk).update(is_superuser=False)
    user.is_superuser = False
    record_audit(AuditAction.UPDATE, actor_name="seed_demo", target=user,
                 changes={"is_superuser": [True, False]},
                 reason="Compte de démonstration : jamais superutilisateur (seed_demo).")
