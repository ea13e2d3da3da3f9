"""Benchmark of the deadline sweep and the national backlog report (PostgreSQL only).

Seeds N pre-trial detentions with COPY (its own database: the tables of detainees and cases
are emptied first, so the database name must contain "bench"), computes their deadlines,
then times (a) the sweep and (b) the national backlog report against hand-written SQL that
computes the same results, and prints each time and the ratio.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/deadlinebench make bench BENCH_N=1000000
"""

import csv
import datetime
import io
import json
import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.utils import timezone

from casework.deadlines.backlog import backlog
from casework.deadlines.compute import limit_values, store_deadlines
from casework.deadlines.recompute import recompute
from casework.deadlines.sweep import approaching_days, no_hearing_days, sweep
from casework.models import Case, Charge, Court, DeadlineAlert, DetentionOrder, Hearing
from inmates.models import Custody, Inmate, PriorCustody
from inmates.names import name_fields
from prisons.models import Facility

TARGETS = {"sweep": (10.0, 2.0), "report": (1.0, 1.5)}  # seconds at 1 M, ratio to hand-written SQL
JUDGES = [f"M. {name} {i}" for i, name in enumerate(["Diarra", "Traoré", "Keïta", "Coulibaly", "Konaté",
                                                      "Sissoko", "Touré", "Cissé", "Maïga", "Sangaré"] * 20)]
LAST_NAMES = ["TRAORÉ", "DIARRA", "KEÏTA", "COULIBALY", "KONATÉ", "SIDIBÉ", "TOURÉ", "MAÏGA", "CISSÉ", "DIALLO"]
FIRST_NAMES = ["Mamadou", "Moussa", "Aminata", "Oumar", "Fatoumata", "Ibrahim", "Seydou", "Awa", "Boubacar"]


def _db_value(field, value, now):
    if value is None and not field.null and (getattr(field, "auto_now", False)
                                             or getattr(field, "auto_now_add", False)):
        value = now
    if value is None:
        return r"\N"
    if isinstance(field, models.BooleanField):
        return "t" if value else "f"
    if isinstance(field, models.JSONField):
        return json.dumps(value)
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    return value


def copy_rows(model, rows: list[dict]) -> None:
    """COPY rows (attname → value) into the model's table; unlisted fields take their default."""
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([_db_value(f, row[f.attname] if f.attname in row else f.get_default(), now)
                         for f in fields])
    buffer.seek(0)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {model._meta.db_table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer)


def _next_id(model):
    return (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1


def _reset_sequence(model):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{model._meta.db_table}', 'id'), "
                       f"(SELECT COALESCE(MAX(id), 1) FROM {model._meta.db_table}))")


def timed(fn, repeat=3):
    """Best of `repeat` runs (seconds) and the last result."""
    best, result = None, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, result


# --- hand-written SQL computing the same results ------------------------------------------------

