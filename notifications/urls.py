"""Inbox and notification preference pages."""

from django.urls import path

from notifications import views
from notifications.subscriptions import views as subscription_views

app_name = "notifications"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/read/", views.inbox_read, name="inbox-read"),
    path("inbox/<int:pk>/open/", views.inbox_open, name="inbox-open"),
    path("inbox/read-all/", views.inbox_read_all, name="inbox-read-all"),
    path("me/preferences/", views.preferences_page, name="preferences"),
    path("subscriptions/", subscription_views.subscriptions_page, name="subscriptions"),
    path(
        "domains/<slug:slug>/subscriptions/",
        subscription_views.domain_subscriptions_page,
        name="domain-subscriptions",
    ),
    path(
        "subscriptions/<int:pk>/test/",
        subscription_views.subscription_test,
        name="subscription-test",
    ),
    path(
        "subscriptions/<int:pk>/delete/",
        subscription_views.subscription_delete,
        name="subscription-delete",
    ),
    path(
        "subscriptions/<int:pk>/toggle/",
        subscription_views.subscription_toggle,
        name="subscription-toggle",
    ),
]
