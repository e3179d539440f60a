"""The standing body's decisions on a task from its page: a conditional deadline's condition
met, suspending, resuming and cancelling, each with its reason and deciding document.
Other roles see no such form and are refused anyway; a resubmitted form records once."""

from __future__ import annotations

from flask.testing import FlaskClient

from service.commands import ChangeDeadline, Context
from service.tenancy import Tenancy
from tests.web.conftest import TENANT, Tokens, form_fields, sign_in, text
from tests.web.test_forms import open_form

T = f"/t/{TENANT}"
DECIDED = {"reason": "Chờ Trung ương hướng dẫn", "decision_ref": "12/QĐ-UBND",
           "effective_on": "05/04/2025", "confirm": "yes"}


def events(tenancy: Tenancy, number: str) -> int:
    return len(tenancy.queries(TENANT).history(number))


def test_the_standing_body_records_that_a_conditional_deadlines_condition_was_met(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.admin)
    assert "Ghi nhận điều kiện thời hạn</a>" in text(client.get(f"{T}/tasks/4"))
    assert "Ghi nhận điều kiện thời hạn</a>" not in text(client.get(f"{T}/tasks/5"))
    path = f"{T}/tasks/4/trigger"
    refused = client.post(path, data={**open_form(client, path), "triggered_on": "31/02/2025"})
    assert refused.status_code == 422 and 'id="f-triggered_on-error"' in text(refused)
    assert "không phải ngày hợp lệ" in text(refused)
    fields = {**form_fields(text(refused)), "triggered_on": "15/04/2025",
              "note": "Nghị định số 45/2025/NĐ-CP"}
    done = client.post(path, data=fields)
    assert done.status_code == 303 and done.headers["Location"].endswith("/tasks/4#dien-bien")
    page = text(client.get(done.headers["Location"]))
    assert "Đã ghi nhận điều kiện thời hạn của nhiệm vụ 4 đã xảy ra." in page
    assert "Điều kiện đã xảy ra ngày" in page and "ngày 15/04/2025" in page
    assert "Ghi nhận điều kiện thời hạn</a>" not in page  # no longer pending
    recorded = events(tenancy, "4")
    again = client.post(path, data=fields)
    assert again.status_code == 303
    assert "không ghi nhận thêm lần nữa" in text(client.get(again.headers["Location"]))
    assert events(tenancy, "4") == recorded
    assert tenancy.ledger(TENANT).task("4").deadline.due is not None


def test_suspending_resuming_and_cancelling_a_task(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.admin)
    assert "Tạm dừng</a>" in text(client.get(f"{T}/tasks/5"))
    path = f"{T}/tasks/5/suspend"
    no_reason = client.post(path, data={**open_form(client, path), **DECIDED, "reason": " "})
    assert no_reason.status_code == 422 and 'id="f-reason-error"' in text(no_reason)
    assert "Hãy nêu lý do của quyết định." in text(no_reason)
    bad_day = client.post(path, data={**form_fields(text(no_reason)), **DECIDED,
                                      "effective_on": "5/4"})
    assert bad_day.status_code == 422 and 'id="f-effective_on-error"' in text(bad_day)
    assert "12/QĐ-UBND" in text(bad_day)  # the input is kept
    done = client.post(path, data={**form_fields(text(bad_day)), **DECIDED})
    assert done.status_code == 303 and done.headers["Location"].endswith("#dien-bien")
    page = text(client.get(done.headers["Location"]))
    assert "Đã tạm dừng nhiệm vụ 5." in page and "Tạm dừng nhiệm vụ" in page
    assert "Văn bản: 12/QĐ-UBND" in page and "Lý do, ý kiến: Chờ Trung ương hướng dẫn" in page
    assert "Tiếp tục thực hiện</a>" in page and "Tạm dừng</a>" not in page
    entry = tenancy.queries(TENANT).history("5")[-1]
    assert (entry.actor, entry.effective_on.isoformat()) == ("dost.lan", "2025-04-05")
    assert tenancy.ledger(TENANT).task("5").status == "suspended"

    path = f"{T}/tasks/5/resume"
    resumed = client.post(path, data={**open_form(client, path), **DECIDED,
                                      "reason": "Đã có hướng dẫn"})
    assert resumed.status_code == 303
    assert "Tiếp tục thực hiện nhiệm vụ" in text(client.get(resumed.headers["Location"]))
    assert tenancy.ledger(TENANT).task("5").status == "open"

    path = f"{T}/tasks/5/cancel"
    cancelled = client.post(path, data={**open_form(client, path), **DECIDED,
                                        "reason": "Không còn phù hợp"})
    assert cancelled.status_code == 303
    page = text(client.get(cancelled.headers["Location"]))
    assert "Hủy nhiệm vụ" in page and "Hủy nhiệm vụ</a>" not in page
    assert tenancy.ledger(TENANT).task("5").status == "cancelled"


def test_a_decision_that_does_not_apply_is_refused_at_the_top_of_the_form(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.admin)
    recorded = events(tenancy, "5")
    path = f"{T}/tasks/5/resume"
    refused = client.post(path, data={**open_form(client, path), **DECIDED})
    assert refused.status_code == 422
    assert "Nhiệm vụ 5 không tạm dừng" in text(refused)
    path = f"{T}/tasks/5/trigger"
    refused = client.post(path, data={**open_form(client, path), "triggered_on": "01/04/2025"})
    assert "Nhiệm vụ 5 không có thời hạn theo điều kiện đang chờ." in text(refused)
    assert events(tenancy, "5") == recorded


def test_a_resubmitted_decision_records_nothing_twice(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.admin)
    path = f"{T}/tasks/5/suspend"
    fields = {**open_form(client, path), **DECIDED}
    first, again = client.post(path, data=fields), client.post(path, data=fields)
    assert first.status_code == again.status_code == 303
    assert again.headers["Location"] == first.headers["Location"]
    assert "không ghi nhận thêm lần nữa" in text(client.get(again.headers["Location"]))
    codes = [e.code for e in tenancy.queries(TENANT).history("5")]
    assert codes.count("audit.task_suspended") == 1


def test_a_stale_decision_form_is_refused(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.admin)
    path = f"{T}/tasks/5/cancel"
    fields = open_form(client, path)
    tenancy.ledger(TENANT, for_writing=True).handle(ChangeDeadline(
        task="5", deadline="6/2025", reason="Lùi", decision_ref=""), Context("dost.lan"))
    stale = client.post(path, data={**fields, **DECIDED})
    assert stale.status_code == 422 and "vừa được người khác cập nhật" in text(stale)
    assert tenancy.ledger(TENANT).task("5").status == "open"


def test_other_roles_see_no_decision_and_are_refused(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.reporter)
    page = text(client.get(f"{T}/tasks/4"))
    for link in ("Ghi nhận điều kiện thời hạn", "Tạm dừng</a>", "Hủy nhiệm vụ"):
        assert link not in page, link
    fields = form_fields(text(client.get(f"{T}/tasks/4/report")))
    before = events(tenancy, "4")
    for action in ("trigger", "suspend", "cancel", "resume"):
        assert client.get(f"{T}/tasks/4/{action}").status_code == 403
        posted = client.post(f"{T}/tasks/4/{action}", data={
            **fields, **DECIDED, "triggered_on": "01/04/2025"})
        assert posted.status_code == 403, action
    assert events(tenancy, "4") == before
    assert tenancy.ledger(TENANT).task("4").status == "open"
