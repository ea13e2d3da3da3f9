"""Which server the walk is answered as: `WALK_SITE_MODE` = single (the default, `make run`),
prison (Bamako's server: SITE_MODE=prison, SITE_FACILITY=BKO) or national (the national server).

`WALK_ROLES` (comma-separated keys of workflow.ACCOUNTS) narrows the every-role walk to those roles.
`make test` walks the single site in full, then the prison and the national server with
`make test-walks-modes` (see the Makefile for the roles and tests chosen, and why)."""

import os

PRISON = "BKO"
MODES = ("single", "prison", "national")


def mode() -> str:
    value = os.environ.get("WALK_SITE_MODE", "single").strip().lower() or "single"
    if value not in MODES:
        raise ValueError(f"WALK_SITE_MODE must be one of {', '.join(MODES)}, not {value!r}")
    return value


def settings() -> dict:
    return {"single": {"SITE_MODE": "single", "SITE_FACILITY": ""},
            "prison": {"SITE_MODE": "prison", "SITE_FACILITY": PRISON},
            "national": {"SITE_MODE": "national", "SITE_FACILITY": ""}}[mode()]


def describe() -> str:
    return {"single": "a single all-in-one site", "prison": f"the prison server of {PRISON}",
            "national": "the national server"}[mode()]


def forget_caches():
    """The exchange's per-process caches (the site's facility id, related records' ids)."""
    from sync import ownership, payload

    ownership._facility_id.cache_clear()
    payload.forget_all()


def roles(accounts) -> list:
    """The roles the every-role walk opens every route as: all of them, or those of WALK_ROLES."""
    wanted = [r.strip() for r in os.environ.get("WALK_ROLES", "").split(",") if r.strip()]
    unknown = [r for r in wanted if r not in accounts]
    if unknown:
        raise ValueError(f"WALK_ROLES: unknown roles {unknown}; known: {', '.join(accounts)}")
    return wanted or list(accounts)
