"""The API's endpoints: thin, over the same selectors and services as the pages.

Roles as on the pages (triage.access): a recruiter sees and does everything; a hiring
manager's token (or session) sees only the requests assigned to them and their people, and
nothing else (replies, rules and openings answer 403)."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from triage import access, rule_conditions
from triage.api import serializers as s
from triage.api.errors import Conflict
from triage.flags import FlagName
from triage.models import (
    Bucket,
    Candidate,
    CandidateRequest,
    HiringOutcome,
    Message,
    Opening,
    Reply,
    TriageRule,
)
from triage.selectors import dashboard as dashboard_reads
from triage.selectors import requests as request_reads
from triage.selectors import rulebook as rulebook_reads
from triage.services import audit, candidates, outbox, profiles, rulebook


class IsRecruiter(permissions.BasePermission):
    message = "This is for recruiters."

    def has_permission(self, request, view):
        return access.is_recruiter(request.user)


class NewestFirst(CursorPagination):
    """Cursor pagination: every page costs the same, however deep (no OFFSET), and rows
    arriving meanwhile never shift a page. `?page_size=` up to 500."""

    ordering = ("-received_at", "-pk")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class ByPk(NewestFirst):
    ordering = ("-pk",)


def visible_requests(user):
    return access.visible_requests(user)


FLAGS = [name.value for name in FlagName]
ASSIGNED_HELP = "`me`, `none`, `any`, or a user's id."


@extend_schema(tags=["requests"])
class RequestViewSet(viewsets.ReadOnlyModelViewSet):
    """Requests, with the inbox's filters. A hiring manager sees only theirs."""

    pagination_class = NewestFirst

    def get_serializer_class(self):
        return s.RequestDetailSerializer if self.action == "retrieve" else s.RequestSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reading the types
            return CandidateRequest.objects.none()
        rows = visible_requests(self.request.user).select_related("candidate", "assigned_to")
        if self.action == "retrieve":
            return rows.prefetch_related(
                Prefetch("messages", queryset=Message.objects.order_by("received_at", "pk")),
                Prefetch("replies", queryset=Reply.objects.select_related("sent_by")),
                Prefetch("outcomes", queryset=HiringOutcome.objects.select_related("recorded_by")),
            )
        params = self.request.query_params
        # The inbox's own filter (status, words, flag; spam only when asked for), so the API
        # lists what the inbox lists.
        rows = request_reads.inbox_requests(
            requests=rows,
            status=params.get("status", ""),
            query=params.get("search", "").strip(),
            flag=params.get("flag", ""),
        )
        if bucket := params.get("bucket"):
            rows = rows.filter(final_bucket=bucket)
        assigned = params.get("assigned", "")
        if assigned == "me":
            rows = rows.filter(assigned_to=self.request.user)
        elif assigned == "none":
            rows = rows.filter(assigned_to__isnull=True)
        elif assigned == "any":
            rows = rows.filter(assigned_to__isnull=False)
        elif assigned.isdigit():
            rows = rows.filter(assigned_to_id=int(assigned))
        return rows

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        audit.record(  # as the request page does: who read a person's messages
            action=audit.Action.VIEWED_REQUEST,
            by=request.user,
            target_type="candidaterequest",
            target_id=kwargs["pk"],
            description=f"Viewed request #{kwargs['pk']} through the API",
        )
        return response

    @extend_schema(
        parameters=[
            OpenApiParameter("bucket", enum=Bucket.values),
            OpenApiParameter(
                "status",
                enum=CandidateRequest.Status.values,
                description="Any status but spam when left out.",
            ),
            OpenApiParameter("search", description="Words in the subject, body, name or email."),
            OpenApiParameter("flag", enum=FLAGS),
            OpenApiParameter("assigned", description=ASSIGNED_HELP),
            OpenApiParameter("page_size", int, description="At most 500; 50 by default."),
        ]
    )
    def list(self, request, *args, **kwargs):
        errors = {}
        params = request.query_params
        if params.get("bucket") and params["bucket"] not in Bucket.values:
            errors["bucket"] = [f"One of: {', '.join(Bucket.values)}."]
        if params.get("status") and params["status"] not in CandidateRequest.Status.values:
            errors["status"] = [f"One of: {', '.join(CandidateRequest.Status.values)}."]
        if params.get("flag") and params["flag"] not in FLAGS:
            errors["flag"] = [f"One of: {', '.join(FLAGS)}."]
        assigned = params.get("assigned", "")
        if assigned and assigned not in {"me", "none", "any"} and not assigned.isdigit():
            errors["assigned"] = [ASSIGNED_HELP]
        if errors:
            return Response(
                {"detail": "Invalid filter.", "code": "invalid", "errors": errors},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return super().list(request, *args, **kwargs)


@extend_schema(tags=["candidates"])
class CandidateViewSet(viewsets.ReadOnlyModelViewSet):
    """People. A hiring manager sees only the people of the requests assigned to them."""

    pagination_class = ByPk

    def get_serializer_class(self):
        return s.CandidateDetailSerializer if self.action == "retrieve" else s.CandidateSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Candidate.objects.none()
        people = Candidate.objects.all()
        if not access.is_recruiter(self.request.user):
            people = people.filter(requests__assigned_to=self.request.user).distinct()
        if self.action == "retrieve":
            people = people.prefetch_related("ats_exports")
        return people

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        audit.record(
            action=audit.Action.VIEWED_CANDIDATE,
            by=request.user,
            target_type="candidate",
            target_id=kwargs["pk"],
            description=f"Viewed candidate #{kwargs['pk']} through the API",
        )
        return response

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.action == "retrieve":
            own = visible_requests(self.request.user).filter(candidate_id=self.kwargs["pk"])
            context["visible_requests"] = list(own.only("pk"))
        return context


@extend_schema(tags=["replies"])
class ReplyViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Replies. Queueing one goes through the same service as the request page: one answer
    per person per round, do-not-contact respected, sent after the undo delay."""

    permission_classes = [permissions.IsAuthenticated, IsRecruiter]
    serializer_class = s.ReplySerializer
    pagination_class = ByPk

    def get_queryset(self):
        replies = Reply.objects.select_related("sent_by")
        if (request_id := self.request.query_params.get("request", "")).isdigit():
            replies = replies.filter(request_id=int(request_id))
        return replies

    @extend_schema(
        request=s.QueueReplySerializer,
        responses={
            201: s.ReplySerializer,
            400: OpenApiResponse(description="Invalid input, with the fields' errors."),
            409: OpenApiResponse(
                s.ErrorSerializer,
                description="Not sent: already answered this round (`already_answered`, "
                "`person_answered`: send again with send_anyway), or the person asked not "
                "to be contacted (`do_not_contact`).",
            ),
            503: OpenApiResponse(s.ErrorSerializer, description="No triage profile yet."),
        },
    )
    def create(self, request, *args, **kwargs):
        given = s.QueueReplySerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        target, template = data["request"], data.get("template")
        subject, body = data.get("subject"), data.get("body")
        if not subject:
            try:
                profile = profiles.load_profile()
            except profiles.ProfileMissing as missing:
                return Response(
                    {"detail": str(missing), "code": "profile_missing"},
                    status=status.HTTP_503_SERVICE_UNAVAILABLE,
                )
            draft = outbox.draft_reply(target, template, profile, request.user)
            if draft.blocked_by:
                raise Conflict(
                    "The template would leave these placeholders empty: "
                    f"{', '.join(draft.blocked_by)}. Write the subject and body instead.",
                    code="empty_placeholders",
                )
            subject, body = draft.subject, draft.body
        try:
            reply = outbox.queue_reply(
                request=target,
                template=template,
                subject=subject,
                body=body,
                by=request.user,
                send_anyway=data["send_anyway"],
            )
        except outbox.PersonAnswered as answered:
            raise Conflict(str(answered), code="person_answered") from answered
        except outbox.AlreadyAnswered as answered:
            raise Conflict(
                "This request already has a reply this round: nothing more was sent.",
                code="already_answered",
            ) from answered
        except candidates.DoNotContact as refusal:
            raise Conflict(str(refusal), code="do_not_contact") from refusal
        return Response(s.ReplySerializer(reply).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["rules"])
class RuleViewSet(viewsets.ReadOnlyModelViewSet):
    """The rule list in order (read), and the dry run of a change."""

    permission_classes = [permissions.IsAuthenticated, IsRecruiter]
    serializer_class = s.RuleSerializer
    pagination_class = None
    queryset = TriageRule.objects.order_by("position", "pk")

    @extend_schema(
        request=s.RuleChangeSerializer,
        responses={200: s.DryRunSerializer, 400: OpenApiResponse(description="Invalid change.")},
    )
    @action(detail=False, methods=["post"], url_path="dry-run")
    def dry_run(self, request):
        """What the change would move among the latest requests. Nothing is saved."""
        given = s.RuleChangeSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        proposed = _proposed_rule(data)
        try:
            profile = profiles.load_profile()
        except profiles.ProfileMissing as missing:
            return Response(
                {"detail": str(missing), "code": "profile_missing"},
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
            )
        result = rulebook_reads.dry_run(
            snapshot=rulebook.proposed_snapshot(proposed), profile=profile, limit=data["limit"]
        )
        return Response(s.DryRunSerializer(result).data)


def _proposed_rule(data: dict) -> TriageRule:
    """The rule as it would be, unsaved; invalid conditions are a 400 with the reason."""
    from rest_framework.exceptions import ValidationError

    row = data.get("rule")
    if row is None:
        missing = [name for name in ("title", "bucket", "conditions") if not data.get(name)]
        if missing:
            raise ValidationError({name: ["Needed for a new rule."] for name in missing})
        row = TriageRule(key="__proposed__", builtin=False, match=TriageRule.Match.ALL)
    for name in ("title", "enabled", "bucket", "match", "conditions"):
        if name in data:
            if row.builtin and name in {"match", "conditions"}:
                raise ValidationError({name: ["A built-in rule's conditions are in the code."]})
            setattr(row, name, data[name])
    try:
        parsed = [rule_conditions.Condition.from_dict(item) for item in row.conditions]
        for condition in parsed:
            rule_conditions.compile_condition(condition)
        row.conditions = [condition.as_dict() for condition in parsed]
    except (rule_conditions.ConditionError, KeyError, TypeError, ValueError) as error:
        raise ValidationError({"conditions": [str(error) or "Not a valid condition."]}) from error
    return row


@extend_schema(tags=["openings"])
class OpeningViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.IsAuthenticated, IsRecruiter]
    serializer_class = s.OpeningSerializer
    pagination_class = ByPk
    queryset = Opening.objects.select_related("hiring_manager")


@extend_schema(tags=["dashboard"])
class DashboardView(APIView):
    """The dashboard's figures, as the page shows them (the same selector, the same cache)."""

    permission_classes = [permissions.IsAuthenticated, IsRecruiter]

    @extend_schema(
        parameters=[s.DashboardQuerySerializer],
        responses={
            200: s.DashboardSerializer,
            400: OpenApiResponse(description="A period not in the list."),
        },
    )
    def get(self, request):
        """Waiting now, requests per bucket, time to first reply, rules' precision, the
        network path and replies, per week of the last `weeks`: each figure's table."""
        given = s.DashboardQuerySerializer(data=request.query_params)
        given.is_valid(raise_exception=True)
        page = dashboard_reads.dashboard_page(weeks=given.validated_data["weeks"])
        data = {**page, "figures": [page["waiting"], *page["figures"]]}
        return Response(s.DashboardSerializer(data).data)
