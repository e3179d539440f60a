"""A tenant holding two plans that both number a task 1 and an indicator 7.8: pages and
forms name the plan (a `plan` query parameter and a hidden field), each write lands on
that plan's item only, and a number alone that two plans share is refused, not guessed."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest
from flask.testing import FlaskClient
from openpyxl import Workbook

from importers import read_plan_document
from service.commands import ChangeDeadline, Context, ImportPlan, ReportProgress
from service.tenancy import Tenancy
from tests.web.conftest import TENANT, Tokens, form_fields, sign_in, text
from tests.web.test_forms import REPORT

T = f"/t/{TENANT}"
PLAN_A = "1534/KH-UBND"  # the seed
PLAN_B = "88/KH-UBND"
TITLE_B = "Xây dựng kho dữ liệu dùng chung của tỉnh"
_PLAN_FIELD = re.compile(r'name="plan" value="([^"]+)"')


def plan_b_workbook() -> bytes:
    book = Workbook()
    tasks = book.active
    assert tasks is not None
    for row in (["Số kế hoạch", PLAN_B], ["Ngày ban hành (dd/mm/yyyy)", "05/03/2025"],
                ["Cơ quan ban hành", "UBND tỉnh Quảng Nam"],
                ["Nhóm", "Tên nhóm", "TT", "Tên nhiệm vụ", "Cơ quan chủ trì",
                 "Cơ quan phối hợp", "Kết quả", "Thời gian hoàn thành"],
                ["I", "Dữ liệu", "1", TITLE_B, "Sở Nội vụ", "", "Kho dữ liệu", "12/2025"]):
        tasks.append(row)
    indicators = book.create_sheet("Chỉ tiêu")
    for row in (["TT", "Chỉ tiêu", "Đơn vị tính", "Mục tiêu", "Cơ quan chủ trì theo dõi", "Năm"],
                ["7.8", "Tỷ lệ hồ sơ lưu trữ được số hóa", "%", "≥ 80", "Sở Nội vụ", "2030"]):
        indicators.append(row)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def import_plan_b(client: FlaskClient) -> None:
    """Through the import pages, as the standing body would."""
    page = text(client.get(f"{T}/import"))
    preview = text(client.post(
        f"{T}/import/preview", content_type="multipart/form-data",
        data={**form_fields(page), "file": (io.BytesIO(plan_b_workbook()), "88.xlsx")}))
    confirm = {**form_fields(preview),
               "sha256": preview.split('name="sha256" value="')[1].split('"')[0]}
    done = client.post(f"{T}/import/confirm", data=confirm)
    assert done.status_code == 303, text(done)


@pytest.fixture
def two_plans(client: FlaskClient, province: Tokens) -> FlaskClient:
    """Quảng Nam holding the seed and plan 88/KH-UBND; the standing body signed in."""
    sign_in(client, province.admin)
    single = text(client.get(f"{T}/tasks/1/report"))
    assert 'name="plan"' not in single  # one plan: the forms are as they were
    import_plan_b(client)
    return client


def reports_by_plan(tenancy: Tenancy, number: str) -> dict[str, list[tuple[str, int]]]:
    state = tenancy.queries(TENANT).state()
    return {state.plans[t.plan_id].number: [(r.period, r.percent) for r in t.reports]
            for t in state.tasks.values() if t.number == number}


def form_of(client: FlaskClient, path: str, plan: str) -> dict[str, str]:
    page = client.get(path, query_string={"plan": plan})
    assert page.status_code == 200, text(page)
    body = text(page)
    found = _PLAN_FIELD.search(body)
    assert found and found.group(1) == plan, "the form does not carry its plan"
    return {**form_fields(body), "plan": found.group(1)}


def test_a_report_on_plan_b_task_1_records_on_that_task_only(
    two_plans: FlaskClient, tenancy: Tenancy
) -> None:
    client = two_plans
    path = f"{T}/tasks/1/report"
    sent = client.post(path, query_string={"plan": PLAN_B},
                       data={**form_of(client, path, PLAN_B), **REPORT})
    assert sent.status_code == 303, text(sent)
    assert sent.headers["Location"].endswith(f"/tasks/1?plan={PLAN_B}#bao-cao")
    assert reports_by_plan(tenancy, "1") == {PLAN_A: [], PLAN_B: [("2025-Q1", 40)]}
    page = text(client.get(sent.headers["Location"]))
    assert "Đã ghi nhận báo cáo số 1 của nhiệm vụ 1." in page
    assert TITLE_B in page and f"Kế hoạch số {PLAN_B}" in page

    # The hidden field alone names the plan, as when the form is posted elsewhere.
    again = client.post(path, data={**form_of(client, path, PLAN_B), **REPORT,
                                    "period": "2025-Q2", "percent": "60"})
    assert again.status_code == 303, text(again)
    assert reports_by_plan(tenancy, "1") == {
        PLAN_A: [], PLAN_B: [("2025-Q1", 40), ("2025-Q2", 60)]}


def test_each_plans_task_page_shows_its_own_task_and_a_shared_number_is_not_guessed(
    two_plans: FlaskClient, tenancy: Tenancy
) -> None:
    client = two_plans
    seed_title = next(t.title for t in tenancy.queries(TENANT).state().tasks.values()
                      if t.number == "1" and t.title != TITLE_B)
    tenancy.ledger(TENANT).handle(ReportProgress(
        task="1", period="2025-Q1", percent=30, narrative="Đang khảo sát",
        plan=PLAN_B), Context("setup"))
    page_a = text(client.get(f"{T}/tasks/1", query_string={"plan": PLAN_A}))
    page_b = text(client.get(f"{T}/tasks/1", query_string={"plan": PLAN_B}))
    assert seed_title in page_a and TITLE_B not in page_a
    assert TITLE_B in page_b and seed_title not in page_b
    assert f"<dt>Kế hoạch</dt><dd>{PLAN_B}</dd>" in page_b
    assert f"/tasks/1/report?plan={PLAN_B}" in page_b
    # Each page's history is its own task's: plan B's report is not on plan A's page.
    assert "Diễn biến (1 sự kiện)" in page_a and "Diễn biến (2 sự kiện)" in page_b

    listed = text(client.get(f"{T}/tasks"))
    assert "<th scope=\"col\">Kế hoạch</th>" in listed
    assert f"/tasks/1?plan={PLAN_A}" in listed and f"/tasks/1?plan={PLAN_B}" in listed

    ambiguous = client.get(f"{T}/tasks/1")
    assert ambiguous.status_code == 422
    assert f"nhiều kế hoạch ({PLAN_A}, {PLAN_B})" in text(ambiguous)
    assert client.get(f"{T}/tasks/1", query_string={"plan": "99/KH-UBND"}).status_code == 404
    # A number only one plan has still opens without naming the plan.
    assert client.get(f"{T}/tasks/5").status_code == 200
    # A form naming one plan in its address and another in its field is refused.
    path = f"{T}/tasks/1/report"
    mixed = client.post(path, query_string={"plan": PLAN_A},
                        data={**form_of(client, path, PLAN_B), **REPORT})
    assert mixed.status_code == 422
    assert reports_by_plan(tenancy, "1") == {PLAN_A: [], PLAN_B: [("2025-Q1", 30)]}


def test_the_standing_bodys_forms_act_on_the_named_plans_task(
    two_plans: FlaskClient, tenancy: Tenancy
) -> None:
    client = two_plans
    steps = [
        ("deadline", {"deadline": "31/12/2026", "reason": "Chờ kinh phí",
                      "decision_ref": "12/QĐ-UBND", "effective_on": "01/06/2025"}),
        ("suspend", {"reason": "Chờ kinh phí", "decision_ref": "13/QĐ-UBND",
                     "effective_on": "01/06/2025"}),
        ("resume", {"reason": "Đã có kinh phí", "decision_ref": "14/QĐ-UBND",
                    "effective_on": "01/07/2025"}),
    ]
    for action, fields in steps:
        path = f"{T}/tasks/1/{action}"
        done = client.post(path, query_string={"plan": PLAN_B},
                           data={**form_of(client, path, PLAN_B), **fields})
        assert done.status_code == 303, (action, text(done))
        assert f"plan={PLAN_B}" in done.headers["Location"]
    state = tenancy.queries(TENANT).state()
    ones = {state.plans[t.plan_id].number: t for t in state.tasks.values() if t.number == "1"}
    assert ones[PLAN_B].deadline_changes == 1 and ones[PLAN_B].version == 4
    assert ones[PLAN_A].deadline_changes == 0 and ones[PLAN_A].version == 1

    path = f"{T}/tasks/1/complete"
    done = client.post(path, query_string={"plan": PLAN_A},
                       data={**form_of(client, path, PLAN_A), "agency": "",
                             "output_document": "99/QĐ-UBND", "completed_on": "15/06/2025"})
    assert done.status_code == 303, text(done)
    state = tenancy.queries(TENANT).state()
    states = {state.plans[t.plan_id].number: t.state for t in state.tasks.values()
              if t.number == "1"}
    assert states == {PLAN_A: "completed", PLAN_B: "open"}


def test_indicator_forms_act_on_the_named_plans_indicator(
    two_plans: FlaskClient, tenancy: Tenancy
) -> None:
    client = two_plans
    listed = text(client.get(f"{T}/indicators"))
    assert f"/indicators/7.8?plan={PLAN_A}" in listed
    assert f"/indicators/7.8?plan={PLAN_B}" in listed
    assert client.get(f"{T}/indicators/7.8").status_code == 422

    path = f"{T}/indicators/7.8/values"
    done = client.post(path, query_string={"plan": PLAN_B},
                       data={**form_of(client, path, PLAN_B), "agency": "",
                             "period": "2025", "value": "62,5", "source": "Báo cáo 12/BC"})
    assert done.status_code == 303, text(done)
    assert done.headers["Location"].endswith(f"/indicators/7.8?plan={PLAN_B}")
    path = f"{T}/indicators/7.8/target"
    done = client.post(path, query_string={"plan": PLAN_A},
                       data={**form_of(client, path, PLAN_A), "target": "≥ 95",
                             "reason": "Theo Nghị quyết HĐND", "decision_ref": "45/NQ-HĐND",
                             "effective_on": "01/06/2025"})
    assert done.status_code == 303, text(done)

    ledger = tenancy.ledger(TENANT)
    plan_a, plan_b = ledger.indicator("7.8", PLAN_A), ledger.indicator("7.8", PLAN_B)
    assert plan_a.values == {} and len(plan_b.values) == 1
    assert plan_a.target.text == "≥ 95" and plan_b.target.text == "≥ 80"
    page_b = text(client.get(f"{T}/indicators/7.8", query_string={"plan": PLAN_B}))
    assert "Tỷ lệ hồ sơ lưu trữ được số hóa" in page_b and "62,5" in page_b


def seed_group_sizes(tenancy: Tenancy) -> dict[str, int]:
    state = tenancy.queries(TENANT).state()
    sizes: dict[str, int] = {}
    for task in state.tasks.values():
        if state.plans[task.plan_id].number == PLAN_A:
            sizes[task.group_code] = sizes.get(task.group_code, 0) + 1
    return sizes


def test_groups_are_counted_per_plan_and_each_plans_counts_add_up(
    two_plans: FlaskClient, tenancy: Tenancy
) -> None:
    sizes = seed_group_sizes(tenancy)
    summary = tenancy.queries(TENANT).summary(date(2025, 6, 30))
    totals = {key: counts["total"] for key, counts in summary.by_group.items()}
    assert totals == {**{f"{PLAN_A} · {code}": n for code, n in sizes.items()},
                      f"{PLAN_B} · I": 1}
    assert summary.overall["total"] == sum(sizes.values()) + 1
    assert summary.group_labels[f"{PLAN_B} · I"] == f"Kế hoạch {PLAN_B} · I. Dữ liệu"

    page = text(two_plans.get(f"{T}/", query_string={"on": "30/06/2025"}))
    assert f"Kế hoạch {PLAN_B} · I. Dữ liệu" in page
    assert f"Kế hoạch {PLAN_A} · I." in page
    assert '<select id="f-plan" name="plan">' in page
    # The bar of plan B's group I leads to that group of that plan only.
    assert f"group=I&amp;plan={PLAN_B}" in two_plans.get(
        f"{T}/", query_string={"on": "30/06/2025"}).get_data(as_text=True)

    only_b = tenancy.queries(TENANT).summary(date(2025, 6, 30), plan=PLAN_B)
    assert only_b.overall["total"] == 1 and list(only_b.by_group) == [f"{PLAN_B} · I"]
    page_b = text(two_plans.get(f"{T}/", query_string={"on": "30/06/2025", "plan": PLAN_B}))
    assert f"Kế hoạch {PLAN_B} · I. Dữ liệu" in page_b
    assert f"Kế hoạch {PLAN_A} · I." not in page_b
    assert two_plans.get(f"{T}/", query_string={"plan": "99/KH-UBND"}).status_code == 404


def test_one_plan_keeps_its_groups_as_they_were(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.admin)
    summary = tenancy.queries(TENANT).summary(date(2025, 6, 30))
    assert set(summary.by_group) == set(seed_group_sizes(tenancy))
    assert 'id="f-plan"' not in text(client.get(f"{T}/"))


def test_the_task_list_narrows_to_the_chosen_plan(
    two_plans: FlaskClient, tenancy: Tenancy
) -> None:
    listed = text(two_plans.get(f"{T}/tasks", query_string={"plan": PLAN_B}))
    assert TITLE_B in listed and f"/tasks/1?plan={PLAN_A}" not in listed
    assert "1 nhiệm vụ" in listed and f"kế hoạch số {PLAN_B}" in listed
    assert f'<option value="{PLAN_B}" selected>' in listed
    every = text(two_plans.get(f"{T}/tasks"))
    assert f"/tasks/1?plan={PLAN_A}" in every and f"/tasks/1?plan={PLAN_B}" in every
    group_a = text(two_plans.get(f"{T}/tasks", query_string={"plan": PLAN_A, "group": "I"}))
    assert f"{seed_group_sizes(tenancy)['I']} nhiệm vụ, tình trạng" in group_a
    assert TITLE_B not in group_a


def test_the_exports_name_each_rows_plan(two_plans: FlaskClient, tenancy: Tenancy) -> None:
    rows = list(csv.reader(io.StringIO(
        two_plans.get(f"{T}/tasks.csv").data.decode("utf-8-sig"))))
    plan_at = rows[0].index("Kế hoạch")
    ones = sorted(row[plan_at] for row in rows[1:] if row[:2] == ["I", "1"])
    assert ones == sorted([PLAN_A, PLAN_B])
    keys = [(row[plan_at], row[0], row[1]) for row in rows[1:]]
    assert len(keys) == len(set(keys)) == len(tenancy.queries(TENANT).state().tasks)

    only_b = list(csv.reader(io.StringIO(two_plans.get(
        f"{T}/tasks.csv", query_string={"plan": PLAN_B}).data.decode("utf-8-sig"))))
    assert [(row[plan_at], row[2]) for row in only_b[1:]] == [(PLAN_B, TITLE_B)]
    sheet = openpyxl.load_workbook(io.BytesIO(two_plans.get(
        f"{T}/tasks.xlsx", query_string={"plan": PLAN_B}).data)).active
    assert sheet is not None
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = next(i for i, row in enumerate(values) if "Kế hoạch" in row)
    at = values[header].index("Kế hoạch")
    assert [row[at] for row in values[header + 1:] if row[at]] == [PLAN_B]


def test_a_change_log_link_opens_the_named_plans_task(
    two_plans: FlaskClient, tenancy: Tenancy
) -> None:
    client = two_plans
    tenancy.ledger(TENANT).handle(ChangeDeadline(
        task="1", deadline="6/2026", reason="Chờ kinh phí", decision_ref="12/QĐ-UBND",
        plan=PLAN_B), Context("setup"))
    page = text(client.get("/changes", query_string={"tenant": TENANT}))
    link = f"{T}/tasks/1?plan={PLAN_B}"
    assert f'<a href="{link}">Nhiệm vụ 1 (Kế hoạch {PLAN_B})</a>' in page
    opened = client.get(link)
    assert opened.status_code == 200, text(opened)
    assert TITLE_B in text(opened) and "6/2026" in text(opened)

    lines = list(csv.reader(io.StringIO(client.get(
        "/changes.csv", query_string={"tenant": TENANT, "type": "deadline_changed"}
    ).data.decode("utf-8-sig"))))
    assert [(line[4], line[-1]) for line in lines[1:]] == [("Nhiệm vụ 1", PLAN_B)]


def test_indicators_scorecard_time_travel_and_public_page_narrow_to_the_chosen_plan(
    two_plans: FlaskClient, tenancy: Tenancy
) -> None:
    client = two_plans
    indicators = text(client.get(f"{T}/indicators", query_string={"plan": PLAN_B}))
    assert f"/indicators/7.8?plan={PLAN_B}" in indicators
    assert f"?plan={PLAN_A}" not in indicators
    assert '<select id="f-plan" name="plan">' in indicators

    reads = tenancy.queries(TENANT)
    only_b = reads.scorecard(2025, date(2025, 12, 31), plan=PLAN_B)
    assert [(s.rank, s.agency, s.led) for s in only_b] == [(1, "Sở Nội vụ", 1)]
    every = {s.agency: s.led for s in reads.scorecard(2025, date(2025, 12, 31))}
    only_a = {s.agency: s.led for s in reads.scorecard(2025, date(2025, 12, 31), plan=PLAN_A)}
    assert every["Sở Nội vụ"] == only_a["Sở Nội vụ"] + 1
    scores = text(client.get(f"{T}/scorecard", query_string={"year": "2025", "plan": PLAN_B}))
    assert '<th scope="row">Sở Nội vụ</th><td class="num">1</td>' in scores
    assert f'<option value="{PLAN_B}" selected>' in scores
    assert f"plan={PLAN_B}" in client.get(
        f"{T}/scorecard", query_string={"year": "2025", "plan": PLAN_B}).get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(client.get(
        f"{T}/scorecard.csv", query_string={"year": "2025", "plan": PLAN_B}
    ).data.decode("utf-8-sig"))))
    plan_column = rows[0].index("Kế hoạch")
    assert [(row[1], row[plan_column]) for row in rows[1:]] == [("Sở Nội vụ", PLAN_B)]

    today = tenancy.clock.today().strftime("%d/%m/%Y")
    travel = text(client.get(f"{T}/time-travel", query_string={"on": today, "plan": PLAN_B}))
    assert TITLE_B in travel and f"/tasks/1?plan={PLAN_A}" not in travel
    before = text(client.get(f"{T}/time-travel",
                             query_string={"on": "01/01/2025", "plan": PLAN_B}))
    assert TITLE_B not in before

    public = text(client.get(f"/p/{TENANT}", query_string={"plan": PLAN_B}))
    assert f"Kế hoạch {PLAN_B} · I. Dữ liệu" in public
    assert f"Kế hoạch {PLAN_A} · I." not in public


def test_the_periodic_report_counts_each_plans_groups_apart(two_plans: FlaskClient) -> None:
    page = text(two_plans.get(f"{T}/periodic-report"))
    assert f"<td>Kế hoạch {PLAN_B} · I. Dữ liệu</td>" in page
    assert f"<td>Kế hoạch {PLAN_A} · I." in page


def test_the_api_summary_and_scorecard_keep_each_plans_groups_and_narrow_by_plan(
    two_plans: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    api = f"/api/v1/tenants/{TENANT}"
    bearer = {"Authorization": f"Bearer {province.admin}"}
    every = two_plans.get(f"{api}/summary?on=30/06/2025", headers=bearer)
    assert every.status_code == 200, every.get_json()
    body = every.get_json()
    assert body["by_group"][f"{PLAN_B} · I"]["total"] == 1
    assert body["by_group"][f"{PLAN_A} · I"]["total"] == seed_group_sizes(tenancy)["I"]
    assert body["group_labels"][f"{PLAN_B} · I"] == f"Kế hoạch {PLAN_B} · I. Dữ liệu"
    only_b = two_plans.get(f"{api}/summary", query_string={"plan": PLAN_B},
                           headers=bearer).get_json()
    assert only_b["overall"]["total"] == 1 and list(only_b["by_group"]) == [f"{PLAN_B} · I"]
    scores = two_plans.get(f"{api}/scorecard", query_string={"year": "2025", "plan": PLAN_B},
                           headers=bearer).get_json()
    assert [(s["agency"], s["led"]) for s in scores["agencies"]] == [("Sở Nội vụ", 1)]
    unknown = two_plans.get(f"{api}/summary", query_string={"plan": "99/KH-UBND"},
                            headers=bearer)
    assert unknown.status_code == 404


def test_the_earlier_plans_groups_come_first(two_plans: FlaskClient, tenancy: Tenancy) -> None:
    summary = tenancy.queries(TENANT).summary(date(2025, 6, 30))
    plans = [plan for plan, _ in summary.group_refs.values()]
    assert plans == sorted(plans, key=lambda number: number != PLAN_A)  # 27/02 before 05/03


def test_the_comparison_of_two_times_keeps_each_plans_task_1_apart(
    client: FlaskClient, province: Tokens, tenancy: Tenancy, tmp_path: Path
) -> None:
    reads = tenancy.queries(TENANT)
    start = datetime.now(UTC)
    second = tmp_path / "88.xlsx"
    second.write_bytes(plan_b_workbook())
    ledger = tenancy.ledger(TENANT, for_writing=True)
    ledger.handle(ImportPlan(document=read_plan_document(second),
                             sha256=hashlib.sha256(second.read_bytes()).hexdigest()),
                  Context("setup"))
    ledger.handle(ChangeDeadline(task="1", deadline="6/2026", reason="Chờ kinh phí",
                                 decision_ref="12/QĐ-UBND", plan=PLAN_B), Context("setup"))
    middle = datetime.now(UTC)
    ledger.handle(ChangeDeadline(task="1", deadline="9/2026", reason="Chờ kinh phí",
                                 decision_ref="13/QĐ-UBND", plan=PLAN_B), Context("setup"))
    end = datetime.now(UTC)

    added = reads.diff(start, middle).items
    assert [(i.kind, i.subject, i.plan, i.after) for i in added] == [
        ("task_added", "task 1", PLAN_B, TITLE_B),
        ("indicator_added", "indicator 7.8", PLAN_B, "Tỷ lệ hồ sơ lưu trữ được số hóa")]
    moved = reads.diff(middle, end).items
    assert [(i.kind, i.subject, i.plan, i.before, i.after) for i in moved] == [
        ("deadline_moved", "task 1", PLAN_B, "6/2026", "9/2026")]

    sign_in(client, province.auditor)
    today = tenancy.clock.today().strftime("%d/%m/%Y")
    page = text(client.get(f"{T}/diff", query_string={"before": "01/01/2025",
                                                       "after": today}))
    assert f"Nhiệm vụ 1 (Kế hoạch {PLAN_B})" in page


def test_the_change_log_narrows_to_the_chosen_plan(
    two_plans: FlaskClient, tenancy: Tenancy
) -> None:
    client = two_plans
    ledger = tenancy.ledger(TENANT)
    for plan, deadline in ((PLAN_A, "6/2026"), (PLAN_B, "9/2026")):
        ledger.handle(ChangeDeadline(task="1", deadline=deadline, reason="Chờ kinh phí",
                                     decision_ref="12/QĐ-UBND", plan=plan), Context("setup"))
    query = {"tenant": TENANT, "type": "deadline_changed"}
    every = text(client.get("/changes", query_string=query))
    assert f"Nhiệm vụ 1 (Kế hoạch {PLAN_A})" in every
    assert f"Nhiệm vụ 1 (Kế hoạch {PLAN_B})" in every
    assert '<select id="f-plan" name="plan">' in every
    only_b = text(client.get("/changes", query_string={**query, "plan": PLAN_B}))
    assert f"Nhiệm vụ 1 (Kế hoạch {PLAN_B})" in only_b
    assert f"Nhiệm vụ 1 (Kế hoạch {PLAN_A})" not in only_b
    lines = list(csv.reader(io.StringIO(client.get(
        "/changes.csv", query_string={**query, "plan": PLAN_A}).data.decode("utf-8-sig"))))
    assert [(line[4], line[-1]) for line in lines[1:]] == [("Nhiệm vụ 1", PLAN_A)]
    none = text(client.get("/changes", query_string={**query, "plan": "99/KH-UBND"}))
    assert "Không có thay đổi nào khớp bộ lọc." in none


def test_pages_list_the_earlier_plan_first(two_plans: FlaskClient) -> None:
    for path in (f"{T}/", f"/p/{TENANT}"):
        page = text(two_plans.get(path))
        assert page.index(f"Kế hoạch số {PLAN_A}") < page.index(f"Kế hoạch số {PLAN_B}")
    listed = text(two_plans.get(f"{T}/tasks"))
    assert listed.index(f'<option value="{PLAN_A}"') < listed.index(f'<option value="{PLAN_B}"')
