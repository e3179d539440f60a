"""Input that loses nothing: every refusal at once beside its field, Vietnamese numbers
read one way only, irreversible decisions confirmed; search says why a row matched."""

from __future__ import annotations

import re
from decimal import Decimal
from urllib.parse import unquote

from flask.testing import FlaskClient

from service.tenancy import Tenancy
from tests.web.conftest import TENANT, Tokens, csrf_of, form_fields, sign_in, text
from tests.web.test_forms import open_form

T = f"/t/{TENANT}"


def test_a_report_form_shows_every_refusal_at_once_beside_its_field(
    client: FlaskClient, province: Tokens
) -> None:
    sign_in(client, province.reporter)
    path = f"{T}/tasks/4/report"
    refused = client.post(path, data={**open_form(client, path), "period": "2025-Q9",
                                      "percent": "120", "narrative": "  "})
    page = text(refused)
    assert refused.status_code == 422
    for name in ("period", "percent", "narrative"):
        assert f'id="f-{name}-error"' in page, name
    assert page.count("<li><a href=\"#f-") == 3


def test_an_indicator_value_is_read_as_vietnamese_write_it_and_never_guessed(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.reporter)
    path = f"{T}/indicators/7.8/values"
    for typed, says in (("62.5", "hãy nhập 62,5"), ("1.234", "có thể hiểu hai cách")):
        refused = client.post(path, data={**open_form(client, path), "period": "2025",
                                          "value": typed, "source": "BC 12"})
        assert refused.status_code == 422 and says in text(refused)
        assert 'id="f-value-error"' in text(refused) and f'value="{typed}"' in text(refused)
    done = client.post(path, data={**open_form(client, path), "period": "2025",
                                   "value": "1.234,5", "source": "BC 12"})
    assert done.status_code == 303
    values = dict(tenancy.ledger(TENANT).indicator("7.8").values)
    assert list(values.values()) == [Decimal("1234.5")]


def test_cancelling_and_reassigning_ask_to_be_confirmed(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.admin)
    for action in ("cancel", "reassign"):
        path = f"{T}/tasks/5/{action}"
        form = text(client.get(path))
        assert 'name="confirm"' in form
        unconfirmed = client.post(path, data={**form_fields(form), "reason": "Trùng lặp"})
        assert unconfirmed.status_code == 422
        assert 'id="f-confirm-error"' in text(unconfirmed)
    assert tenancy.ledger(TENANT).task("5").status == "open"


def test_the_task_list_shows_why_each_row_matched(
    client: FlaskClient, province: Tokens
) -> None:
    sign_in(client, province.admin)
    page = text(client.get(f"{T}/tasks?q=Sở+Y+tế"))
    rows = re.findall(r'<tr><td data-label="Nhóm">.*?</tr>', page, re.DOTALL)
    assert rows and all("Sở Y tế" in row for row in rows)
    assert all('class="why"' in row for row in rows)
    assert "Khớp ở cơ quan" in page
    number = text(client.get(f"{T}/tasks?q=5"))
    assert "Khớp ở số thứ tự" in number


def test_filter_lists_do_not_submit_themselves(client: FlaskClient, province: Tokens) -> None:
    sign_in(client, province.admin)
    for page in (f"{T}/tasks", f"{T}/scorecard"):
        assert "data-autosubmit" not in text(client.get(page))
    script = client.get("/assets/web.js")
    assert script.status_code == 200 and "requestSubmit" not in script.get_data(as_text=True)
    script.close()


def a_working_day_passes(tenancy: Tenancy) -> None:
    """Every session began, and was last seen, thirteen hours ago: the server ends them."""
    with tenancy.storage.database.transaction() as cursor:
        cursor.execute("UPDATE r57_sessions SET created_at = created_at - 46800, "
                       "last_seen = last_seen - 46800")


def test_a_form_sent_after_the_session_expired_is_shown_again_after_signing_in(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.reporter)
    path = f"{T}/tasks/4/report"
    fields = open_form(client, path)
    a_working_day_passes(tenancy)
    typed = {"period": "2025-Q2", "percent": "35", "narrative": "Đã họp lấy ý kiến các sở",
             "difficulties": "Chưa có hướng dẫn"}
    sent = client.post(path, data={**fields, **typed})
    assert sent.status_code == 303 and "/sign-in?next=" in sent.headers["Location"]
    assert tenancy.ledger(TENANT).task("4").reports == []
    back = unquote(sent.headers["Location"].split("next=", 1)[1])
    login = text(client.get("/sign-in"))
    signed = client.post("/sign-in", data={"token": province.reporter, "next": back,
                                           "csrf_token": csrf_of(login)})
    assert signed.status_code == 303 and signed.headers["Location"] == back
    again = text(client.get(back))
    assert "đã được giữ lại" in again
    assert 'value="35"' in again and "Đã họp lấy ý kiến các sở</textarea>" in again
    done = client.post(path, data={**form_fields(again), **typed})
    assert done.status_code == 303
    assert len(tenancy.ledger(TENANT).task("4").reports) == 1


def test_a_kept_form_is_shown_to_its_author_only(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.reporter)
    path = f"{T}/tasks/4/report"
    fields = open_form(client, path)
    a_working_day_passes(tenancy)
    sent = client.post(path, data={**fields, "percent": "35", "narrative": "Bí mật"})
    back = unquote(sent.headers["Location"].split("next=", 1)[1])
    sign_in(client, province.admin)
    assert "Bí mật" not in text(client.get(back))
