"""The import preview shows what a planning officer checks, asks for what the document does
not say, and confirms from the file kept on the server."""

from __future__ import annotations

from flask.testing import FlaskClient

from service.tenancy import Tenancy
from tests.imports import documents
from tests.web.conftest import Tokens, form_fields, sign_in, text
from tests.web.test_import import upload


def _sha(page: str) -> str:
    return page.split('name="sha256" value="')[1].split('"', maxsplit=1)[0]


def _new_tenant(tenancy: Tenancy, slug: str) -> None:
    tenancy.create_tenant(slug, "Tỉnh Thử nghiệm", None)
    tenancy.access.grant("dost.lan", "tenant_admin", slug, "", "setup")


def test_the_preview_shows_references_agencies_deadlines_and_notes(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.admin)
    preview = upload(client, "quang-nam", documents.restarting_plan(), "ke-hoach.docx")

    assert "8 nhiệm vụ" in preview
    assert "<strong>II.2</strong>" in preview and "TT 2 nhóm II" in preview
    # The seed registered Sở Nội vụ; the document also writes it "Sở Nội Vụ".
    assert "Cùng cơ quan, viết khác: Sở Nội vụ" in preview
    assert "gần trùng" in preview and "tag-new" in preview and "tag-ok" in preview
    assert "Hằng năm, hạn ngày 15/12" in preview and "Thường xuyên" in preview
    assert "nối vào nhiệm vụ <strong>II.2</strong>" in preview
    assert "dòng nhóm <strong>II</strong>" in preview
    assert 'value="123/KH-UBND"' in preview and 'value="15/10/2026"' in preview
    assert 'value="UBND tỉnh Quảng Nam"' in preview


def test_an_appendix_without_a_number_of_its_own_is_confirmed_with_the_number_typed_in(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    _new_tenant(tenancy, "bo-thu")
    sign_in(client, province.admin)
    data = documents.save(_untitled())
    preview = upload(client, "bo-thu", data, "phu-luc.docx")
    assert "Tài liệu không ghi số hiệu" in preview

    fields = {**form_fields(preview), "sha256": _sha(preview)}
    missing = client.post("/t/bo-thu/import/confirm", data=fields)
    assert missing.status_code == 422 and "hãy nhập số hiệu kế hoạch" in text(missing)
    again = text(missing)
    typed = {**form_fields(again), "sha256": _sha(again), "number": "9/KH-BKHCN",
             "issued_on": "01/12/2026", "issuer": "Bộ Khoa học và Công nghệ", "title": "Phụ lục"}
    accepted = client.post("/t/bo-thu/import/confirm", data=typed)

    assert accepted.status_code == 303
    (plan,) = tenancy.queries("bo-thu").state().plans.values()
    assert (plan.number, plan.issuing_body, plan.title) == (
        "9/KH-BKHCN", "Bộ Khoa học và Công nghệ", "Phụ lục")
    assert plan.issued_on is not None and plan.issued_on.isoformat() == "2026-12-01"


def test_a_large_valid_file_is_confirmed_without_being_uploaded_again(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    _new_tenant(tenancy, "lon")
    sign_in(client, province.admin)
    data = documents.long_plan(tasks=600)
    preview = upload(client, "lon", data, "ke-hoach-lon.docx")
    assert "600 nhiệm vụ" in preview

    confirm = client.post("/t/lon/import/confirm",
                          data={**form_fields(preview), "sha256": _sha(preview)})

    assert confirm.status_code == 303
    assert len(tenancy.queries("lon").state().tasks) == 600


def _untitled():  # type: ignore[no-untyped-def]
    from docx import Document  # noqa: PLC0415

    document = Document()
    document.add_paragraph("DANH MỤC NHIỆM VỤ")
    documents.task_table(document, [["1", "Một việc", "Sở Nội vụ", "", "2026", ""]])
    return document
