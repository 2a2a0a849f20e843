from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("language/", views.language_set, name="language"),
    path("token/create/", views.token_create, name="token-create"),
    path("token/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
]
