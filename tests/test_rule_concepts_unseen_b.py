"""A second probe round: companies of fields neither the corpora nor the first probes have
(a bridge and tunnel engineering consultancy, a hearing-aid maker, a national archive's
digital preservation service), with short requests written the way people write and labeled
by the bucket criteria (rules.py docstrings) BEFORE the rules ran on them. Written in sets;
after each set the rules were changed only in general concepts (paraphrase and near-miss
tests in tests/test_rule_concepts_unseen_b_fixes.py), and the next set was written for a
field nothing had been fixed for. Misses judged unreasonable to fix are strict xfails, with
the reason. Pure: no database.

First sight (the rules as they were when the set was first run):
  first set (bridges and tunnels, hearing aids): 34/45
  second set (digital preservation, after the first set's fixes): 22/30
  third set (avalanche forecasting, after the second set's fixes): 13/20
  fourth set (live captioning, after the third set's fixes): 13/16
"""

import pytest

from tests import rule_cases
from triage import rules
from triage.rules import Bucket, Opening, Person, Profile

E, N, F = Bucket.EXCEPTIONAL, Bucket.NETWORK, Bucket.FUNNEL

BRIDGES = Profile(
    company="Corran Spence Bridge & Tunnel Engineers",
    careers_url="https://careers.corranspence.example",
    recruiter_name="Moira Lind",
    recruiter_email="moira.lind@corranspence.example",
    employee_domains=("corranspence.example", "cs-tunnels.example"),
    openings=(
        Opening(
            "Senior Bridge Engineer",
            "https://careers.corranspence.example/jobs/201",
            ("cable-stayed bridges", "Eurocodes", "finite element analysis"),
        ),
        Opening(
            "Tunnel Design Engineer",
            "https://careers.corranspence.example/jobs/202",
            ("segmental tunnel linings", "NATM", "ground settlement assessment"),
        ),
        Opening(
            "Structural Health Monitoring Specialist",
            "https://careers.corranspence.example/jobs/203",
            ("fibre optic sensing", "structural health monitoring", "modal analysis"),
        ),
    ),
    hard_to_fill_skills=(
        "long-span bridge aerodynamics",
        "segmental tunnel lining design",
        "structural health monitoring of bridges",
        "fatigue assessment of steel bridges",
        "soil-structure interaction in tunnelling",
    ),
    notable_people=(
        Person("Ewa Kowalczyk", "ewa.kowalczyk@mailbox.example", "led the strait crossing"),
    ),
    contacts=(Person("Colm Byrne", "colm.byrne@mailbox.example", "met at IABSE 2025"),),
    other_names=rules.as_other_names(
        {
            "long-span bridge aerodynamics": [
                "flutter analysis",
                "vortex-induced vibration",
                "bridge wind engineering",
            ],
            "segmental tunnel lining design": ["segment lining", "TBM lining"],
            "structural health monitoring of bridges": ["SHM", "bridge monitoring"],
            "fatigue assessment of steel bridges": ["orthotropic deck fatigue"],
            "soil-structure interaction in tunnelling": ["tunnel-induced settlement"],
        }
    ),
)

HEARING = Profile(
    company="Lumen Hearing",
    careers_url="https://careers.lumenhearing.example",
    recruiter_name="Dana Okafor",
    recruiter_email="dana.okafor@lumenhearing.example",
    employee_domains=("lumenhearing.example", "lumen-audio.example"),
    openings=(
        Opening(
            "DSP Engineer, Hearing Instruments",
            "https://careers.lumenhearing.example/roles/71",
            ("fixed-point DSP", "low-power audio", "filter banks"),
        ),
        Opening(
            "Fitting Software Developer",
            "https://careers.lumenhearing.example/roles/72",
            ("fitting software", "C#", "NOAH integration"),
        ),
        Opening(
            "Clinical Audiologist",
            "https://careers.lumenhearing.example/roles/73",
            ("real-ear measurement", "hearing aid fitting", "speech-in-noise testing"),
        ),
    ),
    hard_to_fill_skills=(
        "hearing aid signal processing",
        "acoustic feedback cancellation",
        "binaural beamforming",
        "prescriptive fitting formulas",
        "real-ear measurement",
    ),
    notable_people=(
        Person("Henrik Aalto", "henrik.aalto@mailbox.example", "feedback cancellation pioneer"),
    ),
    contacts=(Person("Priya Raman", "priya.raman@mailbox.example", "audiology advisory board"),),
    other_names=rules.as_other_names(
        {
            "hearing aid signal processing": ["audio DSP", "hearing instrument DSP"],
            "acoustic feedback cancellation": ["feedback suppression", "feedback canceller"],
            "binaural beamforming": ["directional microphones", "beamformer"],
            "prescriptive fitting formulas": ["fitting formula", "fitting rationale"],
            "real-ear measurement": ["REM", "probe-microphone measurement"],
        }
    ),
)

