"""Issue 13: two companies the rules were not written for, a rail signalling firm and a
cosmetics formulator (neither industry is among tests/corpora), with requests written the
way people write and labeled by the bucket criteria (rules.py docstrings) before the rules
ran on them. They probe whether what the rules learned carries to a new field: distinction
told in many ways (standards work, a tool or method the field uses, a landmark result, a
keynote or a prize, "the X everyone uses was mine"), network later in several forms, and
hard negatives (big words, a skill not on the list, a junior at a famous firm, a job ask
now). Written in sets, each labeled before the rules ran on it and the rules changed only
in general concepts after; a third field (a conservation studio) came last, as a check on
a field the changes were not made on. The misses judged unreasonable to fix are xfail,
with the reason. Pure: no database."""

import pytest

from tests import rule_cases
from triage import rules
from triage.rules import Bucket, Opening, Profile

E, N, F = Bucket.EXCEPTIONAL, Bucket.NETWORK, Bucket.FUNNEL

RAIL = Profile(
    company="Tallis Rail Signalling",
    careers_url="https://careers.tallisrail.example",
    recruiter_name="Rita Marsh",
    recruiter_email="rita.marsh@tallisrail.example",
    employee_domains=("tallisrail.example", "tallis-signal.example"),
    openings=(
        Opening(
            "Signalling Design Engineer",
            "https://careers.tallisrail.example/roles/11",
            ("interlocking data preparation", "scheme plans", "signal sighting"),
        ),
        Opening(
            "ETCS Systems Engineer",
            "https://careers.tallisrail.example/roles/12",
            ("ETCS onboard integration", "Subset-026", "DMI"),
        ),
        Opening(
            "Testing and Commissioning Engineer",
            "https://careers.tallisrail.example/roles/13",
            ("axle counter commissioning", "principles testing"),
        ),
    ),
    hard_to_fill_skills=(
        "ETCS onboard integration",
        "interlocking data preparation",
        "railway safety case (EN 50129)",
        "axle counter commissioning",
        "formal verification of signalling logic",
    ),
    other_names=rules.as_other_names(
        {
            "ETCS onboard integration": ["ERTMS", "European Train Control System"],
            "interlocking data preparation": ["interlocking design", "SSI data"],
            "railway safety case (EN 50129)": ["safety case", "RAMS", "EN 50126"],
            "axle counter commissioning": ["train detection"],
            "formal verification of signalling logic": ["B method", "model checking"],
        }
    ),
)

COSMETICS = Profile(
    company="Orla Formulations",
    careers_url="https://careers.orlaformulations.example",
    recruiter_name="Nadia Brook",
    recruiter_email="nadia.brook@orlaformulations.example",
    employee_domains=("orlaformulations.example", "orla-labs.example"),
    openings=(
        Opening(
            "Formulation Chemist, Skin Care",
            "https://careers.orlaformulations.example/jobs/31",
            ("emulsions", "INCI", "stability testing"),
        ),
        Opening(
            "Regulatory Affairs Specialist",
            "https://careers.orlaformulations.example/jobs/32",
            ("CPSR", "EU Cosmetics Regulation", "IFRA"),
        ),
        Opening(
            "QC Microbiologist",
            "https://careers.orlaformulations.example/jobs/33",
            ("preservative efficacy testing", "ISO 11930", "microbial limits"),
        ),
    ),
    hard_to_fill_skills=(
        "emulsion stability testing",
        "preservative efficacy testing",
        "SPF formulation and in vitro testing",
        "cosmetic product safety assessment",
        "rheology of personal care products",
    ),
    other_names=rules.as_other_names(
        {
            "emulsion stability testing": ["emulsion formulation", "accelerated stability"],
            "preservative efficacy testing": ["challenge testing", "PET", "ISO 11930"],
            "SPF formulation and in vitro testing": ["sunscreen formulation", "sun care"],
            "cosmetic product safety assessment": ["CPSR", "safety assessor"],
            "rheology of personal care products": ["rheology modifiers", "texture analysis"],
        }
    ),
)

RAIL_COLLEAGUE = "Jonas Berg <jonas.berg@tallisrail.example>"
COSMETICS_COLLEAGUE = "Tomás Ruiz <tomas.ruiz@orla-labs.example>"


probe = rule_cases.probe


