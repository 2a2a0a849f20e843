"""A quarter's name is written the reader's way; other cycle names are shown as they are."""

import pytest
from django.utils import translation

from requests_app.models import RoadmapCycle, quarter_label


@pytest.mark.parametrize(
    ("language", "name", "shown"),
    [
        ("en", "2027-Q1", "2027-Q1"),
        ("fr", "2027-Q1", "T1 2027"),
        ("fr", "2027-q4", "T4 2027"),
        ("fr", "Hackathon spring", "Hackathon spring"),
    ],
)
def test_quarter_names_follow_the_language(language, name, shown):
    with translation.override(language):
        assert quarter_label(name) == shown
        assert str(RoadmapCycle(name=name)) == shown


@pytest.mark.django_db
def test_a_french_reader_sees_french_quarters_on_the_cycle_page(client, requester, cycle):
    client.force_login(requester)
    response = client.get(cycle.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert "T1 2031" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "shown"), [("en", "2031-Q1"), ("fr", "T1 2031")])
def test_the_request_list_shows_each_rows_cycles(client, requester, cycle, language, shown):
    """The list reads plain values: its rows still name the cycle needed by, the reader's way."""
    from tests import factories

    filed = factories.DataRequestFactory(requester=requester, needed_by_cycle=cycle)
    client.force_login(requester)
    page = client.get("/requests/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    row = page[page.index(filed.key) :]
    row = row[: row.index("</tr>")]
    assert f'<td class="hide-sm">{shown}</td>' in row


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "late", "lead"),
    [
        ("en", "Filed after 2031-Q1's request deadline", "lead time 3 days"),
        ("fr", "Déposée après la date limite de dépôt de T1 2031", "délai 3 jours"),
    ],
)
def test_a_list_rows_late_flag_names_the_cycle_the_readers_way(
    client, requester, cycle, language, late, lead
):
    from tests import factories

    filed = factories.DataRequestFactory(
        requester=requester, needed_by_cycle=cycle, is_late=True, lead_time_days=3
    )
    client.force_login(requester)
    for path in ("/requests/", filed.get_absolute_url()):
        page = client.get(path, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert f'<span class="late" title="{late}">' in page.replace("&#x27;", "'")
        assert lead in page