ARCHIVE = Profile(
    company="National Records Office",
    careers_url="https://jobs.nationalrecords.example",
    recruiter_name="Helen Achebe",
    recruiter_email="helen.achebe@nationalrecords.example",
    employee_domains=("nationalrecords.example",),
    openings=(
        Opening(
            "Digital Preservation Specialist",
            "https://jobs.nationalrecords.example/vacancies/41",
            ("OAIS", "PREMIS", "fixity checking"),
        ),
        Opening(
            "Web Archiving Engineer",
            "https://jobs.nationalrecords.example/vacancies/42",
            ("Heritrix", "WARC", "crawl quality assurance"),
        ),
        Opening(
            "Emulation Engineer",
            "https://jobs.nationalrecords.example/vacancies/43",
            ("emulation", "legacy software", "QEMU"),
        ),
    ),
    hard_to_fill_skills=(
        "file format identification",
        "web archiving",
        "emulation of legacy software",
        "preservation metadata",
        "email archiving",
    ),
    notable_people=(Person("Jean Okoro", "jean.okoro@mailbox.example", "format registry"),),
    contacts=(Person("Mark Ellis", "mark.ellis@mailbox.example", "iPRES programme committee"),),
    other_names=rules.as_other_names(
        {
            "file format identification": ["format registry", "DROID", "PRONOM"],
            "web archiving": ["WARC", "web crawling", "web archive"],
            "emulation of legacy software": ["emulation", "emulators"],
            "preservation metadata": ["PREMIS"],
            "email archiving": ["email preservation"],
        }
    ),
)

SNOW = Profile(
    company="Firnline Snow Safety",
    careers_url="https://careers.firnline.example",
    recruiter_name="Lena Graf",
    recruiter_email="lena.graf@firnline.example",
    employee_domains=("firnline.example",),
    openings=(
        Opening(
            "Avalanche Forecaster",
            "https://careers.firnline.example/jobs/1",
            ("avalanche bulletins", "snow profiles", "weather analysis"),
        ),
        Opening(
            "Snowpack Modeller",
            "https://careers.firnline.example/jobs/2",
            ("snowpack modelling", "Python", "numerical weather prediction"),
        ),
        Opening(
            "Hazard Mapping Engineer",
            "https://careers.firnline.example/jobs/3",
            ("avalanche hazard mapping", "GIS", "runout modelling"),
        ),
    ),
    hard_to_fill_skills=(
        "avalanche forecasting",
        "snowpack modelling",
        "avalanche hazard mapping",
        "explosive avalanche control",
        "snow stability testing",
    ),
    other_names=rules.as_other_names(
        {
            "snowpack modelling": ["snow cover modelling"],
            "avalanche hazard mapping": ["hazard zoning", "runout modelling"],
            "snow stability testing": ["stability tests", "extended column test"],
        }
    ),
)

CAPTIONS = Profile(
    company="Clearline Captioning",
    careers_url="https://careers.clearline.example",
    recruiter_name="Ana Ruiz",
    recruiter_email="ana.ruiz@clearline.example",
    employee_domains=("clearline.example",),
    openings=(
        Opening(
            "Respeaker",
            "https://careers.clearline.example/jobs/8",
            ("respeaking", "live subtitling", "accuracy"),
        ),
        Opening(
            "Stenocaptioner",
            "https://careers.clearline.example/jobs/9",
            ("CART", "steno theory", "broadcast captioning"),
        ),
        Opening(
            "Speech Recognition Engineer",
            "https://careers.clearline.example/jobs/10",
            ("speech recognition", "Kaldi", "caption alignment"),
        ),
    ),
    hard_to_fill_skills=(
        "respeaking",
        "live subtitling",
        "real-time stenography",
        "caption quality measurement",
        "speech recognition for captions",
    ),
    other_names=rules.as_other_names(
        {
            "real-time stenography": ["CART", "stenocaptioning"],
            "caption quality measurement": ["NER model", "subtitle accuracy"],
            "live subtitling": ["live captioning", "real-time subtitling"],
        }
    ),
)

BRIDGE_COLLEAGUE = "Rhys Evans <rhys.evans@corranspence.example>"
HEARING_COLLEAGUE = "Mette Holm <mette.holm@lumen-audio.example>"
ARCHIVE_COLLEAGUE = "Ruth Keane <ruth.keane@nationalrecords.example>"
SNOW_COLLEAGUE = "Jakob Imhof <jakob.imhof@firnline.example>"
CAPTIONS_COLLEAGUE = "Pau Serra <pau.serra@clearline.example>"


probe = rule_cases.probe


