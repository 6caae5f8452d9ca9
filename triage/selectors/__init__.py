"""Reads: querysets and page contexts for views, commands and services. A selector writes
nothing; what changes data lives in triage/services/. See README, "Where things live"."""
