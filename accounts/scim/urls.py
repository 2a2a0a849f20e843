from django.urls import path, re_path

from accounts.scim import views

urlpatterns = [
    path("ServiceProviderConfig", views.service_provider_config, name="scim-spc"),
    path("Schemas", views.schemas, name="scim-schemas"),
    path("Schemas/<str:pk>", views.schemas, name="scim-schema"),
    path("ResourceTypes", views.resource_types, name="scim-resource-types"),
    path("ResourceTypes/<str:pk>", views.resource_types, name="scim-resource-type"),
    path("Users", views.users, name="scim-users"),
    path("Users/<str:pk>", views.user_detail, name="scim-user"),
    path("Groups", views.groups, name="scim-groups"),
    path("Groups/<str:pk>", views.group_detail, name="scim-group"),
    path(".search", views.search, name="scim-search"),
    re_path(r"^(?P<rest>.*)$", views.not_found, name="scim-not-found"),
]
