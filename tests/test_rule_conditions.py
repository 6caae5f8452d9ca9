"""Rules without code: each condition kind, all/any, order and on/off (no database)."""

import pytest

from tests.test_rules import PROFILE, STRANGER, facts
from triage import rules
from triage.rule_conditions import (
    Condition,
    ConditionError,
    CustomRule,
    Entry,
    compile_condition,
    compile_pattern,
    compile_rule,
    compile_rule_set,
)
from triage.rules import Address, Bucket, RequestFacts, classify


def check(condition: Condition, f: RequestFacts):
    return compile_condition(condition)(f, PROFILE)


def rule(*conditions: Condition, match="all", bucket=Bucket.NETWORK, name="academics"):
    return CustomRule(
        name=name, title="Academics", bucket=bucket, conditions=conditions, match=match
    )


# --- Words and phrases -------------------------------------------------------------------------


def test_contains_any_matches_whole_words_in_any_case_and_keeps_the_words_as_written():
    reason = check(
        Condition("body", "any", ("phd", "post doc")), facts("I finished my PhD and a Post-Doc.")
    )
    assert reason is not None
    assert reason.evidence == ("PhD", "Post-Doc")
    assert "Message contains any of" in reason.text


def test_contains_any_does_not_match_inside_a_word():
    assert check(Condition("body", "any", ("phd",)), facts("See phds.example.org")) is None
    assert check(Condition("body", "any", ("art",)), facts("I am a smart person")) is None


def test_contains_all_needs_every_word():
    condition = Condition("body", "all", ("rust", "embedded"))
    assert check(condition, facts("I write Rust.")) is None
    reason = check(condition, facts("Embedded work, in Rust, mostly."))
    assert reason is not None and set(reason.evidence) == {"Embedded", "Rust"}


@pytest.mark.parametrize(
    ("on", "f"),
    [
        ("subject", facts("nothing here", subject="PhD student question")),
        ("name", facts("hello", sender=Address("Dr. Ana PhD", "ana@uni.example"))),
        ("sender", facts("hello", sender=Address("Ana", "ana@phd.example"))),
        ("attachment_text", RequestFacts(STRANGER, "Hi", "hello", attachment_text="PhD, 2019")),
    ],
)
def test_each_text_target_reads_its_own_text(on, f):
    assert check(Condition(on, "any", ("phd",)), f) is not None
    assert check(Condition("body", "any", ("phd",)), f) is None or on == "body"


def test_a_sender_domain_matches_the_address_and_its_subdomains_only():
    condition = Condition("sender", "any", ("uni.example",))
    assert check(condition, facts("hi", sender=Address("A", "a@uni.example"))) is not None
    assert check(condition, facts("hi", sender=Address("A", "a@cs.uni.example"))) is not None
    assert check(condition, facts("hi", sender=Address("A", "a@myuni.example"))) is None


def test_a_word_list_without_words_is_refused():
    with pytest.raises(ConditionError, match="at least one word"):
        compile_condition(Condition("body", "any", (" ", "!!")))


# --- Regular expressions ---------------------------------------------------------------------


def test_a_regex_matches_in_any_case_and_shows_what_it_found():
    reason = check(Condition("body", "regex", pattern=r"class of 20\d\d"), facts("Class of 2024!"))
    assert reason is not None and reason.evidence == ("Class of 2024",)


def test_a_catastrophic_regex_runs_in_linear_time():
    # (a+)+$ backtracks exponentially in Python's re; RE2 answers at once.
    body = "a" * 100_000 + "!"
    assert check(Condition("body", "regex", pattern="(a+)+$"), facts(body)) is None
    assert check(Condition("body", "regex", pattern="(a+)+!$"), facts(body)) is not None


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        (r"(a)\1", "Back-references"),
        (r"(?<=a)b", "look-arounds"),
        ("(unclosed", r"missing \)"),
        ("", "Enter a regular expression"),
        ("a" * 501, "under 500"),
    ],
)
def test_patterns_re2_cannot_run_are_refused_with_a_reason(pattern, message):
    with pytest.raises(ConditionError, match=message):
        compile_pattern(pattern)


# --- Facts the built-in rules know -----------------------------------------------------------


def test_has_attachments():
    with_cv = RequestFacts(STRANGER, "Hi", "hello", attachment_names=("cv.pdf",))
    assert check(Condition("has_attachments"), with_cv).evidence == ("cv.pdf",)
    assert check(Condition("has_attachments"), facts("hello")) is None


