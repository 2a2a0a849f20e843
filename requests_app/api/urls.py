"""Requests API routes: requests and their actions, cycles, the board, the signed-in user."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from requests_app.api import views
from requests_app.api.search import SearchView
from requests_app.board.api_urls import urlpatterns as board_urlpatterns

router = SimpleRouter()
router.register("cycles", views.CycleViewSet, basename="cycle")
router.register("requests", views.DataRequestViewSet, basename="request")

urlpatterns = [
    *board_urlpatterns,
    path("me/", views.MeView.as_view(), name="me"),
    path("search/", SearchView.as_view(), name="api-search"),
    *router.urls,
]
