"""Configuration classes, read from environment variables.

Every setting the app reads is listed here and in the README's configuration table.
Production refuses to start without a real SECRET_KEY: a guessable key would let anyone
forge sessions, password-reset links and signed media URLs.
"""
from __future__ import annotations

import logging
import os
from datetime import timedelta
from pathlib import Path

log = logging.getLogger("config")
BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("ALUR_INSTANCE_DIR", BASE_DIR / "instance"))


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def rate_limit_storage_uri() -> str:
    """Redis when configured; otherwise a SQLite file every process of this machine shares,
    so limits hold across workers and restarts (per-process memory would not)."""
    return (os.environ.get("RATELIMIT_STORAGE_URI") or os.environ.get("REDIS_URL")
            or f"sqlite:///{INSTANCE_DIR / 'ratelimits.sqlite3'}")


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'alur.sqlite3'}"
    # Heroku-style URLs name the old driver; we use psycopg 3.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://"):]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


#: The development key: public, so production refuses it like any other weak key.
DEV_SECRET_KEY = "dev-only-not-secret"
MIN_SECRET_KEY_LENGTH = 32
MIN_SECRET_KEY_DISTINCT_CHARACTERS = 10


def secret_key_problem(key: str) -> str | None:
    """Why `key` cannot sign production sessions and reset links, or None when it can."""
    if not key:
        return "SECRET_KEY is not set"
    if key == DEV_SECRET_KEY or key == TestingConfig.SECRET_KEY:
        return "SECRET_KEY is the published development or testing value"
    if len(key) < MIN_SECRET_KEY_LENGTH:
        return f"SECRET_KEY has fewer than {MIN_SECRET_KEY_LENGTH} characters"
    if len(set(key)) < MIN_SECRET_KEY_DISTINCT_CHARACTERS:
        return "SECRET_KEY repeats too few characters to be random"
    return None


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = _database_url()
    # Idle connections are pinged before use by lms.db_types (not on every checkout).
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    REDIS_URL = os.environ.get("REDIS_URL", "")
    # How long a Redis call (connecting, or waiting for the answer) may take before it fails,
    # so a Redis out of reach delays a request by at most this much. Above the 1 s the
    # worker's blocking pop waits for a job, which would otherwise time out while idle.
    REDIS_TIMEOUT_SECONDS = float(os.environ.get("REDIS_TIMEOUT_SECONDS") or 3)

    # Accounts
    PASSWORD_HASH_METHOD = os.environ.get("PASSWORD_HASH_METHOD", "scrypt")
    PERMANENT_SESSION_LIFETIME = timedelta(hours=_int("SESSION_HOURS", 12))
    # The lifetime runs from the last request, but the cookie is re-sent at most this often
    # (lms.web.session_cookie): a sign-in idle for the lifetime minus this may already be over.
    SESSION_REFRESH_AFTER = timedelta(minutes=15)
    PASSWORD_RESET_MAX_AGE = _int("PASSWORD_RESET_MAX_AGE", 3600)
    # Failed sign-ins: per address and e-mail, per address across e-mails (spraying), per
    # e-mail across addresses (a distributed guess). Reset requests count every request.
    LOGIN_FAILURE_LIMIT = os.environ.get("LOGIN_FAILURE_LIMIT", "5 per 15 minutes")
    LOGIN_FAILURE_LIMIT_PER_ADDRESS = os.environ.get("LOGIN_FAILURE_LIMIT_PER_ADDRESS",
                                                     "30 per 15 minutes")
    LOGIN_FAILURE_LIMIT_PER_EMAIL = os.environ.get("LOGIN_FAILURE_LIMIT_PER_EMAIL",
                                                   "10 per 15 minutes")
    PASSWORD_RESET_LIMIT = os.environ.get("PASSWORD_RESET_LIMIT", "3 per hour")
    PASSWORD_RESET_LIMIT_PER_ADDRESS = os.environ.get("PASSWORD_RESET_LIMIT_PER_ADDRESS",
                                                      "20 per hour")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=_int("REMEMBER_DAYS", 14))
    # Proxies in front of the app whose X-Forwarded-For/-Proto are believed (0: none, so a
    # client cannot choose the address its rate limits are counted against).
    TRUSTED_PROXIES = _int("TRUSTED_PROXIES", 0)

    # Request bodies: JSON is small; only upload endpoints (multipart) take large bodies.
    JSON_BODY_MAX_KB = _int("JSON_BODY_MAX_KB", 64)
    SMALL_BODY_MAX_KB = _int("SMALL_BODY_MAX_KB", 4)
    FORM_BODY_MAX_KB = _int("FORM_BODY_MAX_KB", 1024)

    # Mail: written to the log unless an SMTP server is configured.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = _int("MAIL_PORT", 587)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", True)
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "Alur <no-reply@alur.local>")

    # Internationalisation
    LANGUAGES = ("id", "en")
    BABEL_DEFAULT_LOCALE = os.environ.get("DEFAULT_LOCALE", "id")
    BABEL_DEFAULT_TIMEZONE = os.environ.get("DEFAULT_TIMEZONE", "Asia/Jakarta")
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")

    RATELIMIT_STORAGE_URI = rate_limit_storage_uri()
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
                                 "socket_timeout": REDIS_TIMEOUT_SECONDS}
    RATELIMIT_HEADERS_ENABLED = True
    # While the shared store (Redis) is out of reach, each process counts in its own memory
    # and goes back to the store once it answers: sign-in stays throttled (per process) and
    # nobody is turned away for an outage, where failing open would drop the throttle and
    # failing closed would lock every learner out. What can still fail (counting a failed
    # sign-in after the answer, when the store died mid-request) is logged, not a 500.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True

    # Media
    MEDIA_ROOT = os.environ.get("MEDIA_ROOT", str(INSTANCE_DIR / "media"))
    S3_BUCKET = os.environ.get("S3_BUCKET", "")
    S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL", "")
    S3_REGION = os.environ.get("S3_REGION", "us-east-1")
    S3_ACCESS_KEY_ID = os.environ.get("S3_ACCESS_KEY_ID", "")
    S3_SECRET_ACCESS_KEY = os.environ.get("S3_SECRET_ACCESS_KEY", "")
    S3_PATH_STYLE = _bool("S3_PATH_STYLE", False)
    MAX_UPLOAD_MB = _int("MAX_UPLOAD_MB", 2048)
    # Whole request bodies: the largest source video plus room for the form around it.
    MAX_CONTENT_LENGTH = (MAX_UPLOAD_MB + 1) * 1024 * 1024
    MEDIA_TMP_DIR = os.environ.get("MEDIA_TMP_DIR", "")
    TRANSCODE_RETRY_SECONDS = _int("TRANSCODE_RETRY_SECONDS", 30)
    TRANSCODE_STALL_MINUTES = _int("TRANSCODE_STALL_MINUTES", 20)
    DEMO_VIDEO_SIZE = os.environ.get("DEMO_VIDEO_SIZE", "1280x720")
    SKILL_TASK_MAX_MB = _int("SKILL_TASK_MAX_MB", 50)
    # The programme's review: hours of ready video a self-paced course needs at least.
    SPL_MIN_VIDEO_HOURS = float(os.environ.get("SPL_MIN_VIDEO_HOURS", "9"))
    COVER_MAX_MB = _int("COVER_MAX_MB", 5)
    READING_IMAGE_MAX_MB = _int("READING_IMAGE_MAX_MB", 5)
    PACKAGE_MAX_MB = _int("PACKAGE_MAX_MB", 4096)

    # Background jobs: Huey on a SQLite file by default, on Redis when REDIS_URL is set.
    HUEY_SQLITE_PATH = os.environ.get("HUEY_SQLITE_PATH", str(INSTANCE_DIR / "jobs.sqlite3"))
    HUEY_IMMEDIATE = _bool("HUEY_IMMEDIATE", False)
    # Pacing: daily attendance verification (rule 8) and the lifetime of presigned S3 media URLs.
    ATTENDANCE_REQUIRED = _bool("ATTENDANCE_REQUIRED", False)
    PACING_PRESIGN_SECONDS = _int("PACING_PRESIGN_SECONDS", 120)

    PAGE_SIZE = _int("PAGE_SIZE", 20)

    # Completion review: the thresholds of the automatic checks (docs/verification.md).
    VERIFY_TOO_FAST_ALLOWANCE_SECONDS = _int("VERIFY_TOO_FAST_ALLOWANCE_SECONDS", 60)
    VERIFY_OVERLAP_SECONDS = _int("VERIFY_OVERLAP_SECONDS", 30)
    VERIFY_OVERLAP_PING_PONGS = _int("VERIFY_OVERLAP_PING_PONGS", 3)
    VERIFY_PING_PONG_WINDOW_SECONDS = _int("VERIFY_PING_PONG_WINDOW_SECONDS", 600)
    VERIFY_REGULAR_RUN_BEATS = _int("VERIFY_REGULAR_RUN_BEATS", 180)
    VERIFY_REGULAR_JITTER_MS = _int("VERIFY_REGULAR_JITTER_MS", 1)
    VERIFY_SHARED_DEVICE_LEARNERS = _int("VERIFY_SHARED_DEVICE_LEARNERS", 3)
    VERIFY_SHARED_DEVICE_WINDOW_HOURS = _int("VERIFY_SHARED_DEVICE_WINDOW_HOURS", 24)
    VERIFY_DELIVERY_GAP_SECONDS = _int("VERIFY_DELIVERY_GAP_SECONDS", 30)
    VERIFY_RAPID_SECONDS_PER_QUESTION = _int("VERIFY_RAPID_SECONDS_PER_QUESTION", 3)

    # Incentives: the payer's webhook (Standard Webhooks, secret "whsec_" + base64) and the
    # worker's outbox loop (seconds between idle polls, sender threads, claim lease).
    PAYER_WEBHOOK_URL = os.environ.get("PAYER_WEBHOOK_URL", "")
    PAYER_WEBHOOK_SECRET = os.environ.get("PAYER_WEBHOOK_SECRET", "")
    PAYER_WEBHOOK_TIMEOUT = float(os.environ.get("PAYER_WEBHOOK_TIMEOUT") or 10)
    OUTBOX_POLL_SECONDS = float(os.environ.get("OUTBOX_POLL_SECONDS") or 1)
    OUTBOX_SENDERS = _int("OUTBOX_SENDERS", 8)
    OUTBOX_LEASE_SECONDS = _int("OUTBOX_LEASE_SECONDS", 60)

    # Programme connector: "builtin" (Alur's own codes) or "prakerja" (Kartu Prakerja's API).
    PROGRAMME_CONNECTOR = os.environ.get("PROGRAMME_CONNECTOR", "builtin")
    PRAKERJA_BASE_URL = os.environ.get("PRAKERJA_BASE_URL", "")
    PRAKERJA_CLIENT_CODE = os.environ.get("PRAKERJA_CLIENT_CODE", "")
    PRAKERJA_SIGN_KEY = os.environ.get("PRAKERJA_SIGN_KEY", "")
    PRAKERJA_TIMEOUT_SECONDS = _int("PRAKERJA_TIMEOUT_SECONDS", 5)
    PRAKERJA_STATE_SECONDS = _int("PRAKERJA_STATE_SECONDS", 900)
    PRAKERJA_FILE_LINK_SECONDS = _int("PRAKERJA_FILE_LINK_SECONDS", 7 * 24 * 3600)
    # Certificates: public origin for QR codes/credentials, and the Ed25519 signing keys.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "")
    # Where `make run` serves: the origin of links mailed when PUBLIC_BASE_URL is not set.
    LOCAL_BASE_URL = (f"http://{os.environ.get('HOST') or '127.0.0.1'}:"
                      f"{os.environ.get('PORT') or '5000'}")
    PROGRAMME_NAME = os.environ.get("PROGRAMME_NAME", "Alur")
    CREDENTIAL_KEYS_FILE = os.environ.get("CREDENTIAL_KEYS_FILE", str(INSTANCE_DIR / "credential-keys.json"))
    CREDENTIAL_SIGNING_KEY = os.environ.get("CREDENTIAL_SIGNING_KEY", "")
    CREDENTIAL_KEY_ID = os.environ.get("CREDENTIAL_KEY_ID", "")
    CREDENTIAL_KEYS_AUTOCREATE = _bool("CREDENTIAL_KEYS_AUTOCREATE", os.environ.get("ALUR_ENV", "development") != "production")


