"""Who carries a duty on a date: the resolution rules, on a plan state built by hand."""

from __future__ import annotations

from datetime import date

from projections.plan_state import AgencyChange, PlanState
from projections.responsibility import canonical, carriers

D1, D2 = date(2025, 3, 1), date(2025, 7, 1)


def state(**changes: AgencyChange) -> PlanState:
    found = PlanState(agencies={k: k.upper() for k in ("a", "b", "c", "d")})
    found.agency_changes.update(changes)
    return found


def test_a_succession_applies_from_its_date_and_chains() -> None:
    s = state(a=AgencyChange("succession", D1, ("b",)), b=AgencyChange("merger", D2, ("c",)))
    assert carriers(s, "a", date(2025, 2, 28)) == ("a",)
    assert carriers(s, "a", D1) == ("b",)
    assert carriers(s, "a", D2) == ("c",)
    assert carriers(s, "d", D2) == ("d",)


def test_a_task_closed_before_the_change_stays_with_its_agency() -> None:
    s = state(a=AgencyChange("succession", D1, ("b",)))
    assert carriers(s, "a", D2, closed_on=date(2025, 2, 20)) == ("a",)
    assert carriers(s, "a", D2, closed_on=date(2025, 5, 1)) == ("b",)


def test_a_dissolution_leaves_no_one_and_a_split_leaves_several() -> None:
    s = state(a=AgencyChange("dissolution", D1, ()), b=AgencyChange("succession", D1, ("c", "d")))
    assert carriers(s, "a", D2) == ()
    assert carriers(s, "b", D2) == ("c", "d")


def test_an_alias_is_the_same_agency_on_every_date() -> None:
    s = state(a=AgencyChange("alias", D2, ("b",)))
    assert carriers(s, "a", D1) == ("b",)
    assert canonical(s, "a") == "b" and canonical(s, "b") == "b"


def test_a_malformed_cycle_ends_instead_of_looping() -> None:
    s = state(a=AgencyChange("succession", D1, ("b",)), b=AgencyChange("succession", D1, ("a",)))
    assert carriers(s, "a", D2) == ("a",)
    s = state(a=AgencyChange("alias", D1, ("b",)), b=AgencyChange("alias", D1, ("a",)))
    assert canonical(s, "a") in {"a", "b"}
