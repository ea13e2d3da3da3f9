"""Small-count protection for aggregate tables (pure rules, no database).

A table is a set of cells (key → count) and the sums the report also shows: each *line*
says `sum(members) == total`, where the total is itself a cell (a facility's population,
a national figure). The rules:

- primary: every count below THRESHOLD (0 to 4) is shown as "< 5";
- secondary: a hidden count must not be recoverable from the figures that are shown.
  A reader knows that a "< 5" cell lies in 0–4 and that a cell hidden for protection
  ("n.d.") is at least 5. We propagate those bounds through every line until nothing
  tightens (the check statistical offices run, in a simpler interval form). While a hidden
  count of 1 to 4 comes out as a single value, one more figure is hidden: the smallest
  that stops the leak among those sharing a line with it (or with a cell the reader can
  compute exactly); when a line has only one hidden cell this is "the next smallest" of
  that line. A hidden cell shown to be 0 is not a disclosure: it identifies nobody.

Totals computed from the whole population are cells like any other: they are shown only
while they cannot reveal a hidden cell, and a total shared by several tables (a facility's
population) is one cell, hidden everywhere at once if it must be hidden.
"""

from collections import defaultdict

THRESHOLD = 5
SHOWN, PRIMARY, SECONDARY = "shown", "primary", "secondary"
_BIG = 10**12  # "no upper bound" for a cell hidden for protection


def _bounds(values, status, threshold):
    lo, hi = {}, {}
    for key, value in values.items():
        state = status[key]
        if state == SHOWN:
            lo[key] = hi[key] = value
        elif state == PRIMARY:
            lo[key], hi[key] = 0, threshold - 1
        else:
            lo[key], hi[key] = threshold, _BIG
    return lo, hi


def feasible_bounds(values, status, lines, threshold=THRESHOLD, max_sweeps=60):
    """What a reader can infer about each cell: (lo, hi) after propagating every line."""
    lo, hi = _bounds(values, status, threshold)
    for _ in range(max_sweeps):
        changed = False
        for members, total in lines:
            sum_lo = sum(lo[m] for m in members)
            sum_hi = sum(hi[m] for m in members)
            if sum_lo > lo[total]:
                lo[total], changed = sum_lo, True
            if sum_hi < hi[total]:
                hi[total], changed = sum_hi, True
            for m in members:
                new_lo = lo[total] - (sum_hi - hi[m])
                new_hi = hi[total] - (sum_lo - lo[m])
                if new_lo > lo[m]:
                    sum_lo += new_lo - lo[m]
                    lo[m], changed = new_lo, True
                if new_hi < hi[m]:
                    sum_hi -= hi[m] - new_hi
                    hi[m], changed = new_hi, True
        if not changed:
            break
    return lo, hi


def disclosed(values, status, lines, threshold=THRESHOLD):
    """Hidden cells of 1 to 4 that a reader could compute exactly from what is shown."""
    return _audit(values, status, lines, threshold)[0]


def _audit(values, status, lines, threshold):
    lo, hi = feasible_bounds(values, status, lines, threshold)
    pinned = sorted((k for k, s in status.items() if s != SHOWN and lo[k] == hi[k]), key=repr)
    leaks = [k for k in pinned if status[k] == PRIMARY and values[k] > 0]
    return leaks, pinned


def protect(values: dict, lines: list, threshold: int = THRESHOLD, *, initial: dict | None = None,
            frozen=frozenset(), max_trials: int = 40) -> dict:
    """The status of each cell: SHOWN, PRIMARY ("< 5") or SECONDARY (hidden to protect another).

    `lines` is a list of (members, total): sum of the members' values == the total's value.
    `initial` fixes the status of some cells (totals protected elsewhere); `frozen` cells
    (totals shared with other tables) are hidden only when nothing else can be.
    Each step hides the smallest figure that stops the first leak, chosen among the figures
    sharing a line with a cell the reader can compute exactly.
    """
    status = {k: (PRIMARY if v < threshold else SHOWN) for k, v in values.items()}
    status.update(initial or {})
    lines_of = defaultdict(list)
    for line in lines:
        members, total = line
        for key in (*members, total):
            lines_of[key].append(line)
    while True:
        leaks, pinned = _audit(values, status, lines, threshold)
        if not leaks:
            return status
        first = leaks[0]
        near = _candidates([first], status, values, lines_of, frozen)
        around = _candidates([k for k in pinned if k != first], status, values, lines_of, frozen)
        choice = None
        for key in sorted(set(near) | set(around), key=lambda k: (values[k], repr(k)))[:max_trials]:
            status[key] = SECONDARY
            if first not in _audit(values, status, lines, threshold)[0]:
                choice = key
            status[key] = SHOWN
            if choice:
                break
        if choice is None:
            pool = near or around or _candidates([first, *pinned], status, values, lines_of, ()) or [
                k for k, state in status.items() if state == SHOWN]
            if not pool:
                return status
            choice = min(pool, key=lambda k: (values[k], repr(k)))
        status[choice] = SECONDARY


def _candidates(keys, status, values, lines_of, frozen):
    """Figures still shown that share a line with one of `keys` (frozen ones left out)."""
    found = set()
    for key in keys:
        for members, total in lines_of[key]:
            for m in (*members, total):
                if status[m] == SHOWN and m not in frozen:
                    found.add(m)
    return sorted(found, key=lambda k: (values[k], repr(k)))


def display(value, state, threshold=THRESHOLD):
    """The text of a cell: its count, "< 5", or "n.d." (hidden so that a small count stays hidden)."""
    if state == SHOWN:
        return value
    if state == PRIMARY:
        return f"< {threshold}"
    return "n.d."
