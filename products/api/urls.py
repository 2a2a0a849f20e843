"""Catalog API routes."""

from rest_framework.routers import SimpleRouter

from products.api import views

router = SimpleRouter()
router.register("domains", views.DomainViewSet, basename="domain")
router.register("data-products", views.DataProductViewSet, basename="data-product")

urlpatterns = router.urls
