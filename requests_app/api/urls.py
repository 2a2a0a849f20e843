"""Requests API routes: requests and their actions, cycles, prioritization, the review, the
signed-in user and their inbox."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from requests_app.api import board, notifications, review, views

router = SimpleRouter()
router.register("cycles", views.CycleViewSet, basename="cycle")
router.register("requests", views.DataRequestViewSet, basename="request")

urlpatterns = [
    path("domains/<slug:slug>/board/", board.BoardView.as_view(), name="board"),
    path(
        "domains/<slug:slug>/board/reorder/", board.BoardReorderView.as_view(), name="board-reorder"
    ),
    path("domains/<slug:slug>/capacity/", board.CapacityView.as_view(), name="domain-capacity"),
    path("domains/<slug:slug>/triage/", board.TriageInboxView.as_view(), name="triage-inbox"),
    path("domains/<slug:slug>/triage/bulk/", board.TriageBulkView.as_view(), name="triage-bulk"),
    path("requests/<int:pk>/score/", board.ScoreView.as_view(), name="request-score"),
    path("requests/<int:pk>/plan/", board.PlanView.as_view(), name="request-plan"),
    path("me/", views.MeView.as_view(), name="me"),
    path("me/preferences/", notifications.PreferencesView.as_view(), name="me-preferences"),
    path("notifications/", notifications.NotificationListView.as_view(), name="notification-list"),
    path(
        "notifications/<int:pk>/read/",
        notifications.NotificationReadView.as_view(),
        name="notification-read",
    ),
    path(
        "notifications/read-all/",
        notifications.NotificationReadAllView.as_view(),
        name="notification-read-all",
    ),
    # The review's paths are more specific than the router's cycles/{slug}/: they come first.
    *review.urlpatterns,
    *router.urls,
]
