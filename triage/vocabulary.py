"""The vocabulary the rules look for: generic English only, never a company's words.

Phrase lists are regex fragments; concepts are words in any form (matching.Words), looked
for together in one sentence. The rules' questions that use them are triage/concepts.py; how
they are found is triage/matching.py. tests/test_rule_concepts.py checks this module, like the
rest of the policy, for every labeled company's words. A comment's "see <name>" names the
question in triage/concepts.py that uses the words.
"""

from __future__ import annotations

import re

from triage import matching
from triage.matching import Words

# Regex fragments, matched case-insensitively on word boundaries. They describe how people
# write, not any particular company, so they apply to every profile.

# What is applied for when it is not a job: "applied for permanent residence".
NOT_FOR_A_JOB = (
    r"(?!(?: (?:for|to))?(?: [\w-]+){0,3} (?:residen\w*|visas?|permits?|citizenship|passports?"
    r"|asylum|grants?|funding|fellowships?|scholarships?|mortgages?|leave|universit\w*|schools?"
    r"|phds?|masters?|programmes?|programs?)\b)"
)

# A request for a job, an interview or a meeting *now*. Any of these sends an otherwise
# "network" request to the funnel: the careers site is the path for people who want in now.
JOB_ASK_PHRASES = (
    r"(?:are|is) (?:you|you guys|your team|\w+) hiring|hiring right now",
    r"any (?:[\w-]+ )?"
    r"(?:openings?|open (?:roles?|positions?)|positions?|roles?|opportunities|jobs?"
    r"|vacanc(?:y|ies))",
    r"consider me for",
    r"(?:job|career|employment) opportunit(?:y|ies)",
    r"(?:seeking|explore|exploring) [\w\s,]{0,40}?opportunit(?:y|ies)",
    r"what(?:'s|\u2019s| is) open",
    r"foot in the door",
    r"fast[- ]?track(?:ed)?",
    r"skip (?:the|your) (?:online )?application",
    r"(?:rather than|instead of|bypass) (?:go(?:ing)? through )?(?:the|your) (?:online )?"
    r"application",
    r"(?:online|job|my) applications?",
    r"do job applications",
    # Thanks for one that happened is no ask: "thank you for introducing me to Jo", "for
    # referring me last month" (but "thanks in advance for introducing me" asks).
    r"refer (?:me|him|her|them)|(?:(?<=advance for )|(?<!for ))referring me|referrals?",
    # Passing on their CV is a job ask; "could you pass this on" (an offer of their work, a
    # study) is one only when it goes to whoever hires.
    r"pass (?:along |on )?my (?:resume|cv|profile|details|application)(?: along| on)?",
    r"pass (?:it|this|them) (?:along|on) to (?:the |your |a )?(?:hiring|recruit\w*|talent)",
    r"put in a (?:good )?word",
    # Asking to be recommended or introduced to whoever hires.
    r"recommend me|vouch for me|introduce me to|(?:(?<=advance for )|(?<!for ))introducing me to"
    r"|connect me (?:with|to)"
    r"|put me in touch with",
    r"(?:forward|forwarding|share|sharing|flag|flagging|pass|passing) my "
    r"(?:cv|resume|profile|details|name)",
    r"submitted (?:my|an) application",
    r"(?:uploaded|submitted|sent|sent in|sent off) my (?:cv|resume|details)",
    r"(?:put in|sent in|made|filed) an application",
    r"(?:like|love|want|wish|hope|hoping) to be considered",
    # Applied for a job, not for a visa, a residence or a grant.
    r"applied (?:for|to) (?:the|your|a|an)" + NOT_FOR_A_JOB,
    # Each alternative starts with its own words, so the regex engine can jump to them.
    *(
        rf"{start} (?:a|an|the|your) (?:[\w-]+ ){{0,4}}(?:role|position|job|opening|vacancy)"
        for start in ("apply for", "applying for", "interested in", "interest in", "considered for")
    ),
    # Their CV sent for a job ("for your files" is no job).
    r"my (?:cv|resume) for (?:a|an|the|your) (?:[\w-]+ ){0,4}(?:role|position|job|opening|vacancy"
    r"|post)",
    r"(?:to|with|let|front of) (?:the|your) hiring (?:manager|team)",
    r"my (?:candidature|candidacy)",
    r"send my (?:cv|resume) to|(?:who|whom|where) (?:[\w']+ ){0,3}send (?:my|a|the) (?:cv|resume)",
    r"(?:appreciate|like|love|grateful for|ask for|request) an? introduction to",
    # An interview for a job, not the word alone ("an informational interview" is above).
    "interview(?:"
    + "|".join(rf"(?<=\b{w} interview)" for w in ("job", "an", "first", "final", "next"))
    + ")s?",
    r"interview(?:s|ed|ing)? (?:for|with (?:you|your|the))",
    "interview"
    + "(?:"
    + "|".join(rf"(?<=\b{w} interview)" for w in ("can i", "could i", "can we", "may i"))
    + ")",
    r"available (?:immediately|right away|right now)",
    # Ready now, or an interview soon: "I can start immediately", "if I can interview soon";
    # not right after a time ahead ("I could start immediately after my PhD").
    r"(?:can|could|able to|ready to|free to) (?:start|begin|join) (?:immediately|right away"
    r"|right now|at once|straight away|asap)(?! after| once| when| following| upon)",
    r"interview (?:soon|shortly|this week|next week)",
    r"(?:need|find|looking for|seeking) (?:a |an )?(?:new )?employer",
    r"(?:looking for|need) (?:a|an|my next|the next) (?:new )?(?:job|role|position|opportunity)",
    r"(?:before|planning to|plan to|about to) apply",
    r"(?:i|i've|i have|and) (?:already |just |recently |now |also )?applied" + NOT_FOR_A_JOB,
    r"(?:hope|hoping) (?:of|for) (?:a|an) (?:[\w-]+ ){0,3}(?:position|role|job|opening|place)",
    r"(?:chance|possibility|opportunity|way) (?:to|of) (?:join|joining) (?:your|the|you)",
    r"help me (?:to )?(?:find|get|land|secure) (?:a |an )?(?:[\w-]+ ){0,2}(?:job|role|position"
    r"|interview)|help me (?:to )?get (?:into|in at)",
    # Help with an application about to go in: "before applying", "feedback on my CV".
    r"before (?:i )?applying|before i apply",
    r"(?:feedback|opinion|advice|comments?|thoughts) on my (?:cv|resume|application|cover letter)",
    r"(?:review|check|look at|look over) my (?:cv|resume|application)",
    # Meaning to apply, announced: "I'd like to apply", "I'm keen to apply", "I'd like to put
    # myself forward" (turned around by a negation: "I'm not going to apply now").
    r"(?:like|love|want|wish|intend|writing|keen|eager|hoping|hope|decided|going|ready) to "
    r"apply",
    r"put (?:myself|my name|me) forward|be put forward|(?:throw|throwing|threw) my hat",
    r"(?:hereby|herewith) apply",
    # "applying" first, so only texts with the word are searched ("i am" is in most).
    "applying"
    + "(?:"
    + "|".join(rf"(?<=\b{w} applying)" for w in ("i am", "i'm", "i\u2019m", "hereby"))
    + ")",
    r"(?:looking for|seeking|any|have) (?:a |an |any )?(?:[\w-]+ ){0,2}internships?",
    r"(?:looking for|seeking|any) (?:a |an |any )?(?:[\w-]+ ){0,2}(?:placements?|traineeships?"
    r"|apprenticeships?)",
    r"internship (?:opportunit(?:y|ies)|positions?|roles?)",
    # Asking to be taken on as one: "do you take interns", "would you accept an intern".
    r"(?:take|taking|accept|accepting|hire|hiring|need|want) (?:on )?(?:any |an |a |more )?"
    r"(?:[\w-]+ )?interns?",
    r"pay range|salary|sign[- ]on bonus|relocation (?:package|assistance|support)",
    # A competing offer waiting for their answer: they want one from us now.
    r"(?:competing|another|other|second|rival) (?:job )?offers?",
    r"(?:made|given|extended) me an? (?:job |firm )?offer",
    r"(?:got|received|holding) an? (?:job |firm )?offer(?! to (?:stay|extend|remain|renew))",
    r"offer (?:from|with) (?:a|an|another|the)",
    r"offer (?:that |which )?expires",
)

