from django.urls import path

from triage import views, views_replies, views_talent

app_name = "triage"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/bucket/", views.override_bucket, name="override"),
    path("requests/<int:pk>/reply/", views.send_reply, name="reply"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    # Openings, candidates, the talent pool, privacy.
    path("openings/", views_talent.opening_list, name="openings"),
    path("openings/new/", views_talent.opening_edit, name="opening-new"),
    path("openings/<int:pk>/", views_talent.opening_detail, name="opening"),
    path("openings/<int:pk>/edit/", views_talent.opening_edit, name="opening-edit"),
    path("openings/<int:pk>/open/", views_talent.opening_toggle, name="opening-toggle"),
    path("candidates/<int:pk>/", views_talent.candidate_detail, name="candidate"),
    path("candidates/<int:pk>/skills/", views_talent.candidate_skills, name="candidate-skills"),
    path("candidates/<int:pk>/notes/", views_talent.candidate_note, name="candidate-note"),
    path(
        "candidates/<int:pk>/do-not-contact/",
        views_talent.candidate_do_not_contact,
        name="candidate-dnc",
    ),
    path("candidates/<int:pk>/export/", views_talent.candidate_export, name="candidate-export"),
    path("candidates/<int:pk>/erase/", views_talent.candidate_erase, name="candidate-erase"),
    path("pool/", views_talent.pool_list, name="pool"),
    path("pool/digest/", views_talent.digest_page, name="digest"),
    path("pool/<int:pk>/snooze/", views_talent.pool_snooze, name="pool-snooze"),
    path("requests/<int:pk>/replies/<int:reply_pk>/retry/", views.retry_reply, name="retry"),
    path("templates/", views_replies.template_list, name="templates"),
    path("templates/new/", views_replies.template_edit, name="template_new"),
    path("templates/<int:pk>/", views_replies.template_edit, name="template"),
    path("templates/preview/", views_replies.template_preview, name="template_preview"),
    path("settings/", views_replies.my_settings, name="settings"),
    path("bulk/", views_replies.bulk_confirm, name="bulk"),
    path("bulk/<int:pk>/", views_replies.bulk_progress, name="bulk_progress"),
    path("quarantine/", views.quarantine, name="quarantine"),
    path("quarantine/<int:pk>/retry/", views.retry_quarantined, name="retry-quarantined"),
]
