"""What happened, said once. The services publish an event when something a team may want to
hear about happens (a request arrives, a bucket changes, a reply goes out or fails); whoever
cares subscribes to `happened`: the in-app notifications, the outgoing webhooks.

An event is sent inside the transaction that made the change, so a subscriber that writes a
row (a notification, a webhook delivery and its task) writes it in that same transaction:
the change and what it tells others commit together or not at all. A subscriber that talks
to the outside world must therefore do so from a task, never in the receiver itself.

A subscriber whose work is cheaper for many events at once (the talent pool reads a whole
import batch's requests in a few queries) subscribes to `happened_together` instead: it
hears a list, of one event as soon as it is published, or, inside a `batch()` block (an
import's batch of messages), of all the block's events when the block ends, still inside
its transaction. Subscribers of `happened` hear every event at once, batch or not.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime

from django.dispatch import Signal
from django.utils import timezone

REQUEST_CREATED = "request.created"
BUCKET_CHANGED = "request.bucket_changed"
ASSIGNED = "request.assigned"
CANDIDATE_ANSWERED = "request.candidate_answered"
OUTCOME_RECORDED = "request.outcome_recorded"
REPLY_SENT = "reply.sent"
REPLY_FAILED = "reply.failed"
REPLY_BOUNCED = "reply.bounced"
PERSON_ERASED = "person.erased"

# Every event, with what it means to a reader of a webhook's settings or a notification.
CATALOGUE: dict[str, str] = {
    REQUEST_CREATED: "A new request arrived and was sorted into a bucket.",
    BUCKET_CHANGED: "A recruiter moved a request to another bucket.",
    ASSIGNED: "A request was assigned to a hiring manager.",
    CANDIDATE_ANSWERED: "A candidate wrote again in a thread we had answered.",
    OUTCOME_RECORDED: "A hiring manager recorded the outcome of a conversation.",
    REPLY_SENT: "A reply left for the candidate.",
    REPLY_FAILED: "A reply could not be sent and will not be retried on its own.",
    REPLY_BOUNCED: "A sent reply came back as undeliverable.",
    PERSON_ERASED: "A person and everything they sent were erased.",
}

# Sent with `published=[Event(...), ...]`: one event, or many of one kind at once (a batch of
# replies sent), so a subscriber does its work for all of them in a few queries. Receivers
# connect in their app's ready() (triage.receivers).
happened = Signal()
# Sent with `batch=[Event, ...]`, in the order they happened (see the module's docstring).
happened_together = Signal()


@dataclass(frozen=True)
class Event:
    name: str
    request_id: int | None = None
    candidate_id: int | None = None
    reply_id: int | None = None
    actor_id: int | None = None  # the user who did it; None for the system or a candidate
    data: dict = field(default_factory=dict)  # plain JSON values only (ids, names, buckets)
    at: datetime = field(default_factory=timezone.now)


def publish(
    name: str,
    *,
    request=None,
    candidate_id: int | None = None,
    reply=None,
    actor=None,
    **data,
) -> Event:
    """Tell the subscribers that `name` happened. `request` and `reply` are the model rows
    involved (their ids are taken), `actor` the user who did it, `data` any plain details."""
    event = make(name, request=request, candidate_id=candidate_id, reply=reply, actor=actor, **data)
    publish_all([event])
    return event


def make(
    name: str,
    *,
    request=None,
    candidate_id: int | None = None,
    reply=None,
    actor=None,
    **data,
) -> Event:
    """The event `publish` would send, for publish_all to send with others."""
    if name not in CATALOGUE:
        raise ValueError(f"unknown event {name!r}; add it to triage.events.CATALOGUE")
    if candidate_id is None and request is not None:
        candidate_id = request.candidate_id
    if candidate_id is None and reply is not None:
        candidate_id = reply.candidate_id
    return Event(
        name=name,
        request_id=request.pk if request is not None else getattr(reply, "request_id", None),
        candidate_id=candidate_id,
        reply_id=reply.pk if reply is not None else None,
        actor_id=getattr(actor, "pk", None),
        data=data,
    )


def publish_all(happenings: Sequence[Event]) -> None:
    """Tell the subscribers about many events at once (a batch of replies sent): each
    subscriber's queries are paid once for the lot, not once per event. Subscribers of
    `happened_together` hear them at once too, unless a batch() block is holding events."""
    if not happenings:
        return
    happened.send(sender=Event, published=list(happenings))
    if (held := _held.get()) is not None:
        held.extend(happenings)
    else:
        happened_together.send(sender=Event, batch=list(happenings))


# The events of the innermost batch() block running in this thread, None outside any.
_held: ContextVar[list[Event] | None] = ContextVar("held_events", default=None)


@contextmanager
def batch() -> Iterator[None]:
    """Hold the events published in the block for the subscribers of `happened_together`,
    and send them as one list when it ends: call it inside the transaction that makes the
    changes, so their work commits with them. A block that raises drops what it held (the
    changes it announced are rolled back with it); a block inside another hands its events
    to the outer one."""
    outer = _held.get()
    held: list[Event] = []
    token = _held.set(held)
    try:
        yield
    finally:
        _held.reset(token)
    if outer is not None:
        outer.extend(held)
    elif held:
        happened_together.send(sender=Event, batch=held)
