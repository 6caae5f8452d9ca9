"""One settings file. Everything that differs between machines comes from the environment;
the defaults are safe for a laptop (SQLite under var/, mail written to var/outbox/)."""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def env_bool(name: str, default: bool = False) -> bool:
    """A yes/no variable. A typo (DEBUG=ture) stops the start with the variable's name rather
    than quietly reading as "off": a switch nobody can see is off is worse than no start."""
    value = os.environ.get(name, "")
    word = value.strip().lower()
    if not word:  # unset, or set to nothing (a `DEBUG=` line in an env file)
        return default
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a yes/no value: use one of "
        f"{', '.join(sorted(TRUE_WORDS))} or {', '.join(sorted(FALSE_WORDS))}."
    )


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
TESTING = "pytest" in sys.modules

DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for local development).")
    SECRET_KEY = "insecure-local-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Where the app is served, for links in emails (assignments, consent). `make run` exports
# HOST and PORT, so by default the links point at the server it starts.
SITE_URL = os.environ.get(
    "SITE_URL", f"http://{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_tasks_db",
    "anymail",
    "django_ratelimit",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "triage",
]

MIDDLEWARE = [
    # First: the request id is set before anything else can log (config/logs.py).
    "config.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed the second factor.
    "django_otp.middleware.OTPMiddleware",
    # The client address, for the audit log's entries written by services (triage/audit.py).
    "triage.audit.ClientAddressMiddleware",
    # Pages carry candidates' personal data: no browser or proxy may keep a copy. Static
    # files never get here (WhiteNoise above answers them), so they stay cacheable.
    "config.middleware.no_store",
    # Every page needs a signed-in recruiter unless its view says otherwise (the login page);
    # Django's, but htmx's requests get 401 rather than the login page (config/middleware.py).
    "config.middleware.LoginRequiredMiddleware",
    # A signed-in user with two-factor sign-in on gives their code before anything else; with
    # REQUIRE_2FA_FOR_STAFF, staff without it set it up first (triage/two_factor.py).
    "triage.two_factor.TwoFactorMiddleware",
    # ...and a recruiter, unless the view is open to hiring managers (triage/access.py).
    "triage.access.RecruitersOnlyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "triage.access.roles",
                "triage.context_processors.notifications",
            ],
        },
    },
]

# SQLite under var/ unless DATABASE_URL points elsewhere (PostgreSQL in production). Importing
# the settings creates no folder: manage.py, wsgi.py and asgi.py create the SQLite file's folder
# (config/folders.py); the other folders are made by what writes to them.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}", conn_health_checks=True
    )
}
# Seconds a web process keeps its database connection between requests. A new PostgreSQL
# connection is a new server process whose caches start empty: connecting and planning the
# inbox's queries again cost more than running them. SQLite opens a file: nothing to keep.
# The health check replaces a kept connection that has died before a request uses it.
DATABASES["default"]["CONN_MAX_AGE"] = int(
    os.environ.get(
        "CONN_MAX_AGE",
        "60" if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" else "0",
    )
)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker write while the web server reads. The web server and the worker both
    # write: IMMEDIATE takes the write lock when a transaction begins, so a second writer waits
    # (up to the busy timeout, in seconds) at its BEGIN instead of failing with "database is
    # locked" halfway through, when a read lock cannot be upgraded.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# django-axes first: it refuses a locked-out username+address before any password is checked.
# It needs the request, which the login pages pass; tests sign in with force_login (or
# client.login(request=HttpRequest(), ...)).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading whether the user has two-factor sign-in with the user.
    "triage.two_factor.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "triage:inbox"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes) on /login/ and /admin/login/: AXES_FAILURE_LIMIT wrong
