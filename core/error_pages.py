"""Error pages: JSON under /api/ (so that API clients always get the documented format),
French HTML pages elsewhere."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def _is_api(request):
    return request.path.startswith("/api/")


def not_found(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": _("Introuvable.")}, status=404)
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": _("Vous n'avez pas la permission d'effectuer cette action.")}, status=403)
    return render(request, "403.html", status=403)


def server_error(request):
    if _is_api(request):
        return JsonResponse({"detail": _("Erreur interne. L'incident a été enregistré.")}, status=500)
    return render(request, "500.html", status=500)


def csrf_failure(request, reason=""):
    if _is_api(request):
        return JsonResponse({"detail": _("Jeton CSRF manquant ou invalide.")}, status=403)
    return render(request, "403_csrf.html", status=403)
