from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.DataRequestIndexView.as_view(), name="index"),
    path("citizens/<int:pk>/", views.CitizenRequestView.as_view(), name="citizen"),
    path("citizens/<int:pk>/export/", views.AccessExportView.as_view(), name="export"),
    path("citizens/<int:pk>/erase/", views.ErasureView.as_view(), name="erase"),
]
