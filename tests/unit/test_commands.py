"""Commands are data with one dispatcher: every command class has its handler."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from service import commands
from service.commands import ChangeDeadline, Command, ReassignTask, ReportProgress, build
from service.handlers import HANDLERS


def command_classes() -> list[type[Command]]:
    """Every command a caller can build: the classes no other command refines."""
    found: list[type[Command]] = []
    pending = [Command]
    while pending:
        cls = pending.pop()
        subclasses = cls.__subclasses__()
        pending.extend(subclasses)
        if not subclasses:
            found.append(cls)
    return found


def test_every_command_class_has_a_handler() -> None:
    classes = command_classes()
    assert len(classes) >= 15
    missing = [cls.__name__ for cls in classes if cls not in HANDLERS]
    assert missing == []


def test_the_dispatcher_knows_no_class_that_is_not_a_command_of_the_module() -> None:
    assert {cls.__module__ for cls in HANDLERS} == {commands.__name__}


@pytest.mark.parametrize("cls", command_classes(), ids=lambda cls: cls.__name__)
def test_commands_are_frozen_data(cls: type[Command]) -> None:
    assert dataclasses.is_dataclass(cls)
    assert cls.__dataclass_params__.frozen  # type: ignore[attr-defined]


def test_a_command_is_built_from_input_named_like_its_fields() -> None:
    body = {"deadline": "6/2025", "reason": "Chờ hướng dẫn", "decision_ref": "12/QĐ",
            "effective_on": date(2025, 3, 10), "agency": None, "plan": None}
    assert build(ChangeDeadline, body, task="5") == ChangeDeadline(
        task="5", deadline="6/2025", reason="Chờ hướng dẫn", decision_ref="12/QĐ")


def test_lists_in_the_input_become_tuples_so_the_command_stays_hashable() -> None:
    command = build(ReassignTask, {"leads": ["Sở Y tế"], "coordinators": [], "reason": "x"},
                    task="1")
    assert command.leads == ("Sở Y tế",) and command.coordinators == ()
    assert hash(command) == hash(ReassignTask(task="1", leads=("Sở Y tế",), reason="x"))


def test_fields_the_input_lacks_keep_their_defaults() -> None:
    command = build(ReportProgress, {"period": "2025-Q1", "percent": 40, "narrative": "x"},
                    task="5")
    assert (command.difficulties, command.evidence, command.plan) == ("", (), None)
