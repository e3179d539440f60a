"""The web's task forms take text as long as the API takes it for the same field, no
longer: the page gives each field that maxlength, and text sent longer anyway (by a page
of another version, or a script) is refused beside its field in Vietnamese, nothing
recorded."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from marshmallow import Schema, validate

from api.schemas.tasks import (
    AnswerBodySchema,
    CompleteSchema,
    DeadlineChangeSchema,
    DirectionBodySchema,
    ExtensionRequestBodySchema,
    ProgressReportSchema,
    RewordSchema,
    TriggerSchema,
)
from service.tenancy import Tenancy
from tests.web.conftest import TENANT, Tokens, form_fields, sign_in, text

TASK = f"/t/{TENANT}/tasks/5"

# Each form, the API schema recording the same command, and the fields they share.
FORMS: dict[str, tuple[type[Schema], tuple[str, ...]]] = {
    "report": (ProgressReportSchema, ("narrative", "difficulties", "proposals")),
    "complete": (CompleteSchema, ("output_document", "note")),
    "extension": (ExtensionRequestBodySchema, ("deadline", "reason")),
    "deadline": (DeadlineChangeSchema, ("deadline", "reason", "decision_ref")),
    "reword": (RewordSchema, ("title", "expected_output", "reason", "decision_ref")),
    "reassign": (RewordSchema, ("reason", "decision_ref")),  # both decided: reason, document
    "suspend": (RewordSchema, ("reason", "decision_ref")),
    "trigger": (TriggerSchema, ("note",)),
}


def api_limit(schema: type[Schema], name: str) -> int:
    lengths = [v for v in schema().fields[name].validators if isinstance(v, validate.Length)]
    assert lengths and lengths[0].max is not None, f"the API sets no limit on {name}"
    return lengths[0].max


def maxlength(page: str, name: str) -> int:
    found = re.search(rf'<(?:input|textarea)[^>]* name="{name}"[^>]*>', page)
    assert found, f"no field {name}"
    length = re.search(r'maxlength="(\d+)"', found.group(0))
    assert length, f"the field {name} gives no maxlength"
    return int(length.group(1))


def beside(page: str, name: str) -> str:
    found = re.search(rf'<p class="error" id="f-{name}-error">(.*?)</p>', page, re.S)
    assert found, f"no error beside {name}"
    return found.group(1)


@pytest.mark.parametrize("form", FORMS)
def test_each_task_form_field_takes_the_length_the_api_takes(
    client: FlaskClient, province: Tokens, form: str
) -> None:
    schema, names = FORMS[form]
    sign_in(client, province.reporter if form in ("report", "complete", "extension")
            else province.admin)
    page = text(client.get(f"{TASK}/{form}"))
    assert {name: maxlength(page, name) for name in names} == {
        name: api_limit(schema, name) for name in names}


def test_text_longer_than_a_field_takes_is_refused_beside_it_and_nothing_recorded(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    def history() -> int:  # the task's version: how many events it has recorded
        state = tenancy.queries(TENANT).state()
        return next(t.version for t in state.tasks.values() if t.number == "5")

    recorded = history()
    sign_in(client, province.admin)
    limit = api_limit(RewordSchema, "decision_ref")
    shown = text(client.get(f"{TASK}/reword"))
    sent = client.post(f"{TASK}/reword", data={
        **form_fields(shown), "title": "Nội dung mới", "reason": "x" * 2001,
        "decision_ref": "1" * (limit + 1)})
    page = text(sent)
    assert sent.status_code == 422
    assert beside(page, "decision_ref") == (
        f'<span class="visually-hidden">Lỗi: </span>Tối đa {limit} ký tự; nội dung đã nhập có '
        f"{limit + 1} ký tự.")
    assert "Tối đa 2.000 ký tự; nội dung đã nhập có 2.001 ký tự." in beside(page, "reason")
    assert history() == recorded

    client.post("/sign-out", data=form_fields(page))
    sign_in(client, province.reporter)
    shown = text(client.get(f"{TASK}/report"))
    sent = client.post(f"{TASK}/report", data={
        **form_fields(shown), "period": "2025-Q1", "percent": "40",
        "narrative": "x" * 10_001, "evidence": "\n".join(["1/QĐ-UBND"] * 51)})
    page = text(sent)
    assert sent.status_code == 422
    assert "Tối đa 10.000 ký tự; nội dung đã nhập có 10.001 ký tự." in beside(page, "narrative")
    assert "Tối đa 50 văn bản, minh chứng" in beside(page, "evidence")
    shown = text(client.get(f"{TASK}/extension"))
    sent = client.post(f"{TASK}/extension", data={
        **form_fields(shown), "deadline": "9/2025", "reason": "x" * 2001})
    assert sent.status_code == 422 and "Tối đa 2.000 ký tự" in beside(text(sent), "reason")
    assert history() == recorded


def test_directions_and_answers_take_the_length_the_api_takes_and_refuse_longer_beside_it(
    client: FlaskClient, province: Tokens, tenancy: Tenancy
) -> None:
    def directions() -> list[tuple[str, int]]:
        state = tenancy.queries(TENANT).state()
        task = next(t for t in state.tasks.values() if t.number == "5")
        return [(d.text, len(d.answers)) for d in task.directions]

    sign_in(client, province.admin)
    page = text(client.get(TASK))
    limit = api_limit(DirectionBodySchema, "text")
    assert maxlength(page, "text") == limit
    sent = client.post(f"{TASK}/directions", data={**form_fields(page), "text": "x" * (limit + 1)})
    assert sent.status_code == 422
    shown = re.search(r'<p class="error" id="direction-text-error">(.*?)</p>', text(sent), re.S)
    assert shown and "Tối đa 10.000 ký tự; nội dung đã nhập có 10.001 ký tự." in shown.group(1)
    assert "x" * (limit + 1) + "</textarea>" in text(sent)  # what was typed is kept
    assert directions() == []
    done = client.post(f"{TASK}/directions", data={**form_fields(page), "text": "Khẩn trương"})
    assert done.status_code == 303 and directions() == [("Khẩn trương", 0)]

    client.post("/sign-out", data=form_fields(page))
    sign_in(client, province.reporter)
    page = text(client.get(TASK))
    limit = api_limit(AnswerBodySchema, "text")
    assert maxlength(page, "text") == limit
    sent = client.post(f"{TASK}/directions/1",
                       data={**form_fields(page), "text": "y" * (limit + 1)})
    assert sent.status_code == 422
    shown = re.search(r'<p class="error" id="answer-1-error">(.*?)</p>', text(sent), re.S)
    assert shown and "Tối đa 10.000 ký tự; nội dung đã nhập có 10.001 ký tự." in shown.group(1)
    assert directions() == [("Khẩn trương", 0)]
