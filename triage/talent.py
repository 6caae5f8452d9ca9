"""The talent pool's policy: when a follow-up is due and how well a person fits a role.

Pure Python like rules.py: dates and skills come in, answers go out; no ORM, no now()."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

# Keep in touch about once a quarter unless a recruiter schedules otherwise.
FOLLOW_UP_AFTER = timedelta(days=90)
SNOOZE_CHOICES = {
    "week": timedelta(days=7),
    "month": timedelta(days=30),
    "quarter": FOLLOW_UP_AFTER,
}


def follow_up_on(*, scheduled: date | None, last_contact: date | None) -> date | None:
    """The date to get back in touch: the one a recruiter set, else a quarter after last contact."""
    if scheduled is not None:
        return scheduled
    if last_contact is not None:
        return last_contact + FOLLOW_UP_AFTER
    return None


def end_of_week(today: date) -> date:
    """The Sunday that ends `today`'s week: "due this week" means due on or before it."""
    return today + timedelta(days=6 - today.weekday())


def snoozed_until(*, today: date, current: date | None, period: str) -> date:
    """Push a follow-up back by `period` from whichever is later: today or the current date."""
    start = max(today, current) if current else today
    return start + SNOOZE_CHOICES[period]


def normalize_skills(raw: list[str] | str) -> list[str]:
    """Tags as a recruiter means them: trimmed, no blanks, no repeats (case-insensitive)."""
    items = raw.split(",") if isinstance(raw, str) else raw
    seen, skills = set(), []
    for item in items:
        skill = " ".join(str(item).split())
        if skill and skill.lower() not in seen:
            seen.add(skill.lower())
            skills.append(skill)
    return skills


def skill_key(skill: str) -> str:
    """How a skill is looked up: lower-cased, spaces squeezed ("Embedded  C" -> "embedded c")."""
    return " ".join(str(skill).split()).lower()


# Skills any tech company may look for, beside the roles' and the profile's own: what intake
# reads from a message or a résumé when nothing more specific names it.
GENERIC_SKILLS = (
    "Python", "Java", "JavaScript", "TypeScript", "Go", "Golang", "Rust", "C++", "C#", "Kotlin",
    "Swift", "Scala", "Ruby", "PHP", "Elixir", "Haskell", "SQL", "PostgreSQL", "MySQL", "MongoDB",
    "Redis", "Kafka", "Spark", "Django", "Flask", "FastAPI", "React", "Vue", "Angular", "Node.js",
    "Rails", "Spring", "GraphQL", "Kubernetes", "Docker", "Terraform", "AWS", "GCP", "Azure",
    "Linux", "DevOps", "SRE", "CI/CD", "machine learning", "deep learning", "PyTorch",
    "TensorFlow", "data science", "data engineering", "NLP", "computer vision", "embedded C",
    "RTOS", "FPGA", "Verilog", "iOS", "Android", "Flutter", "UX design", "UI design", "Figma",
    "product management", "project management", "Scrum", "security", "penetration testing",
    "QA", "test automation", "Selenium", "Salesforce", "SAP", "Excel", "Tableau", "Power BI",
    "dashboards", "statistics", "R", "MATLAB", "COBOL", "accounting", "recruiting", "sales",
    "marketing", "SEO", "copywriting", "customer success",
)  # fmt: skip
# Skills whose name is also an everyday word or letter: only read when written as the name.
_CASE_SENSITIVE_SKILLS = {"go", "r", "qa", "sap", "spring", "swift", "rails", "sales", "security"}


@dataclass(frozen=True)
class Found:
    """Something read from a person's words, with the phrase it came from."""

    value: str
    evidence: str


