from django.urls import path

from luoshi.supervision import views_items as views

urlpatterns = [
    path("<int:pk>/", views.item_detail, name="item_detail"),
]