# A meeting asked for now: a call, a coffee, an informational interview. Not a job ask (the
# "interview" in "informational interview" is not a job interview), but someone who wants our
# time now is not waiting for later either, so it too keeps a request out of "network later".
MEETING_ASK_PHRASES = (
    r"informational (?:interview|chat|call|meeting)",
    r"coffee chat|virtual coffee|pick your brain",
    r"(?:schedule|set up|hop on|jump on) (?:a|an) (?:short |quick |brief )?"
    r"(?:call|interview|time|chat|meeting)",
    r"\d+(?:\s*-\s*\d+)?[- ]minutes? (?:of your time|with (?:you|your))",
    r"(?:have|spare|give me|get me|schedule|book|borrow|steal|grab) (?:\d+(?:\s*-\s*\d+)?|a few"
    r"|five|ten|fifteen|twenty|thirty) minutes",
    r"(?:time|free|available) for a (?:short |quick |brief )?(?:call|chat|coffee|meeting)",
    r"(?:grab|get) (?:a )?coffee|meet (?:up )?for (?:a )?coffee",
    r"(?:can|could) we (?:meet|talk|speak|chat)",
)

# Right before a job ask, these turn it around: "I'm not looking for a job", "I'm no longer
# after an interview", "I don't need a referral". Up to one word may sit between ("not
# actively looking for").
NEGATING_WORDS = ("not", "no longer", "never")
NEGATING_ENDINGS = ("n't", "n\u2019t")  # don't, isn’t

# Saying plainly that they are not job-hunting now, or are reaching out for later. Together
# with relevant skills, this is someone worth keeping in touch with.
NOT_LOOKING_NOW_PHRASES = (
    r"not (?:actively |currently )?"
    r"(?:applying|looking|seeking|job[- ]hunting|on the (?:job )?market)",
    r"not (?:yet )?ready to (?:apply|move|leave|make (?:a|the) (?:move|change|switch|jump))",
    r"not (?:planning|looking|able) to (?:move|leave|switch|apply)",
    r"not in a position to (?:move|leave|switch|apply)",
    r"(?:happy|content|settled) (?:where i am|in my current (?:role|job|position))",
    # "In the future" alone closes many an application: it counts as a time ahead only with
    # a word of availability (see later_availability: "happy to talk in the future").
    r"down the (?:road|line)",
    r"timing (?:isn't|isn\u2019t|is not) right",
    r"can(?:'t|\u2019t|not) consider a move",
    r"(?:don't|don\u2019t|do not) (?:plan|intend|want) to (?:apply|move) (?:yet|now)",
    r"(?:stay|keep) in touch|on your radar|keep (?:me|my (?:name|details)) in mind",
    # Offering to write again later: "I'll get back in touch then", "check back in spring".
    r"(?:get|be) back in touch|get in touch again|reach out again|check back|staying put",
    r"write (?:to you )?again",
    r"(?:touch base|circle back|reconnect) (?:again|later|then|once|when|after|in|next)",
    r"keep the door open|(?:keep|stay) in contact",
    # The writer offering it, not asking us to: not "please be in touch if there is a role".
    r"(?:i'll|i\u2019ll|i will|like to|love to|happy to|glad to) be in touch",
    # A time named as the earliest: "not before the spring", "not until next year".
    r"not (?:before|until|till) (?:the |next |early |late |mid-?)?(?:january|february|march"
    r"|april|may|june|july|august|september|october|november|december|spring|summer|autumn"
    r"|fall|winter|new year|next year|then|20\d\d|q[1-4])",
    r"keep the conversation going",
    r"in a year or so|next year",
    r"introduc(?:e|ing) myself (?:early|before|ahead|in advance)|ahead of time",
    r"nothing (?:to ask|urgent)|no (?:rush|action needed|need to (?:reply|respond|answer))",
    r"not asking (?:you )?(?:for )?anything",
    r"too early (?:for me )?to (?:apply|move|switch)",
)

# Distinctions recognised outside one's own employer: awards, best papers, competition wins
# and records, authorship of widely used work, standards / programme committee roles.
DISTINCTION_PHRASES = (
    r"best[- ](?:[\w-]+[ -]){0,3}paper(?:[ -](?:award|prize))?",  # "a best-paper prize"
    r"(?:won|winners? of)\b[^.!?]{0,80}?"
    r"\b(?:awards?|prizes?|medals?|competitions?|challenges?|championships?|gold|first place)",
    # Received, in any tense, not hoped for ("to receive"); or got.
    r"(?:(?<!to )receive[sd]?|awarded|recipient of|earned|got)\b[^.!?]{0,60}?"
    r"\b(?:awards?|prizes?|medals?)",
    r"(?:set|broke|holds?) (?:the |a )?(?!track )(?:[\w-]+ )?record",
    r"(?:competition|world|benchmark) record",
    r"(?:first|1st) place|gold medal",
    r"(?:co-?)?(?:creator|inventor|original author) (?:and [\w ]{1,30}? )?of",
    r"(?:lead|core|principal) maintainer|maintainer of",
    r"(?:created|wrote|built|author of|maintain(?:s|ed)?|maintainer of)\b[^.!?]{0,60}?"
    r"\bwidely[- ]used",
    r"\d[\d,.]*k? github stars|\d{1,3}(?:,\d{3})+ stars|\d+(?:\.\d)?k stars",
    r"convenor|convener",
    r"(?:chair|co-chair|chairperson|editor) of (?:the )?[\w\s-]{0,40}?"
    r"(?:committee|working group|standard|conference|symposium)",
    r"(?:committee|working group) (?:chair|convenor|convener|lead)",
    r"(?:ieee|acm|aaai|aaas) fellow",
    # Not one they heard: "I attended the plenary lecture".
    r"(?<!attended the )(?<!watched the )(?<!heard the )(?<!enjoyed the )(?<!saw the )"
    r"(?:keynote|plenary) (?:speaker|talk|address|lecture)",
    # Given by them, not heard ("I attended the keynote"): "gave the opening keynote", "was
    # the keynote at", "invited to give the plenary lecture"; an invited speaker.
    r"(?:gave|give|giving|delivered|deliver|delivering|(?:i|he|she) (?:was|am|is|have been"
    r"|has been)) (?:(?:the|a|an) )?(?:[\w-]+ ){0,2}?(?:keynote|plenary)",
    r"invited (?:keynote|plenary|speaker|talk|lecture)",
    r"(?:i|he|she) keynoted",  # "I keynoted the workshop on ..."
    r"(?:most|highly|widely)[- ]cited|landmark (?:paper|study|trial)",
    r"(?:award|prize|medal)[- ]winning|laureate",
    r"(?:honou?red (?:(?:me|him|her|them|us) )?(?:with|by)|presented with|elected (?:a )?fellow)",
    # An honour without a name, received: "was given a national prize", "recognised with an
    # international award", "took first prize".
    r"(?:was|were|been) given\b[^.!?]{0,40}?\b(?:awards?|prizes?|medals?)",
    r"recogni[sz]ed with\b[^.!?]{0,40}?\b(?:awards?|prizes?|medals?)",
    r"(?:first|1st|top|grand) prize",
    # Given by a body: "the association gave me its lifetime award", "their highest honour".
    r"(?:gave|give|gives) (?:me|him|her|us|them) (?:its|their|the|a|an)\b[^.!?]{0,40}?"
    r"\b(?:awards?|prizes?|medals?|honou?rs?)",
    # ... or gave its prize for the work ("the method the society gave its annual prize
    # for"), in the past: "the society gives its prize for ..." is one still to win.
    r"gave (?:its|their) (?:[\w-]+ ){0,4}?(?:awards?|prizes?|medals?)",
    r"highest honou?r",
    # A fellowship received or held ("awarded a two-year fellowship to work on", "on a
    # fellowship"): not one that is a job or training ("a teaching fellowship"), nor one
    # applied for.
    r"(?:(?:awarded|granted|won|received|earned|given|held|holds?)\b[^.!?]{0,50}?|on (?:a|an) "
    r"(?:[\w-]+ ){0,3}?)(?<!clinical )(?<!teaching )(?<!training )(?<!graduate )fellowships?",
)

