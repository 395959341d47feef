"""The export bundle's files and columns, as ``DATA_CONTRACT.md`` defines them.

This table is the one place the contract lives in code: the loader parses by
it, the validator checks by it and the demo simulator writes by it, so the
three cannot disagree about a column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal[
    "id", "text", "email", "date", "timestamp", "number", "integer", "bool", "enum", "domains"
]


@dataclass(frozen=True)
class Column:
    """One column of a contract file.

    ``optional`` means the column may be missing from the header altogether;
    ``nullable`` means a cell may be empty. ``minimum``/``maximum`` bound a
    number (``exclusive_minimum`` for "> 0").
    """

    name: str
    kind: Kind
    optional: bool = False
    nullable: bool = False
    allowed: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False


@dataclass(frozen=True)
class FileSpec:
    """One file of the bundle: its columns, its id column and when a row becomes known.

    ``known_at`` is None for reference data that is always known (contacts).
    ``source`` says whether the file is a source of signals: a header-only
    source leaves its features empty and is reported missing. Contacts are
    reference data for attributing mail, not a source.
    """

    name: str
    columns: tuple[Column, ...]
    known_at: str | None
    id_column: str | None = None
    required: bool = True
    must_have_rows: bool = False
    references: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    source: bool = True

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if not c.optional)

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)


#: Longest id and email address the service stores (its database columns), and the
#: largest whole number (a 32-bit integer column): longer or larger values are
#: refused with the row and column, never cut or left for the database to reject.
ID_MAX_LENGTH = 200
EMAIL_MAX_LENGTH = 320
INTEGER_MAX = 2**31 - 1
#: Longest text cell (a message, a name, a milestone) the service stores, in
#: characters: about 40 pages. Longer is refused with the row and column.
TEXT_MAX_LENGTH = 100_000
#: A client's email domains share one cell, separated by this.
DOMAIN_SEPARATOR = ";"

BILLING_MODELS = ("fixed_fee", "time_and_materials", "retainer")
CHANNELS = ("email", "thread", "chat", "call", "meeting", "survey", "portal")
DIRECTIONS = ("inbound", "outbound")

FILES: dict[str, FileSpec] = {
    spec.name: spec
    for spec in (
        FileSpec(
            name="clients",
            id_column="client_id",
            known_at="client_since",
            must_have_rows=True,
            columns=(
                Column("client_id", "id"),
                Column("name", "text", nullable=True),
                Column("account_lead", "email"),
                Column("client_since", "date"),
                Column("industry", "text", optional=True, nullable=True),
                Column("language", "text", optional=True, nullable=True),
                # "acme.com;acme.de": each domain belongs to one client (mail attribution).
                Column("domains", "domains", optional=True, nullable=True),
            ),
        ),
        FileSpec(
            name="projects",
            id_column="project_id",
            known_at="start_date",
            references=(("client_id", "clients"),),
            columns=(
                Column("project_id", "id"),
                Column("client_id", "id"),
                Column("name", "text", nullable=True),
                Column("pm", "email"),
                Column("billing_model", "enum", allowed=BILLING_MODELS),
                Column("budget", "number", minimum=0, exclusive_minimum=True),
                Column("start_date", "date"),
                Column("end_date", "date"),
                Column("closed_at", "date", optional=True, nullable=True),
            ),
        ),
        FileSpec(
            name="progress",
            known_at="reported_at",
            references=(("project_id", "projects"),),
            columns=(
                Column("project_id", "id"),
                Column("reported_at", "date"),
                Column("percent_complete", "number", minimum=0, maximum=100),
                Column("milestone", "text", optional=True, nullable=True),
            ),
        ),
        FileSpec(
            name="time_entries",
            id_column="entry_id",
            known_at="worked_on",
            references=(("project_id", "projects"), ("invoice_id", "invoices")),
            columns=(
                Column("entry_id", "id"),
                Column("project_id", "id"),
                Column("worked_on", "date"),
                Column("hours", "number", minimum=0),
                Column("billable", "bool"),
                Column("amount", "number", minimum=0),
                Column("person", "text", optional=True, nullable=True),
                Column("role", "text", optional=True, nullable=True),
                Column("invoice_id", "id", optional=True, nullable=True),
            ),
        ),
        FileSpec(
            name="invoices",
            id_column="invoice_id",
            known_at="issued_at",
            references=(("client_id", "clients"), ("project_id", "projects")),
            columns=(
                Column("invoice_id", "id"),
                Column("client_id", "id"),
                Column("project_id", "id", optional=True, nullable=True),
                Column("issued_at", "date"),
                Column("due_at", "date"),
                Column("amount", "number", minimum=0, exclusive_minimum=True),
                Column("paid_at", "date", optional=True, nullable=True),
                Column("disputed_at", "date", optional=True, nullable=True),
                Column(
                    "line_items",
                    "integer",
                    optional=True,
                    nullable=True,
                    minimum=0,
                    maximum=INTEGER_MAX,
                ),
                Column("period_start", "date", optional=True, nullable=True),
                Column("period_end", "date", optional=True, nullable=True),
            ),
        ),
        FileSpec(
            name="messages",
            id_column="message_id",
            known_at="sent_at",
            references=(("client_id", "clients"), ("project_id", "projects")),
            columns=(
                Column("message_id", "id"),
                Column("client_id", "id"),
                Column("project_id", "id", optional=True, nullable=True),
                Column("sent_at", "timestamp"),
                Column("channel", "enum", allowed=CHANNELS),
                Column("direction", "enum", allowed=DIRECTIONS),
                Column("text", "text", nullable=True),
                Column("author", "text", optional=True, nullable=True),
                Column("score", "number", optional=True, nullable=True, minimum=0, maximum=10),
            ),
        ),
        FileSpec(
            name="contacts",
            # One address belongs to one client: the address is the key.
            id_column="email",
            known_at=None,
            required=False,
            source=False,
            references=(("client_id", "clients"),),
            columns=(
                Column("client_id", "id"),
                Column("email", "email"),
                Column("name", "text", optional=True, nullable=True),
                Column("role", "text", optional=True, nullable=True),
            ),
        ),
        FileSpec(
            name="churn",
            id_column="client_id",
            known_at="churned_at",
            required=False,
            references=(("client_id", "clients"),),
            columns=(
                Column("client_id", "id"),
                Column("churned_at", "date"),
                Column("reason", "text", optional=True, nullable=True),
            ),
        ),
    )
}
