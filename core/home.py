"""Extension points for pages that show other apps' data: the home page's sections ("what needs
me?") and extra context on a page owned by a lower app (a domain's capacity on the catalog's
domain page). Apps register providers from their AppConfig.ready(), so core imports no app and a
lower app never imports a higher one."""

from __future__ import annotations

from collections.abc import Callable

_sections: list[tuple[int, Callable]] = []
_page_context: dict[str, list[Callable]] = {}


def home_section(order: int) -> Callable[[Callable], Callable]:
    """Register ``func(user) -> dict | None`` as a home section; a dict is rendered with its
    ``template``. Sections show in ``order`` (lower first)."""

    def register(func: Callable) -> Callable:
        if all(f is not func for _, f in _sections):
            _sections.append((order, func))
            _sections.sort(key=lambda pair: pair[0])
        return func

    return register


def sections_for(user) -> list[dict]:
    """The home page's sections for ``user``, in order, without the empty ones."""
    return [section for _, provider in _sections if (section := provider(user))]


def page_context(page: str) -> Callable[[Callable], Callable]:
    """Register ``func(**objects) -> dict`` to add context to ``page`` (e.g. "domain_detail")."""

    def register(func: Callable) -> Callable:
        providers = _page_context.setdefault(page, [])
        if func not in providers:
            providers.append(func)
        return func

    return register


def context_for(page: str, **objects) -> dict:
    """The extra context the registered providers give ``page`` for ``objects``."""
    context: dict = {}
    for provider in _page_context.get(page, []):
        context.update(provider(**objects))
    return context
