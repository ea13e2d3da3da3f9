"""Small-count protection: pure rules, checked by hand and against a brute-force attacker."""

import itertools
import random

from oversight.suppression import PRIMARY, SECONDARY, SHOWN, disclosed, display, protect


def _grid(cells):
    """A 2-D table {(row, col): n} with row totals, column totals and a grand total, as lines."""
    rows = sorted({r for r, _c in cells})
    cols = sorted({c for _r, c in cells})
    values = dict(cells)
    lines = []
    for r in rows:
        values[(r, "T")] = sum(cells[(r, c)] for c in cols)
        lines.append(([(r, c) for c in cols], (r, "T")))
    for c in cols:
        values[("T", c)] = sum(cells[(r, c)] for r in rows)
        lines.append(([(r, c) for r in rows], ("T", c)))
    values[("T", "T")] = sum(cells.values())
    lines.append(([(r, "T") for r in rows], ("T", "T")))
    lines.append(([("T", c) for c in cols], ("T", "T")))
    return values, lines


def test_four_is_hidden_and_five_is_shown():
    status = protect({"a": 4, "b": 5, "t": 9}, [])
    assert status == {"a": PRIMARY, "b": SHOWN, "t": SHOWN}
    assert display(4, status["a"]) == "< 5"
    assert display(5, status["b"]) == 5


def test_zero_is_shown_as_below_five_too():
    assert display(0, protect({"a": 0}, [])["a"]) == "< 5"


def test_a_total_that_would_give_away_the_only_hidden_cell_hides_the_next_smallest():
    # 3 + 7 = 10: with the total shown, the 3 is 10 - 7. The 7 must go too.
    values = {"a": 3, "b": 7, "c": 12, "t": 22}
    status = protect(values, [(["a", "b", "c"], "t")])
    assert status["a"] == PRIMARY
    assert status["b"] == SECONDARY  # the next smallest, not the 12
    assert status["c"] == SHOWN and status["t"] == SHOWN
    assert display(7, status["b"]) == "n.d."
    assert disclosed(values, status, [(["a", "b", "c"], "t")]) == []


def test_two_small_cells_are_enough_when_their_sum_leaves_room():
    values = {"a": 3, "b": 2, "c": 12, "t": 17}
    status = protect(values, [(["a", "b", "c"], "t")])
    assert [status[k] for k in "abct"] == [PRIMARY, PRIMARY, SHOWN, SHOWN]


def test_two_fours_are_given_away_by_their_sum_so_a_third_cell_is_hidden():
    # 4 + 4 = 8 and each is at most 4: both would be known exactly.
    values = {"a": 4, "b": 4, "c": 9, "t": 17}
    status = protect(values, [(["a", "b", "c"], "t")])
    assert status["c"] == SECONDARY
    assert disclosed(values, status, [(["a", "b", "c"], "t")]) == []


def test_a_line_of_small_cells_and_a_small_total_hides_the_total():
    # a (3) and b (0) both hidden; total 3 shown would give: a + b = 3 (not exact). Fine.
    values = {"a": 3, "b": 0, "t": 3}
    status = protect(values, [(["a", "b"], "t")])
    assert status["t"] == PRIMARY  # the total is itself below 5


def test_a_hidden_zero_that_the_totals_reveal_is_not_a_disclosure():
    values = {"a": 0, "b": 9, "t": 9}
    status = protect(values, [(["a", "b"], "t")])
    assert status == {"a": PRIMARY, "b": SHOWN, "t": SHOWN}


def _consistent(values, status, lines, inner, assignment):
    """Would this assignment of the hidden inner cells produce exactly what the reader sees?"""
    guess = {**values, **assignment}
    for members, total in lines:
        guess[total] = sum(guess[m] for m in members)
    for key, state in status.items():
        v = guess[key]
        if state == SHOWN and v != values[key]:
            return False
        if state == PRIMARY and not 0 <= v <= 4:
            return False
        if state == SECONDARY and v < 5:
            return False
    return True


def test_no_small_count_can_be_recovered_by_any_reader_on_random_tables():
    """Brute force: every hidden count of 1 to 4 has at least two values consistent with the
    published table (cells, row and column totals, grand total)."""
    rng = random.Random(2026)
    checked = 0
    for _ in range(120):
        cells = {(r, c): rng.choice([0, 1, 2, 3, 4, 5, 6, 7, 9, 12]) for r in range(3) for c in range(2)}
        values, lines = _grid(cells)
        status = protect(values, lines)
        inner = [k for k in cells if status[k] != SHOWN]
        if len(inner) > 4:
            continue
        ranges = [range(0, 5) if status[k] == PRIMARY else range(5, 40) for k in inner]
        solutions = [dict(zip(inner, combo)) for combo in itertools.product(*ranges)
                     if _consistent(values, status, lines, inner, dict(zip(inner, combo)))]
        assert solutions, "the true table must be among the solutions"
        for key in inner:
            if status[key] == PRIMARY and values[key] > 0:
                assert len({s[key] for s in solutions}) >= 2, (cells, status, key)
                checked += 1
    assert checked > 20
