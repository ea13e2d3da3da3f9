"""HTTPS to the national API with the site's credential (standard library only)."""

import gzip
import json
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings

from .prison import LinkDown, site_id


class HttpTransport:
    def __init__(self, base_url=None, token=None, timeout=30):
        self.base_url = (base_url or settings.SYNC_NATIONAL_URL).rstrip("/")
        self.token = token or settings.SYNC_SITE_TOKEN
        self.timeout = timeout

    def _headers(self):
        return {"Authorization": f"Site {self.token}", "X-Site-Id": site_id(), "Accept": "application/json",
                "Accept-Encoding": "gzip"}

    def _call(self, request):
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                raw = response.read()
                size = len(raw)  # bytes on the wire, compressed or not
                if response.headers.get("Content-Encoding") == "gzip":
                    raw = gzip.decompress(raw)
                return json.loads(raw), size
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:500].decode("utf-8", "replace")
            raise LinkDown(f"HTTP {exc.code}: {detail}") from exc
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise LinkDown(str(exc)) from exc

    def push(self, data: bytes) -> dict:
        request = urllib.request.Request(f"{self.base_url}/api/v1/sync/push/", data=data, method="POST", headers={
            **self._headers(), "Content-Type": "application/json", "Content-Encoding": "gzip"})
        return self._call(request)[0]

    def pull(self, *, after: int, limit: int):
        query = urllib.parse.urlencode({"after": after, "limit": limit})
        request = urllib.request.Request(f"{self.base_url}/api/v1/sync/changes/?{query}", headers=self._headers())
        return self._call(request)