def _phrase_around(text: str, start: int, end: int, width: int = 40) -> str:
    """The words around text[start:end] on its line, "…" where cut."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    text = text if line_end < 0 else text[:line_end]
    left = max(line_start, start - width)
    right = min(len(text), end + width)
    while left > line_start and not text[left - 1].isspace() and start - left < width + 15:
        left -= 1
    while right < len(text) and not text[right].isspace() and right - end < width + 15:
        right += 1
    phrase = " ".join(text[left:right].split())
    return ("…" if left > line_start else "") + phrase + ("…" if right < len(text) else "")


def _words(name: str) -> str:
    return r"\s+".join(map(re.escape, name.split()))


@lru_cache(maxsize=32)
def _skill_patterns(vocabulary: tuple[str, ...]) -> tuple[re.Pattern | None, re.Pattern | None]:
    """One expression for the skills read in any case, one for those read as written:
    longest first, so "embedded C" wins over "C"."""
    ordered = sorted(vocabulary, key=len, reverse=True)
    anycase = [_words(s) for s in ordered if s.lower() not in _CASE_SENSITIVE_SKILLS]
    exact = [_words(s) for s in ordered if s.lower() in _CASE_SENSITIVE_SKILLS]

    def combined(names, flags):
        return (
            re.compile(r"(?<![\w+#])(?:" + "|".join(names) + r")(?![\w+#])", flags)
            if names
            else None
        )

    return combined(anycase, re.IGNORECASE), combined(exact, 0)


def read_skills(*, text: str, vocabulary: list[str], have: list[str] = ()) -> list[Found]:
    """Skills of `vocabulary` that `text` names as whole words, each with the phrase it came
    from, in vocabulary order, leaving out those in `have`. Everyday words ("Go", "R",
    "Spring") only count written with their capital. One pass over the text per case rule."""
    keys, by_key, patterns = _skill_reader(tuple(map(str, vocabulary)))
    known = {skill_key(skill) for skill in have}
    first: dict[str, Found] = {}
    for pattern in patterns:
        for match in pattern.finditer(text) if pattern else ():
            key = skill_key(match.group(0))
            if key in by_key and key not in known and key not in first:
                evidence = _phrase_around(text, match.start(), match.end())
                first[key] = Found(by_key[key], evidence)
    return [first[key] for key in keys if key in first]


@lru_cache(maxsize=32)
def _skill_reader(
    vocabulary: tuple[str, ...],
) -> tuple[tuple[str, ...], dict[str, str], tuple[re.Pattern | None, re.Pattern | None]]:
    """What read_skills works out from its vocabulary alone, once per vocabulary rather than
    once per message (it cost more than the reading): each skill's key in vocabulary order,
    key -> skill, and the two expressions."""
    skills = normalize_skills(list(vocabulary))
    return (
        tuple(skill_key(skill) for skill in skills),
        {skill_key(skill): skill for skill in skills},
        _skill_patterns(tuple(skills)),
    )


def suggest_skills(*, text: str, vocabulary: list[str], have: list[str]) -> list[str]:
    """Skills from `vocabulary` (the roles' and the profile's) that `text` names as whole
    words, in vocabulary order, leaving out the ones the person already has."""
    known = {skill.lower() for skill in have}
    # Each skill's expression took a third of a millisecond over a person's 50 messages,
    # 13 ms of their page: a skill whose first word the text does not hold is not looked for.
    lowered = text
    for twin, letter in _ASCII_CASE_TWINS.items():
        lowered = lowered.replace(twin, letter)  # (str.translate took 3 ms)
    lowered = lowered.lower()
    found = []
    for skill in normalize_skills(vocabulary):
        if skill.lower() in known:
            continue
        pattern, words = _skill_pattern_of(skill), skill.split()
        if words and skill.isascii():
            # Tried only where the text holds the first word (the same places: see
            # _ASCII_CASE_TWINS), not at each of its characters.
            first = words[0].lower()
            at = lowered.find(first)
            while at != -1 and not pattern.match(text, at):
                at = lowered.find(first, at + 1)
            if at != -1:
                found.append(skill)
        elif pattern.search(text):
            found.append(skill)
    return found


# The characters beyond ASCII that a case-insensitive expression matches to an ASCII letter
# (İ and ı to i, ſ to s, the Kelvin sign to k; tests/test_talent.py checks every character).
# With them made those letters, lower-casing keeps every character at its place (İ was the
# only one that lower-cases to two), and an ASCII word the expression finds in the text
# starts where the lower-cased text holds that word lower-cased: suggest_skills tries the
# expression only there, and finds what it found trying everywhere.
_ASCII_CASE_TWINS = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}


@lru_cache(maxsize=1024)
def _skill_pattern_of(skill: str) -> re.Pattern:
    """The skill's words, each whole and in order with any space between, any case."""
    return re.compile(
        r"(?<!\w)" + r"\s+".join(map(re.escape, skill.split())) + r"(?!\w)", re.IGNORECASE
    )


