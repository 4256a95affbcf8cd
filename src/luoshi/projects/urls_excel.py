from django.urls import path

from luoshi.projects import views_excel

# Mounted under /projects/import/ in the "projects" namespace.
urlpatterns = [
    path("", views_excel.import_page, name="import_projects"),
    path("export.xlsx", views_excel.export_xlsx, name="export_projects"),
]
