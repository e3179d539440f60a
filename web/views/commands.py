"""An agency's side of a task: the progress report form and the completion form."""

from __future__ import annotations

from datetime import date

from flask import flash, render_template, request
from werkzeug.wrappers import Response

from domain import limits
from domain.periods import ReportingPeriod
from domain.policy import Action, agencies_acting
from projections.plan_state import AgencyChange, PlanState, TaskView
from projections.responsibility import ended
from projections.summary import current_quarter
from service.commands import CommandResult, CompleteTask, ReportProgress
from web.auth import Viewer, require
from web.formatting import day as vi_day
from web.formatting import parse_day, parse_int
from web.messages import WebError, period_vi
from web.routes import Routes
from web.state import dispatch, queries, state
from web.uploads import uploaded_files
from web.views.common import concerned, plan_ref, requested_task, task_url
from web.views.forms_flow import Check, context, day, lines, required, run_form, within

routes = Routes()
REPORT_FIELDS = ("period", "percent", "narrative", "difficulties", "proposals", "evidence",
                 "files", "agency")
COMPLETE_FIELDS = ("output_document", "completed_on", "note", "files", "agency")


def periods(today: date) -> list[tuple[str, list[tuple[str, str]]]]:
    """The periods one reports for, this year's and last year's, grouped as in the form."""
    groups = []
    for year in (today.year, today.year - 1):
        codes = ([f"{year}-Q{q}" for q in range(1, 5)] + [f"{year}-H1", f"{year}-9M",
                 f"{year}-H2", str(year)] + [f"{year}-{m:02d}" for m in range(1, 13)])
        groups.append((f"Năm {year}", [(code, period_vi(code)) for code in codes]))
    return groups


def _task_for(slug: str, number: str) -> tuple[PlanState, TaskView, str, Viewer]:
    """The tenant's state, the task, its plan's number, and who acts."""
    plan = queries(slug).state()
    task, plan_number = requested_task(plan, number)
    return plan, task, plan_number, require(Action.TASK_REPORT, slug, concerned(plan, task))


def acting_choices(plan: PlanState, task: TaskView, viewer: Viewer, slug: str
                   ) -> list[tuple[str, str]]:
    """(key, name) of the agencies one may report for today: a reporter's own, else any of
    the task's (or none: the standing body reporting itself); not one succeeded, merged or
    dissolved by today, whose reports the ledger refuses."""
    named = concerned(plan, task)
    acting = agencies_acting(viewer.grants, Action.TASK_REPORT, slug, named)
    keys = sorted(acting) if acting is not None else list(named)
    today = state().today()
    return [(key, plan.agency_name(key)) for key in keys if ended(plan, key, today) is None]


def why_ended(plan: PlanState, key: str, change: AgencyChange) -> str:
    """Why an agency reports no more, and who carries its tasks, as its reporter is told."""
    name, since = plan.agency_name(key), vi_day(change.on)
    successors = "; ".join(plan.agency_name(k) for k in change.successors)
    if change.kind == "dissolution":
        return (f"Đơn vị {name} đã giải thể từ ngày {since}; từ ngày đó đơn vị không còn "
                "báo cáo tiến độ.")
    how = "được hợp nhất vào" if change.kind == "merger" else "được kế nhiệm bởi"
    return (f"Đơn vị {name} đã {how} {successors} từ ngày {since}; từ ngày đó {successors} "
            "báo cáo tiến độ các nhiệm vụ được chuyển giao.")


def stopped_reporting(plan: PlanState, task: TaskView, viewer: Viewer, slug: str
                      ) -> list[str]:
    """Why the viewer may no longer report on the task: each agency it reports for has been
    succeeded, merged or dissolved by today (the ledger refuses their reports from that
    date). Empty when it may, or when it reports for no agency in particular."""
    acting = agencies_acting(viewer.grants, Action.TASK_REPORT, slug, concerned(plan, task))
    if not acting:
        return []
    today = state().today()
    changes = {key: ended(plan, key, today) for key in sorted(acting)}
    return [why_ended(plan, key, change) for key, change in changes.items()
            if change is not None] if all(changes.values()) else []


def stopped_page(task: TaskView, plan: PlanState, plan_number: str, stopped: list[str]
                 ) -> tuple[str, int]:
    """The reason in place of a form the ledger would refuse; a form sent anyway (from a
    page opened before the change) is refused with it."""
    page = render_template("web/report_stopped.html", task=task, stopped=stopped,
                           plan_ref=plan_ref(plan, plan_number))
    return page, 200 if request.method == "GET" else 409


def evidence_lines(text: str) -> None:
    """A report's evidence, one document a line, as many and as long as the API takes."""
    cited = [line.strip() for line in text.splitlines() if line.strip()]
    if len(cited) > limits.EVIDENCE_LINES:
        raise WebError(f"Tối đa {limits.EVIDENCE_LINES} văn bản, minh chứng; đã nhập "
                       f"{len(cited)} dòng.")
    longest = max(cited, key=len, default="")
    if len(longest) > limits.EVIDENCE:
        raise WebError(f"Mỗi dòng (một văn bản, minh chứng) tối đa {limits.EVIDENCE} ký tự; "
                       f"dòng dài nhất có {len(longest)} ký tự.")


