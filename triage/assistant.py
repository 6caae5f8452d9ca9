"""The assistant: a second opinion on a request's bucket, learned from recruiters' decisions.

A TF-IDF bag of words and a linear SVM with calibrated probabilities, small enough to train
in seconds on a few thousand requests. It never decides anything: the request page shows
where it disagrees with the rules, and a recruiter weighs it. Like `rules.py` it knows
nothing of the database, settings or the clock; requests come in as plain text
(`document`), buckets as strings.
"""

from __future__ import annotations

import functools
import hashlib
import io
import threading
import weakref
from collections import Counter, OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import joblib
import numpy as np
import sklearn
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC
from threadpoolctl import ThreadpoolController, threadpool_limits

# The model is stored with the scikit-learn version that trained it; another version may
# unpickle it wrongly, so a model from another version is not used until it is retrained.
SKLEARN_VERSION = sklearn.__version__
MAX_FOLDS = 5
# Probabilities come from calibrating the SVM on held-out thirds of the training data.
MAX_CALIBRATION_FOLDS = 3
# A fixed shuffle, so the same decisions always give the same cross-validated figure.
SEED = 0


class NotEnoughSamples(ValueError):
    """Too few decisions to train on or to cross-validate; the text says what is missing."""


@dataclass(frozen=True)
class Sample:
    document: str  # from `document()`
    bucket: str


@dataclass(frozen=True)
class Opinion:
    bucket: str
    confidence: float  # the model's probability for `bucket`, 0..1
    terms: tuple[str, ...]  # the words in this request that pushed it most towards `bucket`


@dataclass(frozen=True)
class CrossValidation:
    folds: int
    correct: int
    total: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


def _domain_token(kind: str, email: str) -> str:
    # One word per domain ("from_domain_mail_example"), so the vectorizer keeps it whole and
    # it cannot collide with words the candidate wrote.
    domain = email.rpartition("@")[2].lower()
    return f"{kind}_domain_" + "".join(c if c.isalnum() else "_" for c in domain)


def document(*, subject: str, text: str, sender: str, cc: Iterable[str] = ()) -> str:
    """What the assistant reads of a request: the subject, what the candidate wrote new (no
    quoted history), and who it came from and who was copied, as domain words. Copying a
    colleague is often what makes a request an introduction."""
    domains = [_domain_token("from", sender)] + [_domain_token("cc", email) for email in cc]
    return "\n".join([subject, text, " ".join(domains)])


def new_pipeline(
    *, calibration_folds: int = MAX_CALIBRATION_FOLDS, min_documents: int = 1
) -> Pipeline:
    # Measured on the shared dev set (5-fold CV, five shuffles): this calibrated linear SVM
    # 94%, a balanced logistic regression 78-80% (it never said "exceptional"); adding
    # character n-grams cost 2-3 points. Balanced weights: most requests belong in the
    # funnel, and a model that only ever says "funnel" is right most of the time and useless.
    return Pipeline(
        [
            (
                "words",
                TfidfVectorizer(
                    ngram_range=(1, 2),
                    sublinear_tf=True,
                    strip_accents="unicode",
                    min_df=min_documents,
                ),
            ),
            (
                "model",
                CalibratedClassifierCV(
                    # A fixed seed: the same samples always give the same model (the
                    # default model is rebuilt and compared in the tests).
                    LinearSVC(class_weight="balanced", random_state=SEED),
                    cv=calibration_folds,
                ),
            ),
        ]
    )


def _bucket_counts(samples: Sequence[Sample], *, at_least: int, purpose: str) -> Counter:
    counts = Counter(s.bucket for s in samples)
    if len(counts) < 2:
        only = f" (all {next(iter(counts))})" if counts else ""
        raise NotEnoughSamples(
            f"Need decisions in at least two buckets to {purpose}; "
            f"got {len(samples)} decisions{only}."
        )
    bucket, smallest = min(counts.items(), key=lambda item: (item[1], item[0]))
    if smallest < at_least:
        raise NotEnoughSamples(
            f"Cannot {purpose}: “{bucket}” has only {smallest} "
            f"decision{'' if smallest == 1 else 's'}; each bucket that occurs needs at least "
            f"{at_least}."
        )
    return counts


def train(samples: Sequence[Sample], *, min_documents: int = 1) -> Pipeline:
    """A model fitted on every sample. Each bucket that occurs needs two samples, so its
    probabilities can be calibrated on one it was not fitted on. `min_documents` keeps only
    the words and word pairs found in at least that many samples: 1 (all of them) for a
    company's own model, whose few decisions cannot spare a word; more for the default
    model, whose size grows with its corpora (see corpus_evaluation)."""
    counts = _bucket_counts(samples, at_least=2, purpose="train")
    pipeline = new_pipeline(
        calibration_folds=min(MAX_CALIBRATION_FOLDS, min(counts.values())),
        min_documents=min_documents,
    )
    with threadpool_limits(limits=1):  # tiny matrices: threads only fight the web server
        pipeline.fit([s.document for s in samples], [s.bucket for s in samples])
    return pipeline


def folds_for(samples: Sequence[Sample]) -> int:
    """Stratified folds: at most five, and no more than the smallest bucket has samples, so
    every fold tests at least one of each bucket. Each bucket needs three: one to test, and
    two left to train on in every fold."""
    counts = _bucket_counts(samples, at_least=3, purpose="cross-validate")
    return min(MAX_FOLDS, min(counts.values()))


