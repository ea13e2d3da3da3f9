"""The DNAPES aggregates: counts by category (terrorism-related by legal status, others), per prison
and nationally, protected by oversight.suppression; no person's record for DNAPES."""

from rest_framework.test import APIClient

from accounts.roles import Role
from followup import services
from oversight import followup_report, suppression
from tests import factories

from .conftest import answers_for


def test_aggregates_count_and_protect_small_cells(bamako, cell, clerk, social, version, soon, dnapes):
    people = [factories.detainee(bamako, actor=clerk, unit=cell, last_name=f"P{i}").custodies.get()
              for i in range(7)]
    people += [factories.detainee(bamako, actor=clerk, unit=cell, terrorism=True, last_name="T").custodies.get()]
    for custody in people[:6]:
        services.record_assessment(custody, version=version, answers=answers_for(version), actor=social,
                                   justification="J", conclusion="C", next_review_on=soon)
    table = followup_report.build(dnapes)
    others, bko = ("other",), bamako.pk
    assert table["values"][("assessed", others, bko)] == 6 and table["values"][("N", others, bko)] == 7
    # 6 of 7 assessed: the 1 not assessed is hidden, and so is enough else that it cannot be derived.
    assert table["status"][("no_assessed", others, bko)] == suppression.PRIMARY
    assert not suppression.disclosed(
        {**table["values"]}, table["status"],
        [([("assessed", others, bko), ("no_assessed", others, bko)], ("N", others, bko))])
    data = followup_report.report(dnapes)
    assert [c["key"] for c in data["columns"]][-1] == "national"
    terror = next(r for r in data["rows"] if r["category"].startswith("terror-"))
    assert all(c["held"]["text"] in ("< 5", "0", "n.d.") or c["held"]["value"] == 0 for c in terror["cells"])


def test_who_reads_the_aggregates(client, dnapes, social, security, bamako):
    director = factories.staff(Role.DIRECTOR, bamako, username="dir.agg")
    for user, code in ((dnapes, 200), (director, 200), (social, 403), (security, 403)):
        client.force_login(user)
        assert client.get("/rapports/suivi-individuel/").status_code == code, user
        api = APIClient()
        api.force_authenticate(user=user)
        assert api.get("/api/v1/reports/followup/").status_code == code, user


def test_a_prison_id_that_is_not_one_is_refused_in_french_never_a_server_error(client, dnapes, bamako):
    api = APIClient()
    api.force_authenticate(user=dnapes)
    for bad in ("", "abc", "-0.33", "0", "99999999999999999999"):
        response = api.get("/api/v1/reports/followup/", {"facility": bad})
        assert response.status_code == 400, (bad, response.content)
    assert api.get("/api/v1/reports/followup/", {"facility": bamako.pk}).status_code == 200
    client.force_login(dnapes)
    assert client.get("/rapports/suivi-individuel/", {"etablissement": ""}).status_code == 200  # "Tous"
    assert client.get("/rapports/suivi-individuel/", {"etablissement": "abc"}).status_code == 404
