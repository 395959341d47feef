"""A score run: every active client, both risks, with the champions, stored whole.

``score`` reads the database (the source since ``risk load``), builds the
features at the as-of date with the same function training used, asks each
``@champion`` for probabilities, turns them into levels, explains the clients
at a level by the model's own attributions (``models.attribution``: baseline
Shapley against the run's median client, summed over features that state the
same fact, ``risk.explain.GROUPS``) and then, in **one transaction**,
stores the run, every score, the flags it opens, updates or clears, their
events, and the alerts those transitions cause. A crash anywhere leaves the
database as it was before the run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, func, insert, select, update

from features.build import build_features
from features.bundle.load import Bundle
from features.bundle.summary import event_dates
from features.risks import RISKS, by_name
from models import registry
from models.attribution import baseline_shapley
from models.train import FEATURE_COLUMNS
from risk.explain import GROUPS, next_step, reason_group, reason_text
from risk.invoice_check import InvoiceModel, invoice_champion
from risk.scoring.at_issue import score_at_issue, store_scores_at_issue
from risk.scoring.levels import cap_high, levels_of
from risk.scoring.transitions import assessments, update_flags
from risk.settings import Settings
from risk.store.db import serialise
from risk.store.load import insert_rows, read_bundle
from risk.store.message_scores import store_message_scores
from risk.store.tables import flags, score_runs, scores, signals
from risk.store.versions import bump

#: Reasons shown per flagged client.
TOP_REASONS = 3
#: The advisory lock that serialises score runs on PostgreSQL.
RUN_LOCK = "billing-risk score run"


@dataclass(frozen=True)
class Model:
    """A champion as used by a run."""

    risk: str
    version: str
    predict: Callable[[pd.DataFrame], np.ndarray]

    @property
    def label(self) -> str:
        return f"{by_name(self.risk).model_name}/{self.version}"


@dataclass
class RunSummary:
    """What a score run did, for the CLI and the API."""

    run_id: int
    as_of: date
    clients: int
    models: dict[str, str]
    notes: dict[str, str]
    started_by: str = ""
    opened: int = 0
    cleared: int = 0
    alerts: int = 0
    levels: dict[str, dict[str, int]] = field(default_factory=dict)
    #: The latest run's date when this one is earlier (a back-dated run): its scores
    #: are kept for history, but today's flags and alerts are not rewound.
    later_run_on: date | None = None
    #: A run of the same date that finished while this one computed: this one then
    #: stored nothing (two runs of one date at once store one), and this is that run.
    same_date_run: int | None = None
    #: Invoices given their score at issue by this run.
    invoices: int = 0


def champions(settings: Settings) -> tuple[dict[str, Model], dict[str, str]]:
    """Each risk's ``@champion``; a risk without one is named in the notes with what to do."""
    client = registry.connect(settings.mlflow_tracking_uri)
    models: dict[str, Model] = {}
    notes: dict[str, str] = {}
    for risk in RISKS:
        found = registry.champion(client, risk.label)
        if found is None:
            notes[risk.name] = f"no @champion for {risk.model_name}: run `risk train`"
            continue
        estimator = registry.load(risk.label, found.version)

        def predict(frame: pd.DataFrame, estimator: Any = estimator) -> np.ndarray:
            return np.asarray(estimator.predict_proba(frame[FEATURE_COLUMNS])[:, 1])

        models[risk.name] = Model(risk=risk.name, version=found.version, predict=predict)
    return models, notes


def last_event_date(bundle: Bundle) -> date:
    """The default as-of: the latest event in the data (never a planned end date)."""
    _, last = event_dates(bundle)
    if last is None:
        raise ValueError("the database holds no events yet: run `risk load BUNDLE` first")
    return last.date()