SWEEP_SQL = """
WITH scope AS (
    SELECT * FROM casework_casedeadline WHERE active
), wanted AS (
    SELECT case_id, NULL::date AS due, 'no_order' AS kind FROM scope WHERE NOT has_order
    UNION ALL SELECT case_id, NULL, 'police_custody' FROM scope WHERE police_custody_exceeded
    UNION ALL SELECT case_id, deadline_on, 'overdue' FROM scope WHERE deadline_on < %(today)s
    UNION ALL SELECT case_id, max_on, 'beyond_max' FROM scope WHERE max_on < %(today)s
    UNION ALL SELECT case_id, deadline_on, 'approaching' FROM scope
        WHERE deadline_on >= %(today)s AND (deadline_on <= %(soon)s OR renewal_window_from <= %(today)s)
    UNION ALL SELECT case_id, NULL, 'no_hearing' FROM scope s WHERE hearing_reference_on < %(since)s
        AND NOT EXISTS (SELECT 1 FROM casework_hearing h WHERE h.case_id = s.case_id
                        AND h.date BETWEEN %(since)s AND %(today)s AND h.outcome <> 'not_produced')
), closed AS (
    UPDATE casework_deadlinealert a SET closed_at = now(), close_reason = CASE
        WHEN d.case_id IS NULL OR NOT d.active THEN
            CASE WHEN cu.status NOT IN ('intake', 'held') THEN 'release' ELSE 'judgment' END
        WHEN a.kind = 'approaching' AND d.deadline_on < %(today)s THEN 'deadline_passed'
        WHEN a.kind IN ('approaching', 'overdue') THEN 'renewal'
        WHEN a.kind = 'no_order' THEN 'order' WHEN a.kind = 'no_hearing' THEN 'hearing' ELSE 'changed' END
    FROM casework_case c JOIN inmates_custody cu ON cu.id = c.custody_id
    LEFT JOIN casework_casedeadline d ON d.case_id = c.id
    WHERE a.case_id = c.id AND a.closed_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM wanted w WHERE w.case_id = a.case_id AND w.kind = a.kind)
    RETURNING a.id
), dated AS (
    UPDATE casework_deadlinealert a SET due_on = w.due FROM wanted w
    WHERE a.closed_at IS NULL AND w.case_id = a.case_id AND w.kind = a.kind
      AND a.kind IN ('approaching', 'overdue', 'beyond_max') AND a.due_on IS DISTINCT FROM w.due
    RETURNING a.id
)
INSERT INTO casework_deadlinealert (case_id, custody_id, due_on, kind, opened_at, close_reason)
SELECT w.case_id, c.custody_id, w.due, w.kind, now(), '' FROM wanted w JOIN casework_case c ON c.id = w.case_id
WHERE NOT EXISTS (SELECT 1 FROM casework_deadlinealert a
                  WHERE a.case_id = w.case_id AND a.kind = w.kind AND a.closed_at IS NULL)
ON CONFLICT DO NOTHING
"""

REPORT_SQL = {
    "facilities": """
        SELECT f.id, f.official_capacity,
               count(c.id) FILTER (WHERE c.status IN ('intake', 'held')),
               count(c.id) FILTER (WHERE c.status IN ('intake', 'held') AND c.legal_status IN ('suspect', 'charged')),
               count(c.id) FILTER (WHERE c.status IN ('intake', 'held') AND c.terrorism_related),
               count(c.id) FILTER (WHERE c.status IN ('intake', 'held') AND c.terrorism_related
                                   AND c.legal_status IN ('suspect', 'charged'))
        FROM prisons_facility f LEFT JOIN inmates_custody c ON c.facility_id = f.id
        GROUP BY f.id ORDER BY f.name""",
    # Nearest-rank percentiles over a histogram by day (percentile_disc over a million rows
    # sorts them all: about five times slower here).
    "days": """
        WITH h AS (
            SELECT %(today)s::date - (COALESCE(arrested_at, admitted_at) AT TIME ZONE 'Africa/Bamako')::date AS d,
                   count(*) AS n
            FROM inmates_custody WHERE status IN ('intake', 'held') AND legal_status IN ('suspect', 'charged')
            GROUP BY 1
        ), c AS (SELECT d, n, sum(n) OVER (ORDER BY d) AS cum, sum(n) OVER () AS total FROM h)
        SELECT min(d) FILTER (WHERE cum >= ceil(0.5 * total)), min(d) FILTER (WHERE cum >= ceil(0.9 * total)),
               coalesce(sum(n) FILTER (WHERE d < 30), 0), coalesce(sum(n) FILTER (WHERE d >= 30 AND d < 183), 0),
               coalesce(sum(n) FILTER (WHERE d >= 183 AND d < 365), 0),
               coalesce(sum(n) FILTER (WHERE d >= 365 AND d < 730), 0),
               coalesce(sum(n) FILTER (WHERE d >= 730 AND d < 1096), 0), coalesce(sum(n) FILTER (WHERE d >= 1096), 0)
        FROM c""",
    "alerts": "SELECT kind, count(*) FROM casework_deadlinealert WHERE closed_at IS NULL GROUP BY kind",
    "judges": """
        SELECT court_id, investigating_judge, count(*), count(*) FILTER (WHERE deadline_on < %(today)s)
        FROM casework_casedeadline WHERE active GROUP BY court_id, investigating_judge""",
}


