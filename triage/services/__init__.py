"""Everything that changes data. Views and commands call these functions; they hold the
flows, and the database holds the promises (see the constraints in models.py).

- profiles: the company profile the rules read
- intake: store and triage requests from any channel
- mailbox: read new mail from an IMAP folder into intake
- review: a recruiter's decisions on a request
- outbox: draft, queue and send replies
"""