FIRST_PROBES = [
    # --- Bridges and tunnels: distinction -----------------------------------------------
    probe(
        E,
        BRIDGES,
        "Dear Ms Lind, the flutter analysis method I developed for my PhD is now written into "
        "the Danish Road Directorate's design basis for every long-span crossing. I'd be glad "
        "to hear about your wind engineering work.",
        id="br-method-written-into-design-basis",
    ),
    probe(
        E,
        BRIDGES,
        "Hi Moira, I convene CEN/TC 250/SC 3 WG 7, the group drafting the new Eurocode part "
        "on fatigue assessment of steel bridges. Would love to compare notes some time.",
        id="br-convene-eurocode-group",
    ),
    probe(
        E,
        BRIDGES,
        "I'm the author of SegLine, the segment lining design program that most tunnel "
        "designers in Asia check their rings with. Twelve years in segmental tunnel lining "
        "design. Looking for a move to Europe.",
        id="br-program-designers-check-with",
    ),
    probe(
        E,
        BRIDGES,
        "In 2024 IABSE gave me the Outstanding Paper Award for my work on orthotropic deck "
        "fatigue. I'm curious whether you have anything in fatigue assessment.",
        id="br-iabse-paper-award",
    ),
    probe(
        E,
        BRIDGES,
        "Good afternoon, I received the Institution of Structural Engineers' Gold Medal last "
        "year for a career in long-span bridge aerodynamics. I am stepping back from "
        "academia and would consider a consultancy role.",
        id="br-gold-medal",
    ),
    probe(
        E,
        BRIDGES,
        "Hi Moira, introducing Prof. Kenji Mori (cc). He devised the settlement prediction "
        "approach for soil-structure interaction in tunnelling that nearly every metro "
        "project in Japan has been designed with since 2005.",
        sender=BRIDGE_COLLEAGUE,
        cc=("Kenji Mori <kenji.mori@mailbox.example>",),
        id="br-intro-approach-every-metro-designed-with",
    ),
    probe(
        E,
        BRIDGES,
        "My vortex-induced vibration damping criteria are what bridge owners across "
        "Scandinavia now specify in their contracts. I've done bridge wind engineering for "
        "twenty years.",
        id="br-criteria-owners-specify",
    ),
    probe(
        E,
        BRIDGES,
        "Hello. The SHM data standard every bridge owner in the Netherlands now reports in "
        "was drafted by me for Rijkswaterstaat. I'm open to new things from next month.",
        id="br-data-standard-drafted-by-me",
    ),
    probe(
        E,
        BRIDGES,
        "I ran the first full-scale fibre optic monitoring of a suspension bridge main cable, "
        "which showed for the first time how wire breaks spread; the structural health "
        "monitoring of bridges field has built on it since.",
        id="br-first-full-scale-field-built-on",
    ),
    probe(
        E,
        BRIDGES,
        "Hello, Ewa Kowalczyk here. I see you are bidding for the fjord crossing; I might be "
        "free to help.",
        sender="Ewa Kowalczyk <ewa.k@otherbox.example>",
        id="br-notable-person",
    ),
    # --- Bridges and tunnels: network later ---------------------------------------------
    probe(
        N,
        BRIDGES,
        "I'm a tunnel engineer on the Grand Paris Express, segmental tunnel lining design "
        "mostly. My contract runs until the line opens in 2028; after that I'd be keen to "
        "hear from you.",
        id="br-contract-until-line-opens",
    ),
    probe(
        N,
        BRIDGES,
        "Great to meet you at the Tunnelling Festival on Thursday. As promised, here is my "
        "note on TBM lining segment cracking.",
        id="br-met-at-festival-as-promised",
    ),
    probe(
        N,
        BRIDGES,
        "Moira, my former classmate Ana works on bridge monitoring in Lisbon, very strong on "
        "modal analysis. Not looking yet but she asked me to pass her name on.",
        sender=BRIDGE_COLLEAGUE,
        id="br-employee-passes-name",
    ),
    probe(
        N,
        BRIDGES,
        "Hi, Rhys (in cc) told me to get in touch. I do finite element analysis of cable-stayed "
        "bridges at a design office in Cardiff.",
        cc=(BRIDGE_COLLEAGUE,),
        id="br-employee-cc",
    ),
    probe(
        N,
        BRIDGES,
        "Hello Moira, following up on our talk in Ghent. Nothing to ask for now.",
        sender="Colm Byrne <colm.byrne@mailbox.example>",
        id="br-known-contact",
    ),
    probe(
        N,
        BRIDGES,
        "I'm finishing a PhD on fatigue assessment of steel bridges at TU Delft and will "
        "defend in spring 2027. I'd like to stay in touch until then.",
        id="br-phd-defend-spring",
    ),
    # --- Bridges and tunnels: funnel ----------------------------------------------------
    probe(
        F,
        BRIDGES,
        "I'm a senior bridge engineer with 22 years of experience across cable-stayed and "
        "arch bridges, chartered with the ICE. Please consider me for the Senior Bridge "
        "Engineer role.",
        id="br-seniority-chartered",
    ),
    probe(
        F,
        BRIDGES,
        "I have published widely on segmental tunnel lining design and soil-structure "
        "interaction. Are you recruiting tunnel engineers at the moment?",
        id="br-published-widely",
    ),
    probe(
        F,
        BRIDGES,
        "Our project team won the Supreme Award at the Structural Awards 2024 for the river "
        "crossing; I was one of the forty engineers on it. I'd like to apply for a role.",
        id="br-team-award-one-of-forty",
    ),
    probe(
        F,
        BRIDGES,
        "Could I have 20 minutes of your time for an informational interview about careers in "
        "bridge wind engineering?",
        id="br-informational-interview",
    ),
    probe(
        F,
        BRIDGES,
        "I use Midas Civil and SOFiSTiK daily for cable-stayed bridges and I hold a "
        "certificate in structural health monitoring. Any openings?",
        id="br-use-daily-certificate",
    ),
    probe(
        F,
        BRIDGES,
        "Would you be able to refer me for the Tunnel Design Engineer position? I have done "
        "NATM design for five years.",
        id="br-referral-ask",
    ),
    probe(
        F,
        BRIDGES,
        "I designed the footbridge over the canal in my town, which thousands of people cross "
        "every day. I'm looking for a bridge job.",
        id="br-footbridge-people-cross",
    ),
    # --- Hearing aids: distinction ------------------------------------------------------
    probe(
        E,
        HEARING,
        "Hi Dana, the feedback canceller I wrote in 2012 still runs inside most of the hearing "
        "aids sold in Europe, under three different brands. I'm thinking about what comes "
        "next.",
        id="ha-canceller-runs-inside-most",
    ),
    probe(
        E,
        HEARING,
        "I'm one of the two authors of the NAL-NL2 fitting rationale, the prescriptive "
        "fitting formula that audiologists in most countries fit with. Happy to talk.",
        id="ha-author-of-fitting-rationale",
    ),
    probe(
        E,
        HEARING,
        "My binaural beamforming algorithm is licensed to four of the big six hearing aid "
        "manufacturers. I'm leaving my start-up at the end of the year.",
        id="ha-algorithm-licensed-to-four",
    ),
    probe(
        E,
        HEARING,
        "I chair the ANSI working group that writes the standard for real-ear measurement "
        "procedures (S3.46). Would you have a role in clinical research?",
        id="ha-chair-ansi-working-group",
    ),
    probe(
        E,
        HEARING,
        "Last year the Acoustical Society of America awarded me its Silver Medal in Signal "
        "Processing in Acoustics for my work on hearing aid signal processing.",
        id="ha-silver-medal",
    ),
    probe(
        E,
        HEARING,
        "Dana, meet Dr Sofia Lindqvist (cc). Sofia designed the speech-in-noise test that "
        "ships in every major fitting software package, and her real-ear measurement "
        "protocol is the one clinics are trained on.",
        sender=HEARING_COLLEAGUE,
        cc=("Sofia Lindqvist <sofia.lindqvist@mailbox.example>",),
        id="ha-intro-test-ships-in-every-package",
    ),
    probe(
        E,
        HEARING,
        "Hello, my open-source feedback suppression toolbox has become the benchmark that "
        "hearing aid DSP papers compare against. I finish my postdoc in June.",
        id="ha-toolbox-benchmark-papers-compare",
    ),
    probe(
        E,
        HEARING,
        "Short version: the directional microphone test box every hearing aid lab calibrates "
        "against was my design, back at the national acoustics lab.",
        id="ha-test-box-labs-calibrate-against",
    ),
    probe(
        E,
        HEARING,
        "Dear Dana, I'm Henrik Aalto. A friend said you were building a new DSP team.",
        sender="Henrik Aalto <henrik.aalto@mailbox.example>",
        id="ha-notable-person",
    ),
    probe(
        E,
        HEARING,
        "I gave the keynote at the International Hearing Aid Research Conference (IHCON) this "
        "summer on binaural beamforming for open fittings.",
        id="ha-gave-ihcon-keynote",
    ),
    # --- Hearing aids: network later ----------------------------------------------------
    probe(
        N,
        HEARING,
        "Thanks for the chat at the AudiologyNOW booth yesterday! I'm an audiologist doing "
        "real-ear measurement research and not moving for now, but let's keep in touch.",
        id="ha-thanks-for-chat-booth",
    ),
    probe(
        N,
        HEARING,
        "I do audio DSP for earbuds at a consumer electronics firm. I'm committed to a product "
        "launch until autumn 2027 and would be glad to talk about hearing instruments after "
        "that.",
        id="ha-committed-until-autumn",
    ),
    probe(
        N,
        HEARING,
        "Hej Dana, forwarding my old flatmate Jonas, he works on filter banks and low-power "
        "audio at a chip company. He's happy where he is, just wants to be on your radar.",
        sender=HEARING_COLLEAGUE,
        id="ha-employee-forwards",
    ),
    probe(
        N,
        HEARING,
        "Priya here. Dana, as we discussed at the board meeting, I'll send the clinic study "
        "notes next week.",
        sender="Priya Raman <priya.raman@mailbox.example>",
        id="ha-known-contact",
    ),
    probe(
        N,
        HEARING,
        "I'm a clinical audiologist in Melbourne, strong on real-ear measurement. My family "
        "moves to Copenhagen in the second half of 2027; I'd love to be in touch before that. "
        "Not applying for anything yet.",
        id="ha-move-second-half-of-2027",
    ),
    # --- Hearing aids: funnel -----------------------------------------------------------
    probe(
        F,
        HEARING,
        "I'm a highly experienced, results-driven DSP engineer with a passion for sound. I "
        "would like to apply for the DSP Engineer position.",
        id="ha-big-words",
    ),
    probe(
        F,
        HEARING,
        "I use MATLAB every day for audio DSP and I have a certification in C#. Can I apply "
        "for the Fitting Software Developer role?",
        id="ha-use-daily-certification",
    ),
    probe(
        F,
        HEARING,
        "Would you have time for a quick coffee chat? I'd love to learn how people move from "
        "audiology into fitting software.",
        id="ha-coffee-chat",
    ),
    probe(
        F,
        HEARING,
        "Our team won the company's innovation award for a new feedback suppression "
        "feature. I'm looking for my next role.",
        id="ha-internal-team-award",
    ),
    probe(
        F,
        HEARING,
        "I have published widely on binaural hearing and presented at many conferences. "
        "Please let me know of any vacancies.",
        id="ha-published-widely",
    ),
    probe(
        F,
        HEARING,
        "I built a hearing test app that thousands of people have downloaded. I'd like a job "
        "in your fitting software team.",
        id="ha-app-thousands-downloaded",
    ),
    probe(
        F,
        HEARING,
        "I'm an audiology graduate at a famous hearing clinic whose researchers developed "
        "the fitting formula most audiologists use. Could you refer me to the Clinical "
        "Audiologist opening?",
        id="ha-graduate-at-famous-clinic",
    ),
]

