"""The request lifecycle as data: states, actions, and which role may take each action.

Services consult this module; so do serializers and templates (through ``allowed_actions``) so that
clients only show the buttons that will work. Nothing here touches the database except
``roles_of``, which reads the actor's domains once and caches them on the user object.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from products import access
from requests_app.models import DataRequest, EventKind

S = DataRequest.Status
E = EventKind  # actions are event kinds: one vocabulary


class Role(StrEnum):
    REQUESTER = "requester"  # the request's own requester
    LEAD = "lead"  # a lead of the target domain
    MEMBER = "member"  # a member (or lead) of the target domain
    STAFF = "staff"


@dataclass(frozen=True)
class Action:
    """A transition: the states it starts from, the state it ends in, who may take it."""

    name: str
    sources: frozenset[str]
    target: str
    roles: frozenset[Role]
    label: str


# Every status group is written here once; services, selectors, filters and the review use these.
OPEN_STATES = frozenset({S.DRAFT, S.SUBMITTED, S.TRIAGED, S.ACCEPTED, S.IN_PROGRESS, S.DEFERRED})
TERMINAL_STATES = frozenset(S.values) - OPEN_STATES
UNDECIDED = frozenset({S.SUBMITTED, S.TRIAGED})
# What the domain has committed to: its effort counts against the cycle's capacity.
COMMITTED_STATES = (S.ACCEPTED, S.IN_PROGRESS, S.DELIVERED)
# What a board shows: triaged requests planned for the cycle (candidates) and the committed ones.
BOARD_STATES = (S.TRIAGED, *COMMITTED_STATES)
# On the roadmap timeline: promised and not yet delivered.
PROMISED_STATES = (S.ACCEPTED, S.IN_PROGRESS)
# What the review reports: everything that was filed (a draft told nobody anything).
REPORTED_STATES: tuple[str, ...] = tuple(s for s in S.values if s != S.DRAFT)
# Filed and neither decided against nor closed: the review's "still open" (deferred is its own).
STILL_OPEN_STATES = (S.SUBMITTED, S.TRIAGED, S.ACCEPTED, S.IN_PROGRESS)
# What takes endorsements ("we need this too"): filed and still open (not drafts, not closed).
ENDORSABLE_STATES = OPEN_STATES - {S.DRAFT}
REQUESTER_ROLES = frozenset({Role.REQUESTER, Role.STAFF})
LEAD_ROLES = frozenset({Role.LEAD, Role.STAFF})
TEAM_ROLES = frozenset({Role.LEAD, Role.MEMBER, Role.STAFF})

ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action(E.SUBMIT, frozenset({S.DRAFT}), S.SUBMITTED, REQUESTER_ROLES, "Submit"),
        Action(E.TRIAGE, frozenset({S.SUBMITTED}), S.TRIAGED, LEAD_ROLES, "Triage"),
        Action(E.ACCEPT, UNDECIDED, S.ACCEPTED, LEAD_ROLES, "Accept"),
        Action(E.DECLINE, UNDECIDED, S.DECLINED, LEAD_ROLES, "Decline"),
        Action(E.DEFER, UNDECIDED | {S.ACCEPTED}, S.DEFERRED, LEAD_ROLES, "Defer"),
        Action(E.MARK_DUPLICATE, UNDECIDED, S.DUPLICATE, LEAD_ROLES, "Mark duplicate"),
        Action(E.START, frozenset({S.ACCEPTED}), S.IN_PROGRESS, TEAM_ROLES, "Start work"),
        Action(E.DELIVER, frozenset({S.IN_PROGRESS}), S.DELIVERED, TEAM_ROLES, "Mark delivered"),
        Action(E.WITHDRAW, OPEN_STATES, S.WITHDRAWN, REQUESTER_ROLES, "Withdraw"),
        Action(E.REOPEN, frozenset({S.DEFERRED}), S.TRIAGED, LEAD_ROLES, "Reopen"),
    )
}


# Non-transition permissions.
EDITABLE_STATES = frozenset({S.DRAFT, S.SUBMITTED})


def roles_of(user, data_request: DataRequest) -> set[Role]:
    """The roles ``user`` holds on ``request``. Reads the user's domains once per user object."""
    if user is None or not user.is_authenticated:
        return set()
    led, team = access.domain_ids(user)
    roles: set[Role] = set()
    if user.is_staff:
        roles.add(Role.STAFF)
    if data_request.requester_id == user.pk:
        roles.add(Role.REQUESTER)
    if data_request.target_domain_id in led:
        roles.add(Role.LEAD)
    if data_request.target_domain_id in team:
        roles.add(Role.MEMBER)
    return roles


def allowed_actions(user, data_request: DataRequest) -> list[str]:
    """Transitions ``user`` may take on ``request`` now (state and role both allow it)."""
    roles = roles_of(user, data_request)
    return [
        name
        for name, action in ACTIONS.items()
        if data_request.status in action.sources and roles & action.roles
    ]


def can_edit(user, data_request: DataRequest) -> bool:
    """The requester (or staff) may edit while the request is a draft or not yet triaged."""
    return data_request.status in EDITABLE_STATES and bool(
        roles_of(user, data_request) & REQUESTER_ROLES
    )


def can_prioritize(user, data_request: DataRequest) -> bool:
    """Leads of the target domain (and staff) score and rank."""
    return bool(roles_of(user, data_request) & LEAD_ROLES)
