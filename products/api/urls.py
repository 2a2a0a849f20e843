"""Catalog API routes."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from products.api import interchange, views

router = SimpleRouter()
router.register("domains", views.DomainViewSet, basename="domain")
router.register("data-products", views.DataProductViewSet, basename="data-product")

urlpatterns = [
    path("catalog/import/", interchange.CatalogImportView.as_view(), name="catalog-import"),
    path("catalog/export/", interchange.CatalogExportView.as_view(), name="catalog-export"),
    *router.urls,
]
