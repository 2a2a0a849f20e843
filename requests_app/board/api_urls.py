"""The board's API routes: the board, its reorder and capacity, the triage inbox, scores, plans."""

from django.urls import path

from requests_app.board import api

urlpatterns = [
    path("domains/<slug:slug>/board/", api.BoardView.as_view(), name="board"),
    path(
        "domains/<slug:slug>/board/reorder/", api.BoardReorderView.as_view(), name="board-reorder"
    ),
    path("domains/<slug:slug>/capacity/", api.CapacityView.as_view(), name="domain-capacity"),
    path("domains/<slug:slug>/triage/", api.TriageInboxView.as_view(), name="triage-inbox"),
    path("domains/<slug:slug>/triage/bulk/", api.TriageBulkView.as_view(), name="triage-bulk"),
    path("requests/<int:pk>/score/", api.ScoreView.as_view(), name="request-score"),
    path("requests/<int:pk>/plan/", api.PlanView.as_view(), name="request-plan"),
]
