"""The inbox and preferences API routes."""

from django.urls import path

from notifications import api

urlpatterns = [
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