# Which of those distinctions are roles: a maintainer, a creator, a chair, an editor, a
# convenor (the reason calls them a recognised role, not a distinction).
ROLE_DISTINCTION = re.compile(
    r"\b(?:maintainers?|creators?|inventors?|original authors?|chair|co-chair|chairperson|"
    r"editor|convenor|convener|lead)\b",
    re.IGNORECASE,
)

# A distinction is discounted when its sentence says it was internal to an employer:
# "employee of the month", "spot award", "first place in our internal hackathon".
INTERNAL_AWARD_MARKERS = (
    r"internal",
    r"in-house",
    r"company-wide",
    r"of the (?:month|quarter)",
    r"spot award",
    r"employee of the",
    r"president['\u2019]s club",
    r"peer award",
    # Named by their own employer: "named my employer's Colleague of the Year".
    r"(?:my|our) (?:[\w-]+ ){0,3}?[\w-]+['\u2019]s (?:[\w-]+ ){0,4}?of the year",
    # (Won by a team they are in, not by them: concepts._a_teams_award.)
    # Given by the employer itself: "won the company's innovation award".
    r"(?:the|my|our) (?:company|firm|employer|organisation|organization)['\u2019]s "
    r"(?:[\w-]+ ){0,3}?(?:award|prize)",
)
# ... or when it was given to a team, not to them: "our team won Team of the Year at the
# industry awards", "the department received the society's team award", "named best team";
# a paper's prize stays its authors' ("my team won the best paper award").
TEAM_AWARD_MARKERS = (
    r"(?:team|squad|crew|unit|department) of the year",
    r"team[- ](?:awards?|prizes?|trophy|trophies|medals?)",
    r"(?:named|won|voted) (?:the )?best team",  # not "to join the best team in the field"
)

# Shared company inboxes. Cc'ing jobs@ or careers@ is not an employee vouching for anyone.
GENERIC_INBOX_LOCAL_PARTS = (
    "jobs", "job", "careers", "career", "info", "hr", "recruiting", "recruitment",
    "recruiter", "recruiters", "talent", "hello", "contact", "hiring", "apply",
    "applications", "people", "team", "office", "admin", "support", "noreply",
)  # fmt: skip
# Machine senders, however the parts are joined ("no-reply", "do_not_reply"): an automatic
# acknowledgement they sent is not our recruiter writing.
AUTOMATED_LOCAL_PARTS = ("noreply", "donotreply", "notifications", "mailerdaemon", "autoreply")

