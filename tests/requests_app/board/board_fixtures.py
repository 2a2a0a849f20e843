"""A small board: four accepted requests planned for one cycle, efforts 4, 5, 3, 2, capacity 10."""

from requests_app.models import DataRequest
from tests import factories

S = DataRequest.Status


def make_planned(domain, cycle, effort, rank, status=S.ACCEPTED, **extra):
    return factories.DataRequestFactory(
        target_domain=domain,
        needed_by_cycle=cycle,
        planned_cycle=cycle,
        status=status,
        effort=effort,
        rank=rank,
        **extra,
    )
