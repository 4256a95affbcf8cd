from django.urls import path

from luoshi.projects import views_projects as views
from luoshi.projects import views_unit_picker

urlpatterns = [
    path("", views.project_list, name="project_list"),
    path("new/", views.project_new, name="project_new"),
    path("<int:pk>/", views.project_detail, name="project_detail"),
    path("<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("units/pick/", views_unit_picker.unit_pick, name="unit_pick"),
]