PROBES = [
    # --- Rail signalling: distinction ---------------------------------------------------
    probe(
        E,
        RAIL,
        "Dear Ms Marsh, I am convenor of the CENELEC working group that maintains EN 50129, "
        "the standard for safety-related electronic systems in signalling. Over the years I "
        "have written safety cases for three national networks. I understand you are growing "
        "the assurance team and would be glad to talk.",
        id="rail-convenor-of-standard",
    ),
    probe(
        E,
        RAIL,
        "Hi Rita, I'm the original author of ixl-check, the interlocking data validation tool "
        "that most UK signalling contractors run before every commissioning. I've been doing "
        "interlocking design for 14 years. Would there be a place for me on your design side?",
        id="rail-original-author-of-tool",
    ),
    probe(
        E,
        RAIL,
        "Hello, The braking curve model that the EU Agency for Railways cites in its ETCS "
        "guidance is mine; I derived it during my PhD in Delft. Since then I work on ETCS "
        "onboard integration for a supplier. I am now looking at other companies.",
        id="rail-model-regulator-cites-is-mine",
    ),
    probe(
        E,
        RAIL,
        "In 2019 I published the first complete formal proof of a computer-based interlocking "
        "with the B method. It is still the result the whole verification community cites. "
        "Today I lead a small model checking team at a university and want to move to "
        "industry.",
        id="rail-landmark-proof-community-cites",
    ),
    probe(
        E,
        RAIL,
        "Last year the IRSE gave me the Thorrowgood Medal for my work on ETCS onboard "
        "integration. I was also the keynote at the ERTMS World Conference in Valencia. I'd "
        "welcome a conversation about your ETCS programme.",
        id="rail-medal-and-keynote",
    ),
    probe(
        E,
        RAIL,
        "Hi Rita, forwarding a note from Piotr Nowak, see below. He wrote the axle counter "
        "reset procedure that half of the European infrastructure managers follow today. "
        "Worth a chat I think.\n\nJonas",
        sender=RAIL_COLLEAGUE,
        subject="Fwd: axle counters",
        id="rail-forwarded-procedure-half-follow",
    ),
    probe(
        E,
        RAIL,
        "To keep it short: the train detection fault tree that every axle counter "
        "commissioning team in Germany uses was mine, from my time at the supplier. I'm "
        "interested in your Testing and Commissioning Engineer role.",
        id="rail-fault-tree-every-team-uses-was-mine",
    ),
    probe(
        E,
        RAIL,
        "Good morning, my name is Giulia Ferri. In 2022 the Italian railway engineers' "
        "association gave me its annual prize for my railway safety case methodology. I move "
        "to UK in september and I would like to know if you have a position for safety "
        "engineer.",
        id="rail-association-prize-non-native",
    ),
    probe(
        E,
        RAIL,
        "Forwarding this one. Marta edited chapter 3 of Subset-026 for the ERTMS Users Group "
        "and still maintains the test sequences every onboard supplier is certified against. "
        "She'd like to hear from you.",
        sender=RAIL_COLLEAGUE,
        subject="Fwd: ETCS specialist",
        id="rail-forwarded-spec-editor",
    ),
    probe(
        E,
        RAIL,
        "I have been an invited speaker at the IRSE ASPECT conference three times, most "
        "recently giving the opening keynote on formal verification of signalling logic. I "
        "would be interested in your verification work.",
        id="rail-opening-keynote",
    ),
    # --- Rail signalling: network later -------------------------------------------------
    probe(
        N,
        RAIL,
        "I'm an ETCS onboard integration engineer, currently on a metro upgrade in Copenhagen "
        "until the end of next year. I'm not looking to move before that, but I'd like to be "
        "on your radar for 2028.",
        id="rail-on-radar-until-end-of-next-year",
    ),
    probe(
        N,
        RAIL,
        "Thanks again for the call on Tuesday, Rita. As promised I attach my CV and the paper "
        "on interlocking data preparation I mentioned.",
        id="rail-thanks-for-call",
    ),
    probe(
        N,
        RAIL,
        "Hi, Jonas (cc'd) suggested I write to you. I do principles testing for interlockings "
        "at a large supplier and I'm curious what your commissioning team looks like.",
        cc=(RAIL_COLLEAGUE,),
        id="rail-employee-cc",
    ),
    probe(
        N,
        RAIL,
        "Dear Madam, I finish my contract with the infrastructure manager in March 2027 and "
        "after that I would be happy to relocate for interlocking design work. Until then I "
        "can not change. Please keep my details.",
        id="rail-contract-ends-non-native",
    ),
    probe(
        N,
        RAIL,
        "Hi Rita, a quick intro: my former colleague Amara does axle counter commissioning for "
        "one of the big suppliers and she is great on site. She's free after her current "
        "project ends in the autumn.",
        sender=RAIL_COLLEAGUE,
        id="rail-employee-writes-intro",
    ),
    probe(
        N,
        RAIL,
        "Hi Rita, sorry I had to cut our call short yesterday. To answer your question: yes, "
        "I'd be open to interlocking design roles, but only from Q3 next year when my "
        "secondment ends.",
        id="rail-after-call-from-q3",
    ),
    probe(
        N,
        RAIL,
        "Hallo Rita, my brother-in-law Stefan is doing ETCS onboard commissioning in Munich "
        "since 8 years. He is not looking at the moment but maybe in 2028. I give you his "
        "email: stefan.k@mailbox.example",
        sender=RAIL_COLLEAGUE,
        id="rail-employee-gives-email",
    ),
    # --- Rail signalling: funnel --------------------------------------------------------
    probe(
        F,
        RAIL,
        "I am a passionate, world-class signalling professional with 15 years of experience "
        "in interlocking design and a proven track record of delivering excellence. Please "
        "find my CV attached for the Signalling Design Engineer role.",
        id="rail-big-words",
    ),
    probe(
        F,
        RAIL,
        "I chaired the working group on level crossing obstacle detection at the UIC for four "
        "years. Do you have anything in that area?",
        id="rail-role-in-skill-not-listed",
    ),
    probe(
        F,
        RAIL,
        "I'm a graduate engineer at a big signalling supplier, where I've spent a year in the "
        "team that built the ETCS onboard unit most European operators use. I'd love to apply "
        "for the ETCS Systems Engineer opening.",
        id="rail-junior-in-famous-team",
    ),
    probe(
        F,
        RAIL,
        "Hello, I have 6 years in axle counter commissioning and I'm available immediately. "
        "Are you hiring?",
        id="rail-job-now",
    ),
    probe(
        F,
        RAIL,
        "I built a model railway interlocking on an Arduino that hundreds of hobbyists have "
        "downloaded. I'd like to work on interlocking design professionally.",
        id="rail-hobby-interlocking",
    ),
    probe(
        F,
        RAIL,
        "I was a member of the committee that reviewed EN 50126 and I have read all the main "
        "signalling standards. Please let me know about any openings.",
        id="rail-committee-member-asks",
    ),
    probe(
        F,
        RAIL,
        "Thank you for yesterday's webinar on ETCS onboard integration, it was very "
        "interesting. I would like to apply for the ETCS Systems Engineer position.",
        id="rail-webinar-then-applies",
    ),
    # --- Cosmetics: distinction ---------------------------------------------------------
    probe(
        E,
        COSMETICS,
        "I'm the rapporteur for ISO/TC 217 on the revision of ISO 11930, the preservative "
        "efficacy test. Happy to talk about how you run challenge testing.",
        id="cos-rapporteur-iso",
    ),
    probe(
        E,
        COSMETICS,
        "Hi! I wrote emulsim, the open-source Python package for emulsion stability "
        "testing. Most of the big formulation labs use it in their pipelines now.",
        id="cos-package-most-labs-use",
    ),
    probe(
        E,
        COSMETICS,
        "The Reyes method for accelerated stability testing of emulsions is named after me "
        "(Reyes and Liu, 2014). It is part of most cosmetic stability protocols today. I'm "
        "writing to see whether you need someone senior.",
        id="cos-method-named-after-me",
    ),
    probe(
        E,
        COSMETICS,
        "My 2016 paper showing that in vitro SPF predicts in vivo SPF within 10% is the most "
        "cited paper in sunscreen testing. I would love to talk about your sun care range.",
        id="cos-most-cited-paper",
    ),
    probe(
        E,
        COSMETICS,
        "I was invited to give the plenary lecture on the rheology of personal care products "
        "at the IFSCC Congress last year. I'm considering a move from academia.",
        id="cos-plenary-lecture",
    ),
    probe(
        E,
        COSMETICS,
        "Hi Nadia, meet Dr Hana Sato (cc). Hana led the expert panel that wrote the European "
        "guideline on cosmetic product safety assessment for nanomaterials. She's thinking "
        "about a move.",
        sender=COSMETICS_COLLEAGUE,
        id="cos-intro-led-expert-panel",
    ),
    probe(
        E,
        COSMETICS,
        "Honestly, the challenge testing protocol that nearly every contract lab in Europe "
        "runs was my design, back when I was at a testing house. I'd be happy to set up "
        "something similar for you.",
        id="cos-protocol-nearly-every-lab-runs-was-mine",
    ),
    probe(
        E,
        COSMETICS,
        "The in vitro method I developed for cosmetic product safety assessment of eye "
        "irritation was adopted by the OECD as a test guideline and is now required by the EU "
        "regulator.",
        id="cos-method-adopted-by-oecd",
    ),
    probe(
        E,
        COSMETICS,
        "Our preservative-free emulsion won the gold award at the in-cosmetics Innovation Zone "
        "in 2023; I did the emulsion stability testing and the formulation. Would you have "
        "room for a senior formulator?",
        id="cos-gold-award-team",
    ),
    probe(
        E,
        COSMETICS,
        "Dear Nadia, I am the safety assessor who developed the margin-of-safety calculator "
        "most CPSR consultants in Europe work with. I am looking for a new challenge.",
        id="cos-calculator-most-consultants-work-with",
    ),
    # --- Cosmetics: network later -------------------------------------------------------
    probe(
        N,
        COSMETICS,
        "Bonjour, I am formulation chemist in Lyon specialised in sun care, SPF 50 emulsions "
        "mostly. I am engaged with my current employer until June 2027 and not searching now, "
        "but I would like we stay in contact.",
        id="cos-non-native-until-june",
    ),
    probe(
        N,
        COSMETICS,
        "It was a pleasure meeting you at in-cosmetics on Wednesday. As discussed, I'll get "
        "back to you when my maternity leave ends in the spring. I'm a CPSR safety assessor.",
        id="cos-met-at-fair",
    ),
    probe(
        N,
        COSMETICS,
        "My old lab mate Tomás (in copy) said you're building a micro team. I do preservative "
        "efficacy testing at a contract lab.",
        cc=(COSMETICS_COLLEAGUE,),
        id="cos-employee-cc",
    ),
    probe(
        N,
        COSMETICS,
        "I defend my PhD on the rheology of personal care products in November and will be "
        "looking after that. Just introducing myself early.",
        id="cos-phd-defence",
    ),
    probe(
        N,
        COSMETICS,
        "Dear Nadia, thank you for speaking with me at the SCC showcase. I am not on the "
        "market at the moment, but wanted to send you my details for the future.",
        id="cos-thanks-for-speaking",
    ),
    # --- Cosmetics: funnel --------------------------------------------------------------
    probe(
        F,
        COSMETICS,
        "As an award-winning, internationally recognised beauty innovator and thought leader, "
        "I have transformed skincare for millions. I'd love to bring that energy to your "
        "team.",
        id="cos-big-words",
    ),
    probe(
        F,
        COSMETICS,
        "I invented the colour-shifting lip gloss that most indie brands now copy. Is there a "
        "role for me in your colour cosmetics team?",
        id="cos-creation-skill-not-listed",
    ),
    probe(
        F,
        COSMETICS,
        "I'm a lab technician at a famous cosmetics group, the one that developed most of the "
        "UV filters in use today. I would love to join your sun care team, is there an "
        "opening?",
        id="cos-junior-at-famous-firm",
    ),
    probe(
        F,
        COSMETICS,
        "I've done preservative efficacy testing for 4 years at a contract lab. Please "
        "consider me for the QC Microbiologist role, I can start right away.",
        id="cos-job-now",
    ),
    probe(
        F,
        COSMETICS,
        "I completed an online course on cosmetic product safety assessment and wrote a blog "
        "about CPSR that many people read.",
        id="cos-course-and-blog",
    ),
    probe(
        F,
        COSMETICS,
        "I was nominated for the SCC young scientist award for my work on emulsion stability "
        "testing. I'd like to apply for the Formulation Chemist role.",
        id="cos-nominated-not-won",
    ),
    probe(
        F,
        COSMETICS,
        "I manage the stability testing lab at a mid-size contract manufacturer; we run 400 "
        "emulsion stability tests a year. I'm looking for a new role.",
        id="cos-manages-lab-asks",
    ),
]

