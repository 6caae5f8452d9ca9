"""HTTP, one module per area: fetch (selectors), validate (forms), call one service,
respond. Pages work without JavaScript; htmx requests get just the fragment they swap.

- requests: the inbox, a request's page and what a recruiter does there
- outbox: replies not (yet) delivered, and the messages kept aside
- openings: openings, and telling the pool a role opened
- candidates: a candidate's page, consent, privacy (export, erase)
- pool: the talent pool and the follow-up digest
- replies: reply templates, the sender settings, bulk replies
- rules: the Rules page
- config: the configuration page and re-triage
- contact: the public contact page
- health: /healthz, for a load balancer or an uptime check (no login, no candidate data)

Every page in the triage namespace is for recruiters unless marked open (triage/access.py)."""
