"""One inbound Message per existing request, and one outbound Message per sent reply, so
every request already stored has its thread. Self-contained: it reads only historical models.
"""

import hashlib

from django.db import migrations


def _id(request) -> str:
    if request.message_id:
        return request.message_id
    content = f"request-{request.pk}\0{request.candidate.email}\0{request.body}"
    return f"<{hashlib.sha256(content.encode()).hexdigest()}@no-message-id.invalid>"


def forwards(apps, schema_editor):
    CandidateRequest = apps.get_model("triage", "CandidateRequest")
    Message = apps.get_model("triage", "Message")
    Reply = apps.get_model("triage", "Reply")
    have = set(Message.objects.values_list("message_id", flat=True))
    messages = []
    for request in CandidateRequest.objects.select_related("candidate").filter(messages=None):
        message_id = _id(request)
        if message_id in have:
            continue
        have.add(message_id)
        messages.append(
            Message(
                request=request,
                direction="in",
                sender=request.candidate.email,
                sender_name=request.candidate.name,
                subject=request.subject,
                text=request.body,
                received_at=request.received_at,
                message_id=message_id,
            )
        )
    for reply in Reply.objects.filter(status="sent").exclude(message_id__in=have):
        messages.append(
            Message(
                request_id=reply.request_id,
                direction="out",
                sender="",
                subject=reply.subject,
                text=reply.body,
                received_at=reply.sent_at or reply.created_at,
                message_id=reply.message_id,
            )
        )
    Message.objects.bulk_create(messages, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("triage", "0005_message_thread_quarantine")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
