"""A plan revised by an amending decision, as the standing body works it: a page to preview
the differences and confirm them; the dashboard says by which decision, the change log lists
each change citing it."""

from __future__ import annotations

import hashlib
import io
from datetime import date

from flask.testing import FlaskClient

from importers import read_plan_document
from service.commands import Context, RevisePlan
from service.tenancy import Tenancy
from tests.fixtures import REVISED_SEED
from tests.web.conftest import TENANT, Tokens, form_fields, sign_in, text


def test_the_dashboard_and_change_log_say_the_plan_was_revised_by_the_decision(
        client: FlaskClient, province: Tokens, tenancy: Tenancy) -> None:
    tenancy.ledger(TENANT, for_writing=True).handle(RevisePlan(
        plan="1534/KH-UBND", document=read_plan_document(REVISED_SEED),
        sha256=hashlib.sha256(REVISED_SEED.read_bytes()).hexdigest(),
        amending="Quyết định số 245/QĐ-UBND", amending_on=date(2025, 7, 15)),
        Context("dost.lan", date(2025, 7, 15)))
    sign_in(client, province.admin)
    dashboard = text(client.get(f"/t/{TENANT}/"))
    assert "Sửa đổi bởi Quyết định số 245/QĐ-UBND ngày 15/07/2025" in dashboard
    changes = text(client.get(f"/changes?tenant={TENANT}&type=plan_revised&type=reworded"))
    assert "Sửa đổi bởi Quyết định số 245/QĐ-UBND: thêm 1, bãi bỏ 1" in changes
    assert "Sửa nội dung nhiệm vụ" in changes


def test_a_revision_is_previewed_on_its_page_then_confirmed_once(
        client: FlaskClient, province: Tokens, tenancy: Tenancy) -> None:
    sign_in(client, province.admin)
    page = text(client.get(f"/t/{TENANT}/revise"))
    assert "Sửa đổi, bổ sung kế hoạch" in page
    head = tenancy.queries(TENANT).head()
    form = {"plan": "1534/KH-UBND", "amending": "Quyết định số 245/QĐ-UBND",
            "amending_on": "15/07/2025"}
    preview = text(client.post(
        f"/t/{TENANT}/revise/preview", content_type="multipart/form-data",
        data={**form_fields(page), **form,
              "file": (io.BytesIO(REVISED_SEED.read_bytes()), REVISED_SEED.name)}))
    assert "5 nhiệm vụ thay đổi, 56 nhiệm vụ giữ nguyên; cơ quan mới: Sở Ngoại vụ" in preview
    assert "TT 8 trong văn bản" in preview and "Đổi cơ quan chủ trì" in preview
    assert "Bãi bỏ nhiệm vụ" in preview and "Thêm nhiệm vụ" in preview
    assert tenancy.queries(TENANT).head() == head  # nothing recorded by a preview
    confirm = {**form_fields(preview), **form,
               "sha256": preview.split('name="sha256" value="')[1].split('"')[0]}
    done = client.post(f"/t/{TENANT}/revise/confirm", data=confirm)
    assert done.status_code == 303, text(done)
    shown = text(client.get(done.headers["Location"]))
    assert ("Đã ghi nhận sửa đổi Kế hoạch 1534/KH-UBND theo Quyết định số 245/QĐ-UBND: "
            "thêm nhiệm vụ 1, bãi bỏ nhiệm vụ 1") in shown
    task = tenancy.ledger(TENANT).task("3", "1534/KH-UBND")
    assert task.deadline.text == "9/2025"


def test_a_revision_without_the_amending_decision_is_asked_for_it(
        client: FlaskClient, province: Tokens) -> None:
    sign_in(client, province.admin)
    page = text(client.get(f"/t/{TENANT}/revise"))
    refused = client.post(
        f"/t/{TENANT}/revise/preview", content_type="multipart/form-data",
        data={**form_fields(page), "plan": "1534/KH-UBND", "amending": "",
              "file": (io.BytesIO(REVISED_SEED.read_bytes()), REVISED_SEED.name)})
    assert refused.status_code == 422
    assert "Hãy ghi số văn bản sửa đổi" in text(refused)


def test_the_standing_body_rewords_a_task_from_its_page(
        client: FlaskClient, province: Tokens, tenancy: Tenancy) -> None:
    sign_in(client, province.admin)
    task_page = text(client.get(f"/t/{TENANT}/tasks/5"))
    assert "Sửa nội dung" in task_page
    path = f"/t/{TENANT}/tasks/5/reword"
    form = text(client.get(path))
    assert "Nghiên cứu xây dựng phương pháp/tiêu chí đánh giá" in form  # the wording to edit
    change = {"title": "Xây dựng bộ tiêu chí đánh giá mức độ hoàn thành chuyển đổi số",
              "expected_output": "Bộ tiêu chí", "reason": "Theo Quyết định sửa đổi",
              "decision_ref": "245/QĐ-UBND", "effective_on": "15/07/2025"}
    done = client.post(path, data={**form_fields(form), **change})
    assert done.status_code == 303, text(done)
    entry = tenancy.queries(TENANT).history("5")[-1]
    assert (entry.event, entry.reason, entry.document, entry.effective_on) == (
        "Reworded", "Theo Quyết định sửa đổi", "245/QĐ-UBND", date(2025, 7, 15))
    assert tenancy.ledger(TENANT).task("5").expected_output == "Bộ tiêu chí"
