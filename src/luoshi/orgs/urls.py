from django.urls import path

from luoshi.orgs import views

app_name = "orgs"

urlpatterns = [
    path("units/", views.unit_list, name="unit_list"),
    path("unit-classes/", views.unitclass_list, name="unitclass_list"),
    path("leaders/", views.leader_list, name="leader_list"),
    path("users/", views.user_list, name="user_list"),
    path("roles/", views.role_list, name="role_list"),
]
