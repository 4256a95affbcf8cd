"""Routes of the monthly report workflow, under /projects/reporting/ (namespace "projects")."""

from django.urls import path

from luoshi.projects import views_reports as views

urlpatterns = [
    path("", views.reporting, name="reporting"),
    path("review/", views.review, name="review"),
    path("new/<int:project_id>/", views.report_new, name="report_new"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("<int:pk>/approve/", views.report_approve, name="report_approve"),
    path("<int:pk>/return/", views.report_return, name="report_return"),
    path("<int:pk>/accept/", views.report_accept, name="report_accept"),
    path("<int:pk>/correct/", views.report_correct, name="report_correct"),
    path("photos/<int:pk>/", views.photo_view, name="report_photo"),
    path("photos/<int:pk>/thumb/", views.photo_thumb, name="report_photo_thumb"),
]
