"""`roles_apply`: groups named upstream:<domain>:lead|member and upstream:staff set the roles,
adding and removing, with an audit line for every change."""

import logging

import pytest

from accounts.models import RoleChange
from accounts.services.roles import roles_apply
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return factories.UserFactory(username="pat")


def _apply(user, *groups, source="oidc"):
    return roles_apply(user=user, groups=groups, source=source)


def test_groups_grant_lead_member_and_staff(person, target_domain, requesting_domain):
    _apply(person, "upstream:payments:lead", "upstream:search:member", "upstream:staff")
    person.refresh_from_db()
    assert list(person.led_domains.values_list("slug", flat=True)) == ["payments"]
    assert list(person.member_domains.values_list("slug", flat=True)) == ["search"]
    assert person.is_staff


def test_a_group_no_longer_listed_takes_the_role_away(person, target_domain):
    _apply(person, "upstream:payments:lead", "upstream:staff")
    _apply(person, "everyone")
    person.refresh_from_db()
    assert not person.led_domains.exists()
    assert not person.is_staff
    removed = RoleChange.objects.filter(action="removed").values_list("role", flat=True)
    assert sorted(removed) == ["lead", "staff"]


def test_every_change_is_an_audit_line_with_its_source(person, target_domain):
    _apply(person, "upstream:payments:member", source="scim")
    line = RoleChange.objects.get()
    assert (line.user, line.action, line.role, line.domain, line.source) == (
        person,
        "added",
        "member",
        target_domain,
        "scim",
    )


def test_applying_the_same_groups_again_changes_and_audits_nothing(person, target_domain):
    _apply(person, "upstream:payments:lead")
    assert _apply(person, "upstream:payments:lead") == []
    assert RoleChange.objects.count() == 1


def test_a_group_naming_an_unknown_domain_is_logged_and_ignored(person, caplog):
    with caplog.at_level(logging.WARNING, logger="accounts.services.roles"):
        assert _apply(person, "upstream:nowhere:lead", "upstream:typo") == []
    assert "nowhere" in caplog.text
    assert "upstream:typo" in caplog.text
    assert not person.led_domains.exists()


def test_other_applications_groups_are_ignored(person, target_domain):
    assert _apply(person, "payments-admins", "okta:everyone") == []