def score(
    engine: Engine,
    settings: Settings,
    started_by: str,
    as_of: date | None = None,
    models: dict[str, Model] | None = None,
    notes: dict[str, str] | None = None,
    within: Callable[[Connection, int], None] | None = None,
    invoice_model: InvoiceModel | None = None,
) -> RunSummary:
    """Score every active client at ``as_of`` (default: the latest event date) and store it.

    Runs are serialised (on PostgreSQL by a transaction-scoped advisory lock; SQLite
    has one writer anyway). A run dated before the latest one stores its scores
    but leaves flags and alerts alone: the flags say how things stand now.

    A date may be scored again (new data, a scheduled run after an ingest): the new
    run's trends compare with the latest run of an *earlier* date, as the first run of
    the date did, so the week's ``rising`` and ``new`` survive. Two runs of one date
    at once store one: the second to get the lock finds the first finished after it
    began and stores nothing (``same_date_run``).

    ``within`` is called in the run's transaction just before it commits, with the
    run's id (a score job marks itself done there); if it raises, nothing is stored.

    With the invoice model (``invoice_model``, or its champion when the champions are
    loaded here), the invoices issued lately get their score at issue
    (``risk.scoring.at_issue``), in the same transaction."""
    bundle = read_bundle(engine)
    as_of = as_of or last_event_date(bundle)
    if models is None:
        models, notes = champions(settings)
        invoice_model = invoice_model or invoice_champion(settings)
    notes = dict(notes or {})
    if not models:
        raise ValueError("; ".join(notes.values()) or "no models to score with")
    started = datetime.now(UTC)
    cache = settings.home / "cache"
    features = build_features(bundle, pd.DatetimeIndex([pd.Timestamp(as_of)]), cache_dir=cache)
    features = features.droplevel("as_of")
    clients = _client_facts(bundle, as_of, features.index)
    assessed = {
        risk: _assess(model, features, clients, settings, _flagged(engine, risk, features.index))
        for risk, model in models.items()
    }
    at_issue = (
        None
        if invoice_model is None
        else (invoice_model, score_at_issue(engine, bundle, as_of, invoice_model, cache))
    )
    try:
        return _store_run(
            engine,
            settings,
            started_by,
            as_of,
            started,
            models,
            notes,
            assessed,
            features,
            clients,
            within,
            bundle,
            at_issue,
        )
    except _AlreadyScoredError as twin:
        return RunSummary(
            run_id=twin.run_id,
            as_of=as_of,
            clients=len(features),
            models={risk: model.label for risk, model in models.items()},
            notes=notes,
            started_by=started_by,
            same_date_run=twin.run_id,
        )


class _AlreadyScoredError(Exception):
    """A run of the same date finished while this one computed: store nothing."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        super().__init__(run_id)


def _store_run(
    engine: Engine,
    settings: Settings,
    started_by: str,
    as_of: date,
    started: datetime,
    models: dict[str, Model],
    notes: dict[str, str],
    assessed: dict[str, pd.DataFrame],
    features: pd.DataFrame,
    clients: pd.DataFrame,
    within: Callable[[Connection, int], None] | None,
    bundle: Bundle,
    at_issue: tuple[InvoiceModel, pd.DataFrame] | None = None,
) -> RunSummary:
    """Store the run, its scores and signals, what it read in each message, the
    invoices' scores at issue, and move the flags: one transaction."""
    with engine.begin() as connection:
        serialise(connection, RUN_LOCK)
        # The insert comes first: on SQLite it takes the write lock, so what is read
        # next cannot change before this run commits.
        key = connection.execute(
            insert(score_runs).values(
                as_of=as_of,
                started_at=started,
                started_by=started_by,
                models={risk: model.label for risk, model in models.items()},
                clients=len(features),
                notes=notes,
            )
        ).inserted_primary_key
        assert key is not None  # an autoincrement key always comes back
        run_id = int(key[0])
        twin = connection.execute(
            select(score_runs.c.run_id)
            .where(
                score_runs.c.as_of == as_of,
                score_runs.c.finished_at > started,
                score_runs.c.run_id != run_id,
            )
            .order_by(score_runs.c.run_id.desc())
            .limit(1)
        ).scalar()
        if twin is not None:
            raise _AlreadyScoredError(int(twin))  # rolls the insert back
        latest = connection.execute(
            select(func.max(score_runs.c.as_of)).where(score_runs.c.finished_at.is_not(None))
        ).scalar_one_or_none()
        summary = RunSummary(
            run_id=run_id,
            as_of=as_of,
            clients=len(features),
            models={risk: model.label for risk, model in models.items()},
            notes=notes,
            started_by=started_by,
            later_run_on=latest if latest is not None and latest > as_of else None,
        )
        _store_signals(connection, run_id, features)
        store_message_scores(connection, bundle, settings.home / "cache")
        if at_issue is not None:
            summary.invoices = store_scores_at_issue(connection, run_id, at_issue[1], at_issue[0])
        for risk, frame in assessed.items():
            _store_scores(connection, run_id, as_of, risk, models[risk].version, frame)
            if summary.later_run_on is None:
                changes = update_flags(
                    connection, run_id, as_of, risk, frame, clients, settings, started_by
                )
                summary.opened += changes.opened
                summary.cleared += changes.cleared
                summary.alerts += changes.alerts
            summary.levels[risk] = {
                level: int((frame["level"] == level).sum()) for level in ("high", "elevated")
            }
        connection.execute(
            update(score_runs)
            .where(score_runs.c.run_id == run_id)
            .values(
                finished_at=datetime.now(UTC),
                outcome={
                    "opened": summary.opened,
                    "cleared": summary.cleared,
                    "alerts": summary.alerts,
                },
            )
        )
        bump(connection)  # last: its row lock is held until the commit
        if within is not None:
            within(connection, run_id)
    return summary


