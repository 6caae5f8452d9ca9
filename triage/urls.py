from django.urls import path

from triage import views, views_replies

app_name = "triage"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/bucket/", views.override_bucket, name="override"),
    path("requests/<int:pk>/reply/", views.send_reply, name="reply"),
    path("requests/<int:pk>/replies/<int:reply_pk>/retry/", views.retry_reply, name="retry"),
    path("templates/", views_replies.template_list, name="templates"),
    path("templates/new/", views_replies.template_edit, name="template_new"),
    path("templates/<int:pk>/", views_replies.template_edit, name="template"),
    path("templates/preview/", views_replies.template_preview, name="template_preview"),
    path("settings/", views_replies.my_settings, name="settings"),
    path("bulk/", views_replies.bulk_confirm, name="bulk"),
    path("bulk/<int:pk>/", views_replies.bulk_progress, name="bulk_progress"),
]
