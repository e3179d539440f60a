"""What merging two names of one agency would change, shown before the standing body merges
them."""

from __future__ import annotations

from dataclasses import dataclass

from projections.plan_state import PlanState, TaskView
from projections.responsibility import AgencyRef
from projections.scorecard import counts_in


@dataclass(frozen=True)
class AliasPreview:
    """What merging `alias` into `agency` as one agency changes: the tasks that name the
    alias (they are the agency's from then on), the reports made for it, and the scorecard
    rows that become one."""

    alias: AgencyRef
    agency: AgencyRef
    tasks: tuple[str, ...]  # "1534/KH-UBND 5": the tasks naming the alias
    reports: int  # reports made for the alias
    score_led_before: tuple[int, int]  # tasks led in the year: (alias, agency)
    score_led_after: int


def alias_preview(state: PlanState, alias: str, into: str, year: int) -> AliasPreview:
    def plan_of(task: TaskView) -> str:
        plan = state.plans.get(task.plan_id)
        return plan.number if plan else ""

    named = [t for t in state.sorted_tasks() if alias in t.leads or alias in t.coordinators]
    reports = sum(1 for t in state.tasks.values() for r in t.reports if r.agency == alias)
    led_alias = sum(1 for t in state.tasks.values() if alias in t.leads and counts_in(t, year))
    led_into = sum(1 for t in state.tasks.values() if into in t.leads and counts_in(t, year))
    both = sum(1 for t in state.tasks.values()
               if (alias in t.leads or into in t.leads) and counts_in(t, year))
    return AliasPreview(
        alias=AgencyRef(alias, state.agency_name(alias)),
        agency=AgencyRef(into, state.agency_name(into)),
        tasks=tuple(f"{plan_of(t)} {t.number}".strip() for t in named),
        reports=reports, score_led_before=(led_alias, led_into), score_led_after=both,
    )