def _client_facts(bundle: Bundle, as_of: date, index: pd.Index) -> pd.DataFrame:
    """Name, language, account lead and primary PM (of the largest running project)."""
    clients = bundle.clients.set_index("client_id")
    day = pd.Timestamp(as_of)
    projects = bundle.projects
    running = projects[
        (projects["start_date"] <= day)
        & (projects["closed_at"].isna() | (projects["closed_at"] > day))
    ].sort_values("budget", ascending=False, kind="stable")
    pm = running.drop_duplicates("client_id").set_index("client_id")["pm"]
    language = clients["language"].astype(object).where(clients["language"].notna(), "en")
    return pd.DataFrame(
        {
            "name": clients["name"].astype(object).reindex(index),
            "language": language.reindex(index).fillna("en"),
            "account_lead": clients["account_lead"].astype(object).reindex(index),
            "pm": pm.astype(object).reindex(index),
        },
        index=index,
    )


def _flagged(engine: Engine, risk: str, index: pd.Index) -> pd.Series:
    """Whether each client has an open flag for ``risk`` (for the levels' hysteresis)."""
    with engine.connect() as connection:
        open_ids = set(
            connection.execute(
                select(flags.c.client_id).where(flags.c.risk == risk, flags.c.status == "open")
            ).scalars()
        )
    return pd.Series(index.isin(list(open_ids)), index=index)


def _assess(
    model: Model,
    features: pd.DataFrame,
    clients: pd.DataFrame,
    settings: Settings,
    flagged: pd.Series | None = None,
) -> pd.DataFrame:
    """Probability, level and (for clients at a level) reasons and next step, per client."""
    probability = pd.Series(model.predict(features), index=features.index, dtype="float64")
    levels = levels_of(probability, model.risk, settings, flagged)
    levels = cap_high(levels, probability, clients["pm"], settings.high_per_pm)
    out = pd.DataFrame({"probability": probability, "level": levels})
    reasons: dict[str, list[dict[str, Any]]] = {}
    steps: dict[str, str] = {}
    at_level = out.index[out["level"].notna().to_numpy()]
    if len(at_level):
        reference = features[FEATURE_COLUMNS].median()
        contributions = baseline_shapley(
            model.predict, features.loc[at_level, FEATURE_COLUMNS], reference
        )
        for client_id in at_level:
            row = features.loc[client_id, FEATURE_COLUMNS]
            language = str(clients.at[client_id, "language"])
            shown = explain(contributions.loc[client_id], row, language)
            reasons[client_id] = shown
            drivers = [r["feature"] for r in shown] or [str(contributions.loc[client_id].idxmax())]
            steps[client_id] = next_step(drivers, language)
    out["reasons"] = pd.Series([reasons.get(c) for c in out.index], index=out.index, dtype=object)
    out["next_step"] = [steps.get(client_id) for client_id in out.index]
    return out


def explain(contributions: pd.Series, row: pd.Series, language: str) -> list[dict[str, Any]]:
    """The reason groups with the largest positive summed attribution, strongest first.

    Each reason: ``text`` (the sentence of the group's strongest feature), ``feature``
    (that feature), ``value`` (its value), ``contribution`` (the group's summed
    attribution, in probability points) and ``features`` (the group's members)."""
    by_group = contributions.groupby(contributions.index.map(reason_group)).sum()
    top = by_group[by_group > 0].sort_values(ascending=False, kind="stable").head(TOP_REASONS)
    values = {str(name): (None if pd.isna(v) else float(v)) for name, v in row.items()}
    reasons = []
    for group, total in top.items():
        members = contributions[list(GROUPS[str(group)])]
        lead = str(members.idxmax())
        reasons.append(
            {
                "text": reason_text(lead, values, language),
                "feature": lead,
                "value": values[lead],
                "contribution": round(float(total), 6),
                "features": list(GROUPS[str(group)]),
            }
        )
    return reasons


def _store_scores(
    connection: Connection, run_id: int, as_of: date, risk: str, version: str, frame: pd.DataFrame
) -> None:
    rows = [
        {
            "run_id": run_id,
            "client_id": str(client_id),
            "risk": risk,
            "as_of": as_of,
            "probability": float(values.probability),
            "level": values.level,
            "model_version": version,
            "reasons": values.reasons,
        }
        for client_id, values in assessments(frame)
    ]
    insert_rows(connection, scores, rows)


def _store_signals(connection: Connection, run_id: int, features: pd.DataFrame) -> None:
    values = features[FEATURE_COLUMNS].astype("float64")
    # JSON has no NaN or infinity (PostgreSQL refuses them): unknown is null.
    cleaned = values.astype(object).where(np.isfinite(values.to_numpy()), None)
    rows = [
        {
            "run_id": run_id,
            "client_id": str(client_id),
            "features": dict(zip(FEATURE_COLUMNS, row, strict=True)),
        }
        for client_id, row in zip(cleaned.index, cleaned.to_numpy().tolist(), strict=True)
    ]
    insert_rows(connection, signals, rows)