def cross_validate(samples: Sequence[Sample], folds: int | None = None) -> CrossValidation:
    """Accuracy on held-out samples: train on all folds but one, predict that one, in turn."""
    folds = folds or folds_for(samples)
    buckets = [s.bucket for s in samples]
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED)
    correct = 0
    for train_index, test_index in splitter.split(buckets, buckets):
        model = train([samples[i] for i in train_index])
        with threadpool_limits(limits=1):
            predicted = model.predict([samples[i].document for i in test_index])
        correct += sum(p == buckets[i] for p, i in zip(predicted, test_index, strict=True))
    return CrossValidation(folds=folds, correct=int(correct), total=len(samples))


@functools.cache
def _thread_pools() -> ThreadpoolController:
    # Finding the native thread pools walks the loaded libraries (about 5 ms, each call of
    # threadpool_limits): found once, by the first prediction, after numpy and scikit-learn
    # have loaded theirs.
    return ThreadpoolController()


def predict(model: Pipeline, text: str, *, top_terms: int = 3) -> Opinion:
    """The likeliest bucket for one document, its probability, and the words behind it."""
    with _thread_pools().limit(limits=1):
        probabilities = model.predict_proba([text])[0]
    best = int(np.argmax(probabilities))
    bucket = str(model.classes_[best])
    return Opinion(bucket, float(probabilities[best]), _terms_for(model, text, best, top_terms))


# The request page asks for an opinion on every view: predicting costs 5-10 ms (the
# vectorizer reads the document twice, the calibrated SVMs, the terms), and the answer for
# one model and one document never changes. Kept per model object (a retrained or another
# model is another object, and its opinions go with it), for the last REMEMBERED_OPINIONS
# documents of each, keyed by the document's digest.
REMEMBERED_OPINIONS = 2048
_opinions: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_opinions_lock = threading.Lock()


def predict_remembered(model: Pipeline, text: str, *, top_terms: int = 3) -> Opinion:
    """predict(model, text, top_terms=...), remembered per model (see REMEMBERED_OPINIONS)."""
    key = (hashlib.blake2b(text.encode("utf-8", "surrogatepass")).digest(), top_terms)
    with _opinions_lock:
        known = _opinions.get(model)
        if known is None:
            known = _opinions[model] = OrderedDict()
        if (opinion := known.get(key)) is not None:
            known.move_to_end(key)
            return opinion
    opinion = predict(model, text, top_terms=top_terms)
    with _opinions_lock:
        known[key] = opinion
        while len(known) > REMEMBERED_OPINIONS:
            known.popitem(last=False)
    return opinion


def _terms_for(model: Pipeline, text: str, class_index: int, limit: int) -> tuple[str, ...]:
    """The request's words with the largest weight towards the chosen bucket: each word's
    TF-IDF value times the model's coefficient for it. Domain words and phrases of only
    common words ("to the") are left out: they explain nothing to a recruiter."""
    vectorizer = model.named_steps["words"]
    row = vectorizer.transform([text])
    names, coefficients = _explainer(model)
    # With two buckets, scikit-learn keeps one row of coefficients, for the second class.
    if coefficients.shape[0] == 1:
        weights = coefficients[0] if class_index == 1 else -coefficients[0]
    else:
        weights = coefficients[class_index]
    scored = sorted(
        (
            (value * weights[index], names[index])
            for index, value in zip(row.indices, row.data, strict=True)
        ),
        reverse=True,
    )
    terms: list[str] = []
    for score, name in scored:
        words = set(name.split())
        if score <= 0 or len(terms) == limit:
            break
        if "_domain_" in name or ENGLISH_STOP_WORDS.issuperset(words):
            continue
        # "right" says nothing more once "right now" is shown, nor the other way round.
        if any(words <= set(term.split()) or set(term.split()) <= words for term in terms):
            continue
        terms.append(name)
    return tuple(terms)


# Per model in memory: its words by column and its weights, which do not change once trained.
_explainers: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _explainer(model: Pipeline) -> tuple[np.ndarray, np.ndarray]:
    """The model's words (column by column) and its weights for each bucket, worked out once
    per model object: building the 16,000 words' array took 20 ms or so of every request
    page. The calibrated model is a few SVMs, one per calibration fold: their weights are
    averaged."""
    if (known := _explainers.get(model)) is None:
        calibrated = model.named_steps["model"]
        folds = [c.estimator.coef_ for c in calibrated.calibrated_classifiers_]
        known = (model.named_steps["words"].get_feature_names_out(), np.mean(folds, axis=0))
        _explainers[model] = known
    return known


def fingerprint(model: Pipeline) -> str:
    """A digest of what the model learnt (its words, their weights, its calibration), the
    same whenever the same samples are trained on with the same versions. Not of its pickled
    bytes: those also hold a process-dependent id (scikit-learn's _stop_words_id)."""
    vectorizer, calibrated = model.named_steps["words"], model.named_steps["model"]
    digest = hashlib.sha256(repr(sorted(vectorizer.vocabulary_.items())).encode())
    arrays = [vectorizer.idf_, calibrated.classes_.astype(str)]
    for fold in calibrated.calibrated_classifiers_:
        arrays += [fold.estimator.coef_, fold.estimator.intercept_]
        arrays += [np.array([c.a_, c.b_]) for c in fold.calibrators]
    for array in arrays:
        # + 0.0 turns -0.0 into 0.0: a weight within 1e-10 of zero rounds to either, by the
        # sign of its last bits, which differ between CPUs (the vector instructions used).
        values = np.round(array, 10) + 0.0 if array.dtype.kind == "f" else array
        digest.update(np.ascontiguousarray(values).tobytes())
    return digest.hexdigest()


def dumps(model: Pipeline) -> bytes:
    buffer = io.BytesIO()
    joblib.dump(model, buffer, compress=3)
    return buffer.getvalue()


def loads(data: bytes) -> Pipeline:
    # Unpickling runs code: only ever call this on bytes we wrote (`dumps`) into our own
    # database, never on a file or upload from anyone else.
    return joblib.load(io.BytesIO(data))