# Written after the first set's changes, labeled before the rules ran on them: whether the
# changes carry to other wordings, and what else a new field's mail says.
SECOND_PROBES = [
    probe(
        E,
        RAIL,
        "Quick intro from my side: Dr Lena Vogt, cc'd. She's the one who wrote the "
        "interlocking data preparation rules that the national regulator made mandatory for "
        "all signalling contractors in 2021.",
        sender=RAIL_COLLEAGUE,
        cc=("Lena Vogt <lena.vogt@mailbox.example>",),
        id="rail2-intro-rules-regulator-made-mandatory",
    ),
    probe(
        E,
        RAIL,
        "I sit on the CENELEC TC9X committee as the UK technical expert and was the editor "
        "of the 2018 revision of EN 50126. I would like to hear about your assurance work.",
        id="rail2-editor-of-revision",
    ),
    probe(
        E,
        RAIL,
        "My PhD thesis introduced the virtual block concept for ETCS Level 3, which the ERTMS "
        "Users Group later adopted as the reference for its hybrid level 3 specification. I "
        "finish my postdoc this summer.",
        id="rail2-thesis-concept-adopted-by-users-group",
    ),
    probe(
        E,
        RAIL,
        "Me and my colleague we have developed the open source tool ixl-lint for checking "
        "interlocking data; today it is used from 9 of 11 signalling contractors in "
        "Netherlands. I search a new position in UK.",
        id="rail2-tool-used-by-9-of-11-non-native",
        # Left as it is: "interlocking data" is one distinctive word of "interlocking data
        # preparation" ("data" is too common to count), and one word alone names no skill
        # unless the message names it elsewhere.
        xfail="the skill named by one distinctive word only",
    ),
    probe(
        E,
        RAIL,
        "I received the IRSE Wing Award for Safety in 2023 for my safety case work on a "
        "central London rail core. Is the safety assurance team hiring?",
        id="rail2-award-received",
    ),
    probe(
        E,
        RAIL,
        "I gave the opening keynote at ASPECT 2023 on formal verification of interlockings "
        "and have published 30 papers on model checking.",
        id="rail2-gave-keynote",
    ),
    probe(
        N,
        RAIL,
        "Thank you for the chat at Railtex last week. I'm tied to my current project until it "
        "goes live in spring 2027, after which I'd be glad to talk about your ETCS work.",
        id="rail2-thanks-for-chat-tied-until-spring",
    ),
    probe(
        N,
        RAIL,
        "I'm a signalling tester doing principles testing and axle counter commissioning. "
        "I'll be finishing my contract in the summer and would like to keep in touch.",
        id="rail2-contract-finishes-summer",
    ),
    probe(
        N,
        RAIL,
        "Passing on a CV from my neighbour's son, Ali, who does ETCS onboard integration "
        "testing at a supplier. He wants to move to the UK next year.",
        sender=RAIL_COLLEAGUE,
        subject="Fwd: CV",
        id="rail2-employee-passes-cv",
    ),
    probe(
        F,
        RAIL,
        "I attended the keynote on ETCS onboard integration at the ERTMS conference and it "
        "inspired me to apply for your ETCS Systems Engineer role.",
        id="rail2-attended-keynote",
    ),
    probe(
        F,
        RAIL,
        "I led the team that organised our depot's summer party, and I have 3 years of "
        "interlocking design. Please consider me for the Signalling Design Engineer role.",
        id="rail2-led-party-team",
    ),
    probe(
        F,
        RAIL,
        "The whole team at my current employer uses the interlocking design tool I built. Are "
        "you hiring?",
        id="rail2-whole-team-uses-my-tool",
    ),
    probe(
        F,
        RAIL,
        "In 2020 I built a free tool for planning axle counter commissioning and I am looking "
        "for a new job.",
        id="rail2-free-tool-job-ask",
    ),
    probe(
        F,
        RAIL,
        "I'm a junior engineer at a large signalling group and part of the team whose "
        "interlocking design software most European railways use. I'd like to apply for the "
        "Signalling Design Engineer role.",
        id="rail2-junior-part-of-team",
    ),
    probe(
        E,
        COSMETICS,
        "Hello, I'm Dr Priya Nair. I co-authored the chapter of the EU notes of guidance on "
        "the margin of safety, which every safety assessor follows when writing a CPSR.",
        id="cos2-co-authored-guidance-every-assessor-follows",
    ),
    probe(
        E,
        COSMETICS,
        "Our rheology method for measuring how creams spread became an ISO standard in 2022; "
        "I was the project leader for it at ISO/TC 217. I work on rheology of personal care "
        "products.",
        id="cos2-project-leader-iso-standard",
        # Left as it is: "our method" is a team's (a junior's "our product is used by most
        # banks" reads the same), and "project leader" is a role only ISO's readers know;
        # with no body named in its sentence it is any project's leader.
        xfail="a team's method and a standards body's title the rules do not know",
    ),
    probe(
        E,
        COSMETICS,
        "The sunscreen photostability test in the industry guideline is my method. I "
        "developed it at the university in 2009 and it is still the industry reference for "
        "SPF formulation.",
        id="cos2-is-my-method-industry-reference",
    ),
    probe(
        E,
        COSMETICS,
        "Hi Nadia, looping in my former professor, Ingrid Dahl (cc). Ingrid is the person "
        "behind the challenge testing protocol that pretty much every contract lab uses, and "
        "she's retiring from the university next year.",
        sender=COSMETICS_COLLEAGUE,
        cc=("Ingrid Dahl <ingrid.dahl@mailbox.example>",),
        id="cos2-intro-person-behind-protocol",
    ),
    probe(
        E,
        COSMETICS,
        "Three years ago the Society of Cosmetic Chemists honoured me with its merit award for "
        "my work on emulsion stability testing.",
        id="cos2-society-honoured-me-with",
    ),
    probe(
        E,
        COSMETICS,
        "Since 2015 I am chairing the industry task force on preservative efficacy testing. I "
        "would be open to a change.",
        id="cos2-chairing-task-force",
    ),
    probe(
        E,
        COSMETICS,
        "Brief note: the accelerated stability model used by most of the big European skin "
        "care brands was my work at my previous employer. I'm leaving in January and open to "
        "conversations.",
        id="cos2-model-most-brands-use-was-my-work",
    ),
    probe(
        N,
        COSMETICS,
        "We met at the SCC showcase in Manchester, I was the one asking about your rheology "
        "lab! I'm finishing my postdoc on rheology of personal care products in August 2027 "
        "and would love to stay in touch.",
        id="cos2-met-at-showcase-postdoc-ends",
    ),
    probe(
        N,
        COSMETICS,
        "Hola Nadia, my friend Carmen is a sun care formulation expert in Barcelona and Tomás "
        "from your team is in copy.",
        cc=(COSMETICS_COLLEAGUE,),
        id="cos2-employee-cc",
    ),
    probe(
        N,
        COSMETICS,
        "I'm a CPSR safety assessor working freelance. I'm fully booked until the end of Q2 "
        "2027, but after that I could take on a permanent role. No need to reply now.",
        id="cos2-booked-until-q2",
    ),
    probe(
        N,
        COSMETICS,
        "Dziękuję for the conversation on Friday. As I said, I am on maternity leave until "
        "September, then I would be very happy to discuss the QC Microbiologist role.",
        id="cos2-thanks-non-native",
    ),
    probe(
        F,
        COSMETICS,
        "I am a cosmetic chemist with 2 years experience. I have worked with many big brands "
        "on their emulsion formulation. Looking for a job in your company.",
        id="cos2-worked-with-many-brands",
    ),
    probe(
        F,
        COSMETICS,
        "I attended the plenary lecture on sun care at the IFSCC congress and I'm now very "
        "motivated to join your SPF team. Do you have internships?",
        id="cos2-attended-plenary",
    ),
    probe(
        F,
        COSMETICS,
        "The whole lab uses my emulsion stability spreadsheet and my manager says it is the "
        "best tool we have. I'd like to apply for the Formulation Chemist role.",
        id="cos2-whole-lab-uses-spreadsheet",
    ),
    probe(
        F,
        COSMETICS,
        "My grandmother's face cream recipe, named after her, is famous in our village. I want "
        "to make cosmetic products for a living.",
        id="cos2-recipe-named-after-grandmother",
    ),
    probe(
        F,
        COSMETICS,
        "I'm the inventor of a patented lipstick mould that most contract manufacturers in "
        "Italy use. Do you make lipsticks?",
        id="cos2-creation-skill-not-listed",
    ),
]