# Concepts: words in any form (matching.Words), looked for together in one sentence.
# Distinction, a role: a title with a body it serves ("chaired the working group").
ROLE_TITLES = Words(
    "chair co-chair vice-chair chairman chairwoman chairperson convenor convener rapporteur "
    "editor fellow"
)
BODIES = Words(
    "committee subcommittee group workgroup standard specification profile council board panel "
    "consortium taskforce commission federation association conference symposium foundation "
    "journal spec society academy institute guideline challenge"
)
# A fellow of a body is an honour when the body confers it ("elected a Fellow of the
# Society", "made an honorary fellow"); otherwise it is a grade of membership reached by
# examination and years ("I am a Fellow of the Institute of Actuaries"), a qualification.
FELLOW, CONFERRED = Words("fellow"), Words("elected named made honorary awarded inducted")
# ... or a code of practice: "editor of the national code of practice for deep wells", or a
# recommended practice.
CODE_OF_PRACTICE = matching.stems_of("code of practice")
RECOMMENDED_PRACTICE = matching.stems_of("recommended practice")
# ... or a standard named by its designation, with no word for it: "editor of EN 50129",
# "chair for ISO 24444:2019", "IEC 61508-3" (capitals, then a number of three digits or more).
STANDARD_DESIGNATION = re.compile(r"\b[A-Z]{2,8}(?:/[A-Z]{2,8})?[ -]\d{3,}(?:[-:.]\d+)*\b")
# Drafting one is an editor's role: "I'm the one holding the pen on the guideline".
HOLDING, PEN = Words("hold holds holding held"), Words("pen")
# To edit what the field works to is an editor's role, told by the verb: "has edited the
# recommended practice on well cementing", "edits the national guideline", "edited the code
# of practice" (the text a few words on; not "edited the newsletter", nor our own
# guideline: see _editing_a_standard).
EDITS = Words("edit edits edited")
EDITED_DOCUMENTS = Words("standard specification spec guideline guidance practice norm")
# Heading a committee: "led the committee that wrote the standard", "headed the task group",
# "chaired the shared task" (an evaluation campaign the field holds).
LEADING = Words("led lead headed head chaired convened steered")
COMMITTEES = Words("committee subcommittee consortium taskforce workgroup commission")
# ... or an expert body: "led the expert panel that wrote the guideline", "chaired the
# scientific advisory board" (not "led a panel discussion").
GROUP_KINDS = Words("working work task shared expert advisory scientific steering")
GROUPS = Words("group force task panel board")
SENIORITY = Words("core lead principal original")  # followed by one of ROLE_NOUNS
ROLE_PEOPLE = frozenset(
    "developer maintainer contributor committer architect designer author".split()  # noqa: SIM905
)  # as written: the person, not the work ("development") that shares the stem
ROLE_NOUNS = Words(" ".join(sorted(ROLE_PEOPLE)))
# A rank and a trade that make a job title too ("lead developer at a small co-op").
JOB_RANKS, JOB_TITLES = Words("lead principal"), frozenset({"developer", "architect", "designer"})
FIRMS = Words("startup company firm agency consultancy employer")
# Before "lead", a rank, not the act: "I'm lead DFT engineer", "as lead engineer".
RANK_BEFORE = frozenset(
    "i'm i\u2019m am is was are be been as a the our their his her my".split()  # noqa: SIM905
)
FIRM_COMPOUNDS = frozenset({("start", "up"), ("co", "op")})  # "a start-up", "a co-op"
ORIGINATORS = Words("creator co-creator inventor co-inventor patent committer")
# Titles only a standards body gives, whatever the body is called ("rapporteur for the text").
STANDING_ROLES = Words("rapporteur convenor convener")
# Distinction, a creation: something made that the field uses.
MAKING = Words(
    "created invented wrote written authored designed built developed published maintain paper "
    "pioneered devised architected co-founded founded originated started rewrote rewritten drafted "
    "proposed"
)
# "The wave set I made from buoy records": "made", with what was made told before it, the
# verb followed by where or how, not by its object ("made the move") nor its maker ("made by").
MADE = Words("made")
# Making as a verb in any form, after "started": "started writing the checker" is making it,
# "started taking calls" beginning to do something (see _starting_to_do).
MAKING_VERBS = Words(
    "write writing builds building develop developing design designing create creating make "
    "making draft drafting code coding"
)
# Putting a collection together is making it: "assembled the reference panel", "compiled the
# tables", "curated the records"; as verbs only, not "an assembly line", "a compiler", "the
# curator" (see _acts_of_making).
ASSEMBLED = Words("assemble compile curate")
VERB_ENDINGS = ("e", "es", "ed", "ing")
AFTER_MADE = frozenset(
    "from for in with at during on over across using while when".split()  # noqa: SIM905
)
# "My library is deployed in 60 banks": their own work, in use across the field.
MINE = Words("my")
IN_USE = Words("used deployed adopted installed run runs relied taught ship ships shipped")
# In an introduction the record is told in the third person: "her model is now the reference
# method", "he's the person behind the library most operators rely on" (see _introduced).
THEIRS = Words("his her")
OWNERS = Words("my his her")  # whoever's, for a first look at the message (RECORD_WORDS)
# Their work claimed after the thing, as its owner: "the routine every team uses was
# mine", "... is hers", "was my idea" (see _claimed_as_theirs).
CLAIMED = frozenset({"is", "was"})
OWN_CLAIMS, THEIR_CLAIMS = frozenset({"mine"}), frozenset({"hers", "his", "theirs"})
CLAIMED_WORK = Words("idea invention design creation work doing")  # "was my idea"
# ... or named after them: "the Reyes method is named after me" (in an introduction "after
# him", "after her").
NAMED_AFTER = frozenset({"named", "called"})
# ... or known by their name: "the X method bears my name", "you may know my name from the
# X criteria".
BEARS = frozenset({"bears", "carries", "bear", "carry"})
KNOW = Words("know known recognise recognize")
CLAIMERS = Words("mine hers theirs named name")  # for a first look at the message (RECORD_WORDS)
# Making in other words: "the person behind the library", "responsible for the code",
# "came up with the method", "leads the project", "the author of the textbook", "put it
# together", and keeping it: "reviews and merges every change", "still looks after it",
# "keeps it going"; "the rules we worked out", "the project lead for the handbook" (see
# _made_in_other_words).
OTHER_MAKING = Words(
    "behind responsible came come lead leads led merges merged looks keeps author put worked"
)
BEHIND_IT = frozenset(
    "person one mind minds brain brains force man woman guy engineer is was".split()  # noqa: SIM905
)
WRITING = Words("wrote written write writes")
PEOPLE_LED = Words("team group department unit squad staff people crew office")
DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those", "its", "their"})
# Someone else, as the one who made it in a candidate's own words: "my supervisor wrote".
OTHERS = Words(
    "he she they supervisor advisor adviser professor mentor colleague boss manager father "
    "mother friend anyone anybody someone somebody your"  # "if anyone on your team has built"
)
SUBJECTS = frozenset({"i", "we", "i've", "we've", "i'd", "we'd", "i'm", "we're"})
# ... or a team or a firm they work in: "I spent a year in the team that built it", "a big
# group, the one that developed most UV filters" (not "my team", nor one they led: see
# _made_by_someone_else).
TEAMS = Words("team group department unit company firm lab manufacturer")
HEADED = Words("led lead leads headed heads founded co-founded ran runs managed manages")
# The whole field, not many of it: in a skill the company hires for every year (an opening's,
# not a hard-to-fill one) a record counts when most or all of the field works to it: "most
# contractors run it", "all the big mills design to it" (see _most_of_the_field).
# As written: "entirely", "mostly" say how, not how many ("rather than relying entirely on").
MOST_OF_THE_FIELD = frozenset(
    {"most", "every", "all", "nearly", "almost", "whole", "entire", "everyone", "everybody"}
)
# The field's default: "is the default in most packages", "became the baseline" (see
# _the_default); not "a default setting".
THE_DEFAULT = Words("default baseline benchmark reference")
# Part of the standard distribution of the field's tool: "ships with the standard
# distribution", "is included in the official releases", "comes bundled with the stock
# install" (see _in_the_standard_distribution); not "ships with our own tool".
RELEASED_WITH = Words("ships shipped ship comes came bundled included distributed part")
OFFICIAL = Words("standard official default stock mainline")
RELEASES = Words(
    "distribution releases install installation builds library package toolbox toolkit version"
)
# An award a team won, not the writer: "my team won the X Award", "our lab was awarded the
# prize", "the project team I was part of won" (see _a_teams_award). The winning words, and
# whose the team is.
WON = frozenset(
    "won win wins received receives awarded earned got given winner winners".split()  # noqa: SIM905
)
TEAM_OWNERS = frozenset({"my", "our", "the"})
AUXILIARIES = frozenset({"was", "were", "has", "have", "had", "been", "also", "then", "jointly"})
AT_FIELD_SCALE = Words("most every nearly almost half millions thousands hundreds dozens worldwide")
ADOPTED = Words("widely baseline facto reference benchmark default")
# ... or what others did to it, as a participle: "bundled with", not "a care bundle".
ADOPTED_ACTS = Words(
    "relied adopted mandated bundled embedded shipped deployed cited licensed commercialised "
    "commercialized incorporated endorsed"
)
MANY_IN_THE_FIELD = Words(
    "most many lot share number major millions thousands hundreds dozens industry every half "
    "whole entire "  # "the whole research community", not "the whole team" (ONE_SIDE)
    "nearly almost worldwide nationwide everywhere largest leading everyone everybody several "
    "three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty "
    "sixty seventy eighty ninety hundred thousand million"
)
# "two of the big vendors", "the top lenders": the field's leaders, after "the" and before
# them in the plural (not "a big model" nor "the big leak": a size; see _the_big_names).
THE_BIG = Words("big biggest top")
# Counts that are not of the field's firms or practitioners: people at large ("hundreds of
# people downloaded it"), their employer's own ("most departments at the university") and
# time ("after ten years as a chef").
NOT_THE_FIELD = Words(
    "people folks users visitors followers fans hobbyists amateur amateurs friends "
    "colleagues coworkers staff employees departments "  # ... or inside their employer
    "years months weeks days hours decades"
)
# "The whole team", "the entire company": one employer's people, not the field's.
WHOLE = Words("whole entire")
ONE_SIDE = Words("team group department unit staff office company firm class family lab")
# ... unless what they use it for is work: "a lot of people use to set up X runs" (not "used
# to", what people once did).
PEOPLE, USED_FOR_WORK = Words("people folks"), Words("use run")
# ... or people who cite it: only the field cites ("many people cite it", "hundreds of people
# have cited my paper"; not "many people read it").
CITE = Words("cite cites cited citing")
# Words that share a USED word's stem but say no use: "a comparative study", "a comparison"
# are their own act of comparing, not many comparing against it.
NOT_A_USE = ("comparat", "comparis")
# "The leading firms", a count of the field, not "leading the work", an act (a determiner
# after it).
LEADING_FIRMS = Words("leading")
# What the whole field did before a first of theirs: "Before, everybody used towed sonar",
# "Before that dive nobody had a housing that survived" (see _first_beside_the_fields_past).
EVERYBODY = frozenset({"nobody", "everybody", "everyone", "noone"})
NOT_A_FIRST = frozenset({"time", "place", "step", "day", "week", "month", "year", "job"})
# The writer's own side: "we now run 30 tests a quarter" is not the field using it.
OURSELVES = frozenset({"i", "we", "us", "our", "my", "i've", "we've", "i'm", "we're", "i'd"})
# "industry standard", "de facto standard", "standard practice", "the standard tool", "the
# industry norm".
STANDARD_MAKERS, STANDARD = Words("industry facto"), Words("standard norm")
STANDARD_THINGS = Words("practice tool method approach reference benchmark")
# What became the standard in other words: "it became the normal practice", "is now the
# accepted method" (a practice of its own, "weekly checks are the normal practice", is not).
USUAL = Words("normal usual accepted customary")
BECAME = frozenset({"is", "was", "been", "became", "become", "becomes", "remains", "now"})
REFERENCE = Words("reference")  # "the reference method", "the reference tool"
USED = Words(
    "used uses run runs compare cite install download depend ship sold sell rely basis underpin "
    "license licenses quote quotes "  # "which most insurers license", "everyone quotes"
    # "sits behind the screens of most forwarders", "the procedure every operator had to
    # follow" (see _used_by_others)
    "behind underneath follow "
    "teach "  # "the textbook most courses teach from"
    # "its tables copied in the reports of many lenders", "most operators copy it"
    "copy "
    # "the detail has since been reused on eight other bridges", "a dozen operators have
    # replicated it" (not their own side's: "we reused it on our sites")
    "reuse reused replicate replicated"
)
# Inside the field's vendors' products: "it is now implemented in two commercial packages",
# "built into a commercial design suite" (see _inside_commercial_products; not "I built
# commercial software", nor "our commercial products").
COMMERCIAL = Words("commercial")
PRODUCTS = Words("tool software packages products platform programs programme suite system code")
HOLDS_IT = frozenset({
    "implemented", "included", "built", "embedded", "incorporated", "available",
    "shipped", "ships", "now", "is", "are", "was", "were",
})  # fmt: skip
INSIDE = frozenset({"in", "inside", "into", "within"})
# What the field is bound to: "the checker every vendor has to pass", "the proofs every
# vendor must deliver", "the limits all labs need to meet" (not "every batch passes"; see
# _bound_to_it).
BOUND_TO = Words("pass comply deliver meet")
MUST = frozenset({"must", "has", "have", "had", "need", "needs", "required", "obliged"})
COPY = Words("copy")  # the verb, not "a copy of my CV" (see _used_by_others)
BASIS = Words("basis")  # "the basis for most ...", not "the pricing basis on our deals"
# A body of the field that gives it out or makes it its own (see _given_out_by_a_body).
AUTHORITIES = Words("association society regulator agency manufacturer ministry federation council")
# "The regulator cites it in its guidance", "made it mandatory" make it the body's own too.
GIVES_OUT = Words(
    "gives distributes issues recommends mandates requires adopted endorsed cites mandatory "
    "compulsory"
)
PUT = Words("put")  # "put into its handbook"
# "Most cooperatives feed their data into it": FEED, then INTO a few words on.
FEED, INTO = Words("feed feeds"), Words("into")
# "The spec every studio is certified against": what the field is measured by.
MEASURED, AGAINST = Words("measured certified tested judged audited assessed"), Words("against")
# ... or what the field calibrates, benchmarks or checks its own work against, that work
# named in between: "most labs calibrate their gauges against it", "nearly every lab
# validates new assays against it" (see _checked_against_by_many).
CALIBRATED = Words("calibrate benchmark validate check compare score grade evaluate")
# "The mill most firms now source from": what the field buys from.
SOURCING, FROM = Words("source sourced buy bought"), Words("from")
# "What most later work builds on": what the field builds on, or starts from ("what every
# operator now starts from").
BUILT, ON = Words("builds built"), Words("on upon")  # any form: "building on"
# "It is part of most test plans": what the field's own practice includes.
PART = Words("part")
# "The calculator most consultants work with": the many, then WORK WITH (see _used_by_others).
WORK, WITH = Words("work works"), Words("with")
# "Most start-ups I know started from it", "what every operator now starts from": what
# the field starts from (see _built_on_by_others, _relied_on_by_many).
STARTED = Words("start starts started")
# "Most packages in the field include it": what was made, included by others. Not "including"
# before a list ("three candidates, including one ..."), which says nothing of use.
INCLUDE, IT = Words("include includes included"), Words("it them")
# What others do with it, as verbs with it: "vendors bundle it", "most studios embed it".
USED_IT = Words("bundle bundles embed embeds license licenses integrate integrates")
# Not distinction, however it is worded.
SELF_DESCRIBED = Words(
    "tutorial course bootcamp hobby blog homework passion passionate student internship fun "
    "friends classmates portfolio capstone"
)
# ... but portfolios in the plural are a firm's books of business (see _self_described).
BOOKS_OF_BUSINESS = frozenset({"portfolios"})
# A first in the field: an act of theirs a few words before "the first", and after it a first
# of its kind: "to" and a verb ("the first bridge bond to cover tidal risk"), "ever", or a body
# accepting it ("the first glued retrofit ... that the regulator accepted as permanent"). Not a
# first in time or at work: "the first phase", "the first draft", "the first time"
# (FIRSTS_AT_WORK).
FIRST = Words("first")
FIRST_ACTS = Words(
    "led did delivered structured designed built ran placed performed completed carried made "
    "wrote developed launched executed achieved engineered created installed "
    "recovered discovered demonstrated proved observed"  # "recovered the first working copy"
)
FIRSTS_AT_WORK = Words(
    "time phase step stage round draft version half day week month year quarter job role hire "
    "employee person member one place author sprint iteration prototype"
)
ACCEPTED = Words("accepted approved certified")
# A subject that names a job, not the writer's field ("Sound Designer", "Design Engineer
# application"): beside a prize, its words are no headline (see hard_skills_around). A job
# is an agent noun (AGENT_ENDINGS: "designer", "scientist", "librarian") or a word for one.
JOB_NOUNS = frozenset({"job", "jobs", "role", "position", "vacancy", "opening", "application"})
AGENT_ENDINGS = ("er", "ers", "or", "ors", "ist", "ists", "ian", "ians", "yst", "ysts")
# A skill's word that names it in part, beside a creation (see _named_in_part): a stem this
# long is distinctive ("glacier", "interlock"), a shorter one often plain ("model", "data").
PART_OF_A_SKILL = 6
SIDE, PROJECT = Words("side personal pet"), Words("project projects")  # "a side project"
# "A hobby horse" is a pet subject, not a hobby.
HOBBY, HORSE = Words("hobby"), Words("horse")
# "Taught in most courses": courses that teach their work, not ones they took.
TAUGHT, COURSES = Words("taught teach teaches teaching"), Words("course courses")
# A course they took, not one they made: "during a course", "in a short course"; and work
# done for one, "a course project" (see _courses_made).
TAKING = frozenset(
    "during in on at through after for from via while taking took completed attended".split()  # noqa: SIM905
)
COURSE_WORK = frozenset({"project", "projects", "work", "assignment", "assignments", "homework"})
# A fellowship or prize known by its name (see named_honours), and ranks, which make a
# fellow's job title ("Senior Research Fellow"), not a name.
HONOURS = Words("fellow fellowship prize award medal laureate")
WINNING = Words("won winning")
RANKS = Words(
    "research postdoctoral senior junior teaching clinical visiting graduate doctoral "
    "honorary associate assistant"
)
# A capitalised word a few words before an honour, or right after "won" (see may_name_honours).
NAMED_HONOUR_HINT = re.compile(
    r"\b[A-Z][\w'\u2019]*[\s-]+(?:[\w'\u2019]+[\s-]+){0,3}"
    r"(?i:fellow|fellowship|prize|award|medal|laureate)s?\b"
    r"|\b(?i:won)\s+(?:(?i:the|a|an|this)\s+)?(?:\d+\s+)?[A-Z]|\b[A-Z]\w*-(?i:winning)\b"
)
# What a match of NAMED_HONOUR_HINT needs, in the lower-cased text: an honour's word after a
# space or a hyphen, "won", or "-winning". Most texts with an honour's word have it in a
# link (".../awards/"): this rules them out in one quick search (see may_name_honours).
NAMED_HONOUR_NEEDS = re.compile(r"[\s-](?:fellow|prize|award|medal|laureate)|won|-winning")
ARTICLES = frozenset({"the", "a", "an", "this"})
# A capitalised word with "'s" that is no one's name: "It's", "Here's".
NOT_NAMES = frozenset({"it", "that", "here", "there", "he", "she", "let", "what", "who", "this"})
NOT_A_PRIZE = Words("contract tender bid deal account client customer business pitch election")
# An existing relationship: thanks for (or pleasure in) a conversation that already happened.
# Thanks also in the words non-native writers keep from their own language ("Merci for ...").
THANKS_WORDS = (
    "thank thanks grateful appreciate enjoyed merci danke dank dankjewel bedankt gracias grazie "
    "obrigado obrigada kiitos dziękuję dziekuje dzięki tack tak takk děkuji díky"
)
THANKS = Words(THANKS_WORDS)
# Its words as written, for a first look at a text's words (see _may_thank_for_the_conversation).
THANKS_FORMS = frozenset(THANKS_WORDS.split()) | {
    "thanked", "thanking", "appreciated", "appreciating", "enjoy", "enjoying",
}  # fmt: skip
# "Great meeting you at the fair": pleasure in a conversation, a weaker sign than thanks.
PLEASURE = Words("pleasure great nice lovely good wonderful")
CONVERSATION = Words(
    "call chat chatting conversation talk talking speak speaking spoke meeting met coffee lunch "
    "phone discussion catching "
    # ... and in the writer's own language (a French elision is one word: "l'appel").
    "appel l'appel entretien l'entretien échange l'échange gespräch telefonat llamada charla "
    "conversación chiamata telefonata chiacchierata colloquio conversa rozmowa rozmowę gesprek "
    "telefoongesprek samtal samtalet samtalen praten keskustelusta puhelusta rozhovor hovor papo "
    "interview"
)
# "Your time" is a courtesy as much as a conversation: it needs a time that has passed.
TIME = Words("time tiempo zeit temps tempo tijd czas")  # and in the writer's own language
ALREADY = Words(
    "today yesterday earlier last ago morning afternoon evening week spoke met had "
    "monday tuesday wednesday thursday friday enjoyed fair conference meetup booth stand panel "
    "event summit workshop session visit tour "
    # yesterday, today, last (week), in the writer's own language
    "ayer gestern ieri ontem wczoraj gisteren igår heute hoy oggi hoje vandaag dzisiaj idag "
    "letzte dernière pasada scorsa passada vorige"
)
# "Thanks again" repeats a thanks: it dates a conversation it names ("again for the call"),
# not "your time".
AGAIN = Words("again encore nochmals")
# Thanks, or pleasure, in one sentence with a conversation that already happened.
THANKED = matching.Together(
    (THANKS, CONVERSATION, ALREADY), (THANKS, CONVERSATION, AGAIN), (THANKS, TIME, ALREADY)
)
PLEASED = matching.Together(
    (PLEASURE, CONVERSATION, ALREADY), (PLEASURE, CONVERSATION, AGAIN), (PLEASURE, TIME, ALREADY)
)
NOT_A_CONVERSATION_YET = Words(
    "advance reading read considering consideration connecting next would could soon i'd "
    "hope hoping tomorrow upcoming possible voraus d'avance antemano"
)
# Thanks for the conversation itself ("thanks for the call", "for speaking with me", "danke
# für das Gespräch", "merci pour notre échange"): it happened, no day need be named. Not
# thanks for a chance or an offer of one ("thanks for offering a call").
FOR = frozenset(
    {"for", "für", "fürs", "pour", "de", "por", "per", "della", "del", "voor", "za", "för", "pela"}
    | {"pelo"}
)
# ... or "our" conversation: "I appreciated our conversation", "j'ai apprécié notre échange".
OUR = frozenset({"our", "notre", "unser", "unsere", "unseren", "unseres", "nuestra", "nuestro"})
THANKS_AND_CONVERSATION = matching.Together((THANKS, CONVERSATION))
PLEASURE_AND_CONVERSATION = matching.Together((PLEASURE, CONVERSATION))
WAS = frozenset({"was", "were", "been"})
NOT_YET_HAD = Words(
    "chance opportunity offer offering invitation invite inviting agreeing willing considering "
    "future potential"
)
# A visit or a tour, a group shown round: thanks for it beside a job ask is no relationship.
VISIT = re.compile(
    r"\b(?:visit|tour|open (?:day|house|evening)|"
    r"show(?:ing|ed|n)? (?:us|me|them) (?:a)?round)\b",
    re.IGNORECASE,
)
# Thanks for a visit on a day that has passed ("for organising Wednesday's visit").
VISITS = Words("visit tour")
DAYS = Words(
    "today yesterday earlier last ago morning afternoon evening week weekend monday tuesday "
    "wednesday thursday friday saturday sunday"
)
# ... or for being shown round on one ("thank you for showing me round the lab on Tuesday").
SHOWN, ROUND = Words("show showing showed shown"), Words("round around")
THANKED_FOR_A_VISIT = matching.Together((THANKS, VISITS, DAYS), (THANKS, SHOWN, ROUND, DAYS))
# "Looking forward to our call" is a call to come; "in case you forward this" passes mail on.
LOOK, FORWARD = Words("look looking"), Words("forward")
# "Your talk at the conference": one the recruiter gave, to a room of listeners.
YOUR, TALKS_GIVEN = Words("your"), Words("talk talks presentation")
# A talk they watched among many (a webinar, a keynote) is not a conversation with them.
AUDIENCE_EVENTS = Words("webinar webcast livestream keynote lecture attendees")
# An existing relationship: what only someone we spoke with writes ("as we discussed", "you
# asked me to write").
FOLLOWING_UP_PHRASES = (
    # Not "as promised": their own promise, often in their own earlier email.
    r"as (?:we )?(?:discussed|agreed)|as you (?:suggested|asked|requested|recommended)",
    r"like you (?:suggested|proposed|asked|said)",
    # What they said in a conversation, not in a post: "as you mentioned on the phone".
    r"(?:as|like) you (?:said|mentioned|proposed|explained|advised) (?:on|during|in|at|over|when)"
    r" (?:the |our |that |your )?(?:call|phone|chat|meeting|coffee|lunch|conversation|interview"
    r"|fair|booth|event|meetup|visit)",
    r"(?:per|following|following up on|further to|after) our (?:[\w-]+ ){0,2}"
    r"(?:conversation|call|chat|discussion|meeting|talk)",
    r"(?:when|after) we (?:spoke|met|talked|chatted)",
    # Seeing us, not our post ("great to see your post" is no meeting).
    r"(?:good|great|nice|lovely) (?:to see|seeing) you (?:again|at|on|last|yesterday)",
    # Meeting us at an event, told after it: "Lovely to meet you at the field day in X!";
    # not one still to come ("it would be lovely to meet you at the fair").
    r"(?<!be )(?<!\bbe so )(?:good|great|nice|lovely|wonderful) (?:to meet|meeting) you "
    r"(?:at|during) the",
    r"you (?:asked|told|invited|encouraged) me to (?:write|send|email|reach out|get in touch"
    r"|follow up|stay in touch|keep in touch|contact)",
    r"(?:you|your (?:colleague|team|manager|co-?worker)|from your team)\b[^.!?]{0,60}?"
    r"(?:suggested|recommended|asked|encouraged) (?:that )?i (?:write|reach out|contact|email"
    r"|get in touch)",
)
# An employee who writes to introduce someone.
INTRODUCING = Words(
    "introduce introduction intro forward forwarding meet vouch recommend looping refer referral "
    "connect connecting cc cc'd cc'ing copied copying"
)
# "I said I'd pass his name along", "passing on her CV".
# "I said I'd mention him to you", "thought I'd flag her to you", "I'd send you his details".
PASSING_ALONG = matching.vocabulary(
    [
        r"pass(?:ing|ed)? (?:[\w'\u2019]+ ){1,3}(?:along|on)",
        r"(?:mention|mentioning|flag|flagging) (?:him|her|(?:his|her|their) name)"
        r" (?:to you|your way)",
        r"send(?:ing)? you (?:his|her|their) (?:details|cv|resume|number|contact|email)",
    ]
)
INTRODUCING_SUBJECT = re.compile(r"^\s*(?:fwd?|intro(?:duction)?)\b", re.IGNORECASE)
# A message that forwards another: its subject's prefix, in the writer's language ("Fwd:",
# "FW:", "WG:", "TR:", "RV:", "Doorst:"), or the body saying so ("Forwarded message",
# "forwarding her note", "Weitergeleitete Nachricht"); not "I look forward to" (see
# forwarded_from_notable).
FORWARDED_SUBJECT = re.compile(
    r"^\s*(?:(?:re|aw|sv|antw)\s*:\s*)*(?:fwd?|wg|tr|rv|doorst)\s*:", re.IGNORECASE
)
FORWARDED_BODY = re.compile(
    r"\bforward(?:ed|ing)\b|\bforwards? (?:this|it|her|his|their|below)\b|weitergeleitet"
    r"|message transf[ée]r[ée]|doorgestuurd|mensaje reenviado|messaggio inoltrato",
    re.IGNORECASE,
)
# The header of a forwarded message that names its author: "From: Jo Roe <jo@…>".
FORWARDED_AUTHOR = re.compile(
    r"^[\s>]*(?:From|Von|De|Van|Da|Från|Fra|Od|Lähettäjä|Kimden|От)\s?[:：]\s*\"?([^<\"\[]*)"
)
# Not now: a later availability, a move, the end of a commitment, in one sentence with a time
# ahead (see later_availability).
LATER_AVAILABILITY = Words(
    "available availability free move moving relocate start join leave consider pick reach talk "
    "ready market finish end wrap complete expire return graduate switch reconnect hear write "
    "speak resume revisit committed tied booked defend"
)
LATER_CONNECTIVES = Words(
    "after until till once from next before when in then later end by through soon closer"
)
MOVING = Words("move moving relocate relocating")
# Availability's adjectives after a determiner describe a thing, not the writer: "a free
# tool", "the first complete proof", "the available data" (see _available).
ATTRIBUTES = frozenset({"free", "available", "complete", "ready"})
CHANGES = frozenset({"change", "switch"})  # "a change", "a switch": of job
# Past tenses that still speak of a commitment running now ("committed until June").
STILL_BOUND = frozenset({"committed", "tied", "booked"})
# "after that", "until then": the time the sentence before named. Not "before then", a
# deadline ("Could we speak before then?").
THEN_CONNECTIVES, THAT = Words("after until till by from"), Words("that then")

