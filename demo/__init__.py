"""Deterministic demo data (`manage.py seed_demo`): units, detainees, custodies, cases, and
one account per role.

The top layer, beside `oversight`: it drives every app below it. Bulk rows for the people
held come from the generator (`demo.generator`, `demo.people`, `demo.custody`), drawn from
`random.Random(seed)` (no unseeded Faker), chunk by chunk, so one seed always gives the same
people. Rows are written with `bulk_create` in batches; on PostgreSQL, with COPY fed by forked
generating processes (`demo.pgcopy`), so that a million detainees load in minutes. The derived
fields are set exactly as the services would set them: legal statuses through
`casework.status`, `search_text` and `name_keys` through `inmates.names.name_fields`, prisoner
numbers through `inmates.services.format_prisoner_number`.

Per-row services (and their audit entries) are bypassed on purpose for those rows: one audit
entry records the load. Arrivals still in intake go through the intake workflow
(`intake.services.register_arrival`), the monitor's authorisation and the judge's profile
through their services, the deadlines through the nightly sweep. Every service is called
directly: a renamed service fails at import, loudly (tests/demo/test_seed_demo.py).

Proportions follow LAW.md "Population figures" and DESIGN.md §1: Bamako Central Prison
holds about half the national population (3,590 for 400 places), about 81% of it untried;
nationally 55–60% untried; about 4–5% of detainees are held in terrorism-related cases,
almost all at Bamako and Koulikoro, very few of them tried.
"""
