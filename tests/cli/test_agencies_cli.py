"""r57 agency succeed | merge | dissolve | alias | collective | history and r57 task expand |
responsible, on both stores."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.config import Settings
from tests.cli.test_cli import Cli

DISTRICTS = "UBND các huyện, thị xã, thành phố"
COMMUNES = "UBND các xã, phường"


@pytest.fixture
def imported(settings: Settings, capsys: pytest.CaptureFixture[str], seed_path: Path) -> Cli:
    cli = Cli(settings, capsys)
    assert cli("tenant", "create", "quang-nam", "Quảng Nam", "--code", "49")[0] == 0
    code, _, err = cli("plan", "import", "quang-nam", str(seed_path))
    assert code == 0, err
    return cli


def test_a_succession_is_recorded_and_answers_who_was_responsible_on_each_date(
    imported: Cli,
) -> None:
    code, out, err = imported("agency", "succeed", "quang-nam", DISTRICTS, "--to", COMMUNES,
                              "--on", "01/07/2025", "--reason", "Không tổ chức cấp huyện",
                              "--decision", "202/2025/QH15")
    assert code == 0, err
    assert "succession recorded" in out
    june = imported.json("task", "responsible", "quang-nam", "10", "--on", "15/06/2025")
    july = imported.json("task", "responsible", "quang-nam", "10", "--on", "15/07/2025")
    assert isinstance(june, dict) and isinstance(july, dict)
    assert DISTRICTS in june["responsible"] and COMMUNES in july["responsible"]
    code, out, _ = imported("task", "responsible", "quang-nam", "10", "--on", "15/07/2025")
    assert code == 0 and COMMUNES in out and "01/07/2025" in out
    code, out, _ = imported("agency", "history", "quang-nam", DISTRICTS)
    assert out.strip() == (f"{DISTRICTS} (nhóm cơ quan): kế nhiệm bởi {COMMUNES} "
                           "từ ngày 01/07/2025")
    code, out, err = imported("agency", "dissolve", "quang-nam", DISTRICTS, "--on",
                              "01/08/2025", "--reason", "x")
    assert code != 0 and out == "" and DISTRICTS in err
    code, _, err = imported("agency", "succeed", "quang-nam", "Sở Y tế", "--to", "Sở Mới",
                            "--reason", "x")
    assert code != 0 and err.strip()  # the date it takes effect is required


def test_merger_alias_preview_and_collectives(imported: Cli) -> None:
    code, _, err = imported("agency", "merge", "quang-nam", "Sở Y tế", "Sở Tài chính",
                            "--into", "Sở Y tế và Tài chính", "--on", "01/03/2025",
                            "--reason", "Hợp nhất")
    assert code == 0, err
    history = imported.json("agency", "history", "quang-nam", "Sở Tài chính")
    assert isinstance(history, dict) and history["successors"] == ["Sở Y tế và Tài chính"]
    assert imported("agency", "add", "quang-nam", "Sở Khoa học - Công nghệ")[0] == 0
    code, out, _ = imported("agency", "alias", "quang-nam", "Sở Khoa học - Công nghệ",
                            "--into", "Sở Khoa học và Công nghệ", "--preview", "--year", "2025")
    assert code == 0 and "Nhiệm vụ chuyển sang: không có" in out
    assert imported.json("agency", "history", "quang-nam",
                         "Sở Khoa học - Công nghệ")["ended"] == ""  # type: ignore[index]
    code, _, err = imported("agency", "alias", "quang-nam", "Sở Khoa học - Công nghệ",
                            "--into", "Sở Khoa học và Công nghệ")
    assert code == 0, err
    assert imported.json("agency", "history", "quang-nam",
                         "Sở Khoa học - Công nghệ")["ended"] == "alias"  # type: ignore[index]
    code, _, err = imported("agency", "collective", "quang-nam", "Sở Y tế", "--unmark")
    assert code != 0 and "Sở Y tế" in err
    for name in ("UBND thành phố Tam Kỳ", "UBND thị xã Điện Bàn"):
        assert imported("agency", "add", "quang-nam", name)[0] == 0
    code, _, err = imported("task", "expand", "quang-nam", "10", "--collective", DISTRICTS,
                            "--member", "UBND thành phố Tam Kỳ", "--member",
                            "UBND thị xã Điện Bàn", "--reason", "Giao từng địa phương")
    assert code == 0, err
    status = imported.json("status", "quang-nam", "--agency", "UBND thị xã Điện Bàn")
    assert "10" in {t["number"] for t in status["tasks"]}  # type: ignore[index]
