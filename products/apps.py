from django.apps import AppConfig


class ProductsConfig(AppConfig):
    """Producing domains and their data-product catalog."""

    name = "products"
    verbose_name = "Catalog"
