from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """The signed-in user's own things: profile and API tokens."""

    name = "accounts"
