"""Writing through forms: a reporter reports, the standing body verifies or returns and
changes deadlines; refusals sit beside their field; a resubmitted form records nothing twice."""

from __future__ import annotations

from flask.testing import FlaskClient

from service.tenancy import Tenancy
from tests.web.conftest import TENANT, Tokens, form_fields, sign_in, text

REPORT = {"period": "2025-Q1", "percent": "40", "narrative": "Đang dự thảo quy định",
          "difficulties": "Chờ hướng dẫn của Bộ Nội vụ", "proposals": "",
          "evidence": "12/SNV-TCBC ngày 10/03/2025\n"}


def open_form(client: FlaskClient, path: str) -> dict[str, str]:
    page = client.get(path)
    assert page.status_code == 200, text(page)
    return form_fields(text(page))


def reports_of(tenancy: Tenancy, number: str) -> list[tuple[int, str, int, str]]:
    task = tenancy.queries(TENANT).state().tasks
    found = next(t for t in task.values() if t.number == number)
    return [(r.number, r.period, r.percent, r.state) for r in found.reports]


def test_a_reporter_reports_and_the_standing_body_verifies(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.reporter)
    path = f"/t/{TENANT}/tasks/5/report"
    form = text(client.get(path))
    assert "Cơ quan báo cáo:</strong> Sở Nội vụ" in form and "Quý I/2025" in form
    sent = client.post(path, data={**form_fields(form), **REPORT})
    assert sent.status_code == 303 and sent.headers["Location"].endswith("/tasks/5#bao-cao")
    page = text(client.get(sent.headers["Location"]))
    assert "Đã ghi nhận báo cáo số 1 của nhiệm vụ 5." in page
    assert "Xác nhận báo cáo 1" not in page  # a reporter does not review
    entry = tenancy.queries(TENANT).history("5")[-1]
    assert (entry.actor, entry.on_behalf_of) == ("noivu.minh", "Sở Nội vụ")

    client.post("/sign-out", data={"csrf_token": form_fields(page)["csrf_token"]})
    sign_in(client, province.admin)
    task_page = text(client.get(f"/t/{TENANT}/tasks/5"))
    assert "Xác nhận báo cáo 1" in task_page
    verified = client.post(f"/t/{TENANT}/tasks/5/reports/1/review",
                           data={**form_fields(task_page), "decision": "verify", "note": "Đạt"})
    assert verified.status_code == 303
    assert reports_of(tenancy, "5") == [(1, "2025-Q1", 40, "verified")]
    assert "Báo cáo số 1 đã được xác nhận" in text(client.get(f"/t/{TENANT}/tasks/5"))


def test_a_resubmitted_form_records_nothing_twice_and_lands_on_the_first_answer(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.reporter)
    path = f"/t/{TENANT}/tasks/5/report"
    fields = {**open_form(client, path), **REPORT}
    first = client.post(path, data=fields)
    again = client.post(path, data=fields)
    assert first.status_code == again.status_code == 303
    assert again.headers["Location"] == first.headers["Location"]
    assert "không ghi nhận thêm lần nữa" in text(client.get(again.headers["Location"]))
    assert reports_of(tenancy, "5") == [(1, "2025-Q1", 40, "submitted")]
    changed = client.post(path, data={**fields, "percent": "50"})
    assert changed.status_code == 422 and "đã được gửi với nội dung khác" in text(changed)
    assert len(reports_of(tenancy, "5")) == 1


def test_refusals_are_shown_beside_the_field_they_name_and_the_input_is_kept(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.reporter)
    path = f"/t/{TENANT}/tasks/5/report"
    fields = open_form(client, path)
    refused = client.post(path, data={**fields, **REPORT, "percent": "150"})
    body = text(refused)
    assert refused.status_code == 422
    assert 'id="f-percent-error"' in body
    assert "Tỷ lệ hoàn thành phải là số nguyên từ 0 đến 100" in body
    assert 'href="#f-percent"' in body and "Đang dự thảo quy định" in body
    period = client.post(path, data={**form_fields(body), **REPORT, "period": "2025-Q5"})
    assert 'id="f-period-error"' in text(period) and "Kỳ báo cáo '2025-Q5' không hợp lệ" in text(
        period)
    ok = client.post(path, data={**form_fields(text(period)), **REPORT})  # the corrected form
    assert ok.status_code == 303 and len(reports_of(tenancy, "5")) == 1


