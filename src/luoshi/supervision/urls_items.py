from django.urls import path

from luoshi.supervision import views_items as views

# The item page and the workflow steps posted from it.
urlpatterns = [
    path("<int:pk>/", views.item_detail, name="item_detail"),
    path("<int:pk>/notice.docx", views.item_notice, name="item_notice"),
    path("<int:pk>/accept/", views.item_accept, name="item_accept"),
    path("<int:pk>/feedback/", views.item_feedback, name="item_feedback"),
    path("<int:pk>/extension/", views.item_extension, name="item_extension"),
    path("<int:pk>/closure/", views.item_closure, name="item_closure"),
    path("<int:pk>/verify/", views.item_verify, name="item_verify"),
    path("<int:pk>/return/", views.item_return, name="item_return"),
    path(
        "<int:pk>/extension/<int:request_pk>/decide/",
        views.item_extension_decide,
        name="item_extension_decide",
    ),
    path("<int:pk>/late-extension/", views.item_late_extension, name="item_late_extension"),
    path(
        "<int:pk>/feedback/<int:feedback_pk>/return/",
        views.item_feedback_return,
        name="item_feedback_return",
    ),
    path("<int:pk>/reopen/", views.item_reopen, name="item_reopen"),
    path("<int:pk>/remind/", views.item_remind, name="item_remind"),
    path("attachments/<int:pk>/", views.attachment_download, name="item_attachment"),
]
