"""The figures policy: primary and secondary suppression, shares, medians, who gets plain figures."""

from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from digibank.figures import PUBLIC, SMALL_NUMBER, Figure, FiguresPolicy

PLAIN = FiguresPolicy(suppress=False)


def shown(cells: list[Figure]) -> list:
    return [cell.value if cell.shown else None for cell in cells]


def test_a_count_of_one_to_four_is_shown_as_less_than_five():
    assert [str(PUBLIC.count(n)) for n in (0, 1, 4, 5, 1234)] == ["0", "< 5", "< 5", "5", "1234"]
    assert str(PLAIN.count(3)) == "3"


def test_one_hidden_cell_in_a_table_hides_the_next_smallest_so_the_total_tells_nothing():
    # Total 3 + 10 + 20 = 33 is known: hiding only the 3 would let anyone subtract it back.
    assert shown(PUBLIC.counts([3, 10, 20])) == [None, None, 20]
    # Two small cells of 1 and 1 add up to 2: still small, so a third cell goes too.
    assert shown(PUBLIC.counts([1, 1, 7, 9])) == [None, None, None, 9]
    # Zero names nobody and is never used to hide; nothing small, nothing hidden.
    assert shown(PUBLIC.counts([0, 5, 6])) == [0, 5, 6]
    assert shown(PLAIN.counts([1, 2])) == [1, 2]


@given(st.lists(st.integers(min_value=0, max_value=60), max_size=12))
def test_no_table_under_the_policy_shows_or_gives_away_a_small_count(values):
    cells = PUBLIC.counts(values)
    assert all(not (0 < cell.value < SMALL_NUMBER) for cell in cells if cell.shown)
    hidden = [v for v, cell in zip(values, cells, strict=True) if cell.suppressed]
    # What the hidden cells hold together (the total minus the shown cells) is 0 or at least 5,
    # or the total itself is small and hidden as well.
    assert not hidden or sum(hidden) >= SMALL_NUMBER or PUBLIC.count(sum(values)).suppressed
    # Never exactly one hidden cell: it could be worked out from the total.
    assert len(hidden) != 1 or PUBLIC.count(sum(values)).suppressed


def test_a_share_is_shown_only_when_both_the_part_and_the_rest_are_not_small():
    assert str(PUBLIC.share(10, 20)) == "50 %"
    assert str(PUBLIC.share(2, 20)) == "–"  # 2 people
    assert str(PUBLIC.share(18, 20)) == "–"  # 2 people were not
    assert str(PUBLIC.share(20, 20)) == "100 %"
    assert str(PUBLIC.share(0, 0)) == "–" and not PUBLIC.share(0, 0).suppressed
    assert str(PLAIN.share(2, 20)) == "10 %"


def test_a_median_needs_five_values_and_an_amount_follows_its_count():
    assert str(PUBLIC.median(3.5, resting_on=4)) == "–"
    assert PUBLIC.median(3.5, resting_on=5).value == 3.5
    assert PUBLIC.amount(12, resting_on=PUBLIC.count(3)).suppressed
    assert PUBLIC.amount(12, resting_on=PUBLIC.count(6)).value == 12


def test_members_who_see_residents_get_plain_figures_everyone_else_suppressed():
    def member(*permissions):
        return SimpleNamespace(has=lambda permission: permission in permissions)

    assert not FiguresPolicy.for_member(member("resident.view", "figures.view")).suppress
    assert FiguresPolicy.for_member(member("figures.view")).suppress
    assert FiguresPolicy.for_member(None).suppress
