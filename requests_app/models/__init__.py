"""Roadmap cycles, data requests and everything that hangs off them."""

from .activity import Comment, Endorsement, EventKind, RequestEvent, SavedView, WorkItemLink
from .cycles import QUARTER_NAME, DomainCycleCapacity, RoadmapCycle, quarter_label
from .requests import DataRequest

__all__ = [
    "QUARTER_NAME",
    "Comment",
    "DataRequest",
    "DomainCycleCapacity",
    "Endorsement",
    "EventKind",
    "RequestEvent",
    "RoadmapCycle",
    "SavedView",
    "WorkItemLink",
    "quarter_label",
]
