"""The r57 command line on both stores: output, --json, errors on stderr, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.main import main
from service.config import Settings
from tests.web.test_several_plans import PLAN_A, PLAN_B, TITLE_B, plan_b_workbook


class Cli:
    def __init__(self, settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
        self.settings, self.capsys = settings, capsys

    def __call__(self, *argv: str) -> tuple[int, str, str]:
        code = main(list(argv), settings=self.settings)
        out, err = self.capsys.readouterr()
        return code, out, err

    def json(self, *argv: str) -> object:
        code, out, err = self(*argv, "--json")
        assert code == 0, err
        return json.loads(out)


@pytest.fixture
def cli(settings: Settings, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(settings, capsys)


@pytest.fixture
def imported(cli: Cli, seed_path: Path) -> Cli:
    assert cli("tenant", "create", "quang-nam", "Quảng Nam", "--code", "49")[0] == 0
    code, out, err = cli("plan", "import", "quang-nam", str(seed_path))
    assert code == 0, err
    assert "60 tasks in 7 groups, 40 indicators" in out
    return cli


def test_tenants_are_managed_from_the_command_line(cli: Cli) -> None:
    assert cli("tenant", "create", "da-nang", "Đà Nẵng")[0] == 0
    assert cli("tenant", "rename", "da-nang", "Thành phố Đà Nẵng")[0] == 0
    shown = cli.json("tenant", "show", "da-nang")
    assert isinstance(shown, dict) and shown["display_name"] == "Thành phố Đà Nẵng"
    assert cli("tenant", "archive", "da-nang")[0] == 0
    assert cli.json("tenant", "list") == []
    listed = cli.json("tenant", "list", "--all")
    assert isinstance(listed, list) and listed[0]["status"] == "archived"


def test_a_bad_slug_is_refused_on_stderr_with_a_non_zero_exit(cli: Cli) -> None:
    code, out, err = cli("tenant", "create", "Bad Slug!", "X")
    assert code != 0 and out == ""
    assert "slug" in err


def test_status_lists_every_task_with_its_state(imported: Cli) -> None:
    status = imported.json("status", "quang-nam", "--on", "01/03/2025")
    assert isinstance(status, dict)
    tasks = status["tasks"]
    assert len(tasks) == 60
    assert tasks[0]["status"] == "open_overdue"  # due 02/2025, nothing reported
    assert tasks[2]["status"] == "not_started"  # due 3/2025, judged on 01/03/2025
    code, out, _ = imported("status", "quang-nam")
    assert code == 0 and "Sở Khoa học và Công nghệ" in out


def test_a_deadline_change_shows_in_the_task_history(imported: Cli) -> None:
    code, out, err = imported("task", "deadline", "quang-nam", "5", "6/2025",
                              "--reason", "Chờ hướng dẫn của Bộ", "--decision", "123/QĐ-UBND",
                              "--effective", "15/03/2025", "--actor", "dost:lan")
    assert code == 0, err
    assert "version 2" in out
    history = imported.json("history", "quang-nam", "5")
    assert isinstance(history, list)
    change = history[-1]
    assert change["event"] == "DeadlineChanged"
    assert change["changes"]["deadline"] == {"from": "3/2025", "to": "6/2025"}
    assert (change["actor"], change["reason"], change["document"]) == (
        "dost:lan", "Chờ hướng dẫn của Bộ", "123/QĐ-UBND")
    assert change["effective_on"] == "2025-03-15"


@pytest.mark.parametrize(("argv", "exit_code", "message"), [
    (["task", "deadline", "quang-nam", "5", "3/2025", "--reason", "x"], 1, "already due"),
    (["task", "report", "quang-nam", "5", "--period", "2025-Q1", "--percent", "120",
      "--narrative", "x"], 1, "between 0 and 100"),
    (["task", "report", "quang-nam", "99", "--period", "2025", "--percent", "1",
      "--narrative", "x"], 4, "No task 99"),
    (["task", "deadline", "quang-nam", "5", "6/2025", "--reason", "x",
      "--expected-version", "7"], 3, "Expected version 7"),
    (["status", "nowhere"], 4, "No tenant"),
    (["task", "deadline", "quang-nam", "5", "sớm nhất có thể", "--reason", "x"], 1,
     "Deadline 'sớm nhất có thể' is not understood: the deadline “sớm nhất có thể” is not "
     "recognised."),
])
def test_refused_commands_say_why_on_stderr(
    imported: Cli, argv: list[str], exit_code: int, message: str
) -> None:
    code, out, err = imported(*argv)
    assert (code, out) == (exit_code, "")
    assert message in err


def test_importing_the_same_file_again_records_nothing(imported: Cli, seed_path: Path) -> None:
    code, out, _ = imported("plan", "import", "quang-nam", str(seed_path))
    assert code == 0 and "already imported" in out


def test_a_file_with_unreadable_rows_is_refused_and_nothing_is_stored(
    cli: Cli, tmp_path: Path
) -> None:
    cli("tenant", "create", "demo", "Demo")
    bad = tmp_path / "ke-hoach.csv"
    bad.write_text(
        "Số kế hoạch,9/KH-UBND\nNgày ban hành,01/03/2025\n"
        "TT,Tên nhiệm vụ,Cơ quan chủ trì,Thời gian hoàn thành\n"
        "1,Xây dựng kế hoạch,Sở Y tế,6/2025\n"
        "x,,Sở Y tế,6/2025\n",
        encoding="utf-8",
    )
    code, _, err = cli("plan", "import", "demo", str(bad))
    assert code == 1 and "row 5" in err
    assert cli.json("status", "demo")["tasks"] == []  # type: ignore[index]


def test_a_missing_file_is_a_clear_error(cli: Cli) -> None:
    cli("tenant", "create", "demo", "Demo")
    code, _, err = cli("plan", "import", "demo", "/nonexistent/plan.docx")
    assert code == 1 and "No file" in err


def test_status_search_ignores_diacritics_and_filters_by_agency(imported: Cli) -> None:
    status = imported.json("status", "quang-nam", "--search", "tri tue nhan tao")
    assert isinstance(status, dict)
    numbers = [t["number"] for t in status["tasks"]]
    assert numbers and all("trí tuệ nhân tạo" in t["title"].lower() for t in status["tasks"])
    assert "28" in numbers and "40" in numbers
    by_agency = imported.json("status", "quang-nam", "--agency", "so y te")
    assert {t["number"] for t in by_agency["tasks"]} >= {"45", "46", "48"}  # type: ignore[index]


def test_plan_import_takes_the_metadata_the_document_lacks(cli: Cli, tmp_path: Path) -> None:
    cli("tenant", "create", "bo-thu", "Bộ thử")
    path = tmp_path / "khong-so.csv"
    path.write_text("TT,Tên nhiệm vụ,Chủ trì,Thời hạn\n1,Một việc,Sở Nội vụ,2026\n", "utf-8")

    code, _, err = cli("plan", "import", "bo-thu", str(path))
    assert code == 1 and "plan number was not found" in err

    code, _, err = cli("plan", "import", "bo-thu", str(path), "--number", "7/KH-BTh",
                       "--issued-on", "03/02/2026", "--issuer", "Bộ Thử", "--title", "Thử")
    assert code == 0, err
    plans = cli.json("plan", "show", "bo-thu")
    assert isinstance(plans, list)
    assert (plans[0]["number"], plans[0]["issued_on"], plans[0]["issuing_body"],
            plans[0]["title"]) == ("7/KH-BTh", "2026-02-03", "Bộ Thử", "Thử")
def test_text_the_ledger_does_not_store_is_refused_and_other_digits_are_read(
    imported: Cli,
) -> None:
    code, _, err = imported("task", "report", "quang-nam", "5", "--period", "2025-Q1",
                            "--percent", "10", "--narrative", "Đang\x1b làm")
    assert code == 1 and "--narrative" in err and "U+001B" in err
    code, _, err = imported("tenant", "create", "da-nang", "Đà Nẵng\udcff")
    assert code == 1 and "surrogate" in err
    code, _, err = imported("task", "report", "quang-nam", "5", "--period", "٢٠٢٥-Q1",
                            "--percent", "10", "--narrative", "Đang làm")
    assert code == 0, err
    history = imported.json("history", "quang-nam", "5")
    assert "2025-Q1" in json.dumps(history)


def test_a_plan_without_a_table_is_typed_in_from_the_command_line(cli: Cli) -> None:
    assert cli("tenant", "create", "quang-nam", "Quảng Nam")[0] == 0
    code, out, err = cli("plan", "create", "quang-nam", "15-KH/TU", "--issued-on",
                         "05/03/2025", "--issuer", "Tỉnh ủy Quảng Nam", "--basis", "57-NQ/TW")
    assert (code, err) == (0, "") and out.startswith("Created plan 15-KH/TU")
    assert cli("plan", "add-group", "quang-nam", "I", "Thể chế")[0] == 0
    code, out, err = cli("plan", "add-task", "quang-nam", "1", "Ban hành quy chế",
                         "--leads", "Sở Nội vụ; Sở Tư pháp", "--deadline", "Quý II/2025")
    assert code == 0, err
    assert out.startswith("Plan 15-KH/TU: task 1 added in group I")
    assert "registered agencies: Sở Nội vụ; Sở Tư pháp" in out and "30/06/2025" in out
    code, out, err = cli("plan", "add-task", "quang-nam", "2", "Tuyên truyền", "--leads",
                         "Sở Nội vụ", "--deadline", "Theo tiến độ của Trung ương")
    assert code == 0 and "warning: deadline 'Theo tiến độ của Trung ương' kept as text" in err
    code, out, err = cli("plan", "add-indicator", "quang-nam", "1", "Tỉ lệ chữ ký số",
                         "--unit", "%", "--target", "≥ 95", "--horizon-year", "2030")
    assert code == 0, err

    code, out, err = cli("plan", "add-task", "quang-nam", "1", "Trùng số", "--group", "I")
    assert (code, out) == (3, "")
    assert err.startswith("error [number]: Plan 15-KH/TU already has task 1;")
    code, _, err = cli("plan", "add-task", "quang-nam", "3", "Nhóm lạ", "--group", "IX")
    assert code == 1 and err.startswith("error [group]: The plan has no group IX")
    status = cli.json("status", "quang-nam", "--on", "30/06/2025")
    assert isinstance(status, dict)
    assert [(t["number"], t["deadline"]) for t in status["tasks"]] == [
        ("1", "Quý II/2025"), ("2", "Theo tiến độ của Trung ương")]


def test_summary_status_and_scorecard_take_a_plan_when_a_tenant_holds_two(
    imported: Cli, tmp_path: Path
) -> None:
    second = tmp_path / "88.xlsx"
    second.write_bytes(plan_b_workbook())
    code, _, err = imported("plan", "import", "quang-nam", str(second))
    assert code == 0, err
    every = imported.json("summary", "quang-nam", "--on", "30/06/2025")
    assert isinstance(every, dict)
    assert every["overall"]["total"] == 61
    assert every["by_group"][f"{PLAN_B} · I"]["total"] == 1
    assert sum(c["total"] for c in every["by_group"].values()) == 61
    assert {key.split(" · ")[0] for key in every["by_group"]} == {PLAN_A, PLAN_B}
    only_b = imported.json("summary", "quang-nam", "--on", "30/06/2025", "--plan", PLAN_B)
    assert isinstance(only_b, dict) and only_b["overall"]["total"] == 1
    status = imported.json("status", "quang-nam", "--plan", PLAN_B)
    assert isinstance(status, dict)
    assert [t["title"] for t in status["tasks"]] == [TITLE_B]
    scores = imported.json("scorecard", "quang-nam", "2025", "--plan", PLAN_B)
    assert isinstance(scores, dict)
    assert [s["agency"] for s in scores["agencies"]] == ["Sở Nội vụ"]


def test_a_province_is_merged_into_a_city_from_the_command_line(imported: Cli) -> None:
    cli = imported
    assert cli("tenant", "create", "da-nang", "Đà Nẵng", "--code", "48")[0] == 0
    code, out, err = cli("tenant", "merge", "quang-nam", "--into", "da-nang", "--on",
                         "01/07/2099", "--decision", "Nghị quyết 1659/NQ-UBTVQH15")
    assert code == 0, err
    assert "Tenant quang-nam merged into da-nang from 01/07/2099" in out
    assert "60 tasks" in out
    shown = cli.json("tenant", "show", "quang-nam")
    assert isinstance(shown, dict)
    assert (shown["status"], shown["merged_into"], shown["merged_on"]) == (
        "archived", "da-nang", "2099-07-01")
    code, out, err = cli("tenant", "merge", "da-nang", "--into", "da-nang", "--on",
                         "01/07/2099")
    assert code != 0 and "itself" in err


def test_r57_demo_builds_the_demo_tenant_once_and_prints_its_status(cli: Cli) -> None:
    code, out, err = cli("demo")
    assert code == 0, err
    assert "Demo tenant 'demo'" in out and "simulated commands recorded" in out
    assert "1534/KH-UBND" in out
    code, out, err = cli("demo")
    assert code == 0, err
    assert "already exists; nothing recorded" in out
