"""`r57 plan revise` on both stores: a preview that records nothing, --apply that records
the changes citing the amending decision, and a second --apply that records nothing."""

from __future__ import annotations

from tests.cli.test_cli import Cli, cli, imported  # noqa: F401  (fixtures)
from tests.fixtures import REGROUPED_SEED as REGROUPED
from tests.fixtures import REVISED_SEED as REVISED

ARGS = ("--plan", "1534/KH-UBND", "--amending", "Quyết định số 245/QĐ-UBND", "--on", "15/07/2025")


def test_a_revision_is_previewed_then_applied_once(imported: Cli) -> None:  # noqa: F811
    code, out, err = imported("plan", "revise", "quang-nam", str(REVISED), *ARGS)
    assert code == 0, err
    assert "5 tasks changed, 56 unchanged" in out
    assert "- task 9 (no. 8 in the document): lead changed" in out
    assert "lead: Sở Nội vụ -> Sở Khoa học và Công nghệ" in out
    assert "- task 61 (no. 60 in the document): added" in out
    assert "Preview only: nothing recorded" in out
    assert imported.json("history", "quang-nam", "3")[-1]["event"] == "Added"

    code, out, err = imported("plan", "revise", "quang-nam", str(REVISED), *ARGS, "--apply")
    assert code == 0, err
    assert "1 added, 1 removed, 1 reworded, 1 deadline changed, 1 lead changed" in out
    last = imported.json("history", "quang-nam", "3")[-1]
    assert (last["event"], last["document"], last["effective_on"]) == (
        "DeadlineChanged", "Quyết định số 245/QĐ-UBND", "2025-07-15")

    code, out, err = imported("plan", "revise", "quang-nam", str(REVISED), *ARGS, "--apply")
    assert code == 0 and "nothing recorded" in out
    code, out, err = imported("plan", "show", "quang-nam")
    assert "Sửa đổi bởi Quyết định số 245/QĐ-UBND (15/07/2025), hiệu lực từ 15/07/2025" in out


def test_revising_a_plan_the_tenant_lacks_is_refused(imported: Cli) -> None:  # noqa: F811
    code, out, err = imported("plan", "revise", "quang-nam", str(REVISED), "--plan", "9/KH-UBND",
                              "--amending", "Quyết định số 1/QĐ-UBND")
    assert code != 0 and out == "" and "9/KH-UBND" in err


def test_a_task_is_reworded_from_the_command_line(imported: Cli) -> None:  # noqa: F811
    code, out, err = imported("task", "reword", "quang-nam", "4", "--title",
                              "Ban hành quy định trách nhiệm người đứng đầu",
                              "--reason", "Thống nhất cách viết", "--decision", "12/QĐ-UBND")
    assert code == 0 and "Task 4: reword recorded" in out, err
    last = imported.json("history", "quang-nam", "4")[-1]
    assert (last["event"], last["document"], last["changes"]["title"]["to"]) == (
        "Reworded", "12/QĐ-UBND", "Ban hành quy định trách nhiệm người đứng đầu")


def test_a_task_moved_a_group_renamed_and_indicators_added_and_removed_from_the_command_line(
        imported: Cli) -> None:  # noqa: F811
    args = ("--plan", "1534/KH-UBND", "--amending", "Quyết định số 512/QĐ-UBND", "--on",
            "20/08/2025")
    code, out, err = imported("plan", "revise", "quang-nam", str(REGROUPED), *args)
    assert code == 0, err
    assert "- task 9: moved to another group" in out
    assert "group: I -> II (Khẩn trương, quyết liệt hoàn thiện" in out
    assert "- group III renamed:" in out and "gắn với bảo đảm an ninh mạng" in out
    assert "- indicator 32 added: Tỉ lệ dân số trưởng thành có chữ ký số cá nhân, target ≥ 70" \
        in out
    assert "- indicator 31 removed (kept, no longer counted)" in out

    code, out, err = imported("plan", "revise", "quang-nam", str(REGROUPED), *args, "--apply")
    assert code == 0, err
    assert ("1 moved to another group, 1 groups renamed, 1 indicators added, "
            "1 indicators removed") in out
    code, out, err = imported("plan", "show", "quang-nam")
    assert "chuyển nhóm nhiệm vụ 1, đổi tên nhóm nhiệm vụ 1, bổ sung chỉ tiêu 1, " \
        "bãi bỏ chỉ tiêu 1" in out
    assert "III. Tăng cường đầu tư" in out
    (removed,) = [i for i in imported.json("indicator", "list", "quang-nam") if i["code"] == "31"]
    assert removed["removed_by"] == "Quyết định số 512/QĐ-UBND"
