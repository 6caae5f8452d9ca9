"""SQLite's search writes a word typed whole where the index holds no longer term starting
with it (triage/fulltext.py, sqlite_match; the vocabulary of migration 0042): it must find
exactly what the prefix of every word did (sqlite_query), with the same ranks and snippets,
for every word, whatever it stems to."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import CandidateFactory, CandidateRequestFactory
from triage import fulltext

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 search"),
]

# Words that stem apart from what they begin (running/run, agreed/agre, generalization and
# generous/gener, happiness/happi), names with accents, and terms that begin others.
PEOPLE = [
    ("Priya Example000104", "priya.104@mail7.example"),
    ("Priyanka Example000105", "priyanka@mail8.example"),
    ("José Núñez", "jose@example.com"),
    ("Zoë Ødegaard", "zoe@fjord.example"),
    ("Ada Lovelace", "ada@engines.example"),
]
TEXTS = [
    ("Running late", "I was running the runner's club; she runs daily. Run!"),
    ("Agreed", "We agreed on an agreement; I agree with the generalization."),
    ("Generous offer", "A generous, general offer. Happiness and happy days."),
    ("Résumé attached", "My résumé and curriculum: C++, Go, AI, a quasar tracker."),
    ("Relational data", "Relational databases, relations, relate, relativity."),
    ("Foo_bar", "foo_bar baz_qux, interviews, interviewed, interviewing."),
]
TYPED = [
    "running", "runs", "run", "runner", "ru", "r",
    "agreed", "agree", "agre", "agreement", "agr",
    "generalization", "general", "generous", "gener", "gen",
    "happiness", "happy", "happi",
    "priya", "priy", "priyanka", "example000104", "example00010", "example",
    "josé", "jose", "núñez", "nunez", "nún", "zoë", "ødegaard", "ode",
    "c", "go", "ai", "cv", "résumé", "resume", "curriculum",
    "relational", "relations", "relat", "rel",
    "foo_bar", "baz_qux", "interv", "interviews", "interviewing",
    "zyzzyva", "quasars", "quasar", "mail7", "engines",
]  # fmt: skip


@pytest.fixture
def documents():
    for (name, email), (subject, body) in zip(PEOPLE, TEXTS, strict=False):
        person = CandidateFactory(name=name, email=email)
        CandidateRequestFactory(candidate=person, subject=subject, body=body)
    for subject, body in TEXTS[len(PEOPLE) :]:
        CandidateRequestFactory(subject=subject, body=body)
    # A second request of a Priya's, to rank two matches against each other.
    CandidateRequestFactory(candidate=CandidateFactory(name="Priya Raman"), body="Priya here.")


def found(match_sql: str, params: list) -> list[tuple]:
    """Every row the MATCH finds, by id, with its rank and snippet as the inbox reads them."""
    weights = ", ".join(str(w) for w in fulltext.SQLITE_WEIGHTS)
    sql = (
        f"SELECT rowid, bm25(triage_search, {weights}), "
        "snippet(triage_search, -1, '[', ']', '…', 24) "
        f"FROM triage_search WHERE triage_search MATCH {match_sql} ORDER BY rowid"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def written(words: list[str]) -> str:
    """The FTS5 query sqlite_match makes of the words, as the database writes it."""
    sql, params = fulltext.sqlite_match(words)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}", params)
        return cursor.fetchone()[0]


def test_sqlite_makes_a_typed_word_into_the_terms_its_search_table_stores(documents):
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'triage_search'")
        assert f"tokenize = '{fulltext.SQLITE_TOKENIZE}'" in cursor.fetchone()[0]
    assert fulltext.sqlite_terms("Running") == ("run",)
    assert fulltext.sqlite_terms("agreed") == ("agre",)
    assert fulltext.sqlite_terms("agre") == ("agr",)  # a stem stems again, apart
    assert fulltext.sqlite_terms("generalization") == fulltext.sqlite_terms("generous")
    assert fulltext.sqlite_terms("Núñez") == ("nunez",)
    assert fulltext.sqlite_terms("foo_bar") == ("foo", "bar")
    assert fulltext.sqlite_terms("___") == ()
    # What the table stores for the texts is what sqlite_terms makes of their words.
    stored = set()
    for _, body in TEXTS:
        for word in fulltext.terms(body):
            stored.update(fulltext.sqlite_terms(word))
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT term FROM triage_search_vocab")
        vocabulary = {term for (term,) in cursor.fetchall()}
    assert stored <= vocabulary


@pytest.mark.parametrize("word", TYPED)
def test_a_word_finds_what_its_prefix_found_with_the_same_ranks_and_snippets(documents, word):
    words = fulltext.terms(word)
    before = found("%s", [fulltext.sqlite_query(words)])
    assert found(*fulltext.sqlite_match(words)) == before


def test_every_beginning_of_every_word_and_pairs_of_words_find_what_their_prefixes_did(documents):
    typed = {
        word[:end]
        for name, email in PEOPLE
        for word in fulltext.terms(f"{name} {email}")
        for end in range(1, len(word) + 1)
    }
    for _, body in TEXTS:
        typed.update(fulltext.terms(body))
    pairs = [["priya", "example000104"], ["priya", "raman"], ["agreed", "generous"]]
    pairs += [["run", word] for word in sorted(typed)]
    for words in [[word] for word in sorted(typed)] + pairs:
        before = found("%s", [fulltext.sqlite_query(words)])
        assert found(*fulltext.sqlite_match(words)) == before, words


def test_a_word_no_longer_term_starts_with_is_searched_whole(documents):
    # No longer term: whole (the term alone, or nothing at all).
    assert written(["priyanka"]) == '"priyanka"'
    assert written(["agreement"]) == '"agreement"'
    assert written(["generalization"]) == '"generalization"'  # "gener", as generous is
    assert written(["nunez"]) == written(["núñez"]).replace("ú", "u").replace("ñ", "n")
    assert written(["zyzzyva"]) == '"zyzzyva"'
    # "priy" is "prii" to the stemmer (a y after a vowel), which no term begins: whole, and
    # nothing found, as its prefix found nothing.
    assert written(["priy"]) == '"priy"'
    assert found(*fulltext.sqlite_match(["priy"])) == found("%s", ['"priy"*']) == []
    assert written(["priya", "example000104"]) == '"priya"* "example000104"'
    # A term that begins others ("priya", "priyanka"; "run", "runner"; "agre", "agreement";
    # "agre" typed is "agr"), or none of its own: still a prefix. Short words stay whole.
    assert written(["pri"]) == '"pri"*'
    assert written(["runs"]) == '"runs"*'
    assert written(["agreed"]) == '"agreed"*'
    assert written(["agre"]) == '"agre"*'
    assert written(["foo_bar", "go"]) == '"foo_bar"* "go"'


def test_a_prefix_is_a_prefix_again_once_a_longer_term_is_stored(documents):
    assert written(["quasar"]) == '"quasar"'
    CandidateRequestFactory(body="Quasars, plural.")  # the term "quasar" again
    assert written(["quasar"]) == '"quasar"'
    CandidateRequestFactory(body="A quasarlike object.")
    assert written(["quasar"]) == '"quasar"*'
    assert [row[0] for row in found(*fulltext.sqlite_match(["quasar"]))] == [
        row[0] for row in found("%s", ['"quasar"*'])
    ]


def test_one_match_is_listed_unranked_and_several_ranked(documents, recruiter_client):
    # bm25 first counts every row holding each word (a common first name's thousands):
    # one match has nothing to be ranked against.
    def search(query):
        with CaptureQueriesContext(connection) as captured:
            response = recruiter_client.get(reverse("triage:inbox"), {"q": query, "status": ""})
        ranked = any("bm25" in query["sql"] for query in captured)
        return [row.subject for row in response.context["page"]], ranked

    assert search("priyanka") == (["Agreed"], False)
    subjects, ranked = search("priya")
    assert len(subjects) == 3 and ranked
