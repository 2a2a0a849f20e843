"""The home page answers "what needs me?": apps register sections, each built by a selector."""

from __future__ import annotations

from collections.abc import Callable

_providers: list[Callable] = []


def home_section(func: Callable) -> Callable:
    """Register ``func(user) -> dict | None``; a dict is rendered with its ``template``."""
    _providers.append(func)
    return func


def sections_for(user) -> list[dict]:
    # Apps register their sections when their `home` module is imported.
    import products.home  # noqa: F401
    import requests_app.home  # noqa: F401

    # Requests first: "what needs me" (triage, my requests) before "my domains".
    ordered = sorted(_providers, key=lambda f: not f.__module__.startswith("requests_app"))
    return [section for provider in ordered if (section := provider(user))]
