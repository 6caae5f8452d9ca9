"""Folders the app writes to are created when they are needed, never by importing the settings
(a read-only checkout, a linter or a tool that only reads the settings must not create var/).

The SQLite file is the one folder nobody else makes: sqlite3 cannot create the folder of its
database file. manage.py, wsgi.py and asgi.py call `make_database_folders()` before Django
connects; it does nothing on PostgreSQL. (Outgoing .eml files, stored attachments and
collectstatic create their own folders when they first write.)"""

from pathlib import Path


def make_database_folders() -> None:
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        databases = settings.DATABASES
    except ImproperlyConfigured:
        return  # Django reports it, and `manage.py help` still works
    for database in databases.values():
        if database.get("ENGINE") != "django.db.backends.sqlite3":
            continue
        name = str(database.get("NAME") or "")
        if not name or name == ":memory:" or name.startswith("file:"):
            continue
        Path(name).parent.mkdir(parents=True, exist_ok=True)