# The time ahead. A month or a season, a quarter ("Q3"), a year by its number ("2027",
# "mid-2027"); not one past ("last autumn").
MONTHS_AND_SEASONS = Words(
    "january february march april june july august september october november december "
    "spring summer autumn fall winter season quarter semester holidays graduation"
)
YEAR_OR_QUARTER = re.compile(r"(?:19|20)\d\d|[Qq][1-4]")
PAST_SEASON = frozenset({"last", "past", "previous"})
# "May" the month, not the verb: after a word that dates it ("in May", "until May").
MAY_DATED = Words("in by until till from of mid early late end before after since")
# A year or months ahead, not a duration: "next (academic) year", "in about a year", "in a
# couple of years", "a year from now", "in six months"; not "for several years", "six years
# of", "two years ago", "in the last two years", nor "next month", which is soon (see
# _year_ahead).
YEARS = Words("year years month months")
YEAR_AHEAD = Words("next coming following new end")  # "end": "by the end of the year"
IN_TIME = Words("in within")
PAST_YEAR = Words("last past previous first my our his her their")  # between "in" and "year"
NOT_A_TIME = Words("of ago experience old")  # right after "years"
SOON_MONTH = frozenset({"next", "this", "a", "the", "one"})  # right before "month"
SPANS = Words("over during throughout")  # "over the next few years", right before "the"
# A commitment still running, whose end is a time ahead: "after my contract", "once my visa
# comes through", "when my notice period is over", "until the launch". Not the verb "I
# notice" (PRONOUNS before it).
COMMITMENTS = Words(
    "contract notice leave visa permit thesis defence defense dissertation sabbatical phd "
    "postdoc residency fellowship degree msc mba mandate placement apprenticeship project launch "
    "milestone harvest audit pilot graduate season"
)
PRONOUNS = frozenset({"i", "we", "you", "they", "he", "she"})
# An out-of-office note: away from work or email until a day, not free for a job then.
OUT_OF_OFFICE = re.compile(
    r"\b(?:out of (?:the )?office|away from (?:my|the) desk|(?:limited|no|without) (?:access to )?"
    r"e-?mail|annual leave)\b",
    re.IGNORECASE,
)
# Other people free later, counted: "12 vetted engineers available from March", "six of our
# specialists": a supply offered, not the writer's own time (see _others_available). The
# writer in the sentence makes it theirs ("I'm one of 12", "two of us").
COUNTS = frozenset(
    "two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty "  # noqa: SIM905
    "fifty dozen dozens several".split()
)
THE_WRITER = frozenset({"i", "i'm", "i'll", "i'd", "i've", "me", "my", "we", "we're", "we'll"})
THE_WRITER |= {w.replace("'", "\u2019") for w in THE_WRITER} | {"us"}
NOT_COUNTED = frozenset("is was has this its us his yes years months weeks days hours".split())  # noqa: SIM905
# ... bound until a time (see _bound): "on a contract until summer 2028", "serving my notice
# through February"; or the writer now, "I'm on secondment until the autumn". The time comes
# right after "until" (DATING_WORDS: "until the end", "until then"). Not in the past ("I had a
# contract until March 2024").
UNTIL = Words("until till through")
DATING_WORDS = frozenset({"end", "next", "then", "mid", "early", "late", "later"})
PRESENT = frozenset(
    {"i'm", "i\u2019m", "am", "is", "we're", "are", "will", "i'll", "still", "currently"}
)
PAST_MARKERS = frozenset({"had", "was", "were", "did", "since", "ago", "ended", "finished"})
# ... or whose end is still to come: "once my permit is sorted", "before my visa comes
# through", or "once it's through" of one the sentence before named (REFERRING).
FUTURE_CONNECTIVES = frozenset({"once", "when", "after", "before", "until", "till", "soon"})
COMMITMENT_ENDS = frozenset(
    {"over", "done", "sorted", "approved", "granted", "renewed", "through", "ends", "finishes"}
)
ENDED = COMMITMENT_ENDS | {"finished", "completed"}
ENDED_STEMS = frozenset(map(matching.stem, ENDED))
REFERRING = frozenset({"it", "that", "this", "they"})
# Now, not later: "ready to relocate immediately", "can start straight away" (unless turned
# around: "not immediately").
NOW = Words("immediately asap instantly")
NOW_AWAY = frozenset({"right", "straight"})  # "right away", "straight away"
# A use for one exercise: "used for last year's survey" (see _for_one_exercise).
ONE_EXERCISE = frozenset({"year's", "year\u2019s"})
NOT_BEFORE = frozenset({"not", "no"})
# A sentence with none of these stems says no later availability (see later_availability).
SAYS_LATER = LATER_AVAILABILITY.stems | MOVING.stems | COMMITMENTS.stems | UNTIL.stems
SAYS_LATER |= ENDED_STEMS
# A meeting asked for at a time that is not soon (see meeting_asks).
LATER_WHEN = Words(
    "later months january february march april june july august september october november "
    "december spring summer autumn winter"
)

