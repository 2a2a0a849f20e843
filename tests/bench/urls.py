"""The product's URLs plus the bench-only ones, as config.urls mounts them when BENCH_ENDPOINTS=1
(config.urls reads the setting once, at import, so tests swap the urlconf instead)."""

from django.urls import include, path

from config.urls import urlpatterns as product_urlpatterns

urlpatterns = [*product_urlpatterns, path("bench/", include("bench.urls"))]
