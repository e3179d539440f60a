"""Read an uploaded plan in a child process with a memory and CPU budget.

The limits in `importers.limits` stop the files we know how to make hostile; the budget
stops the ones we do not: the child runs with RLIMIT_AS (address space) and RLIMIT_CPU
set, and a wall-clock timeout, so no document can grow a web worker or hold it. The
child answers with the document as JSON (never pickle) or with the import error.

    python -m importers.isolation   # the child: a JSON request line, then the file's bytes
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from dataclasses import asdict, dataclass, replace
from datetime import date
from pathlib import PurePath
from typing import Any

from domain.messages import Message, Param
from domain.plan_document import (
    IndicatorRow,
    PlanDocument,
    PlanHeader,
    RowNote,
    RowProblem,
    TaskGroup,
    TaskRow,
)
from importers.errors import ImportFormatError, budget_exceeded

MEGABYTE = 1024 * 1024
_IN_PROCESS = (".txt", ".csv")


@dataclass(frozen=True)
class ReadBudget:
    memory_bytes: int = 1024 * MEGABYTE  # address space of the child, libraries included
    cpu_seconds: int = 60
    wall_seconds: int = 120

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> ReadBudget:
        env = dict(os.environ) if env is None else env
        default = cls()
        return cls(
            memory_bytes=int(env.get("R57_IMPORT_MEMORY_MB", default.memory_bytes // MEGABYTE))
            * MEGABYTE,
            cpu_seconds=int(env.get("R57_IMPORT_CPU_SECONDS", default.cpu_seconds)),
            wall_seconds=int(env.get("R57_IMPORT_WALL_SECONDS", default.wall_seconds)),
        )


def read_isolated(
    data: bytes,
    filename: str,
    *,
    header: PlanHeader | None = None,
    require_number: bool = True,
    limits: ReadBudget | None = None,
) -> PlanDocument:
    """`importers.read_plan_bytes` in a child process under `limits`.

    Plain text (.txt, .csv) is read in this process: it is decoded from at most
    `file_bytes`, nothing expands it, and the row, cell and text limits bound what is built
    from it; the child's start-up is kept for the formats that need a parser of their own.
    """
    if PurePath(filename).suffix.lower() in _IN_PROCESS:
        from importers import read_plan_bytes  # noqa: PLC0415 - the child never needs it here

        return read_plan_bytes(data, filename, header=header, require_number=require_number)
    limits = limits or ReadBudget.from_env()
    request = {
        "filename": filename,
        "header": header_to_json(header) if header else None,
        "require_number": require_number,
        "memory_bytes": limits.memory_bytes,
        "cpu_seconds": limits.cpu_seconds,
    }
    payload = json.dumps(request).encode() + b"\n" + data
    try:
        done = subprocess.run(  # our own interpreter and module, no shell
            [sys.executable, "-m", "importers.isolation"],
            input=payload,
            capture_output=True,
            timeout=limits.wall_seconds,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise budget_exceeded("time") from None
    if done.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        raise budget_exceeded("time" if done.returncode == -signal.SIGXCPU else "memory")
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        answer = None
    if not isinstance(answer, dict) or ("document" not in answer and "error" not in answer):
        if b"MemoryError" in done.stderr:
            raise budget_exceeded("memory")
        raise ImportFormatError("import.parser_failed", error=f"exit {done.returncode}")
    if "error" in answer:
        error = answer["error"]
        raise ImportFormatError(error["code"], **_params_from_json(error["params"]))
    return document_from_json(answer["document"])


def header_to_json(header: PlanHeader) -> dict[str, Any]:
    found = asdict(header)
    found["issued_on"] = header.issued_on.isoformat() if header.issued_on else None
    found["legal_basis"] = list(header.legal_basis)
    return found


def header_from_json(data: dict[str, Any]) -> PlanHeader:
    issued = data.get("issued_on")
    return PlanHeader(**{
        **data,
        "issued_on": date.fromisoformat(issued) if issued else None,
        "legal_basis": tuple(data.get("legal_basis") or ()),
    })


def document_to_json(document: PlanDocument) -> dict[str, Any]:
    return {
        "header": header_to_json(document.header),
        "groups": [asdict(group) for group in document.groups],
        "tasks": [asdict(task) for task in document.tasks],
        "indicators": [asdict(indicator) for indicator in document.indicators],
        "problems": [{"row": p.row, "content": p.content, "reason": p.reason.to_json()}
                     for p in document.problems],
        "notes": [{**asdict(note), "note": note.note.to_json()} for note in document.notes],
        "source_format": document.source_format,
    }


def document_from_json(data: dict[str, Any]) -> PlanDocument:
    return PlanDocument(
        header=header_from_json(data["header"]),
        groups=tuple(TaskGroup(**group) for group in data["groups"]),
        tasks=tuple(TaskRow(**task) for task in data["tasks"]),
        indicators=tuple(IndicatorRow(**row) for row in data["indicators"]),
        problems=tuple(RowProblem(p["row"], p["content"], Message.from_json(p["reason"]))
                       for p in data["problems"]),
        notes=tuple(RowNote(**{**note, "note": Message.from_json(note["note"])})
                    for note in data.get("notes", ())),
        source_format=data["source_format"],
    )


def _child() -> int:
    request = json.loads(sys.stdin.buffer.readline())
    data = sys.stdin.buffer.read()
    try:
        # LibreOffice runs before the budget is set: it is a program of its own, bounded by
        # its timeout, and needs more address space than a reader.
        request, data = _converted(request, data)
    except ImportFormatError as error:
        sys.stdout.write(json.dumps(_error_json(error), ensure_ascii=False))
        return 0
    resource.setrlimit(resource.RLIMIT_AS, (request["memory_bytes"], request["memory_bytes"]))
    cpu = request["cpu_seconds"]
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    try:
        answer = _read_in_child(request, data)
    except MemoryError:
        answer = _error_json(budget_exceeded("memory"))
    sys.stdout.write(json.dumps(answer, ensure_ascii=False))
    sys.stdout.flush()
    return 0


def _converted(request: dict[str, Any], data: bytes) -> tuple[dict[str, Any], bytes]:
    from importers.convert import CONVERTED, convert_to_docx  # noqa: PLC0415
    from importers.limits import check_file_size  # noqa: PLC0415

    path = PurePath(request["filename"])
    suffix = path.suffix.lower()
    if suffix not in CONVERTED:
        return request, data
    check_file_size(len(data))
    converted = convert_to_docx(data, suffix)
    return {**request, "filename": path.stem + ".docx", "source_format": suffix[1:]}, converted


def _read_in_child(request: dict[str, Any], data: bytes) -> dict[str, Any]:
    from importers import read_plan_bytes  # noqa: PLC0415 - imported under the budget

    header = header_from_json(request["header"]) if request["header"] else None
    try:
        document = read_plan_bytes(
            data, request["filename"], header=header, require_number=request["require_number"]
        )
    except ImportFormatError as error:
        # lxml reports an allocation that failed under the budget as a syntax error; a
        # reader that failed near the budget ran out of memory, whatever it said.
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        if error.code != "import.limit_exceeded" and peak > request["memory_bytes"] * 0.5:
            return _error_json(budget_exceeded("memory"))
        return _error_json(error)
    if "source_format" in request:
        document = replace(document, source_format=request["source_format"])
    return {"document": document_to_json(document)}


def _error_json(error: ImportFormatError) -> dict[str, Any]:
    return {"error": {"code": error.code, "params": error.params_json()}}


def _params_from_json(params: dict[str, Any]) -> dict[str, Param]:
    """Values sent back as JSON, a message among them made a message again."""
    return {name: Message.from_json(value)
            if isinstance(value, dict) and set(value) == {"code", "params"} else value
            for name, value in params.items()}


if __name__ == "__main__":
    sys.exit(_child())
