"""The review's API routes (more specific than the requests router's `cycles/{slug}/`)."""

from django.urls import path

from review.api import ReviewCsvView, ReviewFreezeView, ReviewSnapshotView, ReviewView

urlpatterns = [
    path("cycles/<slug:slug>/review/", ReviewView.as_view(), name="api-review"),
    path("cycles/<slug:slug>/review.csv", ReviewCsvView.as_view(), name="api-review-csv"),
    path("cycles/<slug:slug>/review/freeze/", ReviewFreezeView.as_view(), name="api-review-freeze"),
    path(
        "cycles/<slug:slug>/review/snapshots/<int:pk>/",
        ReviewSnapshotView.as_view(),
        name="api-review-snapshot",
    ),
]
