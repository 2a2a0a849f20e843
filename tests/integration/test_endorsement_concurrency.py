"""Racing endorsements on PostgreSQL with real transactions, through the API: the same person
endorsing one request twice at once gets one 201 and one 409 (never a 500 or two rows); many
teams endorsing at once all count."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from requests_app.models import DataRequest, Endorsement
from tests import factories

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _race(calls):
    barrier = threading.Barrier(len(calls))
    codes: list[int | Exception] = [0] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            codes[i] = call().status_code
        except Exception as exc:  # the assertions say which outcomes are acceptable
            codes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return codes


def _post(user, data_request):
    client = APIClient()
    client.force_authenticate(user)
    return lambda: client.post(
        f"/api/v1/requests/{data_request.pk}/endorsements/",
        {"business_need": "We price listings with it."},
        format="json",
    )


def test_the_same_person_racing_two_endorsements_gets_one_201_and_one_409():
    team = factories.DomainFactory(slug="racing-team")
    pm = factories.UserFactory(username="racer")
    team.members.add(pm)
    for _ in range(3):
        target = factories.DataRequestFactory(status=DataRequest.Status.SUBMITTED)
        codes = _race([_post(pm, target), _post(pm, target)])
        assert sorted(codes) == [201, 409], codes
        assert Endorsement.objects.filter(request=target, user=pm).count() == 1
        target.refresh_from_db()
        assert (target.demand, target.endorsement_count) == (2, 1)


def test_many_teams_endorsing_at_once_all_count():
    target = factories.DataRequestFactory(status=DataRequest.Status.SUBMITTED)
    people = []
    for i in range(4):
        team = factories.DomainFactory(slug=f"team-{i}")
        user = factories.UserFactory(username=f"pm-{i}")
        team.members.add(user)
        people.append(user)
    codes = _race([_post(u, target) for u in people])
    assert codes == [201] * 4, codes
    target.refresh_from_db()
    assert (target.demand, target.endorsement_count) == (5, 4)
