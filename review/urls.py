"""The quarterly review pages and the public calendar feed."""

from django.urls import path

from review import views

app_name = "review"

urlpatterns = [
    path("cycles/<slug:slug>/review/", views.cycle_review, name="cycle-review"),
    path(
        "cycles/<slug:slug>/review/freeze/", views.cycle_review_freeze, name="cycle-review-freeze"
    ),
    path(
        "cycles/<slug:slug>/review/snapshots/<int:pk>/progress/",
        views.cycle_review_progress,
        name="cycle-review-progress",
    ),
    path(
        "cycles/<slug:slug>/review/dependencies/",
        views.cycle_review_dependencies,
        name="cycle-review-dependencies",
    ),
    path("cycles.ics", views.cycles_ics, name="cycles-ics"),
]
