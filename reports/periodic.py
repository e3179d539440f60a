"""The standing body's periodic report to the People's Committee: what it says, read from
the plan as it was known at one instant, so the same report can be made again later."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from domain.status import StatusClass
from projections.audit import AuditEntry
from projections.change_log import ChangeFilter
from projections.indicator_progress import IndicatorProgress, indicator_progress
from projections.plan_state import PlanState, PlanView, ReportView
from projections.plan_status import TaskStatus, plan_status
from projections.scorecard import AgencyScore, scorecard
from projections.summary import PlanSummary, summarise
from reports.periods import ReportPeriod
from service.queries import TenantQueries

FIVE = (StatusClass.DONE_ON_TIME, StatusClass.DONE_LATE, StatusClass.OPEN_WITHIN_DEADLINE,
        StatusClass.OPEN_OVERDUE, StatusClass.NOT_STARTED)
# The centrally governed cities are "thành phố"; every other province is "tỉnh".
_CITIES = ("Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế")
_KIND = re.compile(r"\b(tỉnh|thành phố)\s+(.+)$", re.IGNORECASE)


@dataclass(frozen=True)
class Particulars:
    """What the clerk fills in: the document's number and who signs it."""

    number: str = ""  # left blank: the clerk writes it when the report is registered
    symbol: str = "BC-SKHCN"
    parent_body: str = ""  # "UBND TỈNH QUẢNG NAM"; derived from the province when blank
    issuing_body: str = "Sở Khoa học và Công nghệ"
    signer_title: str = "Giám đốc"
    signer_name: str = ""
    recipients: tuple[str, ...] = ()


@dataclass(frozen=True)
class Overdue:
    row: TaskStatus
    days: int
    reason: str


@dataclass(frozen=True)
class AgencyReport:
    agency: str
    task: str
    title: str
    report: ReportView


@dataclass(frozen=True)
class PeriodicReport:
    province: str  # "tỉnh Quảng Nam"
    place: str  # "Quảng Nam"
    plans: list[PlanView]
    period: ReportPeriod
    on: date  # the report's date: statuses are judged on it
    known_at: datetime  # what the ledger had recorded by this instant, nothing later
    particulars: Particulars
    summary: PlanSummary
    groups: dict[str, str]
    scores: list[AgencyScore]
    overdue: list[Overdue]
    deadline_changes: list[AuditEntry]
    indicators: list[IndicatorProgress]
    agency_reports: list[AgencyReport] = field(default_factory=list)
    # Agencies whose duties had passed on (succession, merger, dissolution) by the report's
    # date: never ranked, shown apart with their own record up to then.
    ended: list[AgencyScore] = field(default_factory=list)
    simulated: bool = False  # of a simulated tenant (`r57 demo`): the document says so

    @property
    def addressee(self) -> str:
        return f"Ủy ban nhân dân {self.province}"

    @property
    def total(self) -> int:
        return sum(self.summary.overall.get(c.value, 0) for c in FIVE)

    def count(self, status: StatusClass) -> int:
        return self.summary.overall.get(status.value, 0)

    @property
    def parent_body(self) -> str:
        return self.particulars.parent_body or f"UBND {self.province}"

    @property
    def recipients(self) -> tuple[str, ...]:
        return self.particulars.recipients or (
            "Như trên;", f"Chủ tịch, các Phó Chủ tịch UBND {_short(self.province)};",
            "Các sở, ban, ngành;", "Lưu: VT.")


def _short(province: str) -> str:
    kind, _, _ = province.partition(" ")
    return kind if kind == "tỉnh" else "thành phố"


def province_of(display_name: str, plans: list[PlanView]) -> tuple[str, str]:
    """("tỉnh Quảng Nam", "Quảng Nam"): the province as addresses name it, and the place
    name of the date line. The plan's issuing body says which it is; else the name does."""
    for text in (display_name, *(p.issuing_body for p in plans)):
        match = _KIND.search(text)
        if match:
            return f"{match[1].lower()} {match[2].strip()}", match[2].strip()
    name = display_name.strip()
    return (f"thành phố {name}" if name in _CITIES else f"tỉnh {name}"), name


def _reason(state: PlanState, row: TaskStatus) -> str:
    task = next((t for t in state.tasks.values()
                 if t.number == row.number and state.plans[t.plan_id].number == row.plan), None)
    last = task.last_report if task else None
    if last and (last.difficulties or last.narrative):
        return last.difficulties or last.narrative
    return "Cơ quan chủ trì chưa báo cáo nguyên nhân."


def _agency_reports(state: PlanState, period: ReportPeriod) -> list[AgencyReport]:
    found = []
    for task in state.sorted_tasks():
        for report in task.reports:
            if report.state == "returned" or not period.covers(report.period):
                continue
            if not (report.narrative or report.difficulties or report.proposals):
                continue
            agency = state.agency_name(report.agency) if report.agency else "; ".join(
                state.agency_name(k) for k in task.leads)
            found.append(AgencyReport(agency, task.number, task.title, report))
    return found


def _deadline_changes(reads: TenantQueries, period: ReportPeriod, known_at: datetime
                      ) -> list[AuditEntry]:
    where = ChangeFilter(types=("deadline_changed",), effective_from=period.start,
                         effective_to=period.end, recorded_to=known_at)
    entries: list[AuditEntry] = []
    cursor = None
    while True:
        page = reads.changes(where, limit=500, cursor=cursor)
        entries.extend(page.entries)
        if page.next_cursor is None:
            return entries
        cursor = page.next_cursor


def build(reads: TenantQueries, display_name: str, period: ReportPeriod, on: date,
          known_at: datetime, particulars: Particulars | None = None, *,
          simulated: bool = False) -> PeriodicReport:
    """The report judged on `on`, from what was recorded by `known_at`."""
    state = reads.state(known_at=known_at)
    plans = list(state.plans.values())
    province, place = province_of(display_name, plans)
    summary = summarise(state, on)
    rows = plan_status(state, on)
    overdue = [Overdue(r, (on - r.due).days if r.due else 0, _reason(state, r))
               for r in rows if r.status is StatusClass.OPEN_OVERDUE]
    groups: dict[str, str] = {}
    for plan in plans:
        groups.update(plan.groups)
    return PeriodicReport(
        province=province, place=place, plans=plans, period=period, on=on, known_at=known_at,
        particulars=particulars or Particulars(), summary=summary, groups=groups,
        scores=scorecard(state, on.year, on),
        overdue=sorted(overdue, key=lambda o: -o.days),
        deadline_changes=_deadline_changes(reads, period, known_at),
        indicators=[i for i in indicator_progress(state)
                    if not i.is_heading and not i.removed_by],
        agency_reports=_agency_reports(state, period),
        ended=scorecard(state, on.year, on, part="ended"),
        simulated=simulated,
    )
