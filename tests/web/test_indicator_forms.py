"""Indicators from their page: the agencies answering for one report its value (a decimal
comma accepted), the standing body changes its target with reason and deciding document.
Other roles see no such form and are refused anyway; a resubmitted form records once."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from flask.testing import FlaskClient

from service.commands import Context, DissolveAgency, ReportIndicatorValue
from service.tenancy import Tenancy
from tests.web.conftest import REPORTER_AGENCY, TENANT, Tokens, form_fields, sign_in, text
from tests.web.test_forms import open_form

T = f"/t/{TENANT}"
OWN = "7.8"  # Sở Nội vụ answers for it
OTHERS = "7.1"  # Sở Khoa học và Công nghệ's
VALUE = {"period": "2025", "value": "62,5", "source": "Báo cáo số 12/BC-SNV"}
TARGET = {"target": "≥ 90", "reason": "Điều chỉnh theo Nghị quyết HĐND",
          "decision_ref": "45/NQ-HĐND", "effective_on": "01/06/2025"}


def values(tenancy: Tenancy, code: str) -> dict[str, Decimal]:
    return dict(tenancy.ledger(TENANT).indicator(code).values)


def test_a_reporter_reports_its_indicator_with_a_decimal_comma(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.reporter)
    assert f'href="{T}/indicators/{OWN}"' in text(client.get(f"{T}/indicators"))
    page = text(client.get(f"{T}/indicators/{OWN}"))
    assert "Báo cáo số liệu</a>" in page and "Điều chỉnh mục tiêu</a>" not in page
    path = f"{T}/indicators/{OWN}/values"
    form = text(client.get(path))
    assert "Cơ quan báo cáo:</strong> Sở Nội vụ" in form
    done = client.post(path, data={**form_fields(form), **VALUE})
    assert done.status_code == 303 and done.headers["Location"].endswith(f"/indicators/{OWN}")
    page = text(client.get(done.headers["Location"]))
    assert "Đã ghi nhận số liệu chỉ tiêu 7.8 (Năm 2025)." in page
    assert "62,5" in page and "Báo cáo số 12/BC-SNV" in page
    assert "Báo cáo giá trị 62,5, Năm 2025" in page  # the timeline
    assert values(tenancy, OWN) == {"2025": Decimal("62.5")}
    entry = tenancy.queries(TENANT).store.entries_about(f"indicator {OWN}")[-1]
    assert (entry.actor, entry.on_behalf_of) == ("noivu.minh", "Sở Nội vụ")
    assert "62,5" in text(client.get(f"{T}/indicators"))


def test_value_refusals_are_shown_beside_their_field(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.reporter)
    path = f"{T}/indicators/{OWN}/values"
    bad = client.post(path, data={**open_form(client, path), **VALUE, "value": "6x,5"})
    assert bad.status_code == 422 and 'id="f-value-error"' in text(bad)
    assert "'6x,5' không phải là số" in text(bad) and "Báo cáo số 12/BC-SNV" in text(bad)
    empty = client.post(path, data={**form_fields(text(bad)), **VALUE, "value": ""})
    assert 'id="f-value-error"' in text(empty) and "Hãy nhập giá trị đạt được." in text(empty)
    no_source = client.post(path, data={**form_fields(text(empty)), **VALUE, "source": " "})
    assert 'id="f-source-error"' in text(no_source)
    assert "Số liệu cần ghi rõ nguồn." in text(no_source)
    period = client.post(path, data={**form_fields(text(no_source)), **VALUE,
                                     "period": "2025-Q5"})
    assert 'id="f-period-error"' in text(period)
    assert values(tenancy, OWN) == {}
    ok = client.post(path, data={**form_fields(text(period)), **VALUE, "value": "0,7"})
    assert ok.status_code == 303 and values(tenancy, OWN) == {"2025": Decimal("0.7")}


def test_a_resubmitted_value_records_nothing_twice(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.admin)
    path = f"{T}/indicators/{OWN}/values"
    fields = {**open_form(client, path), **VALUE, "agency": ""}
    first, again = client.post(path, data=fields), client.post(path, data=fields)
    assert first.status_code == again.status_code == 303
    assert "không ghi nhận thêm lần nữa" in text(client.get(again.headers["Location"]))
    entries = tenancy.queries(TENANT).store.entries_about(f"indicator {OWN}")
    assert sum(e.code == "audit.value_reported" for e in entries) == 1


def test_a_stale_indicator_form_is_refused(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.admin)
    path = f"{T}/indicators/{OWN}/target"
    fields = open_form(client, path)
    tenancy.ledger(TENANT, for_writing=True).handle(ReportIndicatorValue(
        indicator=OWN, period="2024", value="50", source="Niên giám"), Context("dost.lan"))
    stale = client.post(path, data={**fields, **TARGET})
    assert stale.status_code == 422 and "vừa được người khác cập nhật" in text(stale)
    assert tenancy.ledger(TENANT).indicator(OWN).target.text == "100"


def test_the_standing_body_changes_a_target(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.admin)
    assert "Điều chỉnh mục tiêu</a>" in text(client.get(f"{T}/indicators/{OWN}"))
    path = f"{T}/indicators/{OWN}/target"
    same = client.post(path, data={**open_form(client, path), **TARGET, "target": "100"})
    assert same.status_code == 422 and 'id="f-target-error"' in text(same)
    assert "Mục tiêu hiện đã là '100'." in text(same)
    no_reason = client.post(path, data={**form_fields(text(same)), **TARGET, "reason": ""})
    assert 'id="f-reason-error"' in text(no_reason)
    assert "Điều chỉnh mục tiêu cần ghi rõ lý do." in text(no_reason)
    done = client.post(path, data={**form_fields(text(no_reason)), **TARGET})
    assert done.status_code == 303
    page = text(client.get(done.headers["Location"]))
    assert "Đã điều chỉnh mục tiêu của chỉ tiêu 7.8." in page
    assert "Mục tiêu ban đầu</dt><dd>100" in page
    assert "Điều chỉnh mục tiêu từ '100' thành '≥ 90'" in page and "Văn bản: 45/NQ-HĐND" in page
    entry = tenancy.queries(TENANT).store.entries_about(f"indicator {OWN}")[-1]
    assert entry.effective_on.isoformat() == "2025-06-01"
    assert tenancy.ledger(TENANT).indicator(OWN).target.text == "≥ 90"


def test_roles_that_may_not_see_no_form_and_are_refused(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.reporter)
    assert "Báo cáo số liệu</a>" not in text(client.get(f"{T}/indicators/{OTHERS}"))
    fields = form_fields(text(client.get(f"{T}/indicators/{OWN}/values")))
    assert client.get(f"{T}/indicators/{OTHERS}/values").status_code == 403
    assert client.post(f"{T}/indicators/{OTHERS}/values",
                       data={**fields, **VALUE}).status_code == 403
    assert client.get(f"{T}/indicators/{OWN}/target").status_code == 403
    assert client.post(f"{T}/indicators/{OWN}/target",
                       data={**fields, **TARGET}).status_code == 403
    client.post("/sign-out", data={"csrf_token": fields["csrf_token"]})
    sign_in(client, province.auditor)
    page = text(client.get(f"{T}/indicators/{OWN}"))
    assert "Báo cáo số liệu</a>" not in page and "Điều chỉnh mục tiêu</a>" not in page
    fields = form_fields(page)
    assert client.post(f"{T}/indicators/{OWN}/values",
                       data={**fields, **VALUE}).status_code == 403
    assert values(tenancy, OTHERS) == values(tenancy, OWN) == {}
    assert tenancy.ledger(TENANT).indicator(OWN).target.text == "100"


def test_an_agency_that_has_ended_is_offered_no_more_and_refused_beside_its_field(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.reporter)
    path = f"{T}/indicators/{OWN}/values"
    opened = text(client.get(path))  # before the agency ended
    tenancy.ledger(TENANT, for_writing=True).handle(
        DissolveAgency(agency=REPORTER_AGENCY, reason="Giải thể"),
        Context("dost.lan", effective_on=date(2025, 3, 1)))
    assert "Cơ quan báo cáo:</strong> Sở Nội vụ" not in text(client.get(path))
    agency = re.search(r'name="agency" value="([^"]+)"', opened)
    assert agency
    sent = client.post(path, data={**form_fields(opened), **VALUE, "agency": agency.group(1)})
    assert sent.status_code == 422
    beside = re.search(r'<p class="error" id="f-agency-error">(.*?)</p>', text(sent), re.S)
    assert beside and "đã giải thể từ ngày 01/03/2025" in beside.group(1)
    assert values(tenancy, OWN) == {}