# Written after the first set's changes, for a field nothing had been fixed for (a national
# archive's digital preservation service), labeled before the rules ran on it.
SECOND_PROBES = [
    # --- Digital preservation: distinction ----------------------------------------------
    probe(
        E,
        ARCHIVE,
        "I'm the editor of the PREMIS Data Dictionary, the preservation metadata standard most "
        "national libraries record their holdings in.",
        id="arc-editor-of-data-dictionary",
    ),
    probe(
        E,
        ARCHIVE,
        "The WARC validator I wrote in 2016 is the one the members of the International "
        "Internet Preservation Consortium run before every ingest.",
        id="arc-validator-consortium-members-run",
    ),
    probe(
        E,
        ARCHIVE,
        "Hi Helen, I came up with the signature format that DROID reads, so every archive that "
        "identifies files with DROID relies on my work.",
        id="arc-came-up-with-signature-format",
    ),
    probe(
        E,
        ARCHIVE,
        "Last year the Digital Preservation Coalition gave me its Award for Research and "
        "Innovation for my work on emulation of legacy software.",
        id="arc-coalition-award",
    ),
    probe(
        E,
        ARCHIVE,
        "Forwarding Tomasz's note below. He keeps the emulation stack running that half of "
        "Europe's national libraries deliver old CD-ROMs through.",
        sender=ARCHIVE_COLLEAGUE,
        subject="Fwd: emulation",
        id="arc-forwarded-keeps-stack-half-deliver-through",
    ),
    probe(
        E,
        ARCHIVE,
        "My format identification rules have been folded into PRONOM, so archives around the "
        "world now identify files with them.",
        id="arc-rules-folded-into-registry",
    ),
    probe(
        E,
        ARCHIVE,
        "I led the team that built the web crawling engine most national web archives harvest "
        "their domains with.",
        id="arc-led-team-built-crawler",
    ),
    probe(
        E,
        ARCHIVE,
        "In 2019 I recovered the first working copy of a 1980s government database through "
        "emulation, a case that preservation courses everywhere now teach.",
        id="arc-first-recovery-courses-teach",
    ),
    probe(
        E,
        ARCHIVE,
        "I co-chair the PREMIS Editorial Committee and have done so since 2020.",
        id="arc-co-chair-editorial-committee",
    ),
    probe(
        E,
        ARCHIVE,
        "Hello Helen, Jean here. I hear the format team is growing.",
        sender="Jean Okoro <jean.okoro@mailbox.example>",
        id="arc-notable-person",
    ),
    probe(
        E,
        ARCHIVE,
        "The Library of Congress recommends my file format identification method in its "
        "format sustainability guidance.",
        id="arc-library-recommends-my-method",
    ),
    probe(
        E,
        ARCHIVE,
        "You may know my name from the Bit List of endangered formats: its file format "
        "identification chapter is mine.",
        id="arc-know-my-name-chapter-is-mine",
        # Left as it is: the chapter is claimed, but nothing says the field uses the list it
        # is in; "you may know my name" is a claim of being known, which alone is no record.
        xfail="a claim of being known, with no word of the field's use",
    ),
    probe(
        E,
        ARCHIVE,
        "I wrote the web archiving quality checks that every legal deposit library in the UK "
        "signs off its crawls with.",
        id="arc-checks-libraries-sign-off-with",
    ),
    probe(
        E,
        ARCHIVE,
        "My emulation images are what researchers at most national archives open old files in.",
        id="arc-my-images-archives-open-files-in",
    ),
    # --- Digital preservation: network later --------------------------------------------
    probe(
        N,
        ARCHIVE,
        "Thanks for showing me round the preservation lab on Friday. I'm a web archivist at "
        "a university and happy where I am for now.",
        id="arc-thanks-for-showing-round",
    ),
    probe(
        N,
        ARCHIVE,
        "I'm a digital archivist on a fixed-term post doing email archiving for a ministry; it "
        "ends in March 2028 and I'd welcome a conversation then.",
        id="arc-fixed-term-ends-march",
    ),
    probe(
        N,
        ARCHIVE,
        "Ruth from your emulation team (cc) said I should write. I maintain QEMU patches for "
        "old Mac hardware.",
        cc=(ARCHIVE_COLLEAGUE,),
        id="arc-employee-cc",
    ),
    probe(
        N,
        ARCHIVE,
        "Helen, a former student of mine, Leo, is doing web crawling at a newspaper archive. "
        "Not looking now, but one to remember.",
        sender=ARCHIVE_COLLEAGUE,
        id="arc-employee-writes-about-student",
    ),
    probe(
        N,
        ARCHIVE,
        "Quick update from me: the conference paper is out, link below.",
        sender="Mark Ellis <mark.ellis@mailbox.example>",
        id="arc-known-contact",
    ),
    probe(
        N,
        ARCHIVE,
        "I'll finish my PhD on preservation metadata in about eighteen months and will look "
        "for roles then. No need to reply.",
        id="arc-phd-eighteen-months",
    ),
    # --- Digital preservation: funnel ---------------------------------------------------
    probe(
        F,
        ARCHIVE,
        "I'm a senior archivist with 25 years of experience and a passion for digital "
        "preservation. Please consider me for the Digital Preservation Specialist role.",
        id="arc-senior-archivist",
    ),
    probe(
        F,
        ARCHIVE,
        "I hold the Digital Preservation Coalition's Novice to Know-How certificate and use "
        "DROID every day. Are you hiring?",
        id="arc-certificate-use-daily",
    ),
    probe(
        F,
        ARCHIVE,
        "Could we have a 15-minute call so I can learn how you got into web archiving?",
        id="arc-call-to-learn",
    ),
    probe(
        F,
        ARCHIVE,
        "My team won the ministry's records innovation award for our email archiving "
        "project. I'd like to apply for the Digital Preservation Specialist job.",
        id="arc-team-won-ministrys-award",
    ),
    probe(
        F,
        ARCHIVE,
        "I have published widely on web archiving and spoke at many conferences. Do you have "
        "any vacancies?",
        id="arc-published-widely",
    ),
    probe(
        F,
        ARCHIVE,
        "I built a web archive of my band's old pages that thousands of fans still browse. "
        "I'd love to work in web archiving.",
        id="arc-band-archive-fans",
    ),
    probe(
        F,
        ARCHIVE,
        "I'm an intern at the national library whose team built the WARC tools most web "
        "archives use. Is there an opening for me?",
        id="arc-intern-whose-team-built",
    ),
    probe(
        F,
        ARCHIVE,
        "Would you refer me for the Emulation Engineer role? I have played with emulators of "
        "old consoles for years.",
        id="arc-referral-hobby-emulators",
    ),
    probe(
        F,
        ARCHIVE,
        "I attended the iPRES keynote on emulation of legacy software and would love an "
        "informational interview.",
        id="arc-attended-keynote-informational",
    ),
    probe(
        F,
        ARCHIVE,
        "Our email archiving workflow is now used by every department in the ministry, and I "
        "wrote most of it. Looking for a new job.",
        id="arc-workflow-every-department",
    ),
]

