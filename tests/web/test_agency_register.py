"""The agency register page and its forms: the standing body records a succession, a
merger, a dissolution, an alias after seeing what moves, and a collective mark; the task page
says who carried the task on a date; the scorecard shows collectives apart."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from flask.testing import FlaskClient

from service.commands import Context, RegisterAgency, ReportProgress, SucceedAgency
from service.tenancy import Tenancy
from tests.web.conftest import TENANT, Tokens, form_fields, sign_in, text

DISTRICTS = "UBND các huyện, thị xã, thành phố"
COMMUNES = "UBND các xã, phường"


def _key(tenancy: Tenancy, name: str) -> str:
    return tenancy.ledger(TENANT).agency(name).key


def _post(client: FlaskClient, url: str, **data: object) -> object:
    page = text(client.get(url))
    return client.post(url, data={**form_fields(page), **data})


def test_a_succession_recorded_on_the_register_changes_who_carries_the_task_from_its_date(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.admin)
    register = text(client.get(f"/t/{TENANT}/agencies"))
    assert "Danh mục cơ quan" in register and DISTRICTS in register and "Nhóm cơ quan" in register
    url = f"/t/{TENANT}/agencies/{quote(_key(tenancy, DISTRICTS))}/succeed"
    refused = _post(client, url, successors=COMMUNES, reason="Không tổ chức cấp huyện")
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert 'id="f-effective_on-error"' in text(refused)
    assert 'id="f-confirm-error"' in text(refused)  # it cannot be undone: confirmed first
    done = _post(client, url, successors=COMMUNES, reason="Không tổ chức cấp huyện",
                 decision_ref="202/2025/QH15", effective_on="01/07/2025", confirm="yes")
    assert done.status_code == 303, text(done)  # type: ignore[attr-defined]
    register = text(client.get(f"/t/{TENANT}/agencies"))
    assert f"Được kế nhiệm bởi {COMMUNES} từ ngày 01/07/2025" in register
    june = text(client.get(f"/t/{TENANT}/tasks/10?on=15/06/2025"))
    july = text(client.get(f"/t/{TENANT}/tasks/10?on=15/07/2025"))
    assert "Cơ quan chịu trách nhiệm ngày 15/06/2025" in june
    assert COMMUNES not in june.split("trach-nhiem-h")[1].split("</table>")[0]
    assert "Kế nhiệm từ ngày 01/07/2025" in july and COMMUNES in july
    travel = text(client.get(f"/t/{TENANT}/time-travel?on=15/07/2025&mode=effective"))
    assert f"Cơ quan thực hiện: Các Sở, ban, ngành; {COMMUNES}" in travel
    before = text(client.get(f"/t/{TENANT}/time-travel?on=15/06/2025&mode=effective"))
    assert COMMUNES not in before
    log = text(client.get(f"/changes?tenant={TENANT}&type=agency_succeeded"))
    assert f"{DISTRICTS} được {COMMUNES} kế nhiệm từ ngày 01/07/2025" in log
    assert "Kế nhiệm cơ quan" in log and "202/2025/QH15" in log


def test_merger_dissolution_alias_and_collective_forms(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.admin)
    health, finance = _key(tenancy, "Sở Y tế"), _key(tenancy, "Sở Tài chính")
    merged = _post(client, f"/t/{TENANT}/agencies/{quote(health)}/merge", agencies=finance,
                   into="Sở Y tế và Tài chính", reason="Hợp nhất", effective_on="01/03/2025",
                   confirm="yes")
    assert merged.status_code == 303, text(merged)  # type: ignore[attr-defined]
    assert "Hợp nhất vào Sở Y tế và Tài chính" in text(client.get(f"/t/{TENANT}/agencies"))
    ended = _post(client, f"/t/{TENANT}/agencies/{quote(health)}/dissolve", reason="Giải thể",
                  effective_on="01/04/2025", confirm="yes")
    assert ended.status_code == 422  # type: ignore[attr-defined]
    tenancy.ledger(TENANT, for_writing=True).handle(
        RegisterAgency(name="Sở Khoa học - Công nghệ"), Context("setup"))
    alias = quote(_key(tenancy, "Sở Khoa học - Công nghệ"))
    dost = _key(tenancy, "Sở Khoa học và Công nghệ")
    preview = text(client.get(f"/t/{TENANT}/agencies/{alias}/alias?into={quote(dost)}"))
    assert "Những gì thay đổi khi gộp vào Sở Khoa học và Công nghệ" in preview
    assert "Báo cáo chuyển sang: 0" in preview
    url = f"/t/{TENANT}/agencies/{alias}/alias?into={quote(dost)}"
    done = client.post(url, data={**form_fields(preview), "into": dost, "reason": "Cùng cơ quan"})
    assert done.status_code == 303, text(done)
    assert "Là tên gọi khác của Sở Khoa học và Công nghệ" in text(
        client.get(f"/t/{TENANT}/agencies"))
    marked = _post(client, f"/t/{TENANT}/agencies/{quote(finance)}/collective", reason="")
    assert marked.status_code == 303  # type: ignore[attr-defined]


def test_a_collective_is_expanded_from_the_task_page_and_scored_apart(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    ledger = tenancy.ledger(TENANT, for_writing=True)
    for name in ("UBND thành phố Tam Kỳ", "UBND thị xã Điện Bàn"):
        ledger.handle(RegisterAgency(name=name), Context("setup"))
    sign_in(client, province.admin)
    card = text(client.get(f"/t/{TENANT}/scorecard?year=2025"))
    ranked, apart = card.split("Nhóm cơ quan (không xếp hạng)")
    assert "Các Sở, ban, ngành" not in ranked and "Các Sở, ban, ngành" in apart
    page = text(client.get(f"/t/{TENANT}/tasks/10"))
    assert "Giao cho từng cơ quan thành viên" in page
    url = f"/t/{TENANT}/tasks/10/expand"
    form = text(client.get(url))
    members = [_key(tenancy, "UBND thành phố Tam Kỳ"), _key(tenancy, "UBND thị xã Điện Bàn")]
    done = client.post(url, data={**form_fields(form), "collective": _key(tenancy, DISTRICTS),
                                  "members": members, "reason": "Giao từng địa phương"})
    assert done.status_code == 303, text(done)
    page = text(client.get(f"/t/{TENANT}/tasks/10"))
    assert "UBND thành phố Tam Kỳ" in page.split("Cơ quan phối hợp")[0]


def test_the_successors_reporter_reports_on_a_task_it_carries(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    sign_in(client, province.reporter)  # Sở Nội vụ's reporter
    assert "Báo cáo tiến độ</a>" not in text(client.get(f"/t/{TENANT}/tasks/10"))
    assert client.get(f"/t/{TENANT}/tasks/10/report").status_code == 403
    tenancy.ledger(TENANT, for_writing=True).handle(
        SucceedAgency(agency=DISTRICTS, successors=("Sở Nội vụ",), reason="Thử"),
        Context("setup", effective_on=date(2025, 7, 1)))
    assert "Báo cáo tiến độ</a>" in text(client.get(f"/t/{TENANT}/tasks/10"))
    assert client.get(f"/t/{TENANT}/tasks/10/report").status_code == 200


def test_the_scorecard_counts_a_succeeded_agencys_open_tasks_for_its_successor_and_shows_it_apart(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    health, science = "Sở Y tế", "Sở Khoa học và Công nghệ"
    ledger = tenancy.ledger(TENANT, for_writing=True)
    ledger.handle(ReportProgress(task="45", period="2025-02", percent=10, narrative="Khảo sát"),
                  Context("setup", effective_on=date(2025, 2, 28), agency=health))
    sign_in(client, province.admin)

    def ranked_led(page: str, name: str) -> str:
        row = page.split(f'<th scope="row">{name}</th>')[1].split("</tr>", maxsplit=1)[0]
        return row.split('<td class="num">')[1].split("<")[0]

    before = text(client.get(f"/t/{TENANT}/scorecard?year=2025"))
    ledger.handle(SucceedAgency(agency=health, successors=(science,), reason="Thử",
                                decision_ref="1/QĐ-UBND"),
                  Context("setup", effective_on=date(2025, 3, 1)))
    after = text(client.get(f"/t/{TENANT}/scorecard?year=2025"))
    ranked, apart = after.split("Cơ quan đã được kế nhiệm, hợp nhất hoặc giải thể")
    assert health in before and health not in ranked
    # Tasks 45, 46 and 48 are the successor's from then on.
    assert int(ranked_led(ranked, science)) == int(ranked_led(before, science)) + 3
    assert f"Đã được kế nhiệm bởi {science} từ ngày 01/03/2025" in apart
    sheet = client.get(f"/t/{TENANT}/scorecard.csv?year=2025").get_data(as_text=True)
    (line,) = [li for li in sheet.splitlines() if li.startswith(f",{health},")]
    assert f"Đã được kế nhiệm bởi {science} từ ngày 01/03/2025; không xếp hạng" in line
