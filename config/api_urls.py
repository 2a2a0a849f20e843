"""The v1 API: every app contributes its routes here."""

from django.urls import include, path

from accounts.api import ObtainTokenView

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("", include("products.api.urls")),
    path("", include("requests_app.api.urls")),
]
