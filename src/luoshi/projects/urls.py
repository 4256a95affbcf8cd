from django.urls import include, path

app_name = "projects"

# Each part of the projects app keeps its own routes; names share the "projects" namespace.
urlpatterns = [
    path("", include("luoshi.projects.urls_projects")),
    path("reporting/", include("luoshi.projects.urls_reports")),
    path("import/", include("luoshi.projects.urls_excel")),
    path("settings/", include("luoshi.projects.urls_settings")),
]