# Written after the second set's changes, for a field nothing had been fixed for (an
# avalanche forecasting consultancy), labeled before the rules ran on it.
THIRD_PROBES = [
    # --- Avalanche forecasting: distinction ---------------------------------------------
    probe(
        E,
        SNOW,
        "The conceptual model of avalanche hazard that forecasters in North America and "
        "Europe now write their bulletins around came out of my 2010 paper on avalanche "
        "forecasting.",
        id="snow-model-forecasters-write-around-came-out-of-my-paper",
        # Left as it is: two gaps at once. "Came out of my paper" is making told as an origin,
        # and "forecasters in North America and Europe" are many only by the places named
        # (no count, no "across"); either alone would be a phrase for this sentence.
        xfail="an origin ('came out of my paper') and a many told by two places",
    ),
    probe(
        E,
        SNOW,
        "I'm the original developer of SNOWPACK-lite, the snowpack modelling code that most "
        "national warning services run every night.",
        id="snow-original-developer-code-services-run",
    ),
    probe(
        E,
        SNOW,
        "Since 2018 I chair the European working group on avalanche forecasting standards.",
        id="snow-chair-working-group",
    ),
    probe(
        E,
        SNOW,
        "The extended column test is my invention; ski patrols and mountain guides everywhere "
        "dig one before they ski a slope.",
        id="snow-test-is-my-invention-everywhere-dig-one",
        # Left as it is: the field's use is told as doing one ("guides everywhere dig one
        # before they ski"): an instance of the test, which no use word names; counting any
        # verb after "everywhere" would count "people everywhere ski".
        xfail="the field's use told by doing one ('dig one before they ski')",
    ),
    probe(
        E,
        SNOW,
        "Last winter the International Snow Science Workshop gave me its lifetime achievement "
        "award for avalanche hazard mapping.",
        id="snow-lifetime-achievement",
    ),
    probe(
        E,
        SNOW,
        "Lena, meet Aiko (cc). She wrote the avalanche hazard mapping guidelines the Swiss "
        "cantons zone their villages by.",
        sender=SNOW_COLLEAGUE,
        cc=("Aiko Sato <aiko.sato@mailbox.example>",),
        id="snow-intro-guidelines-cantons-zone-by",
        # Left as it is: "the Swiss cantons" are all of them by a plural after "the", with no
        # count; a plural alone ("the clients", "the cantons") is any group of anyone.
        xfail="a whole class named by its plural, with no count ('the Swiss cantons')",
    ),
    probe(
        E,
        SNOW,
        "My snowpack modelling work is the reason every forecast centre in the Alps now "
        "issues its bulletin twice a day.",
        id="snow-my-work-is-the-reason-every-centre",
    ),
    probe(
        E,
        SNOW,
        "Quick one: I keynoted the International Snow Science Workshop last autumn on "
        "snowpack modelling.",
        id="snow-keynoted",
    ),
    # --- Avalanche forecasting: network later -------------------------------------------
    probe(
        N,
        SNOW,
        "I'm a forecaster on a seasonal contract in New Zealand until October; after that I'd "
        "be glad to talk about avalanche forecasting work in Europe.",
        id="snow-seasonal-contract-until-october",
    ),
    probe(
        N,
        SNOW,
        "Lovely to meet you at the field day in Davos! I'll send the snow profile photos as "
        "promised.",
        id="snow-met-at-field-day",
    ),
    probe(
        N,
        SNOW,
        "Forwarding my ski patrol friend Marco, he does explosive avalanche control at a "
        "resort. Not looking this season.",
        sender=SNOW_COLLEAGUE,
        id="snow-employee-forwards",
    ),
    probe(
        N,
        SNOW,
        "I'm doing a master's in snowpack modelling and finish in summer 2027. I'm not "
        "applying yet, just introducing myself.",
        id="snow-masters-finish-summer",
    ),
    # --- Avalanche forecasting: funnel --------------------------------------------------
    probe(
        F,
        SNOW,
        "I'm an experienced skier and IFMGA mountain guide with a passion for avalanche "
        "safety. Do you have a forecaster job?",
        id="snow-guide-passion",
    ),
    probe(
        F,
        SNOW,
        "I completed my AIARE Level 3 certification and read the avalanche bulletin daily. "
        "Any openings in avalanche forecasting?",
        id="snow-certification-daily",
    ),
    probe(
        F,
        SNOW,
        "Could I buy you a coffee and ask about becoming an avalanche forecaster?",
        id="snow-coffee",
    ),
    probe(
        F,
        SNOW,
        "Our ski patrol team won the resort's safety award for explosive avalanche control. "
        "I'd like to apply for a role.",
        id="snow-patrol-team-award",
    ),
    probe(
        F,
        SNOW,
        "I made an avalanche app that thousands of backcountry skiers check every morning. "
        "I'd love a job in avalanche forecasting.",
        id="snow-app-thousands-of-skiers",
    ),
    probe(
        F,
        SNOW,
        "I've published widely on snowpack modelling. Please consider me for the Snowpack "
        "Modeller role.",
        id="snow-published-widely",
    ),
    probe(
        F,
        SNOW,
        "I'm a junior at the institute whose researchers built the snowpack model most "
        "warning services run. Could you refer me?",
        id="snow-junior-whose-researchers",
    ),
    probe(
        F,
        SNOW,
        "I have twenty years of avalanche forecasting experience and led a team of eight "
        "forecasters. Looking for my next role.",
        id="snow-twenty-years-led-team",
    ),
]

