from django.urls import path

from triage import views

app_name = "triage"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/bucket/", views.override_bucket, name="override"),
    path("requests/<int:pk>/reply/", views.send_reply, name="reply"),
    path("quarantine/", views.quarantine, name="quarantine"),
    path("quarantine/<int:pk>/retry/", views.retry_quarantined, name="retry-quarantined"),
]
