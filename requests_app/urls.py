"""Request, cycle, board, triage, review and inbox pages."""

from django.urls import path

from requests_app import views, views_board, views_notifications, views_review

app_name = "requests_app"

urlpatterns: list = [
    path("requests/", views.request_list, name="request-list"),
    path("requests/new/", views.request_create, name="request-create"),
    path("requests/new/products/", views.request_product_options, name="request-product-options"),
    path("requests/new/deadline/", views.request_deadline_note, name="request-deadline-note"),
    path("requests/similar/", views.request_similar, name="request-similar"),
    path("requests/mentions/", views.user_mentions, name="user-mentions"),
    path("requests/<int:pk>/", views.request_detail, name="request-detail"),
    path("requests/<int:pk>/edit/", views.request_edit, name="request-edit"),
    path("requests/<int:pk>/comment/", views.request_comment, name="request-comment"),
    path("requests/<int:pk>/watch/", views.request_watch, name="request-watch"),
    path("requests/<int:pk>/do/<slug:action>/", views.request_action, name="request-action"),
    path("cycles/", views.cycle_list, name="cycle-list"),
    path("cycles/<slug:slug>/", views.cycle_detail, name="cycle-detail"),
    path("cycles/<slug:slug>/review/", views_review.cycle_review, name="cycle-review"),
    path(
        "cycles/<slug:slug>/review/freeze/",
        views_review.cycle_review_freeze,
        name="cycle-review-freeze",
    ),
    path(
        "cycles/<slug:slug>/review/snapshots/<int:pk>/progress/",
        views_review.cycle_review_progress,
        name="cycle-review-progress",
    ),
    path("cycles.ics", views_review.cycles_ics, name="cycles-ics"),
    path("domains/<slug:slug>/board/", views_board.board, name="board"),
    path("domains/<slug:slug>/board/move/", views_board.board_move, name="board-move"),
    path("domains/<slug:slug>/board/capacity/", views_board.board_capacity, name="board-capacity"),
    path("domains/<slug:slug>/board/score/<int:pk>/", views_board.board_score, name="board-score"),
    path("domains/<slug:slug>/triage/", views_board.triage_inbox, name="triage-inbox"),
    path("domains/<slug:slug>/triage/bulk/", views_board.triage_bulk, name="triage-bulk"),
    path("inbox/", views_notifications.inbox, name="inbox"),
    path("inbox/<int:pk>/read/", views_notifications.inbox_read, name="inbox-read"),
    path("inbox/read-all/", views_notifications.inbox_read_all, name="inbox-read-all"),
    path("me/preferences/", views_notifications.preferences_page, name="preferences"),
]
