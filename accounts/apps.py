from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """The signed-in user's own things: profile (language) and API tokens."""

    name = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts.signals import remember_language

        user_logged_in.connect(remember_language, dispatch_uid="accounts.remember_language")