def test_known_contact_notable_person_and_employee_domain():
    bram = facts("hi", sender=Address("Bram", "bram@kessler.example"))
    odile = facts("hi", sender=Address("Odile Ferraro", "odile@ferraro.example"))
    colleague = facts("hi", sender=Address("Pat", "pat@harborline.example"))
    assert check(Condition("known_contact"), bram).evidence == ("bram@kessler.example",)
    assert check(Condition("known_contact"), odile) is None
    assert check(Condition("notable_person"), odile) is not None
    assert check(Condition("notable_person"), bram) is None
    assert check(Condition("employee_domain"), colleague).evidence == ("pat@harborline.example",)
    assert check(Condition("employee_domain"), bram) is None


def test_hard_skill_and_open_role():
    skill = check(Condition("hard_skill"), facts("I do HACCP auditing."))
    assert skill is not None and skill.evidence == ("HACCP auditing",)
    assert check(Condition("hard_skill"), facts("I do payroll.")) is None
    role = check(Condition("open_role"), facts("Your Data Scientist role looks great."))
    assert role is not None and "Data Scientist" in role.text
    assert check(Condition("open_role"), facts("Hello there.")) is None


# --- Rules: all or any -----------------------------------------------------------------------

PHD = Condition("body", "any", ("phd",))
RUST = Condition("body", "any", ("rust",))


def test_all_needs_every_condition_and_gives_a_reason_for_each():
    compiled = compile_rule(rule(PHD, RUST, match="all"))
    assert compiled(facts("PhD here."), PROFILE) is None
    verdict = compiled(facts("PhD here, I write Rust."), PROFILE)
    assert verdict.bucket == Bucket.NETWORK and verdict.rule == "academics"
    assert [r.evidence for r in verdict.reasons] == [("PhD",), ("Rust",)]


def test_any_needs_one_condition_and_lists_those_that_matched():
    compiled = compile_rule(rule(PHD, RUST, match="any"))
    verdict = compiled(facts("I write Rust."), PROFILE)
    assert [r.evidence for r in verdict.reasons] == [("Rust",)]
    assert compiled(facts("Hello."), PROFILE) is None


def test_a_rule_needs_a_condition():
    with pytest.raises(ConditionError, match="at least one condition"):
        compile_rule(rule())


# --- Rule sets: order, on and off ------------------------------------------------------------

BUILTIN_ORDER = [r.name for r in rules.RULES if not r.fallback]


def builtins(*, off=()):
    return [Entry(enabled=name not in off, builtin=name) for name in BUILTIN_ORDER]


def test_without_a_rule_set_classify_is_the_built_in_policy():
    rule_set = compile_rule_set(builtins())
    assert [r.name for r in rule_set.rules] == [r.name for r in rules.RULES]
    f = facts("free to talk thursday?", sender=Address("O.F.", "odile@ferraro.example"))
    assert classify(f, PROFILE, rule_set) == classify(f, PROFILE)


def test_a_custom_rule_placed_first_wins_and_the_built_in_is_also_matched():
    academics = rule(PHD, bucket=Bucket.FUNNEL)
    f = facts("I have a PhD.", sender=Address("Bram", "bram@kessler.example"))
    first = compile_rule_set([Entry(True, custom=academics), *builtins()])
    last = compile_rule_set([*builtins(), Entry(True, custom=academics)])
    assert classify(f, PROFILE, first).rule == "academics"
    assert classify(f, PROFILE, first).also_matched == ("known_contact",)
    assert classify(f, PROFILE, last).rule == "known_contact"
    assert classify(f, PROFILE, last).also_matched == ("academics",)


def test_a_switched_off_rule_does_not_run():
    f = facts("hi", sender=Address("Bram", "bram@kessler.example"))
    assert classify(f, PROFILE, compile_rule_set(builtins(off={"known_contact"}))).rule == (
        "funnel_default"
    )
    off = compile_rule_set([*builtins(), Entry(False, custom=rule(Condition("known_contact")))])
    assert classify(f, PROFILE, off).also_matched == ()


def test_a_built_in_rule_the_list_does_not_mention_still_runs_and_the_fallback_is_last():
    rule_set = compile_rule_set([Entry(True, builtin="known_contact")], version=7)
    names = [r.name for r in rule_set.rules]
    assert names[0] == "known_contact" and names[-1] == "funnel_default"
    assert sorted(names) == sorted(r.name for r in rules.RULES)
    assert rule_set.version == 7


def test_a_stored_rule_that_no_longer_compiles_is_skipped_not_fatal():
    broken = rule(Condition("body", "regex", pattern=r"(a)\1"))
    rule_set = compile_rule_set([Entry(True, custom=broken), *builtins()])
    assert classify(facts("aa"), PROFILE, rule_set).rule == "funnel_default"


def test_conditions_round_trip_through_json():
    for condition in (PHD, Condition("sender", "regex", pattern="@x$"), Condition("hard_skill")):
        assert Condition.from_dict(condition.as_dict()) == condition
