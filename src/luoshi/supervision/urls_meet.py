from django.urls import path

from luoshi.supervision import views_meet as views
from luoshi.supervision import views_units

# Office and unit lists: meetings, issuing items, the ledger, overdue, inbox, leader's list.
urlpatterns = [
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/decisions/", views.decision_add, name="decision_add"),
    path(
        "meetings/<int:pk>/decisions/<int:decision_id>/edit/",
        views.decision_edit,
        name="decision_edit",
    ),
    path(
        "meetings/<int:pk>/decisions/<int:decision_id>/delete/",
        views.decision_delete,
        name="decision_delete",
    ),
    path("issue/", views.item_issue, name="item_issue"),
    path("issue/deadline/", views.issue_deadline, name="issue_deadline"),
    path("ledger/", views.ledger, name="ledger"),
    path("overdue/", views.overdue, name="overdue"),
    path("inbox/", views.inbox, name="inbox"),
    path("mine/", views.leader_items, name="leader_items"),
    path("units/pick/", views_units.unit_pick, name="unit_pick"),
]
