"""One DRF router for the whole API: every app's api module registers its viewsets on it
(config.api_urls imports them all)."""

from rest_framework.routers import DefaultRouter


class Router(DefaultRouter):
    """Object ids in URLs are plain ASCII integers of sane length (the primary keys), so a
    malformed id is a clean 404 before any view or database query runs.

    No format-suffix twins (`/cases/1.json`): the API speaks JSON by content negotiation, the
    schema never listed them, and every handler written as `retrieve(self, request, pk=None)`
    answered them with a 500 (an unexpected `format` argument)."""

    include_format_suffixes = False

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        if getattr(viewset, "lookup_value_regex", None) is None:
            viewset.lookup_value_regex = "[0-9]{1,18}"
        return super().get_lookup_regex(viewset, lookup_prefix)


router = Router()