# passwords for one username from one address lock that pair for AXES_COOLOFF_MINUTES; the
# attempts are rows in the database, so every web process counts the same; a success clears
# them. The lockout page says when to try again (templates/registration/locked_out.html).
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=float(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# The same client address the contact page's rate limit reads (RATELIMIT_IP_META_KEY).
AXES_CLIENT_IP_CALLABLE = "triage.audit.client_address"
# Optional two-factor sign-in (TOTP, django-otp). With REQUIRE_2FA_FOR_STAFF, staff users
# (who reach the admin) must set it up before using anything.
REQUIRE_2FA_FOR_STAFF = env_bool("REQUIRE_2FA_FOR_STAFF")
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Recruiter Inbox")
# Password reset links (emailed through MAILERS) work this long.
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT_HOURS", "2")) * 3600
# ...and at most this many reset requests per client address (django-ratelimit syntax).
PASSWORD_RESET_RATE_LIMIT = os.environ.get("PASSWORD_RESET_RATE_LIMIT", "5/h")
# The audit log (who viewed, exported, erased, changed what) keeps entries this long; the
# daily retention purge removes older ones.
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", "365"))

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"  # collectstatic writes (and creates) it for production
# Front-end packages come from npm (package.json) and are served by the app itself.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/chartjs", NODE_MODULES / "chart.js" / "dist"),
]
STATIC_MANIFEST = env_bool("STATIC_MANIFEST")  # set in production after collectstatic
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
# Files candidates send (attachments, résumés from the contact page). Never served by URL:
# recruiters download them through a view that checks the login.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MB = 1024 * 1024
# Over a cap, a file is not kept; its name, size and the reason are (the recruiter sees it).
ATTACHMENT_MAX_BYTES = int(float(os.environ.get("ATTACHMENT_MAX_MB", "10")) * MB)
ATTACHMENTS_PER_MESSAGE_MAX_BYTES = int(
    float(os.environ.get("ATTACHMENTS_PER_MESSAGE_MAX_MB", "25")) * MB
)
# How much text is read out of one résumé (PDF, DOCX, TXT) for the rules and the page.
ATTACHMENT_TEXT_MAX_CHARS = int(os.environ.get("ATTACHMENT_TEXT_MAX_CHARS", "50000"))

# The public contact page: at most this many submissions per client address (django-ratelimit
# syntax, e.g. "5/h", "20/d"). The count lives in a database cache table, so every server
# process shares it: `manage.py createcachetable` creates it (`make run` does; the test
# database gets it on its own). Behind a proxy, set RATELIMIT_IP_META_KEY
# to the header holding the client address (e.g. HTTP_X_FORWARDED_FOR) and trust only yours.
CONTACT_RATE_LIMIT = os.environ.get("CONTACT_RATE_LIMIT", "5/h")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "triage_ratelimit_cache",
    },
}
RATELIMIT_USE_CACHE = "ratelimit"
# How long the dashboard's figures are kept (in the default cache, per process) before they
# are computed again; 0 computes them on every view.
DASHBOARD_CACHE_SECONDS = int(os.environ.get("DASHBOARD_CACHE_SECONDS", "60"))
# django-ratelimit warns that the database cache's increment is not atomic: two requests at
# the same instant may both be counted as one. For a contact form that is a few extra
# submissions in a burst, not a hole; point CACHES["ratelimit"] at Redis for an exact count.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
if os.environ.get("RATELIMIT_IP_META_KEY"):
    RATELIMIT_IP_META_KEY = os.environ["RATELIMIT_IP_META_KEY"]

