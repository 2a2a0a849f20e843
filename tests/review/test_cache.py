"""The cached live review: every kind of write that can change a figure shows right after it
commits, a write that cannot leaves the cached review alone, and cached equals computed."""

from __future__ import annotations

import datetime as dt

import pytest

from products import services as catalog
from products.models import DataProduct
from requests_app import services
from requests_app.board import services as board
from requests_app.models import DataRequest
from review import caching
from review.selectors import review_compute, review_for
from tests import factories
from tests.review.review_fixture import build_review_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings):
    settings.TRIAGE_SLA_WORKING_DAYS = 5
    return build_review_world()


def by_slug(review, slug):
    return next(d for d in review["domains"] if d["slug"] == slug)


def fresh(cycle, review):
    """The review computed now from the database, at the cached review's time."""
    return review_compute(cycle=cycle, now=dt.datetime.fromisoformat(review["computed_at"]))


def triage(world, staff):
    services.request_triage(data_request=world.requests["L3"], actor=staff)


def edit_title(world, staff):
    services.request_update(data_request=world.requests["L2"], actor=staff, title="Renamed need")


def plan_on_the_board(world, staff):
    services.request_triage(data_request=world.requests["L3"], actor=staff)
    board.request_plan(data_request=world.requests["L3"], actor=staff, planned_cycle=world.cycle)


def deliver(world, staff):
    services.request_deliver(
        data_request=world.requests["P2"], actor=staff, delivered_product=world.products["INC"]
    )


def set_capacity(world, staff):
    board.capacity_set(domain=world.payments, cycle=world.cycle, capacity=30, actor=staff)


def rename_domain(world, staff):
    catalog.domain_update(domain=world.search, actor=staff, name="Search and discovery")


def change_default_capacity(world, staff):
    world.search.default_capacity = 40
    world.search.save()


def deprecate_product(world, staff):
    product = world.products["INC"]
    product.status = DataProduct.Status.DEPRECATED
    product.save(update_fields=["status", "updated_at"])


def add_product(world, staff):
    factories.DataProductFactory(domain=world.logistics, status=DataProduct.Status.SHARED)


def move_the_deadline(world, staff):
    # Through the service: the cycle's save and the bulk update of early/late and lead times.
    services.cycle_update(cycle=world.cycle, actor=staff, request_deadline=dt.date(2027, 3, 15))


def move_the_next_cycle_before(world, staff):
    # S2 was deferred to Q3; with Q3 starting before Q2 it is no longer "to a later cycle".
    q3 = world.q3
    q3.request_deadline, q3.starts_on = dt.date(2027, 1, 15), dt.date(2027, 3, 1)
    q3.save()


def delete_a_request(world, staff):
    DataRequest.objects.filter(pk=world.requests["S4"].pk).delete()


CHANGES = [
    (triage, lambda r: r["overall"]["outcomes"]["triaged"]),
    (edit_title, lambda r: sorted(x["title"] for x in r["not_made_it"])),
    (plan_on_the_board, lambda r: by_slug(r, "logistics")["capacity"]),
    (deliver, lambda r: (r["overall"]["delivered"], r["overall"]["products_delivered"])),
    (set_capacity, lambda r: by_slug(r, "payments")["capacity"]),
    (rename_domain, lambda r: sorted(d["name"] for d in r["domains"])),
    (change_default_capacity, lambda r: r["overall"]["capacity"]),
    (deprecate_product, lambda r: r["products"]["coverage"]["products_by_status"]),
    (add_product, lambda r: r["products"]["coverage"]["domains_publishing"]),
    (move_the_deadline, lambda r: (r["overall"]["early"], r["overall"]["late"])),
    (move_the_next_cycle_before, lambda r: by_slug(r, "search")["carried_over"]),
    (delete_a_request, lambda r: r["overall"]["filed"]),
]


@pytest.mark.parametrize(("write", "figure"), CHANGES, ids=[c[0].__name__ for c in CHANGES])
def test_each_kind_of_write_shows_in_the_review_right_after_it_commits(
    world, staff, write, figure, django_capture_on_commit_callbacks
):
    before = review_for(cycle=world.cycle)
    with django_capture_on_commit_callbacks(execute=True):
        write(world, staff)
    after = review_for(cycle=world.cycle)
    assert figure(after) != figure(before)
    assert after == fresh(world.cycle, after)


