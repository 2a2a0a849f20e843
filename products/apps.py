from django.apps import AppConfig


class ProductsConfig(AppConfig):
    """Producing domains and their data-product catalog."""

    name = "products"
    verbose_name = "Catalog"

    def ready(self) -> None:
        from products import home  # noqa: F401  (registers its home section)
