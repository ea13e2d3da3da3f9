"""The data set is what the workflow says it is, read back through the API as DNAPES: the walk
opens pages on real states, not on records that failed to be made."""

import pytest

pytestmark = pytest.mark.django_db


def _rows(payload):
    return payload["results"] if isinstance(payload, dict) and "results" in payload else payload


def test_the_workflow_made_the_states_the_walk_relies_on(walk):
    data, _ = walk
    national = data.staff["dnapes"]
    people = data.people
    custody = {key: national.api_get(f"/api/v1/custodies/{p.custody}/") for key, p in people.items()}
    intakes = {key: national.api_get(f"/api/v1/intakes/{p.intake}/") for key, p in people.items() if p.intake}

    assert all(intakes[k]["status"] == "completed" for k in "ABCDE")
    assert intakes["F"]["status"] == "in_progress" and intakes["F"]["next_step"]["slug"] == "administration"
    assert custody["A"]["terrorism_related"] and custody["A"]["legal_status"] != "convicted"
    assert custody["B"]["legal_status"] == "convicted"
    assert custody["C"]["facility_code"] == "KLK" and custody["C"]["status"] == "held"
    assert custody["D"]["status"] == "released"
    assert {p["unit_name"] for p in custody["A"]["placements"]} >= {"Quartier désigné J1", "Quartier désigné J2"}

    alerts = _rows(national.api_get("/api/v1/alerts/"))
    kinds = {(a["inmate_id"], a["kind"]) for a in alerts}
    assert (people["E"].inmate, "overdue") in kinds
    # H, held without a valid title: in the prison, the critical alert open, the letter printed.
    assert custody["H"]["status"] == "intake" and custody["H"]["facility_code"] == "BKO"
    assert (people["H"].inmate, "no_title") in kinds and (people["H"].inmate, "no_order") not in kinds
    held = national.api_get(f"/api/v1/presentations/{data.made['presentation']}/")
    assert held["outcome"] == "held" and held["letter_printed_at"]
    refused = national.api_get(f"/api/v1/presentations/{data.made['presentation_refused']}/")
    assert refused["outcome"] == "refused" and refused["custody"] is None
    assert any(a["art129_notice_url"] for a in alerts)

    complaints = _rows(national.api_get("/api/v1/complaints/"))
    allegation = next(c for c in complaints if c["id"] == data.made["allegation"])
    assert allegation["is_allegation"] and allegation["referred_at"]
    transfer = national.api_get(f"/api/v1/transfers/{data.made['transfer']}/")
    assert transfer["status"] == "arrived" and transfer["to_facility_code"] == "KLK"
    assert national.api_get(f"/api/v1/releases/{data.made['release']}/")["person"]["custody"] == people["D"].custody
    for endpoint in ("visits", "classifications", "cell-leaders", "family-notifications", "activities", "enrolments"):
        assert _rows(national.api_get(f"/api/v1/{endpoint}/")), endpoint
