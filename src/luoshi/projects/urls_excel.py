from django.urls import path

from luoshi.projects import views_excel

# Mounted under /projects/import/ in the "projects" namespace.
urlpatterns = [
    path("", views_excel.import_page, name="import_projects"),
    path("export.xlsx", views_excel.export_xlsx, name="export_projects"),
]

from luoshi.projects import views_report_import  # noqa: E402

urlpatterns += [
    path("reports/", views_report_import.report_import_page, name="import_reports"),
    path("reports/template.xlsx", views_report_import.report_template, name="report_template"),
]
