from django.urls import path

from luoshi.core import views_audit

app_name = "core"

urlpatterns = [
    path("audit/", views_audit.audit_list, name="audit_list"),
    path("audit/export.xlsx", views_audit.audit_export, name="audit_export"),
    path("audit/<int:seq>/", views_audit.audit_detail, name="audit_detail"),
]
