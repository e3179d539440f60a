"""Routes declared with the access they need, collected per module, added to the blueprint."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from web.auth import Access, page

View = Callable[..., Any]


@dataclass(frozen=True)
class Route:
    rule: str
    view: View
    methods: tuple[str, ...]
    endpoint: str | None = None  # the view's name, unless given


@dataclass
class Routes:
    items: list[Route] = field(default_factory=list)

    def route(self, rule: str, access: Access, methods: tuple[str, ...] = ("GET",),
              endpoint: str | None = None) -> Callable[[View], View]:
        def add(view: View) -> View:
            self.items.append(Route(rule, page(access)(view), methods, endpoint))
            return view

        return add