# Outgoing mail: an email provider's HTTP API when EMAIL_PROVIDER is set (django-anymail), else
# SMTP when EMAIL_HOST is set, else one .eml file per message in var/outbox/.
EMAIL_OUTBOX_DIR = Path(os.environ.get("EMAIL_OUTBOX_DIR", VAR_DIR / "outbox"))
EMAIL_PROVIDERS = (
    "amazon_ses",
    "brevo",
    "mailersend",
    "mailgun",
    "mailjet",
    "mailtrap",
    "mandrill",
    "postal",
    "postmark",
    "resend",
    "scaleway",
    "sendgrid",
    "sparkpost",
    "unisender_go",
)
EMAIL_PROVIDER = os.environ.get("EMAIL_PROVIDER", "").strip().lower()
# The provider's keys under anymail's own names with an ANYMAIL_ prefix, e.g.
# ANYMAIL_POSTMARK_SERVER_TOKEN, ANYMAIL_MAILGUN_API_KEY + ANYMAIL_MAILGUN_SENDER_DOMAIN,
# ANYMAIL_SENDGRID_API_KEY (Amazon SES uses the usual AWS_* variables and needs boto3).
# The inbound webhooks (mounted at /webhooks/anymail/) refuse every post until
# ANYMAIL_WEBHOOK_SECRET ("user:password", the basic auth in the URL you give the provider) is
# set; Mailgun's also needs MAILGUN_WEBHOOK_SIGNING_KEY. An empty variable counts as unset.
ANYMAIL = {
    name.removeprefix("ANYMAIL_"): value
    for name, value in os.environ.items()
    if name.startswith("ANYMAIL_") and value
}
if os.environ.get("MAILGUN_WEBHOOK_SIGNING_KEY"):
    ANYMAIL["MAILGUN_WEBHOOK_SIGNING_KEY"] = os.environ["MAILGUN_WEBHOOK_SIGNING_KEY"]
if EMAIL_PROVIDER:
    if EMAIL_PROVIDER not in EMAIL_PROVIDERS:
        raise ImproperlyConfigured(
            f"EMAIL_PROVIDER={EMAIL_PROVIDER!r} is not one of: {', '.join(EMAIL_PROVIDERS)}."
        )
    MAILERS = {"default": {"BACKEND": f"anymail.backends.{EMAIL_PROVIDER}.EmailBackend"}}
elif os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            # Django's SMTP backend that tells "lost before DATA" (retry) from "lost after
            # DATA" (the server may have it: unknown, never resent blindly).
            "BACKEND": "triage.mail_backends.SMTPBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                # STARTTLS on by default (port 587, every real provider); a local server
                # without TLS needs EMAIL_USE_TLS=0 (the README says so).
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": 30,
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "triage.mail_backends.EmlFileBackend",
            "OPTIONS": {"file_path": str(EMAIL_OUTBOX_DIR)},
        }
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "recruiting@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Replies are plain text as the recruiter wrote them; on, each also carries a text/html
# alternative made from that text (paragraphs, links). A deployment's choice, not a
# recruiter's: it is about how the team's mail looks and is filtered, and the words are the same.
REPLY_HTML = env_bool("REPLY_HTML")
# urlize (the HTML alternative's links) links "www.example.com" as https://, as Django 7 will.
URLIZE_ASSUME_HTTPS = True
# A reply "sending" for longer than this was interrupted (the worker died mid-send): it becomes
# "unknown: check before resending". Longer than any SMTP or API timeout, so a slow send is
# never mistaken for a dead one.
REPLY_SENDING_TIMEOUT_MINUTES = int(os.environ.get("REPLY_SENDING_TIMEOUT_MINUTES", "10"))
# Undo send: a queued reply waits this long before the worker may send it.
REPLY_UNDO_SECONDS = int(os.environ.get("REPLY_UNDO_SECONDS", "20"))
# The domain in the Message-IDs of the replies we send.
MESSAGE_ID_DOMAIN = os.environ.get("MESSAGE_ID_DOMAIN", "triage.localhost")

# The talent pool keeps network-later people only with their consent: it lasts this long,
# and someone asked who has not answered within CONSENT_WAIT_DAYS (also how long the link
# in the keep-in-touch reply works) is erased by the daily retention sweep.
CONSENT_VALID_DAYS = int(os.environ.get("CONSENT_VALID_DAYS", "365"))
CONSENT_WAIT_DAYS = int(os.environ.get("CONSENT_WAIT_DAYS", "30"))

