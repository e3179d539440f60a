"""Every event an aggregate can record is a declared class with a specification."""

from __future__ import annotations

import importlib
import pkgutil
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.domain import Aggregate, CommandMethodDecorator, DecoratedFuncCaller

import domain
from projections.entries import entry_for
from projections.plan_state import PlanState
from projections.specs import SPECS, UnknownEvent, apply, fold
from service.access import ACCESS_AGGREGATES, ACCESS_FOLDS, ACCOUNT_FOLDS


def aggregates() -> list[type[Aggregate]]:
    found = []
    for module in pkgutil.iter_modules(domain.__path__):
        loaded = importlib.import_module(f"domain.{module.name}")
        found += [v for v in vars(loaded).values() if isinstance(v, type)
                  and issubclass(v, Aggregate) and v.__module__ == loaded.__name__]
    return found


def event_classes(aggregate: type[Aggregate]) -> list[type[Any]]:
    """The class its constructor records (and its subclasses other constructors record),
    and one per decorated command method."""
    created = vars(aggregate)["__init__"].given_event_cls
    recorded = [getattr(aggregate, created.__name__)]
    # Other ways of creating it (Task.Carried: a task carried over from a merged tenant).
    recorded += [v for v in vars(aggregate).values() if isinstance(v, type)
                 and issubclass(v, recorded[0]) and v is not recorded[0]]
    recorded += [v for v in vars(aggregate).values()
                 if isinstance(v, type) and issubclass(v, DecoratedFuncCaller)]
    return recorded


def test_the_walk_finds_every_aggregate() -> None:
    names = {a.__name__ for a in aggregates()}
    assert names == {"Task", "Plan", "Indicator", "Agency", "PlanCatalogue", "Principal",
                     "Account", "TenantPolicy", "TenantLineage"}


def test_every_event_is_a_declared_class_not_a_name() -> None:
    for aggregate in aggregates():
        for name, value in vars(aggregate).items():
            if isinstance(value, CommandMethodDecorator):
                assert value.given_event_cls is not None, f"{aggregate.__name__}.{name}"


def test_every_event_class_has_its_specification() -> None:
    missing = [
        cls.__qualname__
        for aggregate in aggregates()
        for cls in event_classes(aggregate)
        if cls not in ({**ACCESS_FOLDS, **ACCOUNT_FOLDS} if aggregate in ACCESS_AGGREGATES
                       else SPECS)
    ]
    assert missing == []


def test_every_specification_is_of_an_event_the_aggregates_record() -> None:
    recorded = {cls for a in aggregates() for cls in event_classes(a)}
    assert set(SPECS) <= recorded and set(ACCESS_FOLDS) <= recorded


class Stray(Aggregate.Event):
    """An event no specification knows."""


def stray() -> Stray:
    return Stray(originator_id=uuid4(), originator_version=1, timestamp=datetime.now(UTC))


def test_an_event_without_a_specification_fails_the_fold_loudly() -> None:
    with pytest.raises(UnknownEvent, match="Stray"):
        apply(PlanState(), 1, stray())
    with pytest.raises(UnknownEvent):
        fold([(1, stray())])


def test_an_event_without_a_specification_makes_no_silent_audit_entry() -> None:
    with pytest.raises(UnknownEvent):
        entry_for(1, stray(), PlanState())