class DevelopmentConfig(Config):
    DEBUG = False


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret"
    # Cheap hashing keeps hundreds of sign-ins in the suite fast; production keeps scrypt.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    WTF_CSRF_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    HUEY_IMMEDIATE = True
    SERVER_NAME = None
    DEMO_VIDEO_SIZE = os.environ.get("DEMO_VIDEO_SIZE", "426x240")  # seed-demo in seconds


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"

    @classmethod
    def validate(cls) -> None:
        problem = secret_key_problem(os.environ.get("SECRET_KEY", ""))
        if problem:
            raise RuntimeError(
                f"{problem}: production needs a random SECRET_KEY of at least "
                f"{MIN_SECRET_KEY_LENGTH} characters (e.g. `openssl rand -hex 32`)")
        if os.environ.get("PROGRAMME_CONNECTOR", "builtin") not in ("builtin", "prakerja"):
            raise RuntimeError("PROGRAMME_CONNECTOR must be builtin or prakerja")
        if os.environ.get("PROGRAMME_CONNECTOR") == "prakerja":
            missing = [name for name in ("PRAKERJA_BASE_URL", "PRAKERJA_CLIENT_CODE",
                                         "PRAKERJA_SIGN_KEY", "PUBLIC_BASE_URL")
                       if not os.environ.get(name)]
            if missing:
                raise RuntimeError("PROGRAMME_CONNECTOR=prakerja needs " + ", ".join(missing))
            if not os.environ["PRAKERJA_BASE_URL"].startswith("https://") \
                    or not os.environ["PUBLIC_BASE_URL"].startswith("https://"):
                raise RuntimeError("PRAKERJA_BASE_URL and PUBLIC_BASE_URL must be https:// "
                                   "in production")
        if not os.environ.get("PUBLIC_BASE_URL"):
            log.warning("PUBLIC_BASE_URL is not set: mailed links point at %s",
                        Config.LOCAL_BASE_URL)

    @classmethod
    def at_start_up(cls) -> type[Config]:
        """The validated configuration with the key the environment holds now: the class
        attribute was read at import, which may predate the variable."""
        cls.validate()
        return type(cls.__name__, (cls,), {"SECRET_KEY": os.environ["SECRET_KEY"]})


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for(name: str | None) -> type[Config]:
    name = name or os.environ.get("ALUR_ENV", "development")
    try:
        config = CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"ALUR_ENV must be one of {sorted(CONFIGS)}, not {name!r}") from None
    at_start_up = getattr(config, "at_start_up", None)
    return at_start_up() if at_start_up else config