# A third set, written after the second set's changes and labeled before the rules ran.
THIRD_PROBES = [
    probe(
        E,
        RAIL,
        "For the record, I'm one of the two people who designed the balise telegram checker "
        "that every ETCS onboard supplier has to pass before certification.",
        id="rail3-designed-checker-every-supplier-has-to-pass",
    ),
    probe(
        E,
        RAIL,
        "I chaired the RSSB working group that produced the national guidance on axle counter "
        "commissioning.",
        id="rail3-chaired-working-group",
    ),
    probe(
        E,
        RAIL,
        "You may know my name from the Lindqvist criteria for train detection; every "
        "infrastructure manager in the Nordics uses them. I'm moving to the UK this year.",
        id="rail3-eponymous-criteria",
    ),
    probe(
        E,
        RAIL,
        "I am the principal designer of the computer-based interlocking used in 40% of "
        "Spanish high-speed lines. Now I want to do interlocking design in the UK.",
        id="rail3-principal-designer-non-native",
    ),
    probe(
        N,
        RAIL,
        "Hi Rita, I'm the ETCS lead on a metro resignalling in Oslo. It finishes in Q1 2027 "
        "and I'd be interested in a conversation then.",
        id="rail3-project-finishes-q1",
    ),
    probe(
        N,
        RAIL,
        "Hello, my wife's job brings us to Birmingham in September next year. I've done "
        "interlocking data preparation for 8 years and will be looking for work once we've "
        "moved.",
        id="rail3-moving-next-september",
    ),
    probe(
        N,
        RAIL,
        "Just a heads-up rather than an application: I'm a safety case engineer and my visa "
        "sponsorship ends next spring, so from then I'm free to join a UK employer.",
        id="rail3-visa-ends-next-spring",
    ),
    probe(
        F,
        RAIL,
        "I have read EN 50129 cover to cover and I'm a big fan of formal verification. I'd "
        "like to know if you have any graduate roles.",
        id="rail3-fan-graduate-roles",
    ),
    probe(
        F,
        RAIL,
        "Our company (I'm a sales manager there) supplies the axle counters used on most of "
        "the UK network. I'd like to move into commissioning. Could we have a call?",
        id="rail3-sales-manager-company-product",
    ),
    probe(
        F,
        RAIL,
        "I maintain my university's signalling lab and wrote the lab manual that all our "
        "students use. I'm applying for the Testing and Commissioning Engineer role.",
        id="rail3-lab-manual-students-use",
    ),
    probe(
        E,
        RAIL,
        "Forwarding Dr Chen's note. His 2011 paper on model checking of railway interlockings "
        "is the landmark study in the field; I read it during my master's.",
        sender=RAIL_COLLEAGUE,
        subject="Fwd: application",
        id="rail3-forwarded-landmark-study",
    ),
    probe(
        E,
        RAIL,
        "I co-invented the track-circuit-free train detection scheme now deployed on more than "
        "3,000 km of European lines.",
        id="rail3-co-invented-deployed-3000-km",
    ),
    probe(
        E,
        COSMETICS,
        "I'm the author of Cosmetic Emulsions: Stability and Testing (2019), the textbook most "
        "formulation courses now teach from.",
        id="cos3-textbook-courses-teach-from",
    ),
    probe(
        E,
        COSMETICS,
        "Hi, I developed the in vitro SPF method that became ISO 23675 last year; I was the "
        "convenor of the working group.",
        id="cos3-convenor-spf-method",
    ),
    probe(
        E,
        COSMETICS,
        "Our small start-up's preservative booster won the BSB Innovation Award 2024 and is "
        "now in more than 200 products; I formulated it and ran all the challenge testing.",
        id="cos3-start-up-won-award",
    ),
    probe(
        E,
        COSMETICS,
        "Nadia, meet Marco (cc). Marco's viscosity model for personal care gels is what pretty "
        "much every rheology modifiers supplier uses in their application labs. Thought you "
        "two should talk.",
        sender=COSMETICS_COLLEAGUE,
        cc=("Marco Ricci <marco.ricci@mailbox.example>",),
        id="cos3-intro-names-model-every-supplier-uses",
    ),
    probe(
        N,
        COSMETICS,
        "Thanks so much for showing me round the lab on Tuesday! As I mentioned, my current "
        "contract runs to March 2027, so I'll be in touch nearer the time.",
        id="cos3-thanks-for-tour-contract-to-march",
    ),
    probe(
        N,
        COSMETICS,
        "Hi Nadia, we've never met, but I wanted to put myself on your radar: I'm a "
        "rheologist (personal care products, 10 years) and I'm relocating to Dublin in late "
        "2027.",
        id="cos3-on-your-radar-relocating",
    ),
    probe(
        N,
        COSMETICS,
        "Hi Nadia, my sister-in-law Rosa is a regulatory affairs specialist (CPSR, IFRA) at a "
        "big fragrance house. She isn't looking right now but asked me to pass her details on "
        "to you for later in the year.",
        sender=COSMETICS_COLLEAGUE,
        id="cos3-employee-passes-details",
    ),
    probe(
        F,
        COSMETICS,
        "I'm an influencer with 500k followers and I formulate my own serums, which thousands "
        "of people buy. I'd love to work with you on sun care.",
        id="cos3-influencer",
    ),
    probe(
        F,
        COSMETICS,
        "I worked as an intern at a global beauty company in the team that launched the SPF 50 "
        "moisturiser that is the best-selling sunscreen in Europe. Do you have graduate roles?",
        id="cos3-intern-in-famous-team",
    ),
    probe(
        F,
        COSMETICS,
        "I'm a certified cosmetic safety assessor, I have done more than 300 CPSRs. I'm "
        "looking for a permanent position, can we talk this week?",
        id="cos3-safety-assessor-asks-now",
    ),
    probe(
        F,
        COSMETICS,
        "I developed a new moisturiser that our whole company now uses as the base formula "
        "for emulsions. I'm looking for a new challenge, any openings?",
        id="cos3-whole-company-uses",
    ),
]

