"""Strict CSP (style-src 'self'): no template carries an inline style, so no page load reports a
violation (issue 10, item 18). The walks check every rendered page (tests/walks); this checks
the templates themselves, the pages Django and drf-spectacular draw, and that the PDF documents
keep their layout with their print style sheets moved to static/css/print/."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

INLINE_STYLE = re.compile(r"<style[\s>]|\sstyle\s*=", re.IGNORECASE)
TEMPLATES = sorted(Path(settings.BASE_DIR, "templates").rglob("*.html"))
SCRIPTS = sorted(Path(settings.BASE_DIR, "static", "js").rglob("*.js"))


def test_no_template_has_a_style_attribute_or_element():
    assert len(TEMPLATES) > 50
    found = [f"{path.relative_to(settings.BASE_DIR)}:{n}" for path in TEMPLATES
             for n, line in enumerate(path.read_text().splitlines(), 1) if INLINE_STYLE.search(line)]
    assert found == []


def test_no_script_of_ours_writes_a_style_attribute_or_element():
    pattern = re.compile(r"setAttribute\(\s*['\"]style|createElement\(\s*['\"]style|\.style\.|cssText|innerHTML")
    found = [f"{path.name}:{n}" for path in SCRIPTS
             for n, line in enumerate(path.read_text().splitlines(), 1) if pattern.search(line)]
    assert found == []


@pytest.mark.django_db
def test_the_admin_change_lists_and_the_api_docs_have_no_inline_style(client):
    client.force_login(get_user_model().objects.create_superuser("root.csp", password="x-long-enough-2026"))
    for url in ("/admin/inmates/inmate/", "/admin/prisons/facility/", "/api/docs/"):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not INLINE_STYLE.search(html), (url, INLINE_STYLE.search(html).group(0))
    assert "css/swagger.css" in client.get("/api/docs/").content.decode()


def _pages(pdf_bytes):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf_bytes))
    return [(float(p.mediabox.width), float(p.mediabox.height), p.extract_text()) for p in reader.pages]


@pytest.mark.django_db
def test_the_pdf_reports_keep_their_landscape_pages_and_footers_from_the_static_style_sheet(client, manager):
    client.force_login(manager)
    response = client.get("/rapports/occupancy/export.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    width, height, text = _pages(response.content)[0]
    assert width > height  # A4 landscape, from `@page wide`
    assert "DNAPES —" in text and "Page 1 /" in text  # the footers, from the body's data attributes


@pytest.mark.django_db
def test_the_evening_roll_stays_portrait(client, manager, bamako):
    client.force_login(manager)
    response = client.get(f"/rapports/roll/export.pdf?etablissement={bamako.pk}")
    assert response.status_code == 200, response.content[:300]
    width, height, _text = _pages(response.content)[0]
    assert width < height
