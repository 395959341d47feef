"""The service's settings: one class, read from options, the environment and ``.env``.

Precedence, highest first: a command-line option (passed to ``Settings(...)``),
the environment, a ``.env`` file in the working directory, the default. All
state lives under ``home`` unless a URL points elsewhere.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from features.risks import RISKS

#: Seconds a write waits for another writer's lock before it gives up.
LOCK_TIMEOUT_SECONDS = 15.0


class Settings(BaseSettings):
    """billing-risk settings; environment variables are named in each field's alias."""

    model_config = SettingsConfigDict(
        env_prefix="RISK_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        validate_by_name=True,
    )

    home: Path = Field(
        default=Path(".risk"),
        description="The data directory: the app database, MLflow and caches live here.",
    )
    database_url: str = Field(
        default="",
        description="SQLAlchemy URL of the app database (default: SQLite under home).",
    )
    mlflow_tracking_uri: str = Field(
        default="",
        # MLflow's own variable, so a team's existing setup is picked up as is.
        validation_alias=AliasChoices("mlflow_tracking_uri", "MLFLOW_TRACKING_URI"),
        description="MLflow tracking and registry URL (default: SQLite under home).",
    )

    # Levels: calibrated-probability thresholds per risk (`risk thresholds suggest`
    # proposes them from a backtest).
    dispute_elevated: float = Field(
        default=0.15,
        gt=0,
        lt=1,
        description="P(dispute in 30 days) from which a client is elevated.",
    )
    dispute_high: float = Field(
        default=0.30, gt=0, lt=1, description="P(dispute in 30 days) from which a client is high."
    )
    churn_elevated: float = Field(
        default=0.15, gt=0, lt=1, description="P(churn in 90 days) from which a client is elevated."
    )
    churn_high: float = Field(
        default=0.30, gt=0, lt=1, description="P(churn in 90 days) from which a client is high."
    )
    invoice_elevated: float = Field(
        default=0.15,
        gt=0,
        lt=1,
        description="P(dispute within 60 days) from which a checked invoice is elevated "
        "(`risk thresholds suggest` reads one off an invoice backtest).",
    )
    invoice_high: float = Field(
        default=0.30,
        gt=0,
        lt=1,
        description="P(dispute within 60 days) from which a checked invoice is high.",
    )
    high_per_pm: int = Field(
        default=0,
        ge=0,
        description="At most this many high flags per PM per run, highest risk first (0: no cap).",
    )
    clear_ratio: float = Field(
        default=0.8,
        gt=0,
        le=1,
        description="An open flag clears only below this share of the elevated threshold "
        "(hysteresis: a client near the line does not flap open and shut every week).",
    )
    trend_tolerance: float = Field(
        default=0.02, ge=0, description="A probability change below this is steady."
    )

    database_pool_size: int = Field(
        default=10,
        ge=1,
        le=1000,
        description="Database connections each server process keeps open (as many again "
        "may open under load); PostgreSQL's max_connections must cover every process's.",
    )
    read_cache_mb: int = Field(
        default=64,
        ge=0,
        le=100_000,
        description="Megabytes of answers each server process keeps for the read routes, "
        "valid until the data changes (0: none).",
    )
    serve_threads: int = Field(
        default=40,
        ge=1,
        le=1000,
        description="Requests each server process handles at once (its thread pool).",
    )

    lock_timeout_seconds: float = Field(
        default=LOCK_TIMEOUT_SECONDS,
        gt=0,
        description="Seconds a write waits for another writer (a score run, a load) before "
        "it answers that the database is busy.",
    )

    # Alerts
    public_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Base URL of the web page, for links in alerts.",
    )
    smtp_host: str = Field(
        default="", description="SMTP server for alert emails (empty: no email)."
    )
    smtp_port: int = Field(default=587, description="SMTP port.")
    smtp_security: Literal["none", "starttls", "tls"] = Field(
        default="starttls", description="SMTP transport security."
    )
    smtp_user: str = Field(default="", description="SMTP user (empty: no login).")
    smtp_password: SecretStr = Field(default=SecretStr(""), description="SMTP password.")
    smtp_from: str = Field(default="billing-risk@localhost", description="Sender of alert emails.")
    webhook_url: str = Field(
        default="", description="URL alerts are POSTed to as JSON (empty: no webhook)."
    )
    webhook_secret: SecretStr = Field(
        default=SecretStr(""), description="Key of the HMAC-SHA256 signature header."
    )
    webhook_format: Literal["json", "slack"] = Field(
        default="json", description="Payload: our JSON, or Slack-compatible blocks."
    )
    alert_attempts: int = Field(
        default=8, ge=1, description="Delivery attempts before an alert is failed."
    )
    alert_backoff_seconds: float = Field(
        default=30.0, ge=0, description="First retry delay; doubles each attempt."
    )
    alert_lease_seconds: float = Field(
        default=120.0, gt=0, description="How long a deliverer holds a claimed alert."
    )

    # The worker (`risk worker`): when it scores, how it delivers, how it reports.
    score_schedule: str = Field(
        default="0 6 * * *",
        description="When the worker scores: a cron expression (minute hour day month "
        "weekday) in RISK_TIMEZONE.",
    )
    timezone: str = Field(
        default="UTC",
        description="The IANA time zone of the schedule and the digest (e.g. Europe/Berlin).",
    )
    score_after_ingest_seconds: float = Field(
        default=300.0,
        ge=0,
        description="Score this long after the last new data arrived (0: not after new data).",
    )
    score_after_ingest_max_seconds: float = Field(
        default=3600.0,
        gt=0,
        description="...but never later than this after the first arrival.",
    )
    outbox_poll_seconds: float = Field(
        default=5.0, gt=0, description="How often the worker looks for alerts to send."
    )
    job_lease_seconds: float = Field(
        default=120.0,
        gt=0,
        description="How long a worker holds a claimed score job without renewing it: a job "
        "whose worker died is claimed again after this.",
    )
    digest_time: str = Field(
        default="07:00",
        description="When each lead's daily digest is sent (HH:MM in RISK_TIMEZONE; empty: none).",
    )
    digest_pms: bool = Field(
        default=False, description="Also send each PM a digest of their clients' flags."
    )

    @model_validator(mode="after")
    def _default_locations(self) -> Settings:
        home = self.home.expanduser().resolve()
        self.home = home
        if not self.database_url:
            self.database_url = f"sqlite:///{home / 'risk.store.db'}"
        pairs = [(risk.elevated_setting, risk.high_setting) for risk in RISKS]
        for elevated_name, high_name in [*pairs, ("invoice_elevated", "invoice_high")]:
            elevated, high = getattr(self, elevated_name), getattr(self, high_name)
            if elevated > high:
                raise ValueError(
                    f"{elevated_name} ({elevated}) must not exceed {high_name} ({high})"
                )
        if not self.mlflow_tracking_uri:
            self.mlflow_tracking_uri = f"sqlite:///{home / 'mlflow.db'}"
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings from the environment and ``.env`` (cached; tests override it)."""
    return Settings()