# Their work as what the field's guidance cites: "the regulator's guidance quotes my
# study", "the Library recommends my method in its guidance" (see _their_work_cited).
GUIDANCE_CITES = Words("cites quotes recommends references mandates endorses adopts includes")
FIELD_DOCUMENTS = Words(
    "guidance guideline guidelines standard handbook code regulation regulations specification"
)
# The field's use told by a preposition left at the end of its clause: "the tool most
# tunnel designers check their rings with", "the box every lab calibrates against was my
# design", "has been designed with since 2005" (see _used_with_by_many). Left at the end: the
# sentence ends there, or a verb or a time follows ("... reports in was drafted by me").
STRANDED = Words("with against in on")
AFTER_STRANDED = frozenset(
    {"is", "was", "are", "were", "has", "have", "had", "since", "today", "now", "still", "ever"}
)
# What the field's buyers write into their orders: "what bridge owners now specify in their
# contracts", "the limits most operators prescribe" (see _specified_by_many).
SPECIFIED = Words("specify specifies specified prescribe prescribes prescribed")
# The many told by where they are: "bridge owners across Scandinavia", "operators throughout
# Europe" (a plural before it, a place's name after it; see _across_a_region).
ACROSS = frozenset({"across", "throughout", "around"})
THE_WORLD = frozenset({"world", "globe", "country", "continent"})  # "archives around the world"
# Keeping a thing going is keeping it: "he keeps the stack running" (see _kept_running).
KEPT_GOING = frozenset({"running", "going", "alive", "working"})
# The field itself as the one using it: "the whole field has built on it since", "the
# whole profession adopted it" (not "I work in the field"; see _the_field_itself).
FIELD_ITSELF = Words("field community profession discipline sector")
# A passive of use or adoption after their own work's name: "My algorithm is licensed to four
# of the big six manufacturers" (see _own_work_in_use).
BE_FORMS = frozenset({"is", "are", "was", "were", "been"})
# Record words of the above for a first look at the message (RECORD_WORDS).
FIELD_USE_TOLD_LATE = (
    *(
        (maker, STRANDED, many)
        for maker in (MAKING, OTHER_MAKING, MADE, CLAIMERS, OWNERS)
        for many in (MANY_IN_THE_FIELD, Words(" ".join(ACROSS)))
    ),
    *((maker, SPECIFIED) for maker in (MAKING, OTHER_MAKING, MADE, CLAIMERS, OWNERS)),
    (OWNERS, ADOPTED_ACTS),
    (OWNERS, Words("reason why"), MANY_IN_THE_FIELD),
    *((OWNERS, cites, FIELD_DOCUMENTS) for cites in (GUIDANCE_CITES, AUTHORITIES)),
)