def report_by_sql(today):
    params = {"today": today}
    out = {}
    with connection.cursor() as cursor:
        for name, sql in REPORT_SQL.items():
            cursor.execute(sql, params)
            out[name] = cursor.fetchall()
    return out


class Command(BaseCommand):
    help = "Benchmark du balayage des échéances et du bilan national (PostgreSQL, base dédiée)."

    def add_arguments(self, parser):
        parser.add_argument("--n", type=int, default=100_000, help="Nombre de détentions provisoires à créer.")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--keep", action="store_true", help="Réutiliser les données déjà créées.")
        parser.add_argument("--only", choices=["sweep", "report"], help="Ne mesurer que le balayage ou le bilan.")

    def handle(self, *args, n, seed, keep, only=None, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Le benchmark demande PostgreSQL (DATABASE_URL=postgres://…/deadlinebench).")
        if "bench" not in connection.settings_dict["NAME"]:
            raise CommandError("Par sécurité, le nom de la base doit contenir « bench » (ses tables sont vidées).")
        today = timezone.localdate()
        if not keep:
            start = time.perf_counter()
            self.seed(n, random.Random(seed), today)
            self.stdout.write(f"seed: {n} détentions provisoires en {time.perf_counter() - start:.1f} s")
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh statistics after COPY, as autovacuum would give
            start = time.perf_counter()
            ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
            store_deadlines(ids, limit_values(), contiguous=True)
            elapsed = time.perf_counter() - start
            self.stdout.write(f"échéances, recalcul complet (lots par plage d'ids) : {len(ids)} en {elapsed:.1f} s "
                              f"(cible à 1 M : ≤ 30 s)")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        if only != "report":
            self.bench_sweep(today)
        if only != "sweep":
            self.bench_report(today)

    # --- seeding ------------------------------------------------------------------------------

    def seed(self, n, rnd, today):
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE casework_deadlinealert, casework_casedeadline, casework_backlogsnapshot, "
                           "casework_sweeprun, "
                           "casework_hearing, casework_judgment, casework_detentionorder, casework_charge, "
                           "casework_case, inmates_priorcustody, inmates_custody, inmates_inmate CASCADE")
        facilities = list(Facility.objects.values_list("pk", flat=True))
        weights = [40 if i == 0 else 1 for i in range(len(facilities))]  # one very crowded central prison
        courts = list(Court.objects.values_list("pk", flat=True))
        now = timezone.now()
        chunk = 100_000
        ids = {m: _next_id(m) for m in (Inmate, Custody, Case, Charge, DetentionOrder, Hearing, PriorCustody)}
        for offset in range(0, n, chunk):
            size = min(chunk, n - offset)
            inmates, custodies, cases, charges, orders, hearings, priors = [], [], [], [], [], [], []
            for _i in range(size):
                inmate_id, custody_id, case_id = ids[Inmate], ids[Custody], ids[Case]
                ids[Inmate] += 1
                ids[Custody] += 1
                ids[Case] += 1
                last, first = rnd.choice(LAST_NAMES), rnd.choice(FIRST_NAMES)
                inmates.append({"id": inmate_id, "last_name": last, "first_name": first, "sex": "M",
                                "birth_year": rnd.randint(1960, 2005), **name_fields(last, first)})
                admitted = now - datetime.timedelta(days=int(rnd.expovariate(1 / 300)) % 1800,
                                                    hours=rnd.randint(0, 23))
                terrorism = rnd.random() < 0.06
                custodies.append({"id": custody_id, "inmate_id": inmate_id, "status": "held",
                                  "facility_id": rnd.choices(facilities, weights)[0], "admitted_at": admitted,
                                  "arrested_at": admitted - datetime.timedelta(hours=rnd.randint(24, 400)),
                                  "arresting_force": "police", "legal_status": "charged",
                                  "terrorism_related": terrorism})
                cases.append({"id": case_id, "custody_id": custody_id, "court_id": rnd.choice(courts),
                              "case_number": f"RI-{case_id}", "investigating_judge": rnd.choice(JUDGES),
                              "legal_status": "charged", "opened_on": admitted.date()})
                roll = rnd.random()
                legal_class = "crime" if terrorism or roll < 0.25 else "delit"
                charges.append({"id": ids[Charge], "case_id": case_id, "offence": "Infraction",
                                "legal_class": legal_class, "terrorism_related": terrorism, "status": "current",
                                "max_penalty_months": 240 if legal_class == "crime" else (12 if roll > 0.85 else 36)})
                ids[Charge] += 1
                if rnd.random() < 0.97:
                    order_id = ids[DetentionOrder]
                    orders.append({"id": order_id, "case_id": case_id, "kind": "committal",
                                   "issued_on": admitted.date(), "issued_by": "Juge d'instruction"})
                    ids[DetentionOrder] += 1
                    if rnd.random() < 0.3:
                        issued = admitted.date() + datetime.timedelta(days=170)
                        orders.append({"id": ids[DetentionOrder], "case_id": case_id, "kind": "renewal",
                                       "renews_id": order_id, "issued_on": issued, "issued_by": "Juge",
                                       "valid_until": issued + datetime.timedelta(days=180)})
                        ids[DetentionOrder] += 1
                if rnd.random() < 0.5:
                    date = admitted.date() + datetime.timedelta(days=rnd.randint(0, 400))
                    hearings.append({"id": ids[Hearing], "case_id": case_id, "kind": "examination",
                                     "date": min(date, today), "outcome": "held"})
                    ids[Hearing] += 1
                if rnd.random() < 0.2:
                    started = admitted - datetime.timedelta(hours=rnd.randint(30, 240))
                    priors.append({"id": ids[PriorCustody], "custody_id": custody_id, "kind": "gendarmerie",
                                   "place": "Camp I", "started_at": started,
                                   "ended_at": started + datetime.timedelta(hours=rnd.randint(24, 150))})
                    ids[PriorCustody] += 1
            with transaction.atomic():
                for model, rows in ((Inmate, inmates), (Custody, custodies), (Case, cases), (Charge, charges),
                                    (DetentionOrder, orders), (Hearing, hearings), (PriorCustody, priors)):
                    copy_rows(model, rows)
        for model in ids:
            _reset_sequence(model)

    # --- timings ------------------------------------------------------------------------------

    def line(self, name, ours, sql, size):
        limit, ratio_limit = TARGETS[name.split(" ")[0]]
        ratio = ours / sql if sql else float("inf")
        note = f"(cible à 1 M : ≤ {limit:g} s et ≤ {ratio_limit:g}× le SQL)"
        self.stdout.write(f"{name:<34} ORM {ours:8.3f} s | SQL {sql:8.3f} s | ratio {ratio:5.2f} {note}")

    def bench_sweep(self, today):
        params = {"today": today, "soon": today + datetime.timedelta(days=approaching_days()),
                  "since": today - datetime.timedelta(days=no_hearing_days())}

        def alert_counts():
            return sorted(DeadlineAlert.objects.filter(closed_at__isnull=True).values_list("kind")
                          .annotate(n=models.Count("id")).order_by())

        def hand_sql():
            with connection.cursor() as cursor:
                cursor.execute(SWEEP_SQL, params)

        def empty():
            with connection.cursor() as cursor:
                cursor.execute("TRUNCATE casework_deadlinealert CASCADE")

        def alert_rows():
            """Every alert, row for row: case, kind, due date, open or not, close reason."""
            rows = DeadlineAlert.objects.values_list("case_id", "kind", "due_on", "closed_at", "close_reason")
            return sorted(((case, kind, due, closed is None, reason) for case, kind, due, closed, reason in rows),
                          key=str)

        def check(ours, sql, what):
            if ours != sql:
                diff = sorted(set(ours) ^ set(sql), key=str)[:10]
                raise CommandError(f"{what} : alertes différentes du SQL ({len(ours)} / {len(sql)}), ex. {diff}")

        size = Case.objects.count()
        # First run: every alert is opened (a full sweep, as the first run ever).
        empty()
        start = time.perf_counter()
        sweep(today=today, full=True)
        ours_first = time.perf_counter() - start
        ours_counts, ours_rows = alert_counts(), alert_rows()
        empty()
        start = time.perf_counter()
        hand_sql()
        sql_first = time.perf_counter() - start
        check(ours_rows, alert_rows(), "premier balayage")
        self.stdout.write(f"alertes ouvertes ({size} affaires) : {dict(ours_counts)} — identiques au SQL, ligne à ligne")
        self.ratio_line("sweep (first run, opens all)", ours_first, sql_first, "≤ 1.2× le SQL")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE casework_deadlinealert")  # after the bulk insert, as autovacuum would
        # Steady state: a nightly re-run with nothing new (incremental: the index on the next change).
        ours_again, result = timed(lambda: sweep(today=today))
        sql_again, _ = timed(hand_sql)
        check(alert_rows(), ours_rows, "balayage répété")
        self.ratio_line(f"sweep (nightly re-run, {result.swept} cases)", ours_again, sql_again, "≤ 1 s à 1 M")
        # The next night: the date advances, the cases whose alerts change that day are swept.
        tomorrow = today + datetime.timedelta(days=1)
        start = time.perf_counter()
        result = sweep(today=tomorrow)
        ours_next = time.perf_counter() - start
        ours_rows = alert_rows()
        params.update(today=tomorrow, soon=tomorrow + datetime.timedelta(days=approaching_days()),
                      since=tomorrow - datetime.timedelta(days=no_hearing_days()))
        start = time.perf_counter()
        hand_sql()   # the same night by hand over every case: it must find nothing left to change
        sql_next = time.perf_counter() - start
        check(ours_rows, alert_rows(), "nuit suivante")
        self.ratio_line(f"sweep (next night, {result.swept} cases)", ours_next, sql_next, "≤ 1 s à 1 M")
        # The weekly safety net: every deadline recomputed from the records, every case swept.
        start = time.perf_counter()
        run = recompute(everything=True, today=tomorrow)
        weekly = time.perf_counter() - start
        check(alert_rows(), ours_rows, "balayage hebdomadaire complet")
        self.stdout.write(f"{'weekly full sweep (recompute all)':<34} {weekly:8.3f} s for {run.done} cases, "
                          "alerts unchanged (cible à 1 M : ≤ 30 s pour le recalcul)")

    def ratio_line(self, name, ours, sql, goal):
        ratio = ours / sql if sql else float("inf")
        self.stdout.write(f"{name:<34} ORM {ours:8.3f} s | SQL {sql:8.3f} s | ratio {ratio:5.2f} (cible : {goal})")

    def bench_report(self, today):
        ours, report = timed(lambda: backlog(today=today), repeat=5)
        sql, raw = timed(lambda: report_by_sql(today), repeat=5)
        median, p90, *buckets = (int(v) if v is not None else None for v in raw["days"][0])
        checks = {
            "median": (report["median_days_untried"], median),
            "p90": (report["p90_days_untried"], p90),
            "buckets": ([b["count"] for b in report["buckets"]], list(buckets)),
            # Every prison in the SQL; the report keeps those out of service apart (prisons.figures).
            "held": (report["totals"]["held"] + report["totals"]["apart"]["held"],
                     sum(r[2] for r in raw["facilities"])),
            "untried": (report["totals"]["untried"] + report["totals"]["apart"]["untried"],
                        sum(r[3] for r in raw["facilities"])),
            "alerts": ({a["kind"]: a["count"] for a in report["alerts"] if a["count"]}, dict(raw["alerts"])),
            "judges": (sum(j["untried"] for j in report["by_court"]), sum(r[2] for r in raw["judges"])),
        }
        wrong = {k: v for k, v in checks.items() if v[0] != v[1]}
        if wrong:
            raise CommandError(f"Bilan différent du SQL : {wrong}")
        self.stdout.write(f"bilan : médiane {median} j, 90e centile {p90} j, tranches {list(buckets)}")
        self.line("report (national backlog)", ours, sql, report["totals"]["untried"])
