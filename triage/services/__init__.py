"""Everything that changes data, one module per area. Views, commands and tasks call these
functions; they hold the flows, and the database holds the promises (the constraints in
models.py). Reads that only build a page or a list live in triage/selectors/. Services
import triage.tasks at the top and enqueue with transaction.on_commit (README, "Where
things live").

Intake and triage
- intake: store and triage requests from any channel (files, mbox, maildir, CSV, IMAP)
- verdicts: the facts the rules read about a request, and recording their verdict
- mailbox: read new mail from an IMAP folder into intake
- inbound: intake from email providers' webhooks
- csv_import: requests exported from other tools
- contact: the public contact page's submissions
- attachments: keep a request's files and read résumés
- retriage, retriage_worker: run the rules again over untouched requests
- rulebook: the rules recruiters edit, their versions, the rule set in force
- profiles: the company profile the rules read
- config: the profile and the rules as one file (export, check, import)
- assistant: training and asking the assistant
- counts: keep the inbox's counts small (PostgreSQL sums its rows of differences)

A recruiter's work
- review: a recruiter's decisions on a request
- assignment: hand a request to a hiring manager, notify them, record the outcome
- presence: who else has a request open
- outbox: draft, queue and send replies
- templates: reply templates and sender settings
- bulk: one reply to many requests (and "a role opened" to the pool)
- inbox_views: save and delete a recruiter's views of the inbox

People and the pool
- candidates: a person across their requests: timeline, skills, notes, do-not-contact
- pool: who is in the pool and when to follow up, skills as rows, what intake reads from
  people's words, snoozing
- upkeep: the database's planner statistics (daily)
- openings: save, open and close openings
- digest: the daily follow-up digest email
- consent: consent to stay in the pool
- privacy: export and erase a person, and the retention sweep

Accounts and accountability
- accounts: a user's two-factor sign-in (set up, confirm, check a code, turn off)
- audit: record who viewed, exported or changed what; purge old entries

The demo
- demo: the demo inbox's past (answers sent, people kept in touch), for seed_demo
"""
