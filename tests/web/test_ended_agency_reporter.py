"""An agency succeeded, merged or dissolved reports no more from that date: its reporter
is told why on the task's page and in place of the report form, not after sending it."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from flask.testing import FlaskClient

from service.commands import Command, Context, DissolveAgency, MergeAgencies, SucceedAgency
from service.tenancy import Tenancy
from tests.web.conftest import REPORTER_AGENCY, TENANT, Tokens, form_fields, sign_in, text
from tests.web.test_work_queue import header_count

TASK = f"/t/{TENANT}/tasks/5"
SUCCESSOR = "Sở Nội vụ và Lao động"
REPORT = {"period": "2025-Q1", "percent": "40", "narrative": "Đang dự thảo"}


def _record(tenancy: Tenancy, command: Command, on: date) -> None:
    tenancy.ledger(TENANT, for_writing=True).handle(command, Context("dost.lan",
                                                                     effective_on=on))


def _reports(tenancy: Tenancy, number: str = "5") -> int:
    return tenancy.queries(TENANT).task_detail(number, None, tenancy.clock.today()).reports_total


ENDINGS = {
    "succession": (SucceedAgency(agency=REPORTER_AGENCY, successors=(SUCCESSOR,),
                                 reason="Hợp nhất sở"),
                   f"Đơn vị {REPORTER_AGENCY} đã được kế nhiệm bởi {SUCCESSOR} từ ngày "
                   f"01/03/2025; từ ngày đó {SUCCESSOR} báo cáo tiến độ"),
    "merger": (MergeAgencies(agencies=(REPORTER_AGENCY, "Sở Tư pháp"), into=SUCCESSOR,
                             reason="Hợp nhất sở"),
               f"Đơn vị {REPORTER_AGENCY} đã được hợp nhất vào {SUCCESSOR} từ ngày 01/03/2025"),
    "dissolution": (DissolveAgency(agency=REPORTER_AGENCY, reason="Giải thể"),
                    f"Đơn vị {REPORTER_AGENCY} đã giải thể từ ngày 01/03/2025; từ ngày đó "
                    "đơn vị không còn báo cáo tiến độ."),
}


@pytest.mark.parametrize("ending", ENDINGS)
def test_the_reporter_of_an_ended_agency_is_told_why_instead_of_offered_the_report_form(
    client: FlaskClient, province: Tokens, tenancy: Tenancy, ending: str
) -> None:
    command, why = ENDINGS[ending]
    sign_in(client, province.reporter)
    opened = text(client.get(f"{TASK}/report"))  # before the agency ended
    assert f'href="{TASK}/report"' in text(client.get(TASK))
    _record(tenancy, command, date(2025, 3, 1))

    page = text(client.get(TASK))
    assert why in page
    assert f'href="{TASK}/report"' not in page and f'href="{TASK}/complete"' not in page
    shown = client.get(f"{TASK}/report")
    assert shown.status_code == 200 and why in text(shown)
    assert 'name="percent"' not in text(shown)
    sent = client.post(f"{TASK}/report", data={**form_fields(opened), **REPORT})
    assert sent.status_code == 409 and why in text(sent)
    assert _reports(tenancy) == 0
    client.post("/sign-out", data=form_fields(page))
    sign_in(client, province.admin)  # the standing body reports for no agency in particular
    page = text(client.get(TASK))
    assert f'href="{TASK}/report"' in page and why not in page


def test_an_agency_ending_later_still_reports_until_then(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    later = tenancy.clock.today() + timedelta(days=30)
    _record(tenancy, ENDINGS["succession"][0], later)
    sign_in(client, province.reporter)
    page = text(client.get(TASK))
    assert f'href="{TASK}/report"' in page and "đã được kế nhiệm" not in page
    sent = client.post(f"{TASK}/report", data={
        **form_fields(text(client.get(f"{TASK}/report"))), **REPORT})
    assert sent.status_code == 303 and _reports(tenancy) == 1


def test_the_work_queues_of_an_ended_agency_say_who_carries_its_tasks_and_count_none(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.reporter)
    before = text(client.get(f"/t/{TENANT}/queue"))
    assert header_count(before) >= 4  # its overdue tasks and the reports it owes
    _record(tenancy, ENDINGS["succession"][0], date(2025, 3, 1))
    why = ENDINGS["succession"][1]

    mine = text(client.get(f"/t/{TENANT}/my-tasks"))
    assert why in mine
    assert "Nhiệm vụ đơn vị chủ trì (4)" in mine  # still listed, with the reason beside them
    queue = text(client.get(f"/t/{TENANT}/queue"))
    assert why in queue and "Quá hạn (" not in queue
    assert header_count(queue) == 0 and header_count(mine) == 0


def _options(page: str) -> dict[str, str]:
    """The agency choice's options: name -> value."""
    found = re.search(r'<select id="f-agency".*?</select>', page, re.S)
    return {name: value for value, name in re.findall(
        r'<option value="([^"]*)"[^>]*>([^<]*)</option>', found.group(0))} if found else {}


def test_a_reporter_for_a_live_and_an_ended_agency_is_offered_only_the_live_one(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    live = "Sở Khoa học và Công nghệ"  # leads task 8 with Sở Nội vụ
    access = tenancy.access
    access.create_principal("hai.don.vi", "Hai Don Vi", "setup")
    for agency in (live, REPORTER_AGENCY):
        access.grant("hai.don.vi", "agency_reporter", TENANT, agency, "setup")
    sign_in(client, access.issue_token("hai.don.vi", "setup").token)
    task = f"/t/{TENANT}/tasks/8"
    opened = text(client.get(f"{task}/report"))
    keys = _options(opened)
    assert list(keys) == [live, REPORTER_AGENCY]
    _record(tenancy, ENDINGS["succession"][0], date(2025, 3, 1))

    for form in ("report", "complete", "extension"):
        page = text(client.get(f"{task}/{form}"))
        assert REPORTER_AGENCY not in page.split("<form", 1)[1]
        assert f'<strong>Cơ quan báo cáo:</strong> {live}' in page or (
            f'<strong>Cơ quan đề nghị:</strong> {live}' in page), form
    sent = client.post(f"{task}/report", data={
        **form_fields(opened), **REPORT, "agency": keys[REPORTER_AGENCY]})
    assert sent.status_code == 422
    beside = re.search(r'<p class="error" id="f-agency-error">(.*?)</p>', text(sent), re.S)
    assert beside and ENDINGS["succession"][1] in beside.group(1)
    assert list(_options(text(sent))) == [live]
    assert _reports(tenancy, "8") == 0
    sent = client.post(f"{task}/report", data={**form_fields(opened), **REPORT,
                                             "agency": keys[live]})
    assert sent.status_code == 303 and _reports(tenancy, "8") == 1