# A fourth set, mostly network later and the new concepts' near misses, written after the
# third set's changes and labeled before the rules ran.
FOURTH_PROBES = [
    probe(
        N,
        RAIL,
        "Rita - see below, one for later I think.\n\n---------- Forwarded message ---------\n"
        "From: Tom Hale <tom.hale@mailbox.example>\nDate: Mon, 3 Nov 2026\nSubject: "
        "signalling\n\nHi Jonas, good to see you at the IRSE dinner. I'm doing interlocking "
        "design at a consultancy, locked in until my project hands over in mid-2027. Would you "
        "pass my name to your recruiter for then?\n\nTom",
        sender=RAIL_COLLEAGUE,
        subject="Fwd: signalling",
        id="rail4-employee-forwards-for-later",
    ),
    probe(
        N,
        RAIL,
        "Hej Rita, I am Swedish ETCS engineer, 12 years with onboard integration. My family "
        "and me plan to move to Bristol in the summer 2027. I would be glad to hear from you "
        "when this time comes closer.",
        id="rail4-moving-summer-non-native",
    ),
    probe(
        N,
        RAIL,
        "Thanks for the phone call this morning. As you suggested, here's a short summary of "
        "my background in axle counter commissioning; I'm available from February.",
        id="rail4-thanks-for-phone-call",
    ),
    probe(
        F,
        RAIL,
        "Dear Hiring Manager, I am writing to express my interest in the Signalling Design "
        "Engineer position. I have 5 years of experience in interlocking design and scheme "
        "plans. I look forward to hearing from you.",
        id="rail4-cover-letter",
    ),
    probe(
        E,
        RAIL,
        "I'm the lead author of the IRSE guidance on ETCS onboard integration testing, which "
        "most European railways now reference in their tender requirements.",
        id="rail4-lead-author-of-guidance",
    ),
    probe(
        F,
        RAIL,
        "My name is Kofi and I have passed the IRSE licence exam in axle counter "
        "commissioning. I want to join you immediately.",
        id="rail4-my-name-passed-exam",
    ),
    probe(
        E,
        RAIL,
        "Prof. Ines Duarte (cc), I've worked with her for years. She developed the B method "
        "proofs that every interlocking vendor in Europe now has to deliver to the assessor.",
        sender=RAIL_COLLEAGUE,
        cc=("Ines Duarte <ines.duarte@mailbox.example>",),
        id="rail4-cc-she-developed-every-vendor-has-to-deliver",
    ),
    probe(
        N,
        RAIL,
        "I'm currently on parental leave until April. When I'm back I'd like to explore a move "
        "into formal verification of signalling logic; may I contact you again then?",
        id="rail4-parental-leave-until-april",
    ),
    probe(
        N,
        COSMETICS,
        "Hi Nadia, it was lovely to meet you at the Cosmetic Science Conference. I'm a "
        "microbiologist doing challenge testing at a CRO; not job-hunting right now, but maybe "
        "next year.",
        id="cos4-lovely-to-meet-you",
    ),
    probe(
        F,
        COSMETICS,
        "Good afternoon, I saw your vacancy for a QC Microbiologist and I would like to apply. "
        "I have experience with ISO 11930 and microbial limits. When can I start?",
        id="cos4-applies",
    ),
    probe(
        E,
        COSMETICS,
        "I co-developed the in vitro SPF ring study protocol, which the ISO committee adopted "
        "in 2022 as the basis of the new standard.",
        id="cos4-co-developed-protocol-adopted",
    ),
    probe(
        N,
        COSMETICS,
        "Nadia, quick one: Aoife from my old team in Cork does rheology for personal care "
        "products and is finishing her maternity leave in May. I told her you'd be interested "
        "to hear from her then.",
        sender=COSMETICS_COLLEAGUE,
        id="cos4-employee-mentions-leave-ends",
    ),
    probe(
        E,
        COSMETICS,
        "I hold the patent on the encapsulated vitamin C system that most of the top 20 skin "
        "care brands license; my background is emulsion formulation.",
        id="cos4-patent-most-brands-license",
    ),
    probe(
        F,
        COSMETICS,
        "I'm responsible for the SPF testing schedule in my lab and I make sure every batch "
        "passes. Please consider me for your sun care team.",
        id="cos4-responsible-every-batch-passes",
    ),
    probe(
        E,
        COSMETICS,
        "Not sure if you remember me. I'm the one who wrote the fragrance allergen calculator "
        "that most EU safety assessors use for their CPSRs.",
        id="cos4-the-one-who-wrote-calculator",
    ),
]

