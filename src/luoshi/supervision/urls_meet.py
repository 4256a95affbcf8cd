from django.urls import path

from luoshi.supervision.views_stub import pending

# Office and unit lists: meetings, issuing items, the ledger, overdue, inbox, leader's list.
urlpatterns = [
    path("meetings/", pending, name="meeting_list"),
    path("meetings/new/", pending, name="meeting_create"),
    path("meetings/<int:pk>/", pending, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", pending, name="meeting_edit"),
    path("issue/", pending, name="item_issue"),
    path("ledger/", pending, name="ledger"),
    path("overdue/", pending, name="overdue"),
    path("inbox/", pending, name="inbox"),
    path("mine/", pending, name="leader_items"),
]
