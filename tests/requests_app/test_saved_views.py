"""Saved views: a person names the list's filters, optionally shared with their domain."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict

from core.errors import NotPermitted
from requests_app import saved_views
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_view_keeps_only_the_lists_filters(requester):
    view = saved_views.saved_view_create(
        owner=requester,
        name="Open asks",
        query=QueryDict("status=submitted&status=triaged&page=3&x=1"),
    )
    assert view.query == "status=submitted&status=triaged"


def test_a_shared_view_shows_to_the_domain_and_not_to_others(requester, requesting_domain, lead):
    colleague = factories.UserFactory()
    requesting_domain.members.add(colleague)
    saved_views.saved_view_create(
        owner=requester, name="Ours", query=QueryDict("urgency=high"), share_with=requesting_domain
    )
    assert [v.name for v in saved_views.saved_views_for(colleague)] == ["Ours"]
    assert list(saved_views.saved_views_for(lead)) == []


def test_sharing_with_a_domain_one_is_not_in_is_refused(requester, target_domain):
    with pytest.raises(NotPermitted):
        saved_views.saved_view_create(
            owner=requester,
            name="Theirs",
            query=QueryDict("urgency=high"),
            share_with=target_domain,
        )


def test_bad_filters_and_duplicate_names_are_refused_with_a_reason(requester):
    with pytest.raises(ValidationError, match="not valid"):
        saved_views.saved_view_create(owner=requester, name="Bad", query=QueryDict("status=nope"))
    with pytest.raises(ValidationError, match="Choose some filters"):
        saved_views.saved_view_create(owner=requester, name="Empty", query=QueryDict("page=2"))
    saved_views.saved_view_create(owner=requester, name="Mine", query=QueryDict("urgency=low"))
    with pytest.raises(ValidationError, match="already have a view named"):
        saved_views.saved_view_create(owner=requester, name="Mine", query=QueryDict("urgency=high"))


def test_only_the_owner_deletes_a_view(requester, lead):
    view = saved_views.saved_view_create(
        owner=requester, name="Mine", query=QueryDict("urgency=low")
    )
    with pytest.raises(NotPermitted):
        saved_views.saved_view_delete(saved_view=view, actor=lead)
    saved_views.saved_view_delete(saved_view=view, actor=requester)


def test_the_product_picker_stays_bounded_when_the_catalog_grows(client, lead, monkeypatch):
    from requests_app import saved_views

    monkeypatch.setattr(saved_views, "PICKER_MAX", 3)
    client.force_login(lead)
    for _ in range(3):
        factories.DataProductFactory()
    small = client.get("/requests/").content.decode()
    assert 'data-search="product"' in small
    assert small.count('<option value="') >= 3
    factories.DataProductFactory()  # one more than the picker lists: the id box instead
    large = client.get("/requests/").content.decode()
    assert 'data-search="product"' not in large
    assert 'type="number" name="data_product"' in large