# A fifth set, in the shapes real mail has (greetings, lists, signatures, a P.S.), written
# after the fourth set's changes and labeled before the rules ran.
FIFTH_PROBES = [
    probe(
        E,
        RAIL,
        "Dear Rita,\n\nA short note about me:\n- 18 years in signalling\n- editor of EN 50129 "
        "for the last two revisions\n- now head of assurance at a mid-size consultancy\n\n"
        "I would be interested to hear about senior safety roles.\n\nBest regards,\n"
        "Karel Novak\nHead of Assurance",
        id="rail5-list-editor-of-standard",
    ),
    probe(
        N,
        RAIL,
        "Hi Rita,\n\nI hope this finds you well. I'm an interlocking design engineer (SSI "
        "data, mostly) and I'm currently committed to a resignalling scheme until November "
        "2027.\n\nP.S. No need to reply now, I'll write again next autumn.\n\nCheers,\nOwen",
        id="rail5-ps-write-again",
    ),
    probe(
        E,
        RAIL,
        "Hello,\n\nIn case it's useful: the open source ERTMS track-to-train simulator that "
        "most of the EU's ETCS test labs run is mine (I started it in 2014 and still merge "
        "every change).\n\nThanks,\nLuca",
        id="rail5-simulator-test-labs-run-is-mine",
    ),
    probe(
        F,
        RAIL,
        "Hi there,\n\nI am a highly motivated, results-driven engineer and a recognised "
        "thought leader in railway safety case development. I have authored many safety "
        "cases and I'm seeking opportunities with your company.\n\nKind regards,\nDan",
        id="rail5-buzzwords-seeking-opportunities",
    ),
    probe(
        N,
        RAIL,
        "Dear Ms Marsh,\n\nThank you for taking the time to talk with me on Friday about the "
        "ETCS programme. As mentioned, my notice period is six months, so realistically I "
        "could join in the summer.\n\nKind regards,\nPriyanka",
        id="rail5-thanks-for-talk-notice-period",
    ),
    probe(
        E,
        COSMETICS,
        "Hi Nadia,\n\nQuick background: I'm a formulation chemist and my stability "
        "prediction model for emulsions has been built into two of the three commercial "
        "stability chambers on the market.\n\nBest,\nEmma",
        id="cos5-model-built-into-chambers",
    ),
    probe(
        F,
        COSMETICS,
        "Dear Sir/Madam,\n\nPlease find attached my CV for the Formulation Chemist, Skin Care "
        "vacancy. I have a BSc in chemistry and one year of experience with emulsions and "
        "stability testing.\n\nYours faithfully,\nJack",
        id="cos5-cv-for-vacancy",
    ),
    probe(
        E,
        COSMETICS,
        "Hello Nadia,\n\nI lead the ISO/TC 217 working group on SPF testing (WG7) and was "
        "the project editor of ISO 24444:2019. I'm thinking of moving from the testing house "
        "to a brand.\n\nWarm regards,\nDr. Sofia Lindgren",
        id="cos5-leads-working-group",
    ),
    probe(
        N,
        COSMETICS,
        "Hi Nadia, Tomás mentioned you might have rheology work coming up next year. I'm a "
        "rheologist in personal care, currently finishing a two-year contract that ends in "
        "September. Happy to talk closer to then!",
        id="cos5-tomas-mentioned-contract-ends",
    ),
    probe(
        F,
        COSMETICS,
        "Hi, I have 10 years of experience in preservative efficacy testing and I am the best "
        "microbiologist you will find. I can interview any day this week.",
        id="cos5-best-microbiologist-interview-now",
    ),
]