# --- Location ---------------------------------------------------------------------------------

# "I'm based in Lisbon", "living in São Paulo, Brazil", "located in New York": a statement
# of where someone is. Place names are capitalized words (and the glue words in them).
_PLACE_WORD = r"[A-Z][\w'’.-]*"
_PLACE_GLUE = r"(?:,\s*|\s+(?:de |del |da |do |la |le |am |upon )?)"
STATED_LOCATION = re.compile(
    r"\b(?i:based|living|located|residing|relocated|I live|I'm|I am)\s+(?i:in|near|out of)\s+"
    rf"({_PLACE_WORD}(?:{_PLACE_GLUE}{_PLACE_WORD}){{0,3}})"
)


def places(location: str) -> list[str]:
    """The places a location names, lower-cased: the part before any comma, without
    remarks in brackets, each alternative ("Copenhagen or Remote (EU)": copenhagen, remote)."""
    head = re.sub(r"\([^)]*\)", " ", location).split(",")[0]
    parts = re.split(r"\s+or\s+|/|;|\s+&\s+", head.lower())
    return [" ".join(part.split()) for part in parts if part.strip()]


places_of = places  # for functions with a parameter called `places`


def is_remote(location: str) -> bool:
    """Anyone may work from anywhere: "Remote", "Remote (US)", "Copenhagen or Remote (EU)"
    (any limits in brackets are left to the candidate to read)."""
    return "remote" in places(location)


def names_place(text: str, location: str) -> bool:
    """Whether `text` (where a person is, or what they wrote) names one of `location`'s
    places, as a whole word."""
    lowered = text.lower()
    return any(pattern.search(lowered) for pattern in _name_patterns(location))


@lru_cache(maxsize=256)
def _name_patterns(location: str) -> tuple[re.Pattern, ...]:
    """names_place's expressions for `location`, compiled once (intake asks for every
    message, with the same few roles' places)."""
    return tuple(
        re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
        for name in places(location)
        if name != "remote"
    )


# Cities people write from, beside the roles' places: where "in Berlin" or "from Amsterdam"
# is read as a location (a stated one, "based in …", needs no list).
GENERIC_PLACES = (
    "Amsterdam", "Athens", "Atlanta", "Austin", "Bangalore", "Barcelona", "Beijing", "Belgrade",
    "Berlin", "Bogotá", "Boston", "Bratislava", "Brussels", "Bucharest", "Budapest",
    "Buenos Aires", "Cairo", "Cape Town", "Chicago", "Cologne", "Copenhagen", "Dallas", "Delhi",
    "Denver", "Dubai", "Dublin", "Edinburgh", "Frankfurt", "Gdańsk", "Geneva", "Hamburg",
    "Helsinki", "Hong Kong", "Istanbul", "Jakarta", "Kraków", "Kyiv", "Lagos", "Leipzig", "Lima",
    "Lisbon", "London", "Los Angeles", "Lyon", "Madrid", "Manchester", "Melbourne",
    "Mexico City", "Miami", "Milan", "Montreal", "Moscow", "Mumbai", "Munich", "Nairobi",
    "New York", "Oslo", "Paris", "Porto", "Prague", "Riga", "Rome", "Rotterdam", "San Francisco",
    "São Paulo", "Seattle", "Seoul", "Shanghai", "Singapore", "Sofia", "Stockholm", "Stuttgart",
    "Sydney", "Taipei", "Tallinn", "Tel Aviv", "Tokyo", "Toronto", "Utrecht", "Valencia",
    "Vancouver", "Vienna", "Vilnius", "Warsaw", "Washington", "Wrocław", "Zagreb", "Zurich",
)  # fmt: skip
# "moving to Berlin", "relocating to Lisbon": where they will be, as good as where they are.
_MOVING = re.compile(
    r"\b(?i:moving|relocating|relocate|move)\s+(?i:to)\s+"
    rf"({_PLACE_WORD}(?:{_PLACE_GLUE}{_PLACE_WORD}){{0,3}})"
)
# "in Berlin", "from Amsterdam", "near Utrecht": only for a place we know, or these would
# read "in Python" or "from Google" as places.
_NEAR_PLACE = r"\b(?:in|from|near|out of|around)\s+(?:the\s+)?"


