"""Checks across rows and files: unique ids and addresses, known references, dates in
order, each email domain of one client, a project of the invoice's own client."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from features.bundle.contract import DOMAIN_SEPARATOR, FILES
from features.bundle.validation import ProblemLog, shown


def check_bundle(
    frames: Mapping[str, pd.DataFrame],
    labels: Mapping[str, str],
    log: ProblemLog,
    batch_rows: Mapping[str, int] | None = None,
) -> None:
    """Checks across rows and files: unique ids, known references, dates in order,
    each email domain of one client.

    Files missing from ``frames`` (unreadable ones) are skipped, so one broken
    file does not bury the others' problems under false reference errors.
    ``batch_rows`` (ingest) says how many leading rows of a file are the request's;
    the rows after them are stored ones and are named as such.
    """
    for name, frame in frames.items():
        spec = FILES[name]
        label = labels[name]
        parquet = label.endswith(".parquet")
        if spec.id_column is not None:
            _check_unique(frame, spec.id_column, label, log, parquet)
        if name == "clients" and "domains" in frame.columns:
            _check_domain_owners(frame, label, log, parquet, (batch_rows or {}).get(name))
        for column, target in spec.references:
            if target in frames and column in frame.columns:
                known = frames[target][FILES[target].id_column or column]
                unknown = frame[column].notna() & ~frame[column].isin(known)
                log.add_rows(
                    label,
                    unknown,
                    column,
                    (
                        f"{shown(v)} matches no {FILES[target].id_column} in {labels[target]}"
                        for v in frame.loc[unknown, column]
                    ),
                    parquet,
                )
        if (
            "project_id" in frame.columns
            and "client_id" in frame.columns
            and "projects" in frames
            and name != "projects"
        ):
            _check_project_client(frame, frames["projects"], label, log, parquet)
    order = {
        "projects": [("end_date", "start_date"), ("closed_at", "start_date")],
        "invoices": [
            ("due_at", "issued_at"),
            ("disputed_at", "issued_at"),
            ("period_end", "period_start"),
        ],
    }
    for name, pairs in order.items():
        if name not in frames:
            continue
        frame = frames[name]
        for later, earlier in pairs:
            early = (frame[later] < frame[earlier]).fillna(False)
            log.add_rows(
                labels[name],
                early,
                later,
                (
                    f"{a:%Y-%m-%d} is before {earlier} {b:%Y-%m-%d}"
                    for a, b in zip(frame.loc[early, later], frame.loc[early, earlier], strict=True)
                ),
                labels[name].endswith(".parquet"),
            )


def _check_unique(
    frame: pd.DataFrame, column: str, label: str, log: ProblemLog, parquet: bool
) -> None:
    ids = frame[column].reset_index(drop=True)
    repeated = ids.duplicated(keep="first") & ids.notna()
    if not repeated.any():
        return
    first = pd.Series(ids.index, index=ids.values)
    first = first[~first.index.duplicated(keep="first")]
    offset = 1 if parquet else 2
    where = "record" if parquet else "row"
    what = "address" if column == "email" else "id"
    log.add_rows(
        label,
        repeated,
        column,
        (
            f"duplicate {what} {shown(v)} (first at {where} {int(first[v]) + offset})"
            for v in ids[repeated]
        ),
        parquet,
    )


def _check_domain_owners(
    clients: pd.DataFrame, label: str, log: ProblemLog, parquet: bool, batch: int | None
) -> None:
    """Mail is attributed to a client by its domain, so a domain listed for two clients
    is refused on each of their rows, naming the other."""
    cells = clients["domains"].reset_index(drop=True)
    owners = clients["client_id"].reset_index(drop=True)
    listed = cells.dropna().str.split(DOMAIN_SEPARATOR).explode()
    if listed.empty:
        return
    by_domain = pd.DataFrame({"domain": listed.to_numpy(), "position": listed.index})
    by_domain["client"] = owners.to_numpy()[by_domain["position"].to_numpy()]
    claims = by_domain.drop_duplicates(["domain", "client"])
    shared = claims[claims.duplicated("domain", keep=False)]
    if shared.empty:
        return
    where = "record" if parquet else "row"
    offset = 1 if parquet else 2
    found: dict[int, str] = {}
    for domain, group in shared.groupby("domain", sort=False):
        for position, client in zip(group["position"], group["client"], strict=True):
            other = group[group["client"] != client].iloc[0]
            other_row = int(other["position"])
            place = (
                "stored"
                if batch is not None and other_row >= batch
                else f"{where} {other_row + offset}"
            )
            owner = shown(other["client"])
            found.setdefault(
                int(position),
                f"domain {shown(domain)} is also listed for client {owner} ({place}); "
                "a domain belongs to one client (list a shared provider's addresses in "
                "contacts.csv instead)",
            )
    mask = np.zeros(len(cells), dtype=bool)
    mask[list(found)] = True
    log.add_rows(label, mask, "domains", [found[p] for p in sorted(found)], parquet)


def _check_project_client(
    frame: pd.DataFrame, projects: pd.DataFrame, label: str, log: ProblemLog, parquet: bool
) -> None:
    owner = frame["project_id"].map(
        projects.drop_duplicates("project_id").set_index("project_id")["client_id"]
    )
    wrong = (owner.notna() & frame["client_id"].notna() & (owner != frame["client_id"])).fillna(
        False
    )
    log.add_rows(
        label,
        wrong,
        "project_id",
        (
            f"project {shown(p)} belongs to client {shown(o)}, not {shown(c)}"
            for p, o, c in zip(
                frame.loc[wrong, "project_id"],
                owner[wrong],
                frame.loc[wrong, "client_id"],
                strict=True,
            )
        ),
        parquet,
    )
