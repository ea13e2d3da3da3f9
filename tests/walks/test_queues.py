"""Work queues (oversight.queues) on the data set made through the workflow: per role, the
counts of what waits for them at both doors (the home page and GET /api/v1/me/queues/), each
linking to a list that opens and lists as many records; need-to-know and prison scoping kept.

The data set (workflow.py): F waits at administration; E's release order is late and his délit
detention overdue; B's classification review is overdue; H is held without a title. Each test
adds what it needs through the same doors (a savepoint rolls it back)."""

import pytest

from .workflow import Person, Workflow

pytestmark = pytest.mark.django_db

LIFE = "/vie-carcerale"
# Queues whose list applies exactly the count's filter (the others list a superset: a prison's
# open transfers, its open complaints).
EXACT = {
    "intake_security",
    "intake_administration",
    "intake_registry",
    "intake_medical",
    "intake_interview",
    "intake_stalled",
    "orders_expiring",
    "releases_due",
    "releases_late",
    "detentions_overdue",
    "detentions_beyond_maximum",
    "held_without_title",
    "presentations_pending",
    "classification_reviews",
    "unplaced",
    "reintegration_due",
}


def _counts(member):
    """{(prison code, queue key): count} from the home page."""
    response = member.get("/")
    return {(q.facility, q.key): q.count for q in response.context["queues"]}


def _queues(member):
    return member.get("/").context["queues"]


def _listed(response):
    """How many records the list page shows (every page of it)."""
    context = response.context[0].flatten()  # the page's own context, before any include's
    if "rows" in context:
        return len(context["rows"])
    if "charges" in context:  # the discipline register
        return len(context["charges"])
    if "outgoing" in context:  # a prison's transfers: both directions
        return len(context["outgoing"]) + len(context["incoming"])
    return context["page"].paginator.count


def test_each_roles_home_page_counts_what_waits_for_it(walk):
    data, _ = walk
    s = data.staff
    clerk = _counts(s["clerk"])
    assert clerk[("BKO", "intake_administration")] == 1  # F
    assert clerk[("BKO", "intake_registry")] == 0
    assert clerk[("BKO", "releases_late")] == 1  # E
    assert {key for _, key in clerk} >= {
        "orders_expiring",
        "releases_due",
        "transfers_to_depart",
        "transfers_to_receive",
    }
    security = _counts(s["security"])
    assert security[("BKO", "intake_security")] == 0
    assert security[("BKO", "classification_reviews")] == 1  # B
    assert security[("BKO", "unplaced")] == 0
    assert set(_counts(s["medical"])) == {("BKO", "intake_medical"), ("BKO", "complaints_addressed"),
                                          ("BKO", "isolation_visits_due"), ("BKO", "force_without_examination")}
    assert _counts(s["social"])[("BKO", "intake_interview")] == 0
    director = _counts(s["director"])
    assert director[("BKO", "held_without_title")] == 1  # H
    assert director[("BKO", "detentions_overdue")] == 1  # E (art. 129)
    assert director[("BKO", "releases_late")] == 1
    assert director[("BKO", "allegations_not_referred")] == 0  # A's was referred
    assert director[("BKO", "presentations_pending")] == 0
    national = _counts(s["dnapes"])
    assert national[("", "detentions_overdue")] == 1
    assert national[("", "releases_late")] == 1
    assert national[("", "held_without_title")] == 1
    # A system administrator and a superuser without a role have no prison work.
    assert _queues(s["admin"]) == [] and _queues(s["superuser"]) == []


def test_an_arrival_moves_from_each_roles_queue_to_the_next(own_people):
    walk = own_people
    data, _ = walk
    s, flow = data.staff, Workflow(data)
    x = flow.arrival(Person("X", "TRAORE", "Lassana"))
    assert _counts(s["security"])[("BKO", "intake_security")] == 1
    flow.security(x, "A2")
    assert _counts(s["security"])[("BKO", "intake_security")] == 0
    assert _counts(s["clerk"])[("BKO", "intake_administration")] == 2  # F and X
    flow.administration(x)
    assert _counts(s["clerk"])[("BKO", "intake_registry")] == 1
    flow.registry(x)
    assert _counts(s["medical"])[("BKO", "intake_medical")] == 1
    flow.medical(x)
    assert _counts(s["medical"])[("BKO", "intake_medical")] == 0
    assert _counts(s["social"])[("BKO", "intake_interview")] == 1
    flow.interview(x)
    assert _counts(s["social"])[("BKO", "intake_interview")] == 0


