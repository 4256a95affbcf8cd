from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog

from luoshi.api import api, unknown_endpoint
from luoshi.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("login/", core_views.login_view, name="login"),
    path("logout/", core_views.logout_view, name="logout"),
    path("account/password/", core_views.password_change_view, name="password_change"),
    path("account/", include("luoshi.orgs.urls_account")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("orgs/", include("luoshi.orgs.urls")),
    path("core/", include("luoshi.core.urls")),
    path("projects/", include("luoshi.projects.urls")),
    path("supervision/", include("luoshi.supervision.urls")),
    path("api/v1/", api.urls),
    re_path(r"^api/(?P<path>.*)$", unknown_endpoint),
]
