"""Mentions by display name ("@Lars" finds Lars Eriksen); authors edit and delete their comments,
and the audit trail keeps what was said."""

from __future__ import annotations

import pytest

from core.errors import NotPermitted
from requests_app import selectors, services
from requests_app.models import Comment, RequestEvent
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def lars(db):
    return factories.UserFactory(username="lead", first_name="Lars", last_name="Eriksen")


def test_a_first_name_mentions_the_one_person_with_it(requester, lars):
    data_request = factories.DataRequestFactory()
    comment = services.comment_create(
        data_request=data_request, author=requester, body="@Lars can you check the schema?"
    )
    assert list(comment.mentions.all()) == [lars]


def test_an_ambiguous_first_name_mentions_nobody(requester, lars):
    factories.UserFactory(username="lars2", first_name="Lars", last_name="Berg")
    comment = services.comment_create(
        data_request=factories.DataRequestFactory(), author=requester, body="@lars hello"
    )
    assert list(comment.mentions.all()) == []


def test_mention_completion_offers_people_by_their_names(lars):
    assert [u.username for u in selectors.users_by_prefix(prefix="@Lar")] == ["lead"]
    assert [u.username for u in selectors.users_by_prefix(prefix="erik")] == ["lead"]


def test_the_author_edits_a_comment_and_the_audit_keeps_the_old_text(requester, lars):
    comment = services.comment_create(
        data_request=factories.DataRequestFactory(), author=requester, body="Needed by Q1."
    )
    services.comment_update(comment=comment, actor=requester, body="Needed by Q2, @Lars.")
    comment.refresh_from_db()
    assert comment.body == "Needed by Q2, @Lars."
    assert comment.edited_at is not None
    assert list(comment.mentions.all()) == [lars]
    event = RequestEvent.objects.get(kind=RequestEvent.Kind.COMMENT_EDITED)
    assert event.data == {"comment": comment.pk, "before": "Needed by Q1."}


def test_only_the_author_or_staff_edit_or_delete(requester, lars, staff):
    comment = services.comment_create(
        data_request=factories.DataRequestFactory(), author=requester, body="Mine."
    )
    with pytest.raises(NotPermitted):
        services.comment_update(comment=comment, actor=lars, body="Theirs.")
    with pytest.raises(NotPermitted):
        services.comment_delete(comment=comment, actor=lars)
    services.comment_delete(comment=comment, actor=staff)
    assert not Comment.objects.exists()
    event = RequestEvent.objects.get(kind=RequestEvent.Kind.COMMENT_DELETED)
    assert event.data["body"] == "Mine."
