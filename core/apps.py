from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared plumbing: error types and their HTTP mapping, the API renderer, middleware, page
    helpers and the home page's sections. Every app may use it; it imports no app."""

    name = "core"
