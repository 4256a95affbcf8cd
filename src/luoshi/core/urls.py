from django.urls import path

from luoshi.core import views_audit, views_calendar, views_exports, views_notifications

app_name = "core"

urlpatterns = [
    path("audit/", views_audit.audit_list, name="audit_list"),
    path("audit/export.xlsx", views_audit.audit_export, name="audit_export"),
    path("audit/<int:seq>/", views_audit.audit_detail, name="audit_detail"),
    path("calendar/", views_calendar.calendar_list, name="calendar_list"),
    path("calendar/new/", views_calendar.calendar_create, name="calendar_create"),
    path("calendar/<int:pk>/", views_calendar.calendar_edit, name="calendar_edit"),
    path("calendar/<int:pk>/delete/", views_calendar.calendar_delete, name="calendar_delete"),
    path("exports/", views_exports.export_list, name="export_list"),
    path("exports/<int:pk>/download/", views_exports.export_download, name="export_download"),
    path("notifications/", views_notifications.notification_list, name="notification_list"),
    path(
        "notifications/read-all/",
        views_notifications.notifications_read_all,
        name="notifications_read_all",
    ),
    path(
        "notifications/<int:pk>/open/",
        views_notifications.notification_open,
        name="notification_open",
    ),
    path(
        "notifications/<int:pk>/read/",
        views_notifications.notification_read,
        name="notification_read",
    ),
    path(
        "notifications/deliveries/",
        views_notifications.delivery_list,
        name="notification_deliveries",
    ),
]
