from django.urls import path

from luoshi.orgs import views_account

app_name = "account"

urlpatterns = [
    path("", views_account.account_settings, name="settings"),
    path("tokens/", views_account.token_create_view, name="token_create"),
    path("tokens/<int:pk>/revoke/", views_account.token_revoke_view, name="token_revoke"),
]
