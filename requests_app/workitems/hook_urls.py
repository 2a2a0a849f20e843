"""Inbound tracker webhooks, mounted at /hooks/."""

from django.urls import path

from requests_app.workitems import hooks

urlpatterns = [
    path("github/", hooks.github_hook, name="hook-github"),
    path("jira/", hooks.jira_hook, name="hook-jira"),
    path("linear/", hooks.linear_hook, name="hook-linear"),
]
