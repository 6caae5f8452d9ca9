"""The assistant's life in the app: what it learns from, training it, and asking it.

It learns from recruiters' final decisions only. A request counts as decided when a
recruiter set its bucket (moved it, or moved it back: `final_bucket_set_at`) or answered it
(any reply, one by one or in bulk: replying with that bucket's template is agreeing with the
bucket). Requests nobody has looked at yet are left out: they carry only the rules' own
guess, and learning from those would teach the assistant to echo the rules."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from threading import Lock

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from triage import assistant, mail
from triage.models import AssistantModel, Bucket, CandidateRequest, Message, Reply
from triage.services import config_cache

log = logging.getLogger(__name__)

DEFAULT_MIN_SAMPLES = 30
# The model shipped with the app, trained on the project's labeled corpora of example
# companies (`manage.py build_default_assistant`): the second opinion from day one, until a
# company has DEFAULT_MIN_SAMPLES decisions of its own and the weekly training (or
# `train_assistant`) stores a model of its own, which then takes over.
DEFAULT_MODEL_DIR = Path(__file__).resolve().parent.parent / "assistant_default"


def decided_requests() -> QuerySet[CandidateRequest]:
    """Requests whose bucket a recruiter has confirmed (see the module's docstring)."""
    answered = Exists(Reply.objects.filter(request=OuterRef("pk")))
    return CandidateRequest.objects.filter(Q(final_bucket_set_at__isnull=False) | answered)


def document_for(request: CandidateRequest, incoming: list[str] | None = None) -> str:
    """What the assistant reads of a request: the subject, what the candidate wrote new in
    each of their messages (the rules read the same), the sender and who was copied.
    `incoming` is the texts of the candidate's messages; the first message's text (the
    request's body) when not given."""
    texts = incoming if incoming else [request.body]
    return _document(request, [mail.new_text(text) for text in texts])


def _document(request: CandidateRequest, new_texts: list[str]) -> str:
    """document_for, from what the candidate wrote new in each message (mail.new_text)."""
    return assistant.document(
        subject=request.subject,
        text="\n\n".join(new_texts),
        sender=request.candidate.email,
        cc=[email for _, email in request.recipients_cc],
    )


def training_samples() -> list[assistant.Sample]:
    incoming = Message.objects.filter(direction=Message.Direction.IN).only("request_id", "text")
    requests = (
        decided_requests()
        .select_related("candidate")
        .prefetch_related(Prefetch("messages", queryset=incoming, to_attr="incoming"))
        .order_by("pk")
    )
    return [
        assistant.Sample(
            document_for(request, [m.text for m in request.incoming]), request.final_bucket
        )
        for request in requests
    ]


def describe_counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{bucket} {counts.get(bucket, 0)}" for bucket in Bucket.values)


def train_assistant(*, min_samples: int = DEFAULT_MIN_SAMPLES) -> AssistantModel:
    """Train on every decided request, cross-validate, and store the model as the current
    one. NotEnoughSamples (saving nothing) when there are too few decisions to learn from."""
    samples = training_samples()
    counts = {bucket: 0 for bucket in Bucket.values}
    for sample in samples:
        counts[sample.bucket] += 1
    if len(samples) < min_samples:
        raise assistant.NotEnoughSamples(
            f"Only {len(samples)} requests have a recruiter's decision "
            f"({describe_counts(counts)}); training needs at least {min_samples}. "
            "Answer or move more requests first (or lower --min-samples)."
        )
    model = assistant.train(samples)
    try:
        cv = assistant.cross_validate(samples)
    except assistant.NotEnoughSamples as reason:
        cv, note = None, str(reason)
    else:
        note = ""
    return AssistantModel.objects.create(
        pipeline=assistant.dumps(model),
        sklearn_version=assistant.SKLEARN_VERSION,
        samples=len(samples),
        bucket_counts=counts,
        cv_accuracy=cv.accuracy if cv else None,
        cv_folds=cv.folds if cv else None,
        cv_note=note[:300],
    )


def _newest():
    return AssistantModel.objects.values_list("pk", "trained_at", "sklearn_version").first()


# --- Asking it -----------------------------------------------------------------------------

# The current model, loaded once per process: unpickling costs far more than the one small
# query that checks whether a newer model has been trained since. Keyed by id and training
# time together: an id alone can come back after a rollback (SQLite reuses it).
_loaded: tuple[tuple, object] | None = None
_loading = Lock()


def current_model(*, user=None):
    """The newest trained pipeline, or None when there is none (or it was trained by another
    scikit-learn version, which may not read it back correctly: retrain after upgrading).
    `user`: the signed-in user, on a page: which model is newest is kept in memory then."""
    global _loaded
    newest = config_cache.cached("assistant-model", _newest, user=user)
    if newest is None:
        return None
    pk, trained_at, version = newest
    if version != assistant.SKLEARN_VERSION:
        log.warning("Assistant %s was trained with scikit-learn %s: retrain it", pk, version)
        return None
    with _loading:
        if _loaded is None or _loaded[0] != (pk, trained_at):
            data = AssistantModel.objects.values_list("pipeline", flat=True).get(pk=pk)
            _loaded = ((pk, trained_at), assistant.loads(bytes(data)))
        return _loaded[1]


_default: tuple[bool, object] | None = None


def default_model():
    """The shipped default model (see DEFAULT_MODEL_DIR), read once per process; None when
    it is missing, was built by another scikit-learn version, or its bytes are not the
    ones its manifest names (rebuild it with `manage.py build_default_assistant`)."""
    global _default
    with _loading:
        if _default is None:
            _default = (True, _read_default())
        return _default[1]


def _read_default():
    try:
        manifest = json.loads((DEFAULT_MODEL_DIR / "manifest.json").read_text("utf-8"))
        data = (DEFAULT_MODEL_DIR / "model.joblib").read_bytes()
    except (OSError, ValueError):
        log.warning("No default assistant model in %s", DEFAULT_MODEL_DIR)
        return None
    if manifest.get("sklearn_version") != assistant.SKLEARN_VERSION:
        log.warning("The default assistant was built with another scikit-learn: rebuild it")
        return None
    if hashlib.sha256(data).hexdigest() != manifest.get("sha256"):
        log.warning("The default assistant's model is not the one its manifest names")
        return None
    return assistant.loads(data)


def model_in_use(*, user=None) -> tuple[object, str] | None:
    """(pipeline, "own") when the company has a model of its own, else (pipeline,
    "default") for the shipped one; None when neither can be used. `user`: as current_model
    takes it."""
    if (own := current_model(user=user)) is not None:
        return own, "own"
    if (default := default_model()) is not None:
        return default, "default"
    return None


def warm() -> None:
    """Import scikit-learn and read the model in use now, as a server process starts, so the
    first request page does not wait for them (the import alone takes about two seconds).
    Only a serving process calls it: gunicorn's workers (config/gunicorn.py) and the
    development server (TriageConfig.ready); commands and tests never pay for it."""
    try:
        model_in_use()
    except Exception:  # a server must start even if the model cannot be read
        log.exception("The assistant's model could not be read at start")


@dataclass(frozen=True)
class SecondOpinion:
    bucket: str
    confidence: float
    terms: tuple[str, ...]
    agrees: bool  # with the rules' suggestion
    source: str = "own"  # "own": trained on this company's decisions; "default": shipped

    @property
    def from_default(self) -> bool:
        return self.source == "default"

    @property
    def label(self) -> str:
        return Bucket(self.bucket).label

    @property
    def percent(self) -> int:
        return round(self.confidence * 100)


def second_opinion(
    *, request: CandidateRequest, thread: list[Message], user=None
) -> SecondOpinion | None:
    """What the assistant would have chosen for this request, beside the rules' suggestion.
    None when no model can be used. It only reads: it never changes the request. `user`:
    the signed-in user, on a page (see current_model)."""
    incoming = [m for m in thread if m.direction == Message.Direction.IN]
    try:
        in_use = model_in_use(user=user)
        if in_use is None:
            return None
        model, source = in_use
        # document_for's text, from each message's reply_parts: the page shows those too, so
        # each message is split once per view (and mail.split_reply_remembered keeps them).
        if incoming:
            new_texts = [m.reply_parts.new for m in incoming]
        else:
            new_texts = [mail.split_reply_remembered(request.body).new]
        opinion = assistant.predict_remembered(model, _document(request, new_texts))
    except Exception:  # a second opinion is a help: it must never take the page down
        log.exception("The assistant could not give an opinion on request %s", request.pk)
        return None
    return SecondOpinion(
        bucket=opinion.bucket,
        confidence=opinion.confidence,
        terms=opinion.terms,
        agrees=opinion.bucket == request.suggested_bucket,
        source=source,
    )
