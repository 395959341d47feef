"""The app database's tables, in one SQLAlchemy ``MetaData``.

One table per contract file, built from ``features.bundle.contract`` so the database
holds exactly what the data contract describes, keyed by the file's id (progress
by project and report date). Then what billing-risk itself writes: bundle loads,
score runs and scores (with reasons and model versions), flags and their events,
the alert outbox, API keys and the web page's sessions. Every run is kept, so a
client's history is a query.

Ids and enums are plain strings, not database enums: a new channel or billing
model in the contract is then a code change, not a migration of old rows.
Times are stored in UTC.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    text,
)
from sqlalchemy.types import TypeEngine

from features.bundle.contract import EMAIL_MAX_LENGTH, FILES, ID_MAX_LENGTH, FileSpec

metadata = MetaData(
    # Named constraints, so Alembic can alter them the same way on SQLite and PostgreSQL.
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

_TYPES: dict[str, TypeEngine[Any]] = {
    "id": String(ID_MAX_LENGTH),
    "text": Text(),
    "email": String(EMAIL_MAX_LENGTH),
    "date": Date(),
    "timestamp": DateTime(timezone=True),
    "number": Float(),
    "integer": Integer(),
    "bool": Boolean(),
    "enum": String(40),
    "domains": Text(),
}

#: Progress reports have no id in the contract: a project reports once per day,
#: and a corrected report of the same day replaces the first.
KEYS: dict[str, tuple[str, ...]] = {
    name: (spec.id_column,) if spec.id_column else ("project_id", "reported_at")
    for name, spec in FILES.items()
}


#: Indexes for the read path (``risk.clients``, ``risk.invoices``): a client's messages
#: by time, the time entries an invoice links, and who sees a client (a PM's projects,
#: a lead's clients: ``visible_clients`` on every read).
_READ_INDEXES: dict[str, list[tuple[str, ...]]] = {
    "messages": [("client_id", "sent_at")],
    "time_entries": [("invoice_id",)],
    "projects": [("pm",)],
    "clients": [("account_lead",)],
}


def _contract_table(spec: FileSpec) -> Table:
    key = KEYS[spec.name]
    columns = [
        Column(
            c.name,
            _TYPES[c.kind],
            primary_key=c.name in key,
            nullable=c.name not in key and (c.nullable or c.optional),
        )
        for c in spec.columns
    ]
    indexes = [
        Index(None, column)
        for column in ("client_id", "project_id")
        if column not in key and any(c.name == column for c in spec.columns)
    ]
    indexes += [Index(None, *columns) for columns in _READ_INDEXES.get(spec.name, [])]
    return Table(spec.name, metadata, *columns, *indexes)


#: The contract files' tables, by file name.
CONTRACT = {name: _contract_table(spec) for name, spec in FILES.items()}

bundle_loads = Table(
    "bundle_loads",
    metadata,
    Column("load_id", Integer, primary_key=True, autoincrement=True),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
    Column("loaded_by", String(200), nullable=False),
    Column("source", Text, nullable=False),
    # Per file: rows added, changed and unchanged.
    Column("counts", JSON, nullable=False),
    # Optional columns the export's headers lacked (features treat them as unknown).
    Column("absent_columns", JSON, nullable=False),
)

score_runs = Table(
    "score_runs",
    metadata,
    Column("run_id", Integer, primary_key=True, autoincrement=True),
    Column("as_of", Date, nullable=False, index=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    Column("started_by", String(200), nullable=False),
    # {"dispute": "billing-risk-dispute/3", ...}: the champions used.
    Column("models", JSON, nullable=False),
    Column("clients", Integer, nullable=False, server_default=text("0")),
    # Why a risk was not scored (no champion, no labels), by risk.
    Column("notes", JSON, nullable=False),
    # What the run changed: {"opened": n, "cleared": n, "alerts": n} (for /health).
    Column("outcome", JSON, nullable=True),
)

scores = Table(
    "scores",
    metadata,
    Column("run_id", ForeignKey("score_runs.run_id"), primary_key=True),
    Column("client_id", String(ID_MAX_LENGTH), primary_key=True),
    Column("risk", String(20), primary_key=True),
    Column("as_of", Date, nullable=False),
    Column("probability", Float, nullable=False),
    Column("level", String(20), nullable=True),
    Column("model_version", String(40), nullable=False),
    # [{text, feature, value, contribution}], for clients at a level only.
    Column("reasons", JSON, nullable=True),
    Index(None, "client_id", "risk", "as_of"),
)

signals = Table(
    "signals",
    metadata,
    # Each scored client's feature values at a run ({name: value}, None where
    # unknown): what the API shows as the client's latest signals, and what a
    # monitoring notebook compares with the training period.
    Column("run_id", ForeignKey("score_runs.run_id"), primary_key=True),
    Column("client_id", String(ID_MAX_LENGTH), primary_key=True),
    Column("features", JSON, nullable=False),
    # A client's latest signals without reading every client's.
    Index(None, "client_id", "run_id"),
)

data_versions = Table(
    "data_versions",
    metadata,
    # A counter every write that changes what the read routes show moves, in its own
    # transaction (risk.store.versions): a server's answers cached under one value are
    # current as long as it stands.
    Column("name", String(40), primary_key=True),
    Column("version", BigInteger, nullable=False, server_default=text("0")),
)

message_scores = Table(
    "message_scores",
    metadata,
    # What the score run read in each message (features.text.message_scores), so the
    # timeline shows it without reading the text again. A message whose row changes
    # loses its score until the next run reads it.
    Column("message_id", String(ID_MAX_LENGTH), primary_key=True),
    # The hash of what was read (text, given language, direction), as a signed int64.
    Column("text_hash", BigInteger, nullable=False),
    Column("scorer_version", Integer, nullable=False),
    Column("language", String(8), nullable=False),
    Column("polarity", Float, nullable=True),
    Column("billing_question", Boolean, nullable=False),
    Column("relationship_doubt", Boolean, nullable=False),
)

flags = Table(
    "flags",
    metadata,
    Column("flag_id", String(40), primary_key=True),
    Column("client_id", String(ID_MAX_LENGTH), nullable=False, index=True),
    Column("risk", String(20), nullable=False),
    Column("status", String(20), nullable=False),  # open | cleared
    Column("level", String(20), nullable=True),  # high | elevated; None once cleared
    Column("probability", Float, nullable=False),
    Column("trend", String(20), nullable=False),  # new | rising | steady | falling | cleared
    Column("reasons", JSON, nullable=False),
    Column("next_step", Text, nullable=False),
    Column("opened_on", Date, nullable=False),
    Column("opened_run_id", ForeignKey("score_runs.run_id"), nullable=False),
    Column("updated_run_id", ForeignKey("score_runs.run_id"), nullable=False),
    Column("cleared_on", Date, nullable=True),
    Column("acknowledged_at", DateTime(timezone=True), nullable=True),
    Column("acknowledged_by", String(200), nullable=True),
    Column("snoozed_until", Date, nullable=True),
    Column("snooze_reason", Text, nullable=True),
    # The level an acknowledgement or snooze was given at: the flag alerts
    # again only when its level moves away from it.
    Column("quiet_level", String(20), nullable=True),
    # One open flag per client and risk, enforced by the database itself.
    Index(
        "uq_flags_open_client_risk",
        "client_id",
        "risk",
        unique=True,
        sqlite_where=text("status = 'open'"),
        postgresql_where=text("status = 'open'"),
    ),
)

flag_events = Table(
    "flag_events",
    metadata,
    Column("event_id", Integer, primary_key=True, autoincrement=True),
    Column("flag_id", ForeignKey("flags.flag_id"), nullable=False, index=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("run_id", ForeignKey("score_runs.run_id"), nullable=True),
    # opened | level_changed | cleared | acknowledged | snoozed | feedback
    Column("kind", String(30), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("level", String(20), nullable=True),
    Column("previous_level", String(20), nullable=True),
    Column("feedback", String(20), nullable=True),  # valid | false_alarm | premature
    Column("until", Date, nullable=True),
    Column("note", Text, nullable=True),
)

alerts = Table(
    "alerts",
    metadata,
    # Also the idempotency key a receiver sees (header, Message-ID).
    Column("alert_id", String(40), primary_key=True),
    # flag: a flag's level rose; digest: a recipient's daily digest (no flag, client,
    # risk or level of its own: its payload lists the flags that moved).
    Column("kind", String(20), nullable=False, server_default=text("'flag'")),
    Column("flag_id", ForeignKey("flags.flag_id"), nullable=True, index=True),
    Column("client_id", String(ID_MAX_LENGTH), nullable=True),
    Column("risk", String(20), nullable=True),
    Column("level", String(20), nullable=True),
    Column("recipient", String(320), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("state", String(20), nullable=False),  # pending | sent | failed
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("run_id", ForeignKey("score_runs.run_id"), nullable=True),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("lease_until", DateTime(timezone=True), nullable=True),
    Column("leased_by", String(100), nullable=True),
    Column("sent_at", DateTime(timezone=True), nullable=True),
    Column("channel", String(20), nullable=True),
    Column("last_error", Text, nullable=True),
    # One pending alert per client and risk: a later transition updates it.
    Index(
        "uq_alerts_pending_client_risk",
        "client_id",
        "risk",
        unique=True,
        sqlite_where=text("state = 'pending'"),
        postgresql_where=text("state = 'pending'"),
    ),
    Index(None, "state", "next_attempt_at"),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("key_id", String(20), primary_key=True),
    # SHA-256 of the key: keys are long random strings, so a fast hash is safe
    # (a password hash would cost 50-300 ms on every request).
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("role", String(20), nullable=False),  # pm | lead | analyst | admin
    Column("email", String(320), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)

web_sessions = Table(
    "web_sessions",
    metadata,
    # SHA-256 of the session token the cookie carries, as keys are stored: a copy
    # of the database opens no session. Each request looks a session up by it.
    Column("session_hash", String(64), primary_key=True),
    # Indexed: revoking a key ends all of its sessions.
    Column("key_id", ForeignKey("api_keys.key_id"), nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    # Sign-out or revocation: the row stays, so a replayed cookie finds it ended.
    Column("ended_at", DateTime(timezone=True), nullable=True),
)

score_jobs = Table(
    "score_jobs",
    metadata,
    # Every score run starts as a job: from the API, the CLI, the schedule or new data,
    # so every run shows in one history, and a worker that dies leaves its job to be
    # claimed again when the lease runs out.
    Column("job_id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),  # api | cli | schedule | ingest
    # One job per schedule tick or batch of arrivals, however many workers see it.
    Column("key", String(100), nullable=True, unique=True),
    Column("as_of", Date, nullable=True),  # None: the latest event date when it runs
    Column("requested_by", String(200), nullable=False),
    Column("status", String(20), nullable=False),  # queued | running | done | failed
    Column("queued_at", DateTime(timezone=True), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=True),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    Column("lease_until", DateTime(timezone=True), nullable=True),
    Column("leased_by", String(100), nullable=True),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("run_id", ForeignKey("score_runs.run_id"), nullable=True),
    Column("error", Text, nullable=True),
    Index(None, "status", "queued_at"),
)

invoice_checks = Table(
    "invoice_checks",
    metadata,
    # Every draft invoice checked before it was sent, with what the check said: what
    # a PM was warned about stays on record beside what happened to the invoice. A
    # check changes no flag.
    Column("check_id", Integer, primary_key=True, autoincrement=True),
    Column("checked_at", DateTime(timezone=True), nullable=False),
    Column("checked_by", String(200), nullable=False),  # an API key's id, or cli:<user>
    Column("client_id", String(ID_MAX_LENGTH), nullable=False, index=True),
    Column("project_id", String(ID_MAX_LENGTH), nullable=True),
    Column("issued_at", Date, nullable=False),
    Column("amount", Float, nullable=False),
    Column("draft", JSON, nullable=False),  # the draft's fields, defaults filled in
    Column("probability", Float, nullable=False),
    Column("level", String(16), nullable=True),
    Column("model_version", String(60), nullable=False),  # billing-risk-invoice/3
    Column("reasons", JSON, nullable=False),
    Column("actions", JSON, nullable=False),
)

invoice_scores = Table(
    "invoice_scores",
    metadata,
    # Each issued invoice's score at issue (the invoice model as of the day before it
    # was issued), written once by the score run that first saw it.
    Column("invoice_id", String(ID_MAX_LENGTH), primary_key=True),
    Column("client_id", String(ID_MAX_LENGTH), nullable=False, index=True),
    Column("issued_at", Date, nullable=False),
    Column("as_of", Date, nullable=False),
    Column("probability", Float, nullable=False),
    Column("model_version", String(60), nullable=False),
    Column("run_id", ForeignKey("score_runs.run_id"), nullable=False),
    Column("scored_at", DateTime(timezone=True), nullable=False),
)

data_arrivals = Table(
    "data_arrivals",
    metadata,
    # New data through `risk load` or `POST /ingest`, written in the same transaction
    # as the rows: the worker scores once the arrivals settle (the debounce).
    Column("arrival_id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("source", String(20), nullable=False),  # load | ingest
    Column("rows", Integer, nullable=False),
    # The job that scores this arrival; None while it waits.
    Column("job_id", ForeignKey("score_jobs.job_id"), nullable=True, index=True),
)

workers = Table(
    "workers",
    metadata,
    # A running `risk worker`: its heartbeat and its next scheduled run, for /health.
    Column("worker_id", String(100), primary_key=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("beat_at", DateTime(timezone=True), nullable=False),
    Column("next_run", DateTime(timezone=True), nullable=True),
    Column("stopped_at", DateTime(timezone=True), nullable=True),
)

digests = Table(
    "digests",
    metadata,
    # One daily digest per recipient and day, whichever worker queues it first.
    Column("recipient", String(EMAIL_MAX_LENGTH), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("queued_at", DateTime(timezone=True), nullable=False),
    # The flag changes after the previous digest's queued_at, up to this one's.
    Column("changes", Integer, nullable=False),
    # None when nothing changed: no email, but the day is done.
    Column("alert_id", String(40), nullable=True),
)