# Written after the third set's changes, for a field nothing had been fixed for (a live
# captioning company), labeled before the rules ran on it.
FOURTH_PROBES = [
    # --- Live captioning: distinction ---------------------------------------------------
    probe(
        E,
        CAPTIONS,
        "I'm the co-author of the NER model, the respeaking accuracy measure that "
        "broadcasters across Europe report their live subtitling quality with.",
        id="cap-co-author-measure-broadcasters-report-with",
    ),
    probe(
        E,
        CAPTIONS,
        "Ofcom's live subtitling guidance quotes my latency study word for word.",
        id="cap-regulator-quotes-my-study",
    ),
    probe(
        E,
        CAPTIONS,
        "The respeaking course I designed is the one the UK broadcasters put every new "
        "respeaker through.",
        id="cap-course-broadcasters-put-every-hire-through",
        # Left as it is: as with the Swiss cantons, "the UK broadcasters" are all of them by a
        # plural after "the", with no count; and a course is what the rules read as
        # self-described learning unless its making is told.
        xfail="a whole class named by its plural, with no count ('the UK broadcasters')",
    ),
    probe(
        E,
        CAPTIONS,
        "The Royal Television Society gave me its Innovation Award in 2024 for live subtitling "
        "with speech recognition.",
        id="cap-rts-award",
    ),
    probe(
        E,
        CAPTIONS,
        "Hi Ana, meet Tom (cc). Tom is the person behind the open caption timing tool that "
        "almost every live subtitling house in Spain aligns its files with.",
        sender=CAPTIONS_COLLEAGUE,
        cc=("Tom Vidal <tom.vidal@mailbox.example>",),
        id="cap-intro-person-behind-tool-houses-align-with",
    ),
    probe(
        E,
        CAPTIONS,
        "I chair the EBU group that wrote the subtitle timing standard for live subtitling.",
        id="cap-chair-group-wrote-standard",
    ),
    # --- Live captioning: network later -------------------------------------------------
    probe(
        N,
        CAPTIONS,
        "Thanks for the call this morning! I'm a respeaker, and as I said, I'll be free once "
        "the Games coverage wraps up in September.",
        id="cap-thanks-for-call-free-september",
    ),
    probe(
        N,
        CAPTIONS,
        "I'm a CART stenographer on a court contract until the end of 2027, happy to stay in "
        "touch until then.",
        id="cap-court-contract-until-2027",
    ),
    probe(
        N,
        CAPTIONS,
        "Ana, passing on my cousin Eva, a live subtitling whizz in Madrid. Not looking yet.",
        sender=CAPTIONS_COLLEAGUE,
        id="cap-employee-passes-on-cousin",
    ),
    # --- Live captioning: funnel --------------------------------------------------------
    probe(
        F,
        CAPTIONS,
        "I'm a fast typist, 120 words per minute, and I love subtitles. Do you have any live "
        "subtitling jobs?",
        id="cap-fast-typist",
    ),
    probe(
        F,
        CAPTIONS,
        "I watch every show with subtitles and have a certificate in respeaking. Can I apply?",
        id="cap-certificate-can-i-apply",
    ),
    probe(
        F,
        CAPTIONS,
        "Could you spare 20 minutes for a call about how to get into live captioning?",
        id="cap-call-to-get-into",
    ),
    probe(
        F,
        CAPTIONS,
        "My subtitles for fan translations of anime are watched by millions of fans. I want a "
        "job in live subtitling.",
        id="cap-fan-subtitles-millions",
    ),
    probe(
        F,
        CAPTIONS,
        "I'm a respeaker with 10 years experience and have published widely on live "
        "subtitling quality. Looking for new opportunities.",
        id="cap-published-widely",
    ),
    probe(
        F,
        CAPTIONS,
        "I work at the broadcaster whose access team built the respeaking workflow most UK "
        "channels use. Is there a vacancy?",
        id="cap-at-broadcaster-whose-team-built",
    ),
    probe(
        F,
        CAPTIONS,
        "Our department won the university's accessibility prize for live captioning of "
        "lectures. I'd like to apply.",
        id="cap-department-won-universitys-prize",
    ),
]

PROBES = [*FIRST_PROBES, *SECOND_PROBES, *THIRD_PROBES, *FOURTH_PROBES]


@pytest.mark.parametrize(rule_cases.PROBE_FIELDS, PROBES)
def test_a_request_to_a_company_the_rules_were_not_written_for(
    profile, body, sender, subject, cc, label
):
    result = rule_cases.probe_verdict(profile, body, sender, subject, cc)

    assert result.bucket == label, result.reasons
