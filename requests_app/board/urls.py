"""Board and triage inbox pages (in the requests_app namespace)."""

from django.urls import path

from requests_app.board import views

urlpatterns = [
    path("domains/<slug:slug>/board/", views.board, name="board"),
    path("domains/<slug:slug>/board/move/", views.board_move, name="board-move"),
    path("domains/<slug:slug>/board/capacity/", views.board_capacity, name="board-capacity"),
    path("domains/<slug:slug>/board/score/<int:pk>/", views.board_score, name="board-score"),
    path(
        "domains/<slug:slug>/board/reach-demand/<int:pk>/",
        views.board_reach_demand,
        name="board-reach-demand",
    ),
    # The board page's own forms: one per action for the whole board, the row in the body
    # (the clicked button's ``request``), so that no row carries a form, a token or a URL.
    path("domains/<slug:slug>/board/score/", views.board_score, name="board-score"),
    path(
        "domains/<slug:slug>/board/reach-demand/",
        views.board_reach_demand,
        name="board-reach-demand",
    ),
    path("domains/<slug:slug>/triage/", views.triage_inbox, name="triage-inbox"),
    path("domains/<slug:slug>/triage/bulk/", views.triage_bulk, name="triage-bulk"),
]