# A person's new mail joins their conversation (instead of opening a second request) when it
# is still open or we last wrote or heard from them within this many days, "Re:" or not.
FOLLOW_UP_WINDOW_DAYS = int(os.environ.get("FOLLOW_UP_WINDOW_DAYS", "30"))

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Incoming mail from an IMAP folder (manage.py poll_mailbox, or the poll_mailbox task).
# IMAP_HOST empty turns polling off. IMAP_TLS: "tls" (implicit, port 993), "starttls" or
# "none" (port 143; loopback and tests only).
IMAP_HOST = os.environ.get("IMAP_HOST", "")
IMAP_TLS = os.environ.get("IMAP_TLS", "tls").strip().lower()
if IMAP_TLS not in {"tls", "starttls", "none"}:
    raise ImproperlyConfigured('IMAP_TLS must be "tls", "starttls" or "none".')
IMAP_PORT = int(os.environ.get("IMAP_PORT", "993" if IMAP_TLS == "tls" else "143"))
IMAP_USER = os.environ.get("IMAP_USER", "")
IMAP_PASSWORD = os.environ.get("IMAP_PASSWORD", "")
IMAP_FOLDER = os.environ.get("IMAP_FOLDER", "INBOX")
IMAP_MOVE_TO = os.environ.get("IMAP_MOVE_TO", "")  # empty: processed mail stays where it is
IMAP_POLL_SECONDS = int(os.environ.get("IMAP_POLL_SECONDS", "60"))
IMAP_TIMEOUT = int(os.environ.get("IMAP_TIMEOUT", "30"))
IMAP_CA_FILE = os.environ.get("IMAP_CA_FILE", "")  # empty: the system's trusted CAs

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# No inline scripts or styles anywhere, so the policy can stay strict.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Production (DEBUG off) is HTTPS only unless a variable says otherwise: secure cookies, a
# redirect from http, and HSTS for a year (on the app's host and its subdomains; preloading
# is the domain owner's decision, see SILENCED_SYSTEM_CHECKS). The test suite talks plain
# http to the test client, so there the defaults are off.
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not TESTING)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not TESTING)
    SECURE_HSTS_SECONDS = int(
        os.environ.get("SECURE_HSTS_SECONDS", "0" if TESTING else str(365 * 24 * 3600))
    )
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
    if not SECURE_HSTS_PRELOAD:
        # Preloading puts the domain in browsers' built-in lists, hard to undo: an owner's
        # choice made at hstspreload.org, not a default. Django warns about it otherwise.
        SILENCED_SYSTEM_CHECKS += ["security.W021"]
# Whether the request came over https is read from X-Forwarded-Proto only when a proxy in
# front is said to set it (and to drop a client's own): trusted otherwise, anyone could
# claim https. Behind a TLS-terminating proxy it is needed for the redirect above.
if env_bool("PROXY_SETS_X_FORWARDED_PROTO"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Logging ----------------------------------------------------------------------------------
# One handler, on the root logger, and every other logger propagates to it: each line is
# printed once. (Django's own default config gives the "django" logger a console handler of
# its own when DEBUG is on, so the worker's django.tasks lines printed twice, once by it and
# once by the root's; "django" is configured here without a handler.)
# LOG_FORMAT: "json" (one JSON object per line with the request id, config/logs.py), the
# default when DEBUG is off; or "text", the default when DEBUG is on.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json").strip().lower()
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured('LOG_FORMAT must be "json" or "text".')
LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING").strip().upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "config.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        # One line per request (config/logs.py): INFO, so on unless LOG_REQUESTS=0.
        "triage.request": {
            "handlers": [],
            "level": "INFO" if env_bool("LOG_REQUESTS", True) else "WARNING",
            "propagate": True,
        },
    },
}

