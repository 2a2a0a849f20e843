"""Catalog pages: domains and data products."""

from django.urls import path

from products import consume_views, views, views_import

app_name = "products"

urlpatterns = [
    path("", views.catalog, name="catalog"),
    path("import/", views_import.catalog_import_page, name="catalog-import"),
    path("domains/", views.domain_list, name="domain-list"),
    path("domains/<slug:slug>/", views.domain_detail, name="domain-detail"),
    path("products/", views.product_list, name="product-list"),
    path("products/new/", views.product_create, name="product-create"),
    path("products/<int:pk>/", views.product_detail, name="product-detail"),
    path("products/<int:pk>/edit/", views.product_edit, name="product-edit"),
    path("products/<int:pk>/consume/", consume_views.product_consume, name="product-consume"),
    path(
        "products/<int:pk>/consume/<int:rid>/decide/",
        consume_views.consumer_request_decide,
        name="consumer-request-decide",
    ),
]