# A third field, written last, as a check of the changes on a field they were not made on:
# a conservation studio for museums. Labeled before the rules ran.
CONSERVATION = Profile(
    company="Vellum Conservation Studio",
    careers_url="https://careers.vellumstudio.example",
    recruiter_name="Ada Quill",
    recruiter_email="ada.quill@vellumstudio.example",
    employee_domains=("vellumstudio.example",),
    openings=(
        Opening(
            "Paper Conservator",
            "https://careers.vellumstudio.example/4",
            ("paper conservation", "leaf casting", "humidification and flattening"),
        ),
        Opening(
            "Conservation Scientist",
            "https://careers.vellumstudio.example/5",
            ("XRF analysis of pigments", "Raman spectroscopy"),
        ),
    ),
    hard_to_fill_skills=(
        "easel paintings conservation",
        "XRF analysis of pigments",
        "multispectral imaging of manuscripts",
        "preventive conservation (collections care)",
    ),
    other_names=rules.as_other_names(
        {
            "easel paintings conservation": ["paintings conservation", "painting restoration"],
            "XRF analysis of pigments": ["X-ray fluorescence", "pigment analysis"],
            "multispectral imaging of manuscripts": ["MSI", "spectral imaging"],
        }
    ),
)
STUDIO_COLLEAGUE = "Ben Hart <ben.hart@vellumstudio.example>"

