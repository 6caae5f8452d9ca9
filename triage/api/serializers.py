"""What the API shows of each thing, and what it accepts. Read-only model serializers, plus
the inputs of the two actions (queue a reply, dry-run a rule change)."""

from __future__ import annotations

from rest_framework import serializers

from triage.flags import FlagName
from triage.models import (
    AtsExport,
    Bucket,
    Candidate,
    CandidateRequest,
    HiringOutcome,
    Message,
    Opening,
    Reply,
    ReplyTemplate,
    TriageRule,
)


class PersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Candidate
        fields = ["id", "name", "email"]


class ReasonSerializer(serializers.Serializer):
    text = serializers.CharField()
    evidence = serializers.ListField(child=serializers.CharField(), required=False)


class FlagSerializer(serializers.Serializer):
    name = serializers.ChoiceField(choices=[n.value for n in FlagName])
    label = serializers.CharField()
    text = serializers.CharField(required=False)
    evidence = serializers.ListField(child=serializers.CharField(), required=False)
    action = serializers.CharField(required=False)


class RequestSerializer(serializers.ModelSerializer):
    candidate = PersonSerializer()
    bucket = serializers.ChoiceField(source="final_bucket", choices=Bucket.choices)
    flags = serializers.SerializerMethodField()
    assigned_to = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = CandidateRequest
        fields = [
            "id",
            "subject",
            "candidate",
            "channel",
            "received_at",
            "status",
            "bucket",
            "suggested_bucket",
            "suggested_rule",
            "flags",
            "assigned_to",
        ]

    def get_flags(self, obj) -> list[str]:
        return [name.value for name in FlagName if name.value in (obj.flags or {})]


class MessageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Message
        fields = ["id", "direction", "sender", "sender_name", "subject", "text", "received_at"]


class ReplySerializer(serializers.ModelSerializer):
    sent_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Reply
        fields = [
            "id",
            "request",
            "kind",
            "status",
            "to_email",
            "subject",
            "body",
            "sent_by",
            "created_at",
            "send_after",
            "sent_at",
            "error",
        ]


class OutcomeSerializer(serializers.ModelSerializer):
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = HiringOutcome
        fields = ["kind", "note", "recorded_by", "recorded_at"]


class RequestDetailSerializer(RequestSerializer):
    reasons = ReasonSerializer(many=True)
    flag_details = FlagSerializer(source="flag_list", many=True)
    messages = MessageSerializer(many=True)
    replies = ReplySerializer(many=True)
    outcomes = OutcomeSerializer(many=True)

    class Meta(RequestSerializer.Meta):
        fields = [
            *RequestSerializer.Meta.fields,
            "body",
            "reasons",
            "flag_details",
            "override_reason",
            "messages",
            "replies",
            "outcomes",
        ]


class AtsExportSerializer(serializers.ModelSerializer):
    class Meta:
        model = AtsExport
        fields = ["provider", "kind", "job_id", "status", "ats_id", "ats_url", "error", "sent_at"]


class CandidateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Candidate
        fields = [
            "id",
            "name",
            "email",
            "location",
            "skills",
            "do_not_contact",
            "next_follow_up",
            "created_at",
        ]


class CandidateDetailSerializer(CandidateSerializer):
    requests = serializers.SerializerMethodField()
    ats_exports = AtsExportSerializer(many=True)

    class Meta(CandidateSerializer.Meta):
        fields = [*CandidateSerializer.Meta.fields, "requests", "ats_exports"]

    def get_requests(self, obj) -> list[int]:
        return [r.pk for r in self.context["visible_requests"]]


class OpeningSerializer(serializers.ModelSerializer):
    hiring_manager = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Opening
        fields = ["id", "title", "team", "location", "url", "skills", "is_open", "hiring_manager"]


class RuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = TriageRule
        fields = [
            "id",
            "key",
            "title",
            "builtin",
            "position",
            "enabled",
            "match",
            "bucket",
            "conditions",
        ]


# --- Inputs -------------------------------------------------------------------------------


class QueueReplySerializer(serializers.Serializer):
    request = serializers.PrimaryKeyRelatedField(
        queryset=CandidateRequest.objects.select_related("candidate")
    )
    template = serializers.PrimaryKeyRelatedField(
        queryset=ReplyTemplate.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="Rendered for the request when subject and body are left out.",
    )
    subject = serializers.CharField(required=False, max_length=500)
    body = serializers.CharField(required=False, max_length=100_000)
    send_anyway = serializers.BooleanField(
        default=False,
        help_text="Send although the person was answered since they last wrote (as the "
        "page's “Send anyway”).",
    )

    def validate(self, data):
        has_text = bool(data.get("subject")) and bool(data.get("body"))
        if not has_text and data.get("template") is None:
            raise serializers.ValidationError(
                "Give a subject and a body, or a template to render them from."
            )
        if bool(data.get("subject")) != bool(data.get("body")):
            raise serializers.ValidationError("Give both a subject and a body, or neither.")
        return data


class RuleChangeSerializer(serializers.Serializer):
    """A change to one rule (`rule` set) or a new custom rule (`rule` left out)."""

    rule = serializers.PrimaryKeyRelatedField(
        queryset=TriageRule.objects.all(), required=False, allow_null=True
    )
    title = serializers.CharField(required=False, max_length=200)
    enabled = serializers.BooleanField(required=False)
    bucket = serializers.ChoiceField(choices=Bucket.choices, required=False)
    match = serializers.ChoiceField(choices=TriageRule.Match.choices, required=False)
    conditions = serializers.ListField(child=serializers.DictField(), required=False)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=5000, default=1000)


class MoveSerializer(serializers.Serializer):
    request_id = serializers.IntegerField(source="request.pk")
    subject = serializers.CharField(source="request.subject")
    old_bucket = serializers.CharField()
    old_rule = serializers.CharField()
    new_bucket = serializers.CharField()
    new_rule = serializers.CharField()
    reasons = serializers.SerializerMethodField()

    def get_reasons(self, obj) -> list[str]:
        return [reason.text for reason in obj.reasons]


class DryRunSerializer(serializers.Serializer):
    checked = serializers.IntegerField()
    moved = serializers.IntegerField()
    moves = MoveSerializer(many=True)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()


# --- The dashboard ----------------------------------------------------------------------------


class DashboardQuerySerializer(serializers.Serializer):
    weeks = serializers.ChoiceField(
        choices=[4, 12, 26, 52],
        default=12,
        help_text="Whole weeks, Monday to Sunday in TIME_ZONE, the last being this one.",
        error_messages={"invalid_choice": "Choose 4, 12, 26 or 52 weeks."},
    )


class DashboardFigureSerializer(serializers.Serializer):
    """One figure: its table as on the page and in its CSV (`columns`, then `rows`)."""

    key = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(
        child=serializers.ListField(child=serializers.JSONField()),
        help_text="One list per row, a cell per column: text, a number, or null (no value).",
    )


class DashboardSerializer(serializers.Serializer):
    weeks = serializers.IntegerField()
    start = serializers.DateTimeField(source="period.start", help_text="The first Monday.")
    end = serializers.DateTimeField(
        source="period.end", help_text="The Monday after this week (excluded)."
    )
    computed_at = serializers.DateTimeField(
        help_text="When the figures were computed (they are kept DASHBOARD_CACHE_SECONDS)."
    )
    figures = DashboardFigureSerializer(
        many=True, help_text="Waiting now, then the period's figures, in the page's order."
    )
