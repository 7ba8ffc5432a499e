from django.urls import path

from enquiries.sla_views import BreachListView

app_name = "enquiries"

urlpatterns: list = [
    path("breaches/", BreachListView.as_view(), name="breaches"),
]
