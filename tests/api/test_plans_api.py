"""Importing plans by upload, in every supported format, and refusing what cannot be read."""

from __future__ import annotations

import io
from pathlib import Path

from flask.testing import FlaskClient

from tests.api.conftest import assert_problem, create_tenant, events, upload

TEMPLATES = Path(__file__).resolve().parents[2] / "importers" / "templates"


def test_uploading_the_seed_records_its_60_tasks_and_40_indicators(
    client: FlaskClient, seed_path: Path
) -> None:
    create_tenant(client)
    response = upload(client, "quang-nam", seed_path)
    assert response.status_code == 201
    result = response.get_json()
    assert (result["plan_number"], result["recorded"]) == ("1534/KH-UBND", True)
    assert (result["tasks"], result["groups"], result["indicators"]) == (60, 7, 40)
    assert result["position"] == len(events(client, "/api/v1/tenants/quang-nam"))
    status = client.get("/api/v1/tenants/quang-nam/status").get_json()
    assert len(status["tasks"]) == 60
    (plan,) = client.get("/api/v1/tenants/quang-nam/plans").get_json()["items"]
    assert plan["issued_on"] == "2025-02-27"
    assert [g["code"] for g in plan["groups"]] == ["I", "II", "III", "IV", "V", "VI", "VII"]


def test_uploading_the_same_document_again_records_nothing(
    client: FlaskClient, seeded: str, seed_path: Path
) -> None:
    before = len(events(client, seeded))
    again = upload(client, "quang-nam", seed_path)
    assert again.status_code == 200
    assert again.get_json()["recorded"] is False
    assert len(events(client, seeded)) == before


def test_the_csv_and_xlsx_templates_import_by_upload(client: FlaskClient) -> None:
    create_tenant(client, "mau-csv")
    create_tenant(client, "mau-xlsx")
    csv = upload(client, "mau-csv", TEMPLATES / "nhiem-vu-mau.csv")
    xlsx = upload(client, "mau-xlsx", TEMPLATES / "ke-hoach-mau.xlsx")
    assert (csv.status_code, xlsx.status_code) == (201, 201)
    assert csv.get_json()["tasks"] >= 2 and xlsx.get_json()["tasks"] >= 1


def test_a_document_with_unreadable_rows_is_refused_with_row_numbers_unless_accepted(
    client: FlaskClient, tmp_path: Path
) -> None:
    create_tenant(client)
    text = (TEMPLATES / "nhiem-vu-mau.csv").read_text("utf-8-sig")
    broken = tmp_path / "broken.csv"
    broken.write_text(text.rstrip("\n") + "\nII,Nhóm hai,3,,Sở Y tế,,Báo cáo,2025,\n", "utf-8")
    refused = assert_problem(upload(client, "quang-nam", broken), 422)
    assert refused["type"].endswith("import-refused")
    (problem,) = refused["problems"]
    assert problem["row"] > 1 and "title" in problem["reason"]
    assert events(client, "/api/v1/tenants/quang-nam") == []
    accepted = upload(client, "quang-nam", broken, accept_problems="true")
    assert accepted.status_code == 201
    assert accepted.get_json()["problems"] == [problem]


def test_unreadable_or_unsupported_files_are_refused_as_import_format_problems(
    client: FlaskClient,
) -> None:
    create_tenant(client)
    for name, data in (("plan.doc", b"old word"), ("plan.pdf", b"%PDF"), ("plan", b"x"),
                       ("plan.docx", b"not a zip"), ("plan.xlsx", b"PK\x03\x04junk"),
                       ("plan.txt", b""), ("plan.txt", b"\xff\xfe\x00garbage"),
                       ("plan.csv", b"a,b\n\"unclosed")):
        response = client.post("/api/v1/tenants/quang-nam/plans",
                               data={"file": (io.BytesIO(data), name)},
                               content_type="multipart/form-data")
        assert response.status_code == 422, (name, response.get_json())
        assert "file" in response.get_json()["errors"]


def test_an_upload_needs_a_multipart_body_with_a_file_part(client: FlaskClient) -> None:
    create_tenant(client)
    base = "/api/v1/tenants/quang-nam/plans"
    assert_problem(client.post(base, json={"file": "x"}), 415)
    missing = assert_problem(client.post(base, data={"accept_problems": "true"},
                                         content_type="multipart/form-data"), 422)
    assert "file" in missing["errors"]
    unknown = assert_problem(client.post(base, data={"file": (io.BytesIO(b"x"), "a.txt"),
                                                     "colour": "red"},
                                         content_type="multipart/form-data"), 422)
    assert "colour" in unknown["errors"]


