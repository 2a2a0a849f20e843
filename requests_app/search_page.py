"""The search page behind the header's box: full results, or the dropdown's partial for htmx."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from requests_app import search


@login_required
@require_safe
def search_page(request):
    """Everything matching ``q``; htmx asks for the results only (the header's live dropdown)."""
    results = search.search(query=request.GET.get("q", ""))
    template = (
        "requests_app/partials/search_results.html"
        if request.htmx and not request.htmx.boosted
        else "requests_app/search.html"
    )
    return render(request, template, {"results": results})