def test_the_version_moves_only_once_the_write_commits(
    world, staff, django_capture_on_commit_callbacks
):
    version = caching.data_version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.request_triage(data_request=world.requests["L3"], actor=staff)
        # A reader now computes without the write (not committed yet): it must not be able to
        # store that under a version the readers after the commit will ask for.
        assert caching.data_version() == version
    assert caching.data_version() == version
    for callback in callbacks:  # the commit
        callback()
    assert caching.data_version() != version


def test_writes_that_change_no_figure_leave_the_cached_review(
    world, staff, requester, django_capture_on_commit_callbacks, django_assert_num_queries
):
    cached = review_for(cycle=world.cycle)
    request = world.requests["P3"]
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(data_request=request, author=requester, body="Any news?")
        DataRequest.objects.get(pk=request.pk).save(update_fields=["rank", "updated_at"])
        services.request_watch(data_request=request, user=requester)
    with django_assert_num_queries(0):
        assert review_for(cycle=world.cycle) == cached


def test_a_cached_review_equals_the_computed_one(world):
    cached = review_for(cycle=world.cycle)
    assert review_for(cycle=world.cycle) == cached
    assert cached == fresh(world.cycle, cached)


def test_the_reviews_of_two_cycles_are_cached_apart(world):
    q2, q3 = review_for(cycle=world.cycle), review_for(cycle=world.q3)
    assert (q2["cycle"]["slug"], q3["cycle"]["slug"]) == ("2027-q2", "2027-q3")
    assert review_for(cycle=world.q3) == q3


def test_a_review_at_a_given_time_is_computed_not_cached(world, django_assert_num_queries):
    at = dt.datetime(2027, 4, 14, 12, 0, tzinfo=dt.UTC)
    review_for(cycle=world.cycle)
    with django_assert_num_queries(8 if _sqlite() else 5):
        assert review_for(cycle=world.cycle, now=at)["computed_at"] == at.isoformat()


def test_the_next_day_counts_overdue_triage_anew():
    """The overdue cutoff is in the key: the figure that moves with the clock is recomputed."""
    computed = []

    def compute():
        computed.append(1)
        return {"n": len(computed)}

    monday = dt.datetime(2027, 4, 12, 12, 0, tzinfo=dt.UTC)
    assert caching.cached_review(cycle_id=1, now=monday, compute=compute) == {"n": 1}
    later = monday + dt.timedelta(hours=6)
    assert caching.cached_review(cycle_id=1, now=later, compute=compute) == {"n": 1}
    tuesday = monday + dt.timedelta(days=1)
    assert caching.cached_review(cycle_id=1, now=tuesday, compute=compute) == {"n": 2}


def test_two_databases_sharing_the_cache_never_answer_for_each_other(settings, monkeypatch):
    first = caching._namespace()
    monkeypatch.setitem(settings.DATABASES["default"], "NAME", "another_database")
    assert caching._namespace() != first


def test_an_evicted_version_starts_a_new_one_not_an_old_one():
    from django.core.cache import cache

    version = caching.data_version()
    cache.delete(f"{caching._namespace()}:version")
    assert caching.data_version() not in (None, version)


@pytest.mark.django_db(transaction=True)
def test_after_a_real_commit_the_next_reader_sees_the_write(settings):
    settings.TRIAGE_SLA_WORKING_DAYS = 5
    world = build_review_world()
    staff = factories.UserFactory(is_staff=True)
    before = review_for(cycle=world.cycle)["overall"]["outcomes"]
    services.request_triage(data_request=world.requests["L3"], actor=staff)  # commits
    after = review_for(cycle=world.cycle)["overall"]["outcomes"]
    assert (after["submitted"], after["triaged"]) == (
        before["submitted"] - 1,
        before["triaged"] + 1,
    )


def _sqlite() -> bool:
    from django.db import connection

    return connection.vendor == "sqlite"


def test_the_review_pages_links_and_tables_are_built_once_per_data_version(
    world, client, staff, monkeypatch, django_capture_on_commit_callbacks
):
    from review import links

    built = []
    page_tables = links.page_tables
    monkeypatch.setattr(links, "page_tables", lambda review: built.append(1) or page_tables(review))
    client.force_login(staff)
    url = f"/cycles/{world.cycle.slug}/review/"
    first = client.get(url).content.decode()
    second = client.get(url).content.decode()
    assert second.count('href="/requests/?') == first.count('href="/requests/?') > 10
    assert len(built) == 1  # the second view reads the links from the cache
    with django_capture_on_commit_callbacks(execute=True):
        triage(world, staff)
    assert client.get(url).status_code == 200
    assert len(built) == 2  # a write that can change a figure rebuilds them
