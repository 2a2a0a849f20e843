"""The board page's weight per row: a full board is 200 rows, so what one row carries counts 200
times. A lead's row names the board's forms (``form="…"``) instead of carrying three of its own,
each with a token and URLs; reach, impact and confidence come on demand. Bytes, not time."""

import pytest

from requests_app.models import DomainCycleCapacity
from tests.requests_app.board.board_fixtures import make_planned

pytestmark = pytest.mark.django_db

# Bytes per row, measured 1,150 for a lead and 516 for the others (3,007 and 693 when each lead's
# row had its three forms, each with a CSRF token and URLs). A row's title here is 32 characters.
LEAD_ROW_BUDGET = 1_250
READER_ROW_BUDGET = 600


def _bytes_per_row(client, user, domain, cycle) -> float:
    """What 20 more rows add to the page, per row (one title length, efforts 1 to 5)."""
    client.force_login(user)
    url = f"/domains/{domain.slug}/board/?cycle={cycle.slug}"
    sizes, made = [], 0
    for rows in (5, 25):
        for rank in range(made + 1, rows + 1):
            make_planned(
                domain, cycle, 1 + rank % 5, rank, title=f"Refund events per merchant #{rank:05}"
            )
        made = rows
        response = client.get(url)
        assert response.status_code == 200
        sizes.append(len(response.content))
    return (sizes[1] - sizes[0]) / 20


def test_a_leads_board_row_stays_under_its_byte_budget(client, lead, target_domain, cycle):
    DomainCycleCapacity.objects.create(domain=target_domain, cycle=cycle, capacity=30)
    per_row = _bytes_per_row(client, lead, target_domain, cycle)
    assert per_row <= LEAD_ROW_BUDGET, f"{per_row:.0f} bytes per row"


def test_a_readers_board_row_stays_under_its_byte_budget(client, member, target_domain, cycle):
    DomainCycleCapacity.objects.create(domain=target_domain, cycle=cycle, capacity=30)
    per_row = _bytes_per_row(client, member, target_domain, cycle)
    assert per_row <= READER_ROW_BUDGET, f"{per_row:.0f} bytes per row"