def _place(words: str) -> str:
    """The place in what a place pattern caught, up to the end of its sentence: "Berlin.
    Six years…" is Berlin (a short word's period stays: "St. Louis")."""
    return re.split(r"(?<=[a-z]{3})[.!?]\s", words)[0].rstrip(".,")


# A place someone only visits or mentions in passing is not where they live: "if you're
# ever in Austin", "visiting Berlin next month", "a conference in Lisbon". Looked for in the
# clause before the place (back to a comma or the sentence's start).
_IN_PASSING = re.compile(
    r"\b(?:ever|visit(?:s|ed|ing)?|trips?|travel(?:s|ed|led|ing|ling)?|vacation|holidays?|"
    r"conferences?|passing through|fly(?:ing)?|layover|stopover|next time|"
    r"you(?:'re|\u2019re| are| were))\b",
    re.IGNORECASE,
)


def _in_passing(text: str, start: int) -> bool:
    """Whether the place at `start` is one the writer visits or names in passing."""
    clause = re.split(r"[.!?;,\n]", text[max(0, start - 80) : start])[-1]
    return bool(_IN_PASSING.search(clause))


def _first_where_they_are(pattern: re.Pattern, text: str) -> re.Match | None:
    return next((m for m in pattern.finditer(text) if not _in_passing(text, m.start())), None)


def _role_place_named(text: str, place: str) -> re.Match | None:
    """Where `text` names a role's `place` other than in passing, or None."""
    name = re.escape(places_of(place)[0])
    return _first_where_they_are(re.compile(rf"(?<!\w){name}(?!\w)", re.IGNORECASE), text)


def read_location(*, text: str, places: list[str] = ()) -> Found | None:
    """Where the text says its writer is, with the phrase: a statement ("based in Lisbon",
    "moving to Berlin") first, else "in"/"from" a known place (`places`: the roles' places,
    then GENERIC_PLACES), else a role's place named anywhere; never a place they only visit
    or name in passing ("if you're ever in Austin"). None if nothing."""
    for pattern in (STATED_LOCATION, _MOVING):
        if found := _first_where_they_are(pattern, text):
            place = _place(found.group(1))
            return Found(place, _phrase_around(text, found.start(), found.end(), width=20))
    role_places = _role_places(tuple(places))
    known = _known_places(role_places)
    if found := _first_where_they_are(known[0], text):
        place = known[1][" ".join(found.group(1).lower().split())]
        return Found(place, _phrase_around(text, found.start(), found.end(), width=20))
    for place in role_places:
        if names_place(text, place) and (found := _role_place_named(text, place)):
            return Found(place, _phrase_around(text, found.start(), found.end(), width=20))
    return None