def test_an_upload_larger_than_the_limit_is_refused_before_it_is_read(
    client: FlaskClient,
) -> None:
    create_tenant(client)
    # A raw body: the test client spools large multipart bodies to a file it never closes.
    body = (b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\n\r\n'
            + b"x" * (1024 * 1024 + 1) + b"\r\n--b--\r\n")
    response = client.post("/api/v1/tenants/quang-nam/plans", data=body,
                           content_type="multipart/form-data; boundary=b")
    assert_problem(response, 413)


def test_a_hostile_workbook_is_refused_naming_the_limit_it_passed(client: FlaskClient) -> None:
    import openpyxl  # noqa: PLC0415

    create_tenant(client)
    workbook = openpyxl.Workbook()
    workbook.active["XFD1048576"] = "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client.post("/api/v1/tenants/quang-nam/plans",
                           data={"file": (io.BytesIO(buffer.getvalue()), "xa.xlsx")},
                           content_type="multipart/form-data")
    refused = assert_problem(response, 422)
    assert refused["code"] == "import.limit_exceeded"
    assert refused["params"]["limit"] == "rows"
    assert "'rows'" in refused["errors"]["file"][0]


def test_a_preview_reads_without_recording_and_the_import_names_the_kept_file(
    client: FlaskClient, seeded: str
) -> None:
    from tests.imports import documents  # noqa: PLC0415

    before = len(events(client, seeded))
    response = client.post("/api/v1/tenants/quang-nam/plans/preview", data={
        "file": (io.BytesIO(documents.appendix_only()), "phu-luc.docx")},
        content_type="multipart/form-data")
    assert response.status_code == 200, response.get_json()
    preview = response.get_json()
    assert preview["header"]["number"] == "2345/QĐ-BKHCN"
    assert preview["header"]["issued_on"] == "2026-10-15"
    assert [t["reference"] for t in preview["tasks"]] == ["I.1", "I.2", "II.1"]
    assert [t["number"] for t in preview["tasks"]] == ["1", "2", "1"]
    assert preview["tasks"][1]["deadline"]["kind"] == "yearly"
    assert preview["counts"]["tasks"] == 3 and preview["missing"] == []
    assert all(not a["matched"] for a in preview["agencies"])
    assert len(events(client, seeded)) == before

    recorded = client.post("/api/v1/tenants/quang-nam/plans",
                           data={"upload": preview["upload"], "title": "Phụ lục I"},
                           content_type="multipart/form-data")
    assert recorded.status_code == 201, recorded.get_json()
    assert (recorded.get_json()["plan_number"], recorded.get_json()["tasks"]) == (
        "2345/QĐ-BKHCN", 3)
    plans = client.get("/api/v1/tenants/quang-nam/plans").get_json()["items"]
    assert "Phụ lục I" in [plan["title"] for plan in plans]


def test_an_import_names_either_a_file_or_a_kept_upload(client: FlaskClient) -> None:
    create_tenant(client)
    base = "/api/v1/tenants/quang-nam/plans"
    neither = assert_problem(client.post(base, data={"accept_problems": "true"},
                                         content_type="multipart/form-data"), 422)
    assert "file" in neither["errors"]
    unknown = assert_problem(client.post(base, data={"upload": "0" * 64},
                                         content_type="multipart/form-data"), 422)
    assert "upload" in unknown["errors"]


def test_metadata_the_document_lacks_is_supplied_with_the_upload(
    client: FlaskClient, tmp_path: Path
) -> None:
    create_tenant(client)
    path = tmp_path / "khong-so.csv"
    path.write_text("TT,Tên nhiệm vụ,Chủ trì,Thời hạn\n1,Một việc,Sở Nội vụ,2026\n", "utf-8")
    refused = assert_problem(upload(client, "quang-nam", path), 422)
    assert refused["code"] == "import.sheet_no_plan_number"
    assert refused["detail"].startswith("the plan number was not found: 'Số kế hoạch' is needed")
    done = upload(client, "quang-nam", path, number="5/KH-UBND", issued_on="02/01/2026",
                  issuer="UBND tỉnh Quảng Nam")
    assert done.status_code == 201, done.get_json()
    (plan,) = client.get("/api/v1/tenants/quang-nam/plans").get_json()["items"]
    assert (plan["number"], plan["issued_on"], plan["issuing_body"]) == (
        "5/KH-UBND", "2026-01-02", "UBND tỉnh Quảng Nam")
