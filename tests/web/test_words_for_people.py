"""Words for people: an unknown address answers a Vietnamese page with a way back (the API
keeps its problem details), the timeline names people by their display names, roles show
in Vietnamese, and versions and hashes stay in a "Chi tiết kỹ thuật" section."""

from __future__ import annotations

from flask.testing import FlaskClient

from service.tenancy import Tenancy
from tests.web.conftest import TENANT, Tokens, sign_in, text
from tests.web.test_history import change_deadlines

T = f"/t/{TENANT}"


def test_an_unknown_address_answers_a_vietnamese_page_with_a_way_back(
    client: FlaskClient, province: Tokens
) -> None:
    for path in ("/khong-co-trang-nay", f"{T}/khong-co", "/t", f"{T}/tasks/%00"):
        response = client.get(path)
        assert response.status_code == 404 and response.mimetype == "text/html", path
        page = text(response)
        assert "Không tìm thấy" in page and "Về trang chủ" in page and 'lang="vi"' in page
    api = client.get("/api/v1/khong-co")
    assert api.status_code == 404 and api.mimetype == "application/problem+json"


def test_the_timeline_names_people_and_keeps_technical_details_apart(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    change_deadlines(tenancy)  # by dost.lan, shown as "Dost Lan"
    sign_in(client, province.auditor)
    page = text(client.get(f"{T}/tasks/5"))
    assert '>Hệ thống</span>' in page and '>Dost Lan</span>' in page
    assert ">dost.lan<" not in page and ">setup<" not in page
    main, _, technical = page.partition("Chi tiết kỹ thuật")
    assert technical and "Phiên bản" not in main and "Phiên bản" in technical
    assert "Kiểm toán" in page  # the viewer's role, in Vietnamese
    assert "auditor" not in page.replace("kiemtoan", "")
