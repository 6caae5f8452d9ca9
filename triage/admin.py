from django.contrib import admin

from triage.models import (
    AuditEntry,
    BlockedSender,
    Candidate,
    CandidateNote,
    CandidateRequest,
    ErasureRecord,
    HiringOutcome,
    KnownContact,
    MailboxState,
    NotablePerson,
    Opening,
    Reply,
    ReplyTemplate,
    TriageProfile,
)


@admin.register(TriageProfile)
class TriageProfileAdmin(admin.ModelAdmin):
    list_display = ["company", "recruiter_name", "careers_url", "updated_at"]


@admin.register(Opening)
class OpeningAdmin(admin.ModelAdmin):
    list_display = ["title", "location", "is_open", "key"]
    list_filter = ["is_open"]
    search_fields = ["title", "key"]


@admin.register(NotablePerson)
class NotablePersonAdmin(admin.ModelAdmin):
    list_display = ["name", "email"]
    search_fields = ["name", "email"]


@admin.register(KnownContact)
class KnownContactAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "note"]
    search_fields = ["name", "email", "note"]


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "do_not_contact", "next_follow_up", "created_at"]
    list_filter = ["do_not_contact"]
    search_fields = ["email", "name"]


@admin.register(CandidateRequest)
class CandidateRequestAdmin(admin.ModelAdmin):
    list_display = [
        "subject",
        "candidate",
        "final_bucket",
        "suggested_rule",
        "status",
        "received_at",
    ]
    list_filter = ["final_bucket", "status", "channel"]
    search_fields = ["subject", "candidate__email", "candidate__name"]
    raw_id_fields = ["candidate"]
    readonly_fields = ["suggested_bucket", "suggested_rule", "reasons", "also_matched", "flags"]


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "bucket", "is_default", "is_active"]
    list_filter = ["bucket", "is_active"]


@admin.register(Reply)
class ReplyAdmin(admin.ModelAdmin):
    list_display = ["subject", "to_email", "status", "sent_at"]
    list_filter = ["status"]
    raw_id_fields = ["request"]


# --- The talent pool and privacy ------------------------------------------------------------


@admin.register(CandidateNote)
class CandidateNoteAdmin(admin.ModelAdmin):
    list_display = ["candidate", "author", "created_at"]
    raw_id_fields = ["candidate"]


@admin.register(ErasureRecord)
class ErasureRecordAdmin(admin.ModelAdmin):
    """Read-only: the anonymous trace of an erasure is evidence, not something to edit."""

    list_display = ["erased_at", "reason", "candidates", "requests", "replies"]
    list_filter = ["reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# --- Intake ---------------------------------------------------------------------------------


@admin.register(BlockedSender)
class BlockedSenderAdmin(admin.ModelAdmin):
    list_display = ["pattern", "note", "created_at"]
    search_fields = ["pattern", "note"]


@admin.register(MailboxState)
class MailboxStateAdmin(admin.ModelAdmin):
    """Where mailbox polling has got to. Setting the last UID to 0 reads the folder again
    (what is already stored counts as duplicates)."""

    list_display = ["user", "host", "folder", "uidvalidity", "last_uid", "last_polled_at"]
    readonly_fields = ["host", "user", "folder", "uidvalidity", "last_polled_at", "updated_at"]

    def has_add_permission(self, request):
        return False  # rows are made by the first poll of a folder


@admin.register(HiringOutcome)
class HiringOutcomeAdmin(admin.ModelAdmin):
    list_display = ["request", "kind", "recorded_by", "recorded_at"]
    list_filter = ["kind"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is written by the app and removed only by its retention purge."""

    list_display = ["at", "user", "action", "target_type", "target_id", "description", "ip"]
    list_filter = ["action", "user", "at"]
    date_hierarchy = "at"
    search_fields = ["target_id", "description"]
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
