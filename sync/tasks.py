"""Beat tasks: at a prison, the exchange every minute (skipped while backing off); at the national
server, the alert to DNAPES about prisons silent for too long."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext as _

logger = logging.getLogger("sync")


@shared_task(ignore_result=True)
def exchange_with_national():
    if settings.SITE_MODE != "prison" or not settings.SYNC_NATIONAL_URL:
        return None
    from . import prison
    from .transport import HttpTransport

    if not prison.due():
        return None
    try:
        return prison.exchange(HttpTransport())
    except prison.LinkDown as exc:
        logger.warning("sync: national server unreachable: %s", exc)
        return None


@shared_task(ignore_result=True)
def alert_silent_prisons() -> int:
    if settings.SITE_MODE != "national":
        return 0
    from accounts.services import direction_and_dnapes_emails

    from .health import silent_sites
    from .models import Site

    sent = 0
    for site in silent_sites().filter(silence_alerted_at__isnull=True):
        recipients = direction_and_dnapes_emails(site.facility)
        if recipients:
            send_mail(_("Établissement sans échange : %(facility)s") % {"facility": site.facility},
                      _("Le serveur de %(facility)s n'a rien échangé avec le serveur national depuis plus de "
                        "%(hours)s heures (dernier envoi : %(push)s).")
                      % {"facility": site.facility, "hours": settings.SYNC_SILENT_AFTER_HOURS,
                         "push": site.last_push_at or _("jamais")},
                      settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=True)
        Site.objects.filter(pk=site.pk).update(silence_alerted_at=timezone.now())
        sent += 1
    # A prison heard from again can be signalled again the next time it falls silent.
    Site.objects.exclude(pk__in=silent_sites().values("pk")).filter(silence_alerted_at__isnull=False).update(
        silence_alerted_at=None)
    return sent
