"""The assistant as plain functions: no database."""

import pytest

from tests.assistant_cases import CASES
from triage import assistant


def samples(cases=CASES):
    return [
        assistant.Sample(
            assistant.document(subject=subject, text=body, sender=sender, cc=cc), bucket
        )
        for subject, body, sender, cc, bucket in cases
    ]


@pytest.fixture(scope="module")
def model():
    return assistant.train(samples())


def test_the_document_holds_subject_text_and_domains_as_words():
    text = assistant.document(
        subject="Hello", text="Hi there", sender="Ann@Mail.Example", cc=["pat@acme-orbital.example"]
    )

    assert text.splitlines() == [
        "Hello",
        "Hi there",
        "from_domain_mail_example cc_domain_acme_orbital_example",
    ]


@pytest.mark.parametrize(
    ("subject", "body", "cc", "bucket"),
    [
        ("Open roles?", "Looking for a job, resume attached, any position.", [], "funnel"),
        (
            "Intro",
            "Introducing my friend; not looking now, keep in touch.",
            ["x@acme-orbital.example"],
            "network",
        ),
        ("Patents", "I hold patents and an award in orbit determination.", [], "exceptional"),
    ],
)
def test_it_predicts_the_bucket_of_a_new_request_with_its_confidence(
    model, subject, body, cc, bucket
):
    text = assistant.document(subject=subject, text=body, sender="new@else.example", cc=cc)

    opinion = assistant.predict(model, text)

    assert opinion.bucket == bucket
    # Three buckets: a real preference is above a third, and never certainty from 18 samples.
    assert 1 / 3 < opinion.confidence < 1
    assert opinion.confidence == pytest.approx(max(model.predict_proba([text])[0]), abs=1e-9)


def test_it_explains_with_the_words_that_weighed_most(model):
    text = assistant.document(
        subject="Patents", text="I hold patents and an award.", sender="n@else.example"
    )

    opinion = assistant.predict(model, text)

    assert opinion.bucket == "exceptional"
    assert opinion.terms and set(opinion.terms) <= {"patents", "award", "hold patents", "hold"}
    assert "patents" in opinion.terms
    assert not any("_domain_" in term for term in opinion.terms)
    # No term repeats another's words ("patents" beside "hold patents").
    words = [set(term.split()) for term in opinion.terms]
    assert not any(a <= b for i, a in enumerate(words) for j, b in enumerate(words) if i != j)


def test_a_model_survives_a_round_trip_through_bytes(model):
    text = assistant.document(subject="Job?", text="Any openings? Resume.", sender="z@x.example")

    loaded = assistant.loads(assistant.dumps(model))

    assert assistant.predict(loaded, text) == assistant.predict(model, text)


def test_cross_validation_uses_at_most_five_stratified_folds_and_counts_every_sample():
    result = assistant.cross_validate(samples())

    assert (result.folds, result.total) == (5, 18)
    assert result.accuracy == result.correct / 18
    # Distinct vocabularies: held-out requests are mostly sorted right.
    assert result.accuracy >= 0.8
    assert assistant.cross_validate(samples()) == result  # the same figure every time


def test_folds_follow_the_smallest_bucket():
    few_exceptional = [case for case in CASES if case[4] != "exceptional"] + [
        case for case in CASES if case[4] == "exceptional"
    ][:3]

    assert assistant.folds_for(samples(few_exceptional)) == 3
    assert assistant.cross_validate(samples(few_exceptional)).folds == 3


def test_a_bucket_with_one_decision_cannot_be_cross_validated_and_says_which():
    one_exceptional = [case for case in CASES if case[4] != "exceptional"] + [
        case for case in CASES if case[4] == "exceptional"
    ][:1]

    with pytest.raises(assistant.NotEnoughSamples, match="“exceptional” has only 1 decision;"):
        assistant.cross_validate(samples(one_exceptional))
    with pytest.raises(assistant.NotEnoughSamples, match="Cannot train"):
        assistant.train(samples(one_exceptional))


def test_one_bucket_alone_teaches_nothing():
    funnel_only = [case for case in CASES if case[4] == "funnel"]

    with pytest.raises(assistant.NotEnoughSamples, match=r"at least two buckets.*all funnel"):
        assistant.train(samples(funnel_only))


def test_a_word_one_request_used_is_kept_unless_words_must_be_in_more_requests():
    words = lambda model: set(model.named_steps["words"].vocabulary_)  # noqa: E731
    # "textbook" is written in one of the cases only; "orbit determination" in two.
    assert sum("textbook" in body for _, body, *_ in CASES) == 1

    everything = words(assistant.train(samples()))
    shared = words(assistant.train(samples(), min_documents=2))

    assert "textbook" in everything and "textbook" not in shared
    assert {"orbit determination", "resume"} <= shared
    assert shared < everything


def test_a_remembered_opinion_is_predicted_once_per_model_and_document(model, monkeypatch):
    # The request page asks on every view (predict_remembered): the same document and model
    # give the opinion worked out the first time; another document or model is predicted.
    patents = assistant.document(
        subject="Patents", text="I hold patents and an award.", sender="n@else.example"
    )
    job = assistant.document(
        subject="Open roles?", text="Looking for a job, any position.", sender="n@else.example"
    )
    # The same samples with funnel and exceptional swapped: another model, other opinions.
    swap = {"funnel": "exceptional", "exceptional": "funnel", "network": "network"}
    other = assistant.train([assistant.Sample(s.document, swap[s.bucket]) for s in samples()])
    predicted = []
    real_predict = assistant.predict

    def counting_predict(model, text, **options):
        predicted.append(text)
        return real_predict(model, text, **options)

    monkeypatch.setattr(assistant, "predict", counting_predict)

    first = assistant.predict_remembered(model, patents)
    again = assistant.predict_remembered(model, patents)
    by_other = assistant.predict_remembered(other, patents)
    changed = assistant.predict_remembered(model, job)

    assert first == real_predict(model, patents) and first.bucket == "exceptional"
    assert again is first
    assert by_other == real_predict(other, patents) and by_other.bucket == "funnel"
    assert changed == real_predict(model, job) and changed.bucket == "funnel"
    assert predicted == [patents, patents, job]
