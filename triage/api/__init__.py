"""The REST API (/api/v1/): an entry point like the views, for the team's other tools.

Thin views over the same selectors and services as the pages (the inbox's filters, queue a
reply, the rule dry run), the same roles (triage.access), per-user tokens (services.api_tokens)
and an OpenAPI schema (drf-spectacular) at /api/schema/ with its docs at /api/docs/."""
