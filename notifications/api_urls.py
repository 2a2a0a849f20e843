"""The inbox and preferences API routes."""

from django.urls import path

from notifications import api
from notifications.subscriptions import api as subscriptions_api

urlpatterns = [
    path(
        "subscriptions/", subscriptions_api.SubscriptionListView.as_view(), name="subscription-list"
    ),
    path(
        "subscriptions/schema/",
        subscriptions_api.SubscriptionSchemaView.as_view(),
        name="subscription-schema",
    ),
    path(
        "subscriptions/<int:pk>/",
        subscriptions_api.SubscriptionDetailView.as_view(),
        name="subscription-detail",
    ),
    path(
        "subscriptions/<int:pk>/test/",
        subscriptions_api.SubscriptionTestView.as_view(),
        name="subscription-test",
    ),
    path("me/preferences/", api.PreferencesView.as_view(), name="me-preferences"),
    path("notifications/", api.NotificationListView.as_view(), name="notification-list"),
    path(
        "notifications/<int:pk>/read/",
        api.NotificationReadView.as_view(),
        name="notification-read",
    ),
    path(
        "notifications/read-all/",
        api.NotificationReadAllView.as_view(),
        name="notification-read-all",
    ),
]
