"""Hostile inputs answer 400 in French, never 500 (item 14): JSON nested 5,000 levels deep on
every door, decompression bombs and oversized images, fake or encrypted "PDF" warrant scans."""

import io
import json
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter
from rest_framework.test import APIClient

from core.parsers import json_depth, json_too_deep
from intake import services as intake_services
from intake.models import Finger, Step
from intake.services import validate_upload
from tests.intake.conftest import pdf, png, security_data, warrant_data

pytestmark = pytest.mark.django_db
DEEP = "[" * 5000 + "]" * 5000


def _png_header(width, height) -> bytes:
    """A PNG announcing width × height pixels, a few hundred bytes long (nothing is allocated)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
            + chunk(b"IEND", b""))


def _upload(content, name="photo.png", content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def _pdf(encrypt=False) -> bytes:
    writer, buf = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    if encrypt:
        writer.encrypt("secret")
    writer.write(buf)
    return buf.getvalue()


# --- JSON depth -------------------------------------------------------------------------------

def test_deep_json_on_the_unauthenticated_token_endpoint_is_a_400_in_french():
    response = APIClient().post("/api/v1/auth/token/", DEEP, content_type="application/json")
    assert response.status_code == 400
    assert "imbrication trop profonde" in response.json()["detail"]


def test_deep_json_is_refused_on_every_api_door(clerk, bamako):
    client = APIClient()
    client.force_authenticate(clerk)
    intake = intake_services.register_arrival(warrant_data(), facility=bamako, actor=clerk)
    for url in ("/api/v1/complaints/", "/api/v1/arrivals/", f"/api/v1/intakes/{intake.pk}/registry/"):
        for body in (DEEP, json.dumps({"items": json.loads("[" * 40 + "]" * 40)})):
            response = client.post(url, body, content_type="application/json")
            assert response.status_code == 400, (url, response.status_code)
            assert "imbrication trop profonde" in response.json()["detail"]


def test_ordinary_json_still_goes_through(clerk):
    response = APIClient().post("/api/v1/auth/token/", {"username": clerk.username, "password": "motdepasse-solide-2026",
                                                         "otp_token": ""}, format="json")
    assert response.status_code == 200


@pytest.mark.parametrize("text, depth", [
    ("{}", 1), ('{"a": [1, {"b": []}]}', 4), ('["[[[[", "]]"]', 1), ('"\\"[["', 0), (DEEP, 5000),
])
def test_json_depth_skips_strings_and_measures_any_depth(text, depth):
    assert json_depth(text.encode()) == depth
    assert json_too_deep(text.encode(), 2) is (depth > 2)


def test_unbalanced_deep_json_is_caught_too():
    assert json_too_deep(b"[" * 5000, 32) and json_too_deep(b"[[]" * 100, 32)
    assert not json_too_deep(b"][" * 1000, 32)


# --- Images and warrant scans -----------------------------------------------------------------

def test_a_decompression_bomb_is_a_clear_form_error_not_a_500():
    with pytest.raises(ValidationError) as error:
        validate_upload(_upload(_png_header(20_000, 20_000)), "photo")
    assert "Image trop grande : 40 mégapixels au plus" in error.value.message_dict["photo"][0]


def test_an_image_over_the_pixel_cap_is_refused(settings):
    with pytest.raises(ValidationError, match="mégapixels"):
        validate_upload(_upload(_png_header(11_000, 11_000)), "photo")
    settings.INTAKE_MAX_IMAGE_MEGAPIXELS = 200
    validate_upload(_upload(_png_header(11_000, 11_000)), "photo")  # the cap is a setting
    validate_upload(png(), "photo")


def test_a_warrant_scan_must_be_a_real_unencrypted_pdf():
    for content in (b"%PDF-1.4 ceci n'est pas un PDF", b"%PDF-" + b"\x00" * 500,
                    b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"):
        with pytest.raises(ValidationError, match="PDF illisible"):
            validate_upload(_upload(content, "mandat.pdf", "application/pdf"), "warrant_scan", documents=True)
    with pytest.raises(ValidationError, match="PDF chiffré"):
        validate_upload(_upload(_pdf(encrypt=True), "mandat.pdf", "application/pdf"), "warrant_scan", documents=True)
    validate_upload(_upload(_pdf(), "mandat.pdf", "application/pdf"), "warrant_scan", documents=True)
    validate_upload(png("mandat.png"), "warrant_scan", documents=True)  # a photo of the warrant


@pytest.fixture
def at_administration(bamako, clerk, cell):
    from accounts.roles import Role
    from tests import factories

    intake = intake_services.register_arrival(warrant_data(), facility=bamako, actor=clerk)
    return intake_services.complete_step(intake, Step.SECURITY, data=security_data(cell),
                                         actor=factories.staff(Role.SECURITY, bamako))


def _administration(photo, warrant):
    data = {"identity_confirmed": "true", "photo": photo, "warrant_scan": warrant,
            "relatives": json.dumps([{"name": "Awa", "relation": "mother", "is_next_of_kin": True}])}
    for finger in Finger:
        data[f"fingerprint_{finger.value}"] = png(f"{finger.value}.png")
    return data


def test_a_bomb_and_a_fake_pdf_through_the_api_are_a_400(clerk, at_administration):
    client = APIClient()
    client.force_authenticate(clerk)
    url = f"/api/v1/intakes/{at_administration.pk}/administration/"
    response = client.post(url, _administration(_upload(_png_header(20_000, 20_000)),
                                                _upload(b"%PDF-1.7 faux", "m.pdf", "application/pdf")),
                           format="multipart")
    assert response.status_code == 400
    body = response.json()
    assert "mégapixels" in body["photo"][0] and "PDF illisible" in body["warrant_scan"][0]
    ok = client.post(url, _administration(png(), pdf()), format="multipart")
    assert ok.status_code == 200, ok.json()


def test_a_bomb_on_the_page_is_a_form_error(client, clerk, at_administration):
    client.force_login(clerk)
    form = {"identity_confirmed": "on", "photo": _upload(_png_header(20_000, 20_000)), "warrant_scan": pdf(),
            "relatives-TOTAL_FORMS": "1", "relatives-INITIAL_FORMS": "0", "relatives-0-name": "Awa",
            "relatives-0-relation": "mother", "relatives-0-is_next_of_kin": "on"}
    for finger in Finger:
        form[f"fingerprint_{finger.value}"] = png(f"{finger.value}.png")
    from django.urls import reverse

    url = reverse("intake:step_form", args=[at_administration.pk, "administration"])
    response = client.post(url, form)
    assert response.status_code == 200
    assert "mégapixels" in response.content.decode()


def test_a_compressed_push_is_measured_once_decompressed_not_as_its_compressed_bytes(settings):
    """The exchange's push is gzip (`Content-Encoding: gzip`): its compressed bytes are no JSON, and
    their stray brackets once made the depth check refuse a large, ordinary push (400 at the first
    exchange of a 3,600-person prison). The depth is measured after decompression, by the push's
    parser: a deep JSON inside the gzip is still refused, in French, before anything is applied."""
    import gzip

    from django.http import HttpResponse
    from django.test import RequestFactory

    from core.middleware import JsonDepthLimitMiddleware
    from sync.api import GzipJSONParser

    brackets = b"[{" * 200  # what compressed bytes may hold: far deeper than the limit, and no JSON
    request = RequestFactory().post("/api/v1/sync/push/", data=brackets, content_type="application/json",
                                    HTTP_CONTENT_ENCODING="gzip")
    assert JsonDepthLimitMiddleware(lambda r: HttpResponse("passed"))(request).content == b"passed"
    plain = RequestFactory().post("/api/v1/sync/push/", data=brackets, content_type="application/json")
    assert JsonDepthLimitMiddleware(lambda r: HttpResponse("passed"))(plain).status_code == 400

    class Request:
        META = {"HTTP_CONTENT_ENCODING": "gzip"}

    ok = GzipJSONParser().parse(io.BytesIO(gzip.compress(b'{"actions": [{"data": {"a": [1]}}]}')),
                                parser_context={"request": Request()})
    assert ok == {"actions": [{"data": {"a": [1]}}]}
    from rest_framework.exceptions import ParseError

    deep = json.dumps({"actions": []})[:-1] + ', "x": ' + DEEP + "}"
    with pytest.raises(ParseError, match="imbrication trop profonde"):
        GzipJSONParser().parse(io.BytesIO(gzip.compress(deep.encode())), parser_context={"request": Request()})
