"""What a tracker URL names: its kind and the issue's key, read from the URL alone."""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import parse_qs, urlparse

from requests_app.models import WorkItemLink

K = WorkItemLink.Kind
GITHUB_PATH = re.compile(r"^/([\w.-]+)/([\w.-]+)/(?:issues|pull)/(\d+)/?$")
JIRA_KEY = re.compile(r"^[A-Z][A-Z0-9_]+-\d+$")
JIRA_PATH = re.compile(r"/browse/([A-Z][A-Z0-9_]+-\d+)/?$")
LINEAR_PATH = re.compile(r"^/[\w.-]+/issue/([A-Za-z0-9]+-\d+)(?:/|$)")


class Parsed(NamedTuple):
    """A tracker's kind and the issue's key as that tracker names it."""

    kind: str
    key: str


def github_key(full_name: str, number: int | str) -> str:
    """``owner/repo#12``, lower-cased: GitHub names repositories case-insensitively."""
    return f"{full_name.lower()}#{number}"


def parse_url(url: str) -> Parsed:
    """The kind and key of a work-item URL; an unknown tracker is ``other`` keyed by its URL."""
    parsed = urlparse(url)
    host = (parsed.hostname or "").lower()
    if host in ("github.com", "www.github.com") and (match := GITHUB_PATH.match(parsed.path)):
        owner, repo, number = match.groups()
        return Parsed(K.GITHUB, github_key(f"{owner}/{repo}", number))
    if host == "linear.app" and (match := LINEAR_PATH.match(parsed.path)):
        return Parsed(K.LINEAR, match.group(1).upper())
    if match := JIRA_PATH.search(parsed.path):
        return Parsed(K.JIRA, match.group(1))
    selected = parse_qs(parsed.query).get("selectedIssue", [""])[0]
    if host.endswith(".atlassian.net") and JIRA_KEY.match(selected):
        return Parsed(K.JIRA, selected)
    return Parsed(K.OTHER, url[:200])