@lru_cache(maxsize=32)
def _role_places(places: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(p for p in places if p and not is_remote(p))


@lru_cache(maxsize=32)
def _known_places(role_places: tuple[str, ...]) -> tuple[re.Pattern, dict[str, str]]:
    """ "in"/"from"/"near" one of the known places, as one expression, and each place's name
    (lower-cased) back to the place: the roles' own before the generic ones."""
    names: dict[str, str] = {}
    for place in [*role_places, *GENERIC_PLACES]:
        if found := places_of(place):
            names.setdefault(found[0], place)
    alternatives = "|".join(_words(name) for name in sorted(names, key=len, reverse=True))
    return re.compile(_NEAR_PLACE + rf"({alternatives})(?!\w)", re.IGNORECASE), names


def place_pattern(location: str) -> str | None:
    """A regular expression (Python's and PostgreSQL's alike) that finds one of
    `location`'s places (remote aside) as a whole word in a person's location, or None."""
    names = [re.escape(name) for name in places(location) if name != "remote"]
    if not names:
        return None
    return r"(^|\W)(" + "|".join(names) + r")(\W|$)"


def stated_location(text: str) -> str:
    """Where the text says its writer is ("based in Lisbon" -> "Lisbon"), or ""."""
    found = _first_where_they_are(STATED_LOCATION, text)
    return _place(found.group(1)) if found else ""


def suggest_location(*, text: str, places: list[str]) -> str:
    """A location for a person from what they wrote: the place they say they are in, else
    the first of `places` (the roles' locations) their messages name, not in passing, else
    ""."""
    if stated := stated_location(text):
        return stated
    return next(
        (
            p
            for p in places
            if not is_remote(p) and names_place(text, p) and _role_place_named(text, p)
        ),
        "",
    )


def location_fits(*, location: str, role_location: str) -> bool:
    """Could someone at `location` take a role at `role_location`? Remote roles and roles
    without a place fit everyone, and so does every role for someone whose place is unknown."""
    if not location or not places(role_location) or is_remote(role_location):
        return True
    return names_place(location, role_location)


@dataclass(frozen=True)
class Fit:
    score: int
    why: tuple[str, ...]


def role_fit(
    *,
    skills: list[str],
    location: str,
    location_text: str,
    role_skills: list[str],
    role_location: str,
) -> Fit:
    """How well a person fits a role: two points per shared skill, one for the location.

    `location` is where a recruiter recorded the person to be; without it, `location_text`
    (their messages) is searched for the role's place. A remote role fits everyone's
    location. Location only adds to a skill match: a place alone is no fit."""
    mine = {skill.lower(): skill for skill in skills}
    shared = [skill for skill in role_skills if skill.lower() in mine]
    why = [f"Has {skill}" for skill in shared]
    score = 2 * len(shared)
    if shared and places(role_location):
        if is_remote(role_location):
            score += 1
            why.append("Remote role")
        elif names_place(location or location_text, role_location):
            score += 1
            why.append(f"Lives in {role_location}" if location else f"Mentions {role_location}")
    return Fit(score=score, why=tuple(why))


# --- Asking to be left alone ---------------------------------------------------------------------

# How people ask not to be written to again, in generic English. Matched case-insensitively
# on the candidate's own new words (quoted history removed), subject included.
LEAVE_ME_ALONE_PHRASES = (
    r"unsubscribe(?: me)?",
    r"(?:stop|quit|cease) (?:e-?mailing|contacting|messaging|writing to|spamming|sending me)",
    r"remove me from (?:your|the|this|all) (?:\w+ )?(?:list|lists|database|pool|records|system)",
    r"take me off (?:your|the|this|all) (?:\w+ )?(?:list|lists|database|pool)",
    r"(?:do not|don't|dont|never) (?:contact|e-?mail|message|write to) me",
    r"leave me alone",
    r"no (?:more|further) (?:e-?mails|messages|contact)",
    r"opt me out|opt out of (?:your|these|all|the) (?:\w+ )?(?:e-?mails|messages|list)",
    r"delete (?:my|all my) (?:data|details|information|personal data)",
)
_LEAVE_ME_ALONE = re.compile(
    r"(?<!\w)(?:" + "|".join(LEAVE_ME_ALONE_PHRASES) + r")(?!\w)", re.IGNORECASE
)
# "Please don't remove me from your list", "I never asked you to stop emailing me".
_NEGATED = re.compile(r"(?:\bdo not|\bdon['’]?t|\bnever|\bnot)\b[\w\s'’]{0,25}$", re.IGNORECASE)


def asks_to_be_left_alone(text: str) -> str | None:
    """The words in which `text` asks us not to contact its writer again, or None."""
    for found in _LEAVE_ME_ALONE.finditer(text):
        before = text[max(0, found.start() - 30) : found.start()]
        sentence = re.split(r"[.!?\n]", before)[-1]
        if not _NEGATED.search(sentence):
            return found.group(0)
    return None
