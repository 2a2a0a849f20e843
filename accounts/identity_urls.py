"""Sign-in, the identity provider's callback, and SCIM provisioning (mounted at the root)."""

from django.urls import include, path

from accounts import oidc, views

urlpatterns = [
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path(
        "accounts/oidc/authenticate/", oidc.OIDCStartView.as_view(), name="oidc_authentication_init"
    ),
    path(
        "accounts/oidc/callback/",
        oidc.OIDCCallbackView.as_view(),
        name="oidc_authentication_callback",
    ),
    path("scim/v2/", include("accounts.scim.urls")),
]