# The words a role (see _role) or a creation (see _creation) needs together: without any
# such set in the message, no sentence need be read.
ROLE_WORDS = (
    (ROLE_TITLES, BODIES),
    (ROLE_TITLES, Words("practice")),  # a code of practice
    (PEN, BODIES),  # holding the pen on a guideline
    (PEN, Words("practice")),
    (LEADING, COMMITTEES),
    (LEADING, GROUP_KINDS, GROUPS),
    (SENIORITY, ROLE_NOUNS),
    (ORIGINATORS,),
    (STANDING_ROLES,),
    (EDITS, EDITED_DOCUMENTS),
)
FIELD_USE = (
    ADOPTED,
    ADOPTED_ACTS,
    STANDARD,
    USUAL,
    USED,
    IN_USE,
    INCLUDE,
    MEASURED,
    SOURCING,
    BUILT,
    FEED,
    USED_IT,
    AUTHORITIES,
    WORK,
    BOUND_TO,
    COMMERCIAL,
    CALIBRATED,
)
RECORD_WORDS = matching.Together(
    *ROLE_WORDS,
    *((MAKING, used) for used in FIELD_USE),
    *(
        (OWNERS, used)
        for used in (
            IN_USE,
            STANDARD,
            USUAL,
            REFERENCE,
            INCLUDE,
            MEASURED,
            SOURCING,
            BUILT,
            CALIBRATED,
        )
    ),
    *((CLAIMERS, used) for used in FIELD_USE),
    *FIELD_USE_TOLD_LATE,
    *((OTHER_MAKING, used) for used in FIELD_USE),
    *((MADE, used) for used in FIELD_USE),
    *((ASSEMBLED, used) for used in FIELD_USE),
    (FIRST_ACTS, FIRST),
    (STARTED, FROM, MANY_IN_THE_FIELD),  # "started" is a making word too
    *((maker, STARTED, FROM) for maker in (MAKING, OTHER_MAKING, OWNERS)),
)
# A sentence with a role, a creation or a first has one of these (a name's work aside: see
# _own_work).
RECORD_STEMS = frozenset().union(
    *(w.stems for w in (ROLE_TITLES, PEN, LEADING, SENIORITY, ORIGINATORS, STANDING_ROLES)),
    EDITS.stems,
    *(w.stems for w in (MAKING, MADE, OTHER_MAKING, MINE, THEIRS, CLAIMERS, FIRST, ASSEMBLED)),
)
# What _the_fields_standard accepts needs one of these sets of words in its sentences (a
# standards role's title, its pen or its edits; a standing role; most or all of the field; its
# default; its standard distribution; a standard or the usual practice; a body giving it
# out): a message with none tells no record in an opening's own skill, and its sentences
# need not be read for one (see _distinction_near_skill).
FIELDS_STANDARD_WORDS = matching.Together(
    (ROLE_TITLES,),
    (PEN,),
    (EDITS,),
    (STANDING_ROLES,),
    (Words(" ".join(MOST_OF_THE_FIELD)),),  # _most_of_the_field
    (THE_DEFAULT, Words(" ".join(BECAME))),  # _the_default
    (RELEASED_WITH, OFFICIAL),  # _in_the_standard_distribution
    (STANDARD,),  # _became_a_standard
    (REFERENCE, STANDARD_THINGS),
    (USUAL, STANDARD_THINGS),
    (GIVES_OUT, AUTHORITIES),  # _given_out_by_a_body
    (AUTHORITIES, PUT, INTO),
)
# In an introduction, the person's name may own the work ("Karin's software is used by
# most ..."): a word of the field's use is then enough for a first look.
FIELD_USE_WORDS = matching.Together(*((used,) for used in FIELD_USE))

JOB_ASK = matching.vocabulary(JOB_ASK_PHRASES)
MEETING_ASK = matching.vocabulary(MEETING_ASK_PHRASES)
FOLLOWING_UP = matching.vocabulary(FOLLOWING_UP_PHRASES)
NEGATION = matching.negation(words=NEGATING_WORDS, endings=NEGATING_ENDINGS, between=1)
NOT_LOOKING_NOW = matching.vocabulary(NOT_LOOKING_NOW_PHRASES)
DISTINCTION = matching.vocabulary(DISTINCTION_PHRASES)
INTERNAL_AWARD = matching.vocabulary(INTERNAL_AWARD_MARKERS + TEAM_AWARD_MARKERS)
