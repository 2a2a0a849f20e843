"""Requests API routes: requests and their actions, cycles, the board, the signed-in user."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from requests_app.api import views
from requests_app.api.search import SearchView
from requests_app.board.api_urls import urlpatterns as board_urlpatterns
from requests_app.workitems import api as workitems_api

router = SimpleRouter()
router.register("cycles", views.CycleViewSet, basename="cycle")
router.register("requests", views.DataRequestViewSet, basename="request")

urlpatterns = [
    *board_urlpatterns,
    path("me/", views.MeView.as_view(), name="me"),
    path("requests/<int:pk>/links/", workitems_api.LinkListView.as_view(), name="request-links"),
    path(
        "requests/<int:pk>/links/<int:lid>/",
        workitems_api.LinkDetailView.as_view(),
        name="request-link-detail",
    ),
    path("search/", SearchView.as_view(), name="api-search"),
    *router.urls,
]