THIRD_FIELD_PROBES = [
    probe(
        E,
        CONSERVATION,
        "I wrote the pigment analysis database that most European museum labs compare their "
        "XRF spectra against. I'd be glad to talk about your conservation science team.",
        id="art-database-labs-compare-against",
    ),
    probe(
        E,
        CONSERVATION,
        "I chaired the ICOM-CC working group on preventive conservation from 2017 to 2023.",
        id="art-chaired-working-group",
    ),
    probe(
        E,
        CONSERVATION,
        "Hi Ada, meet Dr Yusuf Karim (cc). He developed the spectral imaging method that "
        "recovered the erased text of the Archimedes palimpsest; every manuscript imaging lab "
        "has used his processing since.",
        sender=STUDIO_COLLEAGUE,
        cc=("Yusuf Karim <yusuf.karim@mailbox.example>",),
        id="art-intro-method-every-lab-used",
    ),
    probe(
        E,
        CONSERVATION,
        "In 2022 the American Institute for Conservation honoured me with its award for "
        "outstanding work in easel paintings conservation.",
        id="art-honoured-with-award",
    ),
    probe(
        E,
        CONSERVATION,
        "The varnish removal gel most paintings conservation studios in Europe work with was "
        "my idea; I published the recipe in 2015.",
        id="art-gel-studios-work-with-was-my-idea",
    ),
    probe(
        N,
        CONSERVATION,
        "I'm a paintings conservator on a two-year fellowship at a national gallery, which ends "
        "in August 2027. I'd love to keep in touch until then.",
        id="art-fellowship-ends-keep-in-touch",
        # Left as it is: the criteria count "on a fellowship" as a distinction held; a
        # museum's two-year fellowship is often a training post, which they do not. A
        # question for whoever owns the criteria, not a word to change here.
        xfail="the criteria count 'on a fellowship' as a distinction",
    ),
    probe(
        N,
        CONSERVATION,
        "Thank you for the tour of the studio yesterday, it was inspiring. I'm a paper "
        "conservator and I'll be back in touch when my post at the archive ends next year.",
        id="art-thanks-for-tour",
    ),
    probe(
        N,
        CONSERVATION,
        "Ada, forwarding a note from my old classmate Lise, a paper conservator in Oslo. She "
        "isn't looking yet.",
        sender=STUDIO_COLLEAGUE,
        id="art-employee-forwards",
    ),
    probe(
        F,
        CONSERVATION,
        "I'm a passionate art lover and I restored my grandmother's oil paintings. I'd like to "
        "apply for a paintings conservation internship.",
        id="art-hobby-restorer",
    ),
    probe(
        F,
        CONSERVATION,
        "I'm an assistant at a famous museum whose lab developed the XRF method most "
        "conservators use. I would like to apply for the Conservation Scientist role.",
        id="art-assistant-at-famous-museum",
    ),
    probe(
        F,
        CONSERVATION,
        "I attended the keynote on multispectral imaging of manuscripts at the IIC congress. "
        "Are you hiring conservators?",
        id="art-attended-keynote",
    ),
    probe(
        F,
        CONSERVATION,
        "I won first prize in a photography competition for my pictures of old manuscripts. I "
        "would like to apply for the Paper Conservator job.",
        id="art-prize-skill-not-listed",
    ),
]

# A sixth set for the first two companies, labeled before the rules ran: network later in
# more forms, and a few more ways a creation's use is told.
SIXTH_PROBES = [
    probe(
        N,
        RAIL,
        "Not job hunting, I've got two years left on my contract in Perth, but I'm an "
        "interlocking design engineer and plan to come home to the UK after that. Would be "
        "good to be on your list.",
        id="rail6-two-years-left-on-contract",
    ),
    probe(
        N,
        COSMETICS,
        "I'm a sun care formulator on a sabbatical this year, travelling. From January I'd "
        "like to get back into SPF formulation; could I reach out again in December?",
        id="cos6-sabbatical-from-january",
    ),
    probe(
        N,
        RAIL,
        "Hello Rita! Last year we spoke at InnoTrans about axle counter commissioning. I'm "
        "still at my current company for now, but in 2028 I'll be relocating to Leeds and "
        "would be keen to reconnect.",
        id="rail6-relocating-in-2028",
    ),
    probe(
        N,
        COSMETICS,
        "Good day, I am regulatory affairs specialist with CPSR and IFRA experience. Actually "
        "I am in notice period of 3 months, after I can join. I don't want apply now, only "
        "want you know me.",
        id="cos6-notice-period-non-native",
    ),
    probe(
        E,
        RAIL,
        "My interlocking data validation rules are the de facto standard for SSI data "
        "checking in Britain.",
        id="rail6-my-rules-de-facto-standard",
    ),
    probe(
        E,
        COSMETICS,
        "The preservative efficacy scoring scheme I proposed in 2012 is recommended by the "
        "Personal Care Products Council in its technical guidelines.",
        id="cos6-scheme-proposed-recommended-by-council",
    ),
    probe(
        E,
        RAIL,
        "I wrote the reference implementation of the ETCS braking curves that the EU Agency "
        "for Railways publishes on its website.",
        id="rail6-reference-implementation",
    ),
    probe(
        F,
        COSMETICS,
        "I was a member of the jury for the in-cosmetics innovation awards. I'm looking for a "
        "formulation job in emulsion stability testing.",
        id="cos6-jury-member-job-ask",
    ),
    probe(
        F,
        RAIL,
        "I proposed a new axle counter layout at my company that saved money. Are there open "
        "roles?",
        id="rail6-proposed-layout-job-ask",
    ),
    probe(
        N,
        COSMETICS,
        "Tomás (cc) thought I should write. I'd like to apply for the QC Microbiologist role.",
        cc=(COSMETICS_COLLEAGUE,),
        id="cos6-employee-cc-with-ask",
    ),
]


@pytest.mark.parametrize(
    rule_cases.PROBE_FIELDS,
    [
        *PROBES,
        *SIXTH_PROBES,
        *SECOND_PROBES,
        *THIRD_PROBES,
        *FOURTH_PROBES,
        *FIFTH_PROBES,
        *THIRD_FIELD_PROBES,
    ],
)
def test_a_request_to_a_company_the_rules_were_not_written_for(
    profile, body, sender, subject, cc, label
):
    result = rule_cases.probe_verdict(profile, body, sender, subject, cc)

    assert result.bucket == label, result.reasons
