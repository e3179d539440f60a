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
from tests.fixtures import REGROUPED_SEED, REVISED_SEED
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
    assert ("Sửa đổi bởi Quyết định số 245/QĐ-UBND: thêm nhiệm vụ 1, bãi bỏ nhiệm vụ 1, "
            "sửa nội dung 1, điều chỉnh thời hạn 1, đổi cơ quan chủ trì 1<") in changes
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


def test_a_move_a_renamed_group_and_indicators_added_and_removed_are_previewed_and_logged(
        client: FlaskClient, province: Tokens, tenancy: Tenancy) -> None:
    sign_in(client, province.admin)
    page = text(client.get(f"/t/{TENANT}/revise"))
    form = {"plan": "1534/KH-UBND", "amending": "Quyết định số 512/QĐ-UBND",
            "amending_on": "20/08/2025"}
    preview = text(client.post(
        f"/t/{TENANT}/revise/preview", content_type="multipart/form-data",
        data={**form_fields(page), **form,
              "file": (io.BytesIO(REGROUPED_SEED.read_bytes()), REGROUPED_SEED.name)}))
    assert "Chuyển nhóm nhiệm vụ" in preview and "từ nhóm I sang nhóm II." in preview
    assert "Nhóm nhiệm vụ đổi tên (1)" in preview and "gắn với bảo đảm an ninh mạng" in preview
    assert "Chỉ tiêu bổ sung, bãi bỏ (2)" in preview
    assert "Bổ sung chỉ tiêu" in preview and "Bãi bỏ chỉ tiêu" in preview
    tenancy.ledger(TENANT, for_writing=True).handle(RevisePlan(
        plan="1534/KH-UBND", document=read_plan_document(REGROUPED_SEED),
        sha256=hashlib.sha256(REGROUPED_SEED.read_bytes()).hexdigest(),
        amending="Quyết định số 512/QĐ-UBND", amending_on=date(2025, 8, 20)),
        Context("dost.lan", date(2025, 8, 20)))
    changes = text(client.get(f"/changes?tenant={TENANT}&type=plan_revised"))
    assert ("chuyển nhóm nhiệm vụ 1, đổi tên nhóm nhiệm vụ 1, bổ sung chỉ tiêu 1, "
            "bãi bỏ chỉ tiêu 1<") in changes
    for kind, said in (("group_changed", "Chuyển nhiệm vụ từ nhóm I sang nhóm II"),
                       ("group_renamed", "Đổi tên nhóm nhiệm vụ III"),
                       ("indicator_added", "Bổ sung chỉ tiêu 32"),
                       ("indicator_removed", "Bãi bỏ chỉ tiêu 31 theo Quyết định số 512")):
        assert said in text(client.get(f"/changes?tenant={TENANT}&type={kind}"))
    dashboard = text(client.get(f"/t/{TENANT}/"))
    assert ("hiệu lực từ 20/08/2025: chuyển nhóm nhiệm vụ 1, đổi tên nhóm nhiệm vụ 1, "
            "bổ sung chỉ tiêu 1, bãi bỏ chỉ tiêu 1") in dashboard
    indicators = text(client.get(f"/t/{TENANT}/indicators"))
    assert "Bãi bỏ theo Quyết định số 512/QĐ-UBND" in indicators
    assert "Tỉ lệ dân số trưởng thành có chữ ký số cá nhân" in indicators


def test_the_time_travel_page_shows_the_groups_as_they_stood_before_and_after_the_revision(
        client: FlaskClient, province: Tokens, tenancy: Tenancy) -> None:
    tenancy.ledger(TENANT, for_writing=True).handle(RevisePlan(
        plan="1534/KH-UBND", document=read_plan_document(REGROUPED_SEED),
        sha256=hashlib.sha256(REGROUPED_SEED.read_bytes()).hexdigest(),
        amending="Quyết định số 512/QĐ-UBND", amending_on=date(2025, 8, 20)),
        Context("dost.lan", date(2025, 8, 20)))
    sign_in(client, province.admin)

    def on(day: str) -> str:
        return client.get(f"/t/{TENANT}/time-travel?on={day}&mode=effective").get_data(
            as_text=True)

    before, after = on("19/08/2025"), on("20/08/2025")
    assert "gắn với bảo đảm an ninh mạng" not in before
    assert "gắn với bảo đảm an ninh mạng" in after
