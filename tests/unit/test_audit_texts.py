"""Audit entries and change types read in English and Vietnamese, from codes alone."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from domain.access import Principal
from i18n import codes, text_of
from projections.audit import AuditEntry
from projections.entries import CHANGE_TYPE_NAMES
from projections.plan_state import PlanState
from projections.projector import apply_all
from projections.specs import SPECS
from service.audit_texts import LANGUAGES, audit_text, change_type_text, changes_text
from tests.fixtures.make_event_log import FixtureApplication

LOG = Path(__file__).parents[1] / "fixtures" / "event_log.json"


def every_kind_of_entry() -> list[AuditEntry]:
    """One entry per kind of plan event: the stored-event fixture holds them all."""
    app = FixtureApplication()
    app.recorder.insert_events([
        StoredEvent(UUID(e["originator_id"]), e["originator_version"], e["topic"],
                    e["state"].encode("utf-8"))
        for e in json.loads(LOG.read_text(encoding="utf-8"))
    ])
    events: list[tuple[int, Any]] = [
        (n.id, app.mapper.to_domain_event(n))
        for n in app.recorder.select_notifications(start=1, limit=1000)
    ]
    return apply_all(PlanState(), [(p, e) for p, e in events
                                   if not isinstance(e, Principal.Event)])


def test_every_code_an_entry_can_carry_has_both_languages() -> None:
    entry_codes = {spec.code for spec in SPECS.values()}
    for language in LANGUAGES:
        catalogued = {code for code in codes(language) if code.startswith("audit.")}
        assert entry_codes == catalogued, language


def test_every_kind_of_entry_renders_its_values_in_both_languages() -> None:
    for entry in every_kind_of_entry():
        for language in LANGUAGES:
            text = audit_text(entry, language)
            assert text and "{" not in text, (entry.code, language)


def test_vietnamese_and_english_texts_differ_for_every_code() -> None:
    for code in {spec.code for spec in SPECS.values()}:
        assert text_of(code, "vi") != text_of(code, "en"), code


def test_every_change_type_has_a_label_in_both_languages() -> None:
    for language in LANGUAGES:
        catalogued = {c.removeprefix("change_type.") for c in codes(language)
                      if c.startswith("change_type.")}
        assert set(CHANGE_TYPE_NAMES) == catalogued, language
    for change_type in CHANGE_TYPE_NAMES:
        assert change_type_text(change_type, "vi") != change_type_text(change_type, "en")


def test_values_render_in_the_readers_notation() -> None:
    by_code = {e.code: e for e in every_kind_of_entry()}
    trigger = by_code["audit.trigger_recorded"]
    assert audit_text(trigger, "vi") == (
        "Điều kiện đã xảy ra ngày 01/04/2025; hạn hoàn thành 01/05/2025")
    assert audit_text(trigger, "en") == "Condition met on 01/04/2025; due 01/05/2025"
    value = by_code["audit.value_reported"]
    assert audit_text(value, "vi") == "Báo cáo giá trị 62,5, Năm 2025"
    progress = by_code["audit.progress_reported"]
    assert audit_text(progress, "vi") == "Báo cáo số 2, Quý I/2025: 45%"


def test_changed_states_read_as_words_not_codes() -> None:
    by_code = {e.code: e for e in every_kind_of_entry()}
    assert changes_text(by_code["audit.report_returned"], "vi") == "chờ xác nhận → bị trả lại"
    assert changes_text(by_code["audit.task_cancelled"], "vi") == "- → bị hủy"
    assert changes_text(by_code["audit.value_reported"], "vi") == "- → 62,5"