# /healthz (triage/selectors/health.py): how old each sign of life may be before it is stale.
# The scheduler enqueues the stuck-reply sweep every 5 minutes, so a live worker finishes a
# task, and the scheduler enqueues one, at least that often.
HEALTH_WORKER_STALE_SECONDS = int(os.environ.get("HEALTH_WORKER_STALE_SECONDS", "900"))
HEALTH_SCHEDULER_STALE_SECONDS = int(os.environ.get("HEALTH_SCHEDULER_STALE_SECONDS", "900"))
HEALTH_QUEUED_REPLY_STALE_SECONDS = int(os.environ.get("HEALTH_QUEUED_REPLY_STALE_SECONDS", "900"))

# --- Intake limits --------------------------------------------------------------------------
# A raw message larger than this is not parsed: it goes to quarantine with the reason (and
# its bytes), to take in after raising the limit. 25 MB is what the big mail providers send.
MAX_RAW_MESSAGE_BYTES = int(os.environ.get("MAX_RAW_MESSAGE_BYTES", str(25 * 1024 * 1024)))

# --- The REST API, outgoing webhooks, the applicant tracking system ---------------------------
# The API (/api/v1/, triage/api/): a personal token (Authorization: Bearer <key>, made on the
# My settings page) or the browser's session; the same roles as the pages. Each user may make
# API_THROTTLE_RATE requests (DRF's "N/second|minute|hour|day"), counted in the database cache
# that every server process shares.
API_THROTTLE_RATE = os.environ.get("API_THROTTLE_RATE", "1000/hour")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "triage.api.auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["triage.api.auth.PerUserThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": API_THROTTLE_RATE},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "triage.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Recruiter Inbox Triage API",
    "DESCRIPTION": 'Requests, candidates, replies, rules and openings. See README.md, "REST API".',
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI from our own static files (drf-spectacular-sidecar), never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "BucketEnum": "triage.models.Bucket",
        "RequestStatusEnum": "triage.models.CandidateRequest.Status",
        "ReplyStatusEnum": "triage.models.Reply.Status",
        "AtsExportStatusEnum": "triage.models.AtsExport.Status",
    },
}
# Outgoing webhooks (services/outgoing_webhooks.py): how long to wait for a receiver, how many
# tries a delivery gets (1, 2, 4, 8, 16 minutes apart), and after how many failures in a row an
# endpoint is switched off.
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "10"))
WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("WEBHOOK_MAX_ATTEMPTS", "6"))
WEBHOOK_DISABLE_AFTER = int(os.environ.get("WEBHOOK_DISABLE_AFTER", "10"))
# Posts go only to public addresses unless this is on: a webhook pointed at the app's own
# network (a database, a cloud's metadata service) would show its answers in the log.
WEBHOOK_ALLOW_PRIVATE_NETWORKS = env_bool("WEBHOOK_ALLOW_PRIVATE_NETWORKS")
# The applicant tracking system (services/ats.py): "greenhouse" (Harvest API), or empty (off).
ATS_PROVIDER = os.environ.get("ATS_PROVIDER", "").strip().lower()
ATS_PROVIDERS = ("greenhouse",)
if ATS_PROVIDER and ATS_PROVIDER not in ATS_PROVIDERS:
    raise ImproperlyConfigured(
        f"ATS_PROVIDER={ATS_PROVIDER!r} is not one of: {', '.join(ATS_PROVIDERS)}."
    )
ATS_API_KEY = os.environ.get("ATS_API_KEY", "")
ATS_BASE_URL = os.environ.get("ATS_BASE_URL", "https://harvest.greenhouse.io/v1/")
# Greenhouse: the id of the Greenhouse user the writes are made as (On-Behalf-Of header).
ATS_ON_BEHALF_OF = os.environ.get("ATS_ON_BEHALF_OF", "")
# Where a person's page in the ATS is, for the link on the candidate page.
ATS_WEB_URL = os.environ.get("ATS_WEB_URL", "https://app.greenhouse.io")
ATS_TIMEOUT_SECONDS = float(os.environ.get("ATS_TIMEOUT_SECONDS", "20"))
ATS_MAX_ATTEMPTS = int(os.environ.get("ATS_MAX_ATTEMPTS", "5"))
