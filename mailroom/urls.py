from django.urls import path

from mailroom import views

app_name = "mailroom"

urlpatterns = [
    path("quarantine/", views.QuarantineListView.as_view(), name="quarantine"),
    path("mailboxes/", views.MailboxListView.as_view(), name="mailboxes"),
    path("enquiries/<str:reference>/", views.EnquiryMailView.as_view(), name="enquiry"),
    path("attachments/<int:pk>/", views.AttachmentDownloadView.as_view(), name="attachment"),
    path("correspondents/<int:pk>/link/", views.LinkCitizenView.as_view(), name="link-citizen"),
]
