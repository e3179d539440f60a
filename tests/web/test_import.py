"""Importing a plan: preview what will be created and the rows that could not be read,
then confirm; nothing is recorded before the confirmation."""

from __future__ import annotations

import io
from pathlib import Path

from flask.testing import FlaskClient

from service.tenancy import Tenancy
from tests.web.conftest import Tokens, form_fields, sign_in, text

CSV = """Số kế hoạch,77/KH-UBND
Ngày ban hành (dd/mm/yyyy),05/03/2025
Cơ quan ban hành,UBND tỉnh Thử nghiệm
Nhóm,Tên nhóm,TT,Tên nhiệm vụ,Cơ quan chủ trì,Cơ quan phối hợp,Kết quả,Thời gian hoàn thành
I,Nhận thức,1,Ban hành kế hoạch chuyển đổi số,Sở Khoa học và Công nghệ,,Kế hoạch,3/2025
I,Nhận thức,2,,Sở Nội vụ,,Báo cáo,6/2025
II,Thể chế,3,Rà soát thủ tục hành chính,Sở Tư pháp,,Báo cáo,sớm nhất có thể
"""


def upload(client: FlaskClient, slug: str, data: bytes, name: str) -> str:
    page = text(client.get(f"/t/{slug}/import"))
    preview = client.post(f"/t/{slug}/import/preview", content_type="multipart/form-data",
                          data={**form_fields(page), "file": (io.BytesIO(data), name)})
    return text(preview)


def test_a_plan_is_previewed_then_imported_once(
    client: FlaskClient, province: Tokens, tenancy: Tenancy, seed_path: Path
) -> None:
    tenancy.create_tenant("thu-nghiem", "Tỉnh Thử nghiệm", None)
    tenancy.access.grant("dost.lan", "tenant_admin", "thu-nghiem", "", "setup")
    sign_in(client, province.admin)
    preview = upload(client, "thu-nghiem", CSV.encode(), "ke-hoach.csv")
    assert "77/KH-UBND" in preview and "2 nhiệm vụ" in preview
    assert "Các dòng không đọc được (1)" in preview and "nhiệm vụ không có tên" in preview
    assert "sớm nhất có thể" in preview and "Chưa rõ thời hạn" in preview
    assert 'name="payload"' not in preview  # the file stays on the server
    assert tenancy.queries("thu-nghiem").state().tasks == {}
    fields = form_fields(preview)
    confirm = {**fields, "sha256": preview.split('name="sha256" value="')[1].split('"')[0],
               "number": "77/KH-UBND"}
    refused = client.post("/t/thu-nghiem/import/confirm", data=confirm)
    assert refused.status_code == 422 and "1 dòng không đọc được" in text(refused)
    new_form = form_fields(text(refused))
    accepted = client.post("/t/thu-nghiem/import/confirm",
                           data={**confirm, **new_form, "accept_problems": "yes"})
    assert accepted.status_code == 303
    assert len(tenancy.queries("thu-nghiem").state().tasks) == 2
    page = text(client.get(accepted.headers["Location"]))
    assert "Đã nhập kế hoạch 77/KH-UBND: 2 nhiệm vụ" in page


def test_the_same_seed_file_again_records_nothing(
    client: FlaskClient, province: Tokens, tenancy: Tenancy, seed_path: Path
) -> None:
    sign_in(client, province.admin)
    head = tenancy.queries("quang-nam").head()
    preview = upload(client, "quang-nam", seed_path.read_bytes(), seed_path.name)
    assert "60 nhiệm vụ" in preview and "Đơn vị đã có: kế hoạch số 1534/KH-UBND" in preview
    confirm = {**form_fields(preview),
               "sha256": preview.split('name="sha256" value="')[1].split('"')[0]}
    again = client.post("/t/quang-nam/import/confirm", data=confirm)
    assert again.status_code == 303
    assert "không ghi nhận gì thêm" in text(client.get(again.headers["Location"]))
    assert tenancy.queries("quang-nam").head() == head


def test_unreadable_files_are_refused_beside_the_file_field(
    client: FlaskClient, province: Tokens
) -> None:
    sign_in(client, province.admin)
    assert "Tệp trống." in upload(client, "quang-nam", b"   ", "ke-hoach.txt")
    old = upload(client, "quang-nam", b"\xd0\xcf\x11\xe0", "ke-hoach.xls")
    assert "định dạng cũ" in old and 'aria-invalid="true"' in old
    broken = upload(client, "quang-nam", b"\xd0\xcf\x11\xe0 hong", "ke-hoach.doc")
    assert "Không" in broken and 'aria-invalid="true"' in broken
    page = text(client.get("/t/quang-nam/import"))
    missing = client.post("/t/quang-nam/import/preview", data=form_fields(page))
    assert missing.status_code == 422 and "Hãy chọn tệp kế hoạch" in text(missing)
    tampered = client.post("/t/quang-nam/import/confirm", data={
        **form_fields(page), "form_token": "a" * 32, "filename": "x.txt", "sha256": "0",
        "payload": "aGVsbG8="})
    assert "Không còn tệp đã xem trước" in text(tampered)
