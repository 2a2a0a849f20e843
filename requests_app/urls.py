"""Request, cycle, board and triage pages."""

from django.urls import path

from requests_app import comment_views, demand_views, saved_views, views
from requests_app.board.urls import urlpatterns as board_urlpatterns
from requests_app.roadmap import roadmap_page
from requests_app.search_page import search_page
from requests_app.workitems import views as workitem_views

app_name = "requests_app"

urlpatterns: list = [
    path("requests/", views.request_list, name="request-list"),
    path("requests/new/", views.request_create, name="request-create"),
    path("requests/views/", saved_views.saved_view_save, name="saved-view-save"),
    path("requests/views/menu/", saved_views.saved_view_menu, name="saved-view-menu"),
    path(
        "requests/views/<int:pk>/delete/", saved_views.saved_view_remove, name="saved-view-delete"
    ),
    path("requests/new/products/", views.request_product_options, name="request-product-options"),
    path("requests/new/deadline/", views.request_deadline_note, name="request-deadline-note"),
    path("requests/similar/", views.request_similar, name="request-similar"),
    path("requests/mentions/", views.user_mentions, name="user-mentions"),
    path("requests/<int:pk>/", views.request_detail, name="request-detail"),
    path("requests/<int:pk>/edit/", views.request_edit, name="request-edit"),
    path("requests/<int:pk>/comment/", views.request_comment, name="request-comment"),
    path("requests/<int:pk>/watch/", views.request_watch, name="request-watch"),
    path("requests/<int:pk>/endorse/", demand_views.request_endorse, name="request-endorse"),
    path(
        "requests/<int:pk>/endorsements/<int:eid>/withdraw/",
        demand_views.endorsement_withdraw,
        name="endorsement-withdraw",
    ),
    path(
        "requests/<int:pk>/answered-by/<int:product_pk>/",
        demand_views.request_answer,
        name="request-answer",
    ),
    path("requests/<int:pk>/do/<slug:action>/", views.request_action, name="request-action"),
    path("requests/<int:pk>/links/", workitem_views.link_add, name="request-link-add"),
    path(
        "requests/<int:pk>/links/<int:lid>/delete/",
        workitem_views.link_remove,
        name="request-link-remove",
    ),
    path(
        "requests/<int:pk>/comments/<int:comment_pk>/edit/",
        comment_views.comment_edit,
        name="comment-edit",
    ),
    path(
        "requests/<int:pk>/comments/<int:comment_pk>/delete/",
        comment_views.comment_remove,
        name="comment-delete",
    ),
    path("search/", search_page, name="search"),
    path("roadmap/", roadmap_page, name="roadmap"),
    path("cycles/", views.cycle_list, name="cycle-list"),
    path("cycles/<slug:slug>/", views.cycle_detail, name="cycle-detail"),
    *board_urlpatterns,
]
