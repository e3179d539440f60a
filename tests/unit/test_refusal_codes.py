"""Every refusal raised below the HTTP layers names a catalogue code and exactly the values
its text shows, so each language can render it; none is an English sentence."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

import i18n
from domain.errors import DomainError
from reports import pdf

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("domain", "service", "tenants", "projections", "reports", "importers", "integrity",
          "api", "web", "cli", "server")
REFUSALS = {"DomainError", "NotFound", "Conflict", "AlreadyExists", "IntegrityRefused",
            "LogTampered", "TenantArchived", "HistoryUnreadable", "ImportFormatError",
            "ImportRefused", "PdfUnavailable", "RefusedToSign", "PortTaken"}
CODE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+")


def _fields(template: str) -> set[str]:
    return {name.split(".")[0] for _, name, _, _ in string.Formatter().parse(template) if name}


def _refusals() -> list[tuple[str, ast.Call]]:
    found = []
    for layer in LAYERS:
        for path in sorted((ROOT / layer).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                        and node.func.id in REFUSALS and node.args):
                    found.append((f"{path.relative_to(ROOT)}:{node.lineno}", node))
    return found


def _is_sentence(first: ast.expr) -> bool:
    """Text written into the call: an f-string, a joined or a literal string not a code."""
    if isinstance(first, ast.JoinedStr | ast.BinOp):
        return True
    return (isinstance(first, ast.Constant) and isinstance(first.value, str)
            and not CODE.fullmatch(first.value))


def test_refusals_name_a_code_not_a_sentence() -> None:
    assert [where for where, call in _refusals() if _is_sentence(call.args[0])] == []


def test_each_code_is_catalogued_with_exactly_the_values_it_is_given() -> None:
    wrong = {}
    for where, call in _refusals():
        first = call.args[0]
        if not isinstance(first, ast.Constant) or not isinstance(first.value, str):
            continue
        template = i18n.text_of(first.value, "en")
        if template is None:
            wrong[where] = f"{first.value}: not in the catalogue"
            continue
        if any(k.arg is None for k in call.keywords):
            continue  # **params: checked where they are built
        given, shown = {k.arg for k in call.keywords if k.arg != "field"}, _fields(template)
        if given != shown:
            wrong[where] = f"{first.value}: given {sorted(given)}, shows {sorted(shown)}"
    assert wrong == {}


@pytest.mark.parametrize("language", ["en", "vi"])
def test_a_refusal_renders_its_values_in_each_language(language: str) -> None:
    refusal = DomainError("task.already_due", field="deadline", number="5", deadline="3/2025")
    coded = refusal.as_message()
    assert coded is not None
    shown = i18n.render(coded, language)
    assert "5" in shown and "'3/2025'" in shown
    if language == "en":
        assert shown == "Task 5 is already due '3/2025'."


def test_a_report_without_a_pdf_converter_says_why_in_each_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pdf, "office", lambda: None)
    with pytest.raises(pdf.PdfUnavailable) as refused:
        pdf.docx_to_pdf(b"")
    assert refused.value.code == "report_pdf.no_office"
    assert i18n.render(refused.value.as_message(), "vi").startswith(
        "Máy chủ chưa cài LibreOffice nên chưa tạo được bản PDF")
    assert i18n.render(refused.value.as_message(), "en").startswith(
        "LibreOffice is not installed on the server")
