"""Bench-only URLs, mounted under /bench/ when BENCH_ENDPOINTS=1."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from bench import views

router = SimpleRouter()
router.register("textbook/requests", views.TextbookRequestViewSet, basename="bench-textbook")
router.register("peer/requests", views.PeerRequestViewSet, basename="bench-peer")

urlpatterns = [
    path("ceiling/", views.ceiling, name="bench-ceiling"),
    path("floor/requests/", views.floor, name="bench-floor"),
    *router.urls,
]