def test_returning_a_report_needs_a_reason_beside_the_note(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.reporter)
    client.post(f"/t/{TENANT}/tasks/5/report",
                data={**open_form(client, f"/t/{TENANT}/tasks/5/report"), **REPORT})
    client.post("/sign-out", data=form_fields(text(client.get("/", follow_redirects=True))))
    sign_in(client, province.admin)
    path = f"/t/{TENANT}/tasks/5/reports/1/review"
    refused = client.post(path, data={**open_form(client, path), "decision": "return",
                                      "note": " "})
    assert refused.status_code == 422
    assert 'id="f-note-error"' in text(refused)
    assert "Trả lại báo cáo cần ghi rõ lý do" in text(refused)
    returned = client.post(path, data={**form_fields(text(refused)), "decision": "return",
                                       "note": "Thiếu minh chứng"})
    assert returned.status_code == 303
    assert reports_of(tenancy, "5")[0][3] == "returned"


def test_the_standing_body_changes_a_deadline_with_its_reason_and_document(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.admin)
    path = f"/t/{TENANT}/tasks/5/deadline"
    change = {"deadline": "sớm nhất có thể", "reason": "Chờ hướng dẫn",
              "decision_ref": "123/QĐ-UBND", "effective_on": "10/03/2025"}
    refused = client.post(path, data={**open_form(client, path), **change})
    assert refused.status_code == 422 and 'id="f-deadline-error"' in text(refused)
    done = client.post(path, data={**form_fields(text(refused)), **change, "deadline": "6/2025"})
    assert done.status_code == 303
    entry = tenancy.queries(TENANT).history("5")[-1]
    assert (entry.reason, entry.document, entry.effective_on.isoformat()) == (
        "Chờ hướng dẫn", "123/QĐ-UBND", "2025-03-10")


def test_a_stale_form_is_refused_when_someone_changed_the_task_first(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.admin)
    path = f"/t/{TENANT}/tasks/5/deadline"
    fields = open_form(client, path)
    client.post(path, data={**open_form(client, path), "deadline": "6/2025", "reason": "Lùi"})
    stale = client.post(path, data={**fields, "deadline": "9/2025", "reason": "Lùi nữa"})
    assert stale.status_code == 422 and "vừa được người khác cập nhật" in text(stale)
    assert tenancy.ledger(TENANT).task("5").deadline.text == "6/2025"


def test_reassigning_and_completing_a_task(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.admin)
    plan = tenancy.queries(TENANT).state()
    keys = {name: key for key, name in plan.agencies.items()}
    path = f"/t/{TENANT}/tasks/5/reassign"
    none = client.post(path, data={**open_form(client, path), "reason": "Điều chỉnh"})
    assert 'id="f-leads-error"' in text(none)
    moved = client.post(path, data={**form_fields(text(none)), "reason": "Điều chỉnh",
                                    "leads": [keys["Sở Nội vụ"]],
                                    "coordinators": [keys["Sở Tư pháp"]],
                                    "confirm": "yes"})
    assert moved.status_code == 303
    path = f"/t/{TENANT}/tasks/5/complete"
    early = client.post(path, data={**open_form(client, path), "agency": "",
                                    "output_document": "QĐ 45/QĐ-UBND",
                                    "completed_on": "01/01/2025"})
    assert 'id="f-completed_on-error"' in text(early)
    assert "trước ngày ban hành kế hoạch (27/02/2025)" in text(early)
    done = client.post(path, data={**form_fields(text(early)), "agency": "",
                                   "output_document": "QĐ 45/QĐ-UBND",
                                   "completed_on": "20/03/2025"})
    assert done.status_code == 303
    task = tenancy.ledger(TENANT).task("5")
    assert task.status == "completed"


def test_an_archived_province_stays_readable_but_records_nothing(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.admin)
    path = f"/t/{TENANT}/tasks/5/deadline"
    fields = open_form(client, path)
    tenancy.registry.archive(TENANT)
    refused = client.post(path, data={**fields, "deadline": "6/2025", "reason": "Lùi"})
    assert refused.status_code == 422
    assert "đã lưu trữ; không ghi nhận thêm thay đổi" in text(refused)
    assert client.get(f"/t/{TENANT}/tasks/5").status_code == 200