def chosen_agency(choices: list[tuple[str, str]], bound: bool,
                  plan: PlanState | None = None) -> str | None:
    """The name of the agency picked in the form, checked against the choices offered; an
    agency of `plan` that has ended since the form was opened is refused with the reason."""
    picked = request.form.get("agency", "")
    names = dict(choices)
    if picked in names:
        return names[picked]
    change = ended(plan, picked, state().today()) if plan is not None and picked else None
    if plan is not None and change is not None:
        raise WebError(why_ended(plan, picked, change), field="agency")
    if bound:
        if not choices:
            raise WebError("Cơ quan của bạn không còn báo cáo từ ngày này.", field="agency")
        if len(choices) == 1 or not picked:
            return choices[0][1]
        raise WebError("Hãy chọn cơ quan của bạn.", field="agency")
    if picked:
        raise WebError("Cơ quan này không chủ trì cũng không phối hợp nhiệm vụ.", field="agency")
    return None


@routes.route("/t/<slug>/tasks/<number>/report", Action.TASK_REPORT, ("GET", "POST"))
def report(slug: str, number: str) -> Response | tuple[str, int]:
    plan, task, plan_number, viewer = _task_for(slug, number)
    stopped = stopped_reporting(plan, task, viewer, slug)
    if stopped:
        return stopped_page(task, plan, plan_number, stopped)
    choices = acting_choices(plan, task, viewer, slug)
    bound = agencies_acting(viewer.grants, Action.TASK_REPORT, slug,
                            concerned(plan, task)) is not None

    def record() -> str:
        percent = parse_int(request.form.get("percent", ""), "percent", 0, 100,
                            "Tỷ lệ hoàn thành")
        if not request.form.get("narrative", "").strip():
            raise WebError("Hãy nêu kết quả thực hiện trong kỳ.", field="narrative")
        ctx = context(viewer, agency=chosen_agency(choices, bound, plan))
        result = dispatch(slug, ReportProgress(
            task=task.number, plan=plan_number, period=request.form.get("period", ""),
            percent=percent, narrative=request.form.get("narrative", ""),
            difficulties=request.form.get("difficulties", ""),
            proposals=request.form.get("proposals", ""), evidence=tuple(lines("evidence")),
            files=uploaded_files(slug),
        ), ctx)
        assert isinstance(result, CommandResult)
        flash(f"Đã ghi nhận báo cáo số {result.detail['report']} của nhiệm vụ {task.number}.",
              "success")
        return task_url(slug, plan, task, "bao-cao")

    today = state().today()
    checks: dict[str, Check | tuple[Check, ...]] = {
        "period": ReportingPeriod.parse,
        "percent": lambda text: parse_int(text, "percent", 0, 100, "Tỷ lệ hoàn thành"),
        "narrative": (required("Hãy nêu kết quả thực hiện trong kỳ."), within("narrative")),
        "difficulties": within("difficulties"),
        "proposals": within("proposals"),
        "evidence": evidence_lines,
        "agency": lambda _: chosen_agency(choices, bound, plan),
    }
    return run_form(slug, "web/report_form.html", REPORT_FIELDS, record, checks=checks,
                    task=task,
                    periods=periods(today), default_period=current_quarter(today).code,
                    choices=choices, bound=bound, plan_ref=plan_ref(plan, plan_number))


@routes.route("/t/<slug>/tasks/<number>/complete", Action.TASK_REPORT, ("GET", "POST"))
def complete(slug: str, number: str) -> Response | tuple[str, int]:
    plan, task, plan_number, viewer = _task_for(slug, number)
    stopped = stopped_reporting(plan, task, viewer, slug)
    if stopped:
        return stopped_page(task, plan, plan_number, stopped)
    choices = acting_choices(plan, task, viewer, slug)
    bound = agencies_acting(viewer.grants, Action.TASK_REPORT, slug,
                            concerned(plan, task)) is not None

    def record() -> str:
        completed_on = parse_day(request.form.get("completed_on", ""), "completed_on")
        assert completed_on is not None
        ctx = context(viewer, agency=chosen_agency(choices, bound, plan))
        result = dispatch(slug, CompleteTask(
            task=task.number, plan=plan_number,
            output_document=request.form.get("output_document", ""), completed_on=completed_on,
            note=request.form.get("note", ""), files=uploaded_files(slug),
        ), ctx)
        assert isinstance(result, CommandResult)
        if result.detail.get("state") == "completed":
            flash(f"Đã ghi nhận hoàn thành nhiệm vụ {task.number}.", "success")
        else:
            flash(f"Đã gửi đề nghị xác nhận hoàn thành nhiệm vụ {task.number}; nhiệm vụ "
                  "được tính là hoàn thành khi cơ quan thường trực xác nhận.", "success")
        return task_url(slug, plan, task, "xu-ly")

    checks: dict[str, Check | tuple[Check, ...]] = {
        "output_document": (required("Hãy ghi văn bản, sản phẩm đầu ra."),
                            within("output_document")),
        "completed_on": day(needed=True),
        "note": within("note"),
        "agency": lambda _: chosen_agency(choices, bound, plan),
    }
    return run_form(slug, "web/complete_form.html", COMPLETE_FIELDS, record, checks=checks,
                    task=task,
                    choices=choices, bound=bound, plan_ref=plan_ref(plan, plan_number))