def test_transfers_and_complaints_reach_the_queues_of_those_who_act(walk):
    data, _ = walk
    s, b, a = data.staff, data.people["B"], data.people["A"]
    transfer = s["clerk"].submit(
        f"{LIFE}/sejours/{b.custody}/transfert/",
        {
            "to_facility": data.facilities["KLK"],
            "reason": "Rapprochement familial",
            "escort": "Garde nationale",
            "property_seal_number": "SC-T-119",
            "property_notes": "",
        },
    )
    pk = int(transfer.rstrip("/").rsplit("/", 1)[1])
    assert _counts(s["director"])[("BKO", "transfers_to_approve")] == 1
    s["director"].post(f"{LIFE}/transferts/{pk}/approuver/")
    assert _counts(s["director"])[("BKO", "transfers_to_approve")] == 0
    assert _counts(s["clerk"])[("BKO", "transfers_to_depart")] == 1
    s["clerk"].post(
        f"{LIFE}/transferts/{pk}/depart/",
        {
            "escort": "Garde nationale, véhicule GN-215",
            "property_seal_number": "SC-T-119",
            "property_notes": "",
        },
    )
    assert _counts(s["clerk"])[("BKO", "transfers_to_depart")] == 0
    assert _counts(s["clerk_klk"])[("KLK", "transfers_to_receive")] == 1
    # A complaint addressed to the social worker; an allegation not yet referred.
    s["clerk"].post(
        f"{LIFE}/sejours/{a.custody}/plainte/",
        {
            "complainant_kind": "detainee",
            "channel": "oral",
            "subject": "Demande d'entretien",
            "details": "Souhaite parler de sa famille.",
            "addressed_to": s["social"].user.pk,
        },
    )
    s["clerk"].post(
        f"{LIFE}/sejours/{b.custody}/plainte/",
        {
            "complainant_kind": "detainee",
            "channel": "oral",
            "subject": "Coups reçus en cellule",
            "details": "Dit avoir été frappé par un surveillant.",
            "is_allegation": "on",
            "addressed_to": "",
        },
    )
    assert _counts(s["social"])[("BKO", "complaints_addressed")] == 1
    assert _counts(s["clerk"])[("BKO", "complaints_addressed")] == 0
    assert _counts(s["director"])[("BKO", "allegations_not_referred")] == 1
    assert _counts(s["dnapes"])[("BKO", "allegations_not_referred")] == 1
    assert ("BKO", "allegations_not_referred") not in _counts(s["clerk"])


@pytest.mark.parametrize(
    "role", ["clerk", "security", "medical", "social", "director", "clerk_klk", "director_klk", "dnapes"]
)
def test_every_queue_links_to_a_list_that_shows_its_records(walk, role):
    data, _ = walk
    member = data.staff[role]
    queues = _queues(member)
    assert queues, f"{role}: no work queue"
    for queue in queues:
        response = member.get(queue.url)
        listed = _listed(response)
        if queue.key in EXACT:
            assert listed == queue.count, (role, queue.key, queue.url)
        else:
            assert listed >= queue.count, (role, queue.key, queue.url)
        assert f'href="{queue.url.replace("&", "&amp;")}"' in member.get("/").content.decode()


@pytest.mark.parametrize("role", ["clerk", "security", "medical", "social", "director", "dnapes", "admin"])
def test_the_api_gives_the_same_queues_as_the_home_page(walk, role):
    data, _ = walk
    member = data.staff[role]
    page = [(q.facility, q.key, q.count, q.url, str(q.label)) for q in _queues(member)]
    api = [
        (q["facility"], q["key"], q["count"], q["url"], q["label"])
        for q in member.api_get("/api/v1/me/queues/")["queues"]
    ]
    assert api == page


def test_the_medical_queue_is_counted_for_medical_staff_only(walk):
    data, _ = walk
    for role, member in data.staff.items():
        keys = {key for _, key in _counts(member)} if role != "norole" else set()
        assert ("intake_medical" in keys) == (role == "medical"), role


def test_a_prisons_staff_count_only_their_prisons_records(walk):
    data, _ = walk
    for role in ("clerk_klk", "director_klk"):
        counts = _counts(data.staff[role])
        assert {code for code, _ in counts} == {"KLK"}
        assert all(n == 0 for n in counts.values()), (role, counts)
    for role in ("clerk", "security", "medical", "social", "director"):
        assert {code for code, _ in _counts(data.staff[role])} == {"BKO"}


def test_the_home_page_shows_the_work_first(walk):
    data, _ = walk
    html = data.staff["clerk"].get("/").content.decode()
    assert html.index(">À faire</h2>") < html.index("<h1>Tableau de bord</h1>")
    assert (
        "Arrivées en attente de l&#x27;administration" in html
        or "Arrivées en attente de l'administration" in html
    )
    assert 'href="/ecrou/?facility=BKO&amp;etape=administration"' in html


def test_the_inspectors_registers_put_their_waiting_items_in_the_queues(walk):
    """Issue 14's registers, on the workflow's data: A's charge heard and not decided; B's
    isolation visited today; A's leg restraint neither examined nor reported; B's attempted
    suicide with the judicial authority still to inform."""
    data, _ = walk
    s = data.staff
    director, medical, security = _counts(s["director"]), _counts(s["medical"]), _counts(s["security"])
    assert director[("BKO", "discipline_to_decide")] == 1
    assert medical[("BKO", "isolation_visits_due")] == 0
    assert medical[("BKO", "force_without_examination")] == 1
    assert director[("BKO", "force_not_reported")] == 1
    assert director[("BKO", "incidents_authority")] == security[("BKO", "incidents_authority")] == 1
    assert ("BKO", "discipline_to_decide") not in security and ("BKO", "force_without_examination") not in security
    assert not any(key.startswith(("discipline", "isolation", "force", "incidents"))
                   for (_code, key) in _counts(s["social"]))
