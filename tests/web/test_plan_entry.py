"""Typing a plan in through the web pages: the plan's header, then its groups, tasks and
indicators, agencies chosen from the register or typed; refusals in Vietnamese beside their
field, with what was typed kept; only the standing body may do it."""

from __future__ import annotations

from urllib.parse import quote

from flask.testing import FlaskClient

from service.tenancy import Tenancy
from tests.web.conftest import TENANT, Tokens, form_fields, sign_in, text

NUMBER = "15-KH/TU"
EDITOR = f"/t/{TENANT}/plans/edit?plan={quote(NUMBER)}"


def post_form(client: FlaskClient, path: str, data: dict[str, object]) -> object:
    page = client.get(path)
    assert page.status_code == 200, text(page)
    return client.post(path, data={**form_fields(text(page)), **data})


def create_plan(client: FlaskClient) -> None:
    sent = post_form(client, f"/t/{TENANT}/plans/new", {
        "number": NUMBER, "title": "Thực hiện Nghị quyết 57-NQ/TW",
        "issued_on": "05/03/2025", "issuer": "Tỉnh ủy Quảng Nam", "legal_basis": "57-NQ/TW\n"})
    assert sent.status_code == 303, text(sent)  # type: ignore[attr-defined]
    assert sent.headers["Location"] == EDITOR  # type: ignore[attr-defined]


def test_the_standing_body_types_a_plan_in_group_task_and_indicator_one_by_one(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.admin)
    create_plan(client)
    group = post_form(client, f"/t/{TENANT}/plans/edit/group?plan={quote(NUMBER)}",
                      {"code": "I", "title": "Thể chế, chính sách"})
    assert group.status_code == 303  # type: ignore[attr-defined]
    task_form = f"/t/{TENANT}/plans/edit/task?plan={quote(NUMBER)}"
    sent = post_form(client, task_form, {
        "group": "I", "number": "1", "title": "Ban hành quy chế phối hợp",
        "leads": ["so noi vu"], "leads_typed": "", "coordinators_typed": "Ban Tuyên giáo Tỉnh ủy",
        "expected_output": "Quy chế", "deadline": "Quý III/2025"})
    assert sent.status_code == 303, text(sent)  # type: ignore[attr-defined]
    page = text(client.get(sent.headers["Location"]))  # type: ignore[attr-defined]
    assert "Đã thêm nhiệm vụ 1 (nhóm I)." in page
    assert "Đã thêm vào danh mục cơ quan: Ban Tuyên giáo Tỉnh ủy." in page
    unparsed = post_form(client, task_form, {
        "group": "I", "number": "2", "title": "Tuyên truyền", "leads_typed": "Sở Nội vụ",
        "deadline": "Theo tiến độ của Trung ương"})
    page = text(client.get(unparsed.headers["Location"]))  # type: ignore[attr-defined]
    assert "Chưa hiểu thời hạn 'Theo tiến độ của Trung ương'" in page
    indicator = post_form(client, f"/t/{TENANT}/plans/edit/indicator?plan={quote(NUMBER)}", {
        "code": "1", "name": "Tỉ lệ cơ quan đảng ứng dụng chữ ký số", "unit": "%",
        "target": "100", "responsible": ["so noi vu"], "horizon_year": "2030"})
    assert indicator.status_code == 303, text(indicator)  # type: ignore[attr-defined]

    state = tenancy.queries(TENANT).state()
    plan = next(p for p in state.plans.values() if p.number == NUMBER)
    tasks = {t.number: t for t in state.tasks.values() if t.plan_id == plan.id}
    assert plan.groups == {"I": "Thể chế, chính sách"}
    assert (tasks["1"].leads, tasks["1"].coordinators_text) == (
        ("so noi vu",), "Ban Tuyên giáo Tỉnh ủy")
    assert (tasks["1"].deadline.due.isoformat(), tasks["2"].deadline.kind.value) == (  # type: ignore[union-attr]
        "2025-09-30", "unparsed")
    editor = text(client.get(EDITOR))
    assert "1 nhóm, 2 nhiệm vụ, 1 chỉ tiêu" in editor and "Ban Tuyên giáo Tỉnh ủy" in editor


def test_what_is_wrong_is_said_in_vietnamese_beside_its_field_and_the_input_is_kept(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.admin)
    create_plan(client)
    task_form = f"/t/{TENANT}/plans/edit/task?plan={quote(NUMBER)}"
    empty = post_form(client, task_form, {"number": "", "title": "", "deadline": "6/2025"})
    page = text(empty)
    assert empty.status_code == 422  # type: ignore[attr-defined]
    assert 'id="f-number-error"' in page and "Hãy nhập số thứ tự của nhiệm vụ." in page
    assert "Hãy nhập tên nhiệm vụ." in page
    assert "Hãy chọn hoặc nhập ít nhất một cơ quan chủ trì." in page
    assert 'value="6/2025"' in page
    post_form(client, task_form, {"number": "1", "title": "Quy chế", "leads_typed": "Sở Y tế"})
    again = post_form(client, task_form, {"number": "1.", "title": "Trùng số",
                                          "leads_typed": "Sở Y tế"})
    page = text(again)
    assert again.status_code == 422  # type: ignore[attr-defined]
    assert ("Kế hoạch 15-KH/TU đã có nhiệm vụ 1; nếu kế hoạch đánh số lại từ đầu trong mỗi "
            "nhóm, hãy ghi số kèm nhóm (ví dụ II.3).") in page
    assert 'value="Trùng số"' in page or ">Trùng số</textarea>" in page
    plan_again = post_form(client, f"/t/{TENANT}/plans/new", {"number": NUMBER.lower()})
    assert "Kế hoạch 15-kh/tu đã có trong hệ thống." in text(plan_again)
    bad_day = post_form(client, f"/t/{TENANT}/plans/new", {"number": "16-KH/TU",
                                                          "issued_on": "31/02/2025"})
    assert "'31/02/2025' không phải ngày hợp lệ" in text(bad_day)
    assert len([p for p in tenancy.queries(TENANT).state().plans.values()]) == 2


def test_only_the_standing_body_may_type_a_plan_in(client: FlaskClient, province: Tokens
                                                   ) -> None:
    sign_in(client, province.reporter)
    assert client.get(f"/t/{TENANT}/plans/new").status_code == 403
    assert client.get(f"/t/{TENANT}/plans/edit/task?plan=1534/KH-UBND").status_code == 403
