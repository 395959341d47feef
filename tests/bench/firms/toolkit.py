"""What the bench firms share: names of months and days, dates, amounts and addresses as
their people write them, a sigmoid, writing a bundle by the contract, the arithmetic
of a risk oracle, and their command line.

Each firm was written blind, so each wrote these again. Only what two firms or
more did alike lives here, and only in a form that leaves every firm's output as
it was, byte for byte and draw for draw (``test_firms_unchanged``): a helper that
would move one firm's random draws or its rounding stays in that firm. What makes
a firm's story (its names, rates, texts, calendars, id styles, the causes of its
disputes and churn) stays in the firm.

The toolkit checks what a firm writes against the product's contract
(``features.bundle.contract``) but takes no enumeration from it: a firm's channel or
billing codes are its own, so a change in the product cannot move a firm's draws.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

from features.bundle.contract import FILES

BundleWriter = Callable[..., None]
Days = TypeVar("Days", np.ndarray, int)

MONTH_NAMES: dict[str, tuple[str, ...]] = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "de": (
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ),
}
WORKDAY_NAMES: dict[str, tuple[str, ...]] = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"),
    "de": ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag"),
}
#: German letters as an e-mail address or a web domain spells them.
UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
_FOLD = str.maketrans(UMLAUTS)


def fold_umlauts(text: str) -> str:
    """``Jürgen Weiß`` as an address spells it: ``Juergen Weiss``."""
    return text.translate(_FOLD)


def sigmoid(z: np.ndarray) -> np.ndarray:
    """The logistic function: a firm's log-odds as a probability."""
    return 1.0 / (1.0 + np.exp(-z))


def weekday(days: Days) -> Days:
    """Monday 0 .. Sunday 6 of day numbers (days since 1970-01-01, a Thursday)."""
    return (days + 3) % 7


def month_starts(first: np.datetime64, count: int) -> np.ndarray:
    """Day numbers of the first days of ``count`` months from the month ``first``."""
    return (first + np.arange(count)).astype("datetime64[D]").astype(np.int64)


def iso_dates(days: np.ndarray, known: np.ndarray | None = None) -> np.ndarray:
    """ISO dates (an object array) of day numbers or of datetime64 values; an empty
    string, an empty cell in the CSV, where a day is NaT or ``known`` is False."""
    days = np.asarray(days)
    if days.dtype.kind in "iuf":
        days = days.astype(np.int64).astype("datetime64[D]")
    else:
        days = np.asarray(days, "datetime64[D]")
    text = np.datetime_as_string(days, unit="D").astype(object)
    missing = np.isnat(days) if known is None else ~np.asarray(known) | np.isnat(days)
    text[missing] = ""
    return text


def date_text(day: np.datetime64, lang: str) -> str:
    """A date as a letter writes it: ``01.03.2026`` in German, ``1 March 2026`` in English."""
    date = day.astype("datetime64[D]").astype(object)
    if lang == "de":
        return f"{date.day:02d}.{date.month:02d}.{date.year}"
    return f"{date.day} {MONTH_NAMES['en'][date.month - 1]} {date.year}"


def amount_text(amount: float, lang: str) -> str:
    """An amount with two decimals as a letter writes it: ``1,234.50``; ``1.234,50`` in German."""
    text = f"{amount:,.2f}"
    if lang == "de":
        return text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text


def write_table(
    frame: pd.DataFrame, folder: Path, name: str, float_format: str | None = None
) -> None:
    """Write one file of a bundle as the contract asks: UTF-8, a header, commas, RFC 4180
    quoting, an empty cell for a missing value, no index.

    Lines end in ``\\n`` on every system, so a bundle's bytes do not depend on where
    it was written. ``float_format`` is for a firm whose tool writes fixed decimals.
    """
    spec = FILES.get(name)
    if spec is None:
        raise ValueError(f"{name}.csv is not a file of the contract")
    missing = [column for column in spec.required_columns if column not in frame.columns]
    if missing:
        raise ValueError(f"{name}.csv lacks the contract's columns {missing}")
    frame.to_csv(
        Path(folder) / f"{name}.csv",
        index=False,
        lineterminator="\n",
        encoding="utf-8",
        float_format=float_format,
    )


def write_bundle(
    tables: Mapping[str, pd.DataFrame], folder: Path, float_format: str | None = None
) -> None:
    """Write every table into ``folder`` (created if needed), one contract file each."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        write_table(frame, folder, name, float_format)


# The windows of DATA_CONTRACT.md's "What is predicted": a dispute within 30 days,
# notice within 90.
DISPUTE_DAYS = 30
CHURN_DAYS = 90
# Invoices per step of the dispute oracle: bounds its (invoices x days) arrays.
_CHUNK = 20_000


def concat_records(records: Sequence[Mapping[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Columns a simulation recorded step by step, each joined into one array."""
    return {key: np.concatenate([record[key] for record in records]) for key in records[0]}


@dataclass(frozen=True)
class ClientDays:
    """The rows of a risk oracle: each client on each day from ``first[c]`` to ``last[c]``
    (day numbers), client after client; client c's rows begin at ``start[c]``."""

    first: np.ndarray
    last: np.ndarray
    start: np.ndarray
    client: np.ndarray
    day: np.ndarray

    @classmethod
    def between(cls, first: np.ndarray, last: np.ndarray) -> ClientDays:
        length = np.maximum(last - first + 1, 0)
        start = np.concatenate([[0], np.cumsum(length)])
        client = np.repeat(np.arange(len(first)), length)
        day = first[client] + np.arange(start[-1]) - start[client]
        return cls(first, last, start, client, day)

    @property
    def size(self) -> int:
        return int(self.start[-1])


#: ``odds(invoice, day, lag)`` of a firm: for invoice ``i`` seen on ``day``, ``lag``
#: days after its issue (negative before it), the chances that it is disputed at
#: most ``lag`` and at most ``lag + DISPUTE_DAYS`` days after its issue.
DisputeOdds = Callable[[np.ndarray, np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


def dispute_risk(
    rows: ClientDays,
    client: np.ndarray,
    issue: np.ndarray,
    disputed_on: np.ndarray,
    churned_on: np.ndarray,
    odds: DisputeOdds,
    max_lag: int,
    invoices: np.ndarray | None = None,
) -> np.ndarray:
    """P(the client disputes at least one invoice in ``(day, day + DISPUTE_DAYS]``) on
    every row.

    An invoice counts from ``DISPUTE_DAYS`` days before its issue (it may be issued and
    disputed within the window) to ``max_lag`` days after it, on the days its client
    exists and has not churned, and not once it has been disputed. Past its issue the
    chance is conditional on no dispute so far. Invoices are independent given the
    state, so their chances of no dispute multiply. ``client``, ``issue`` (day numbers)
    and ``disputed_on`` (a day number, or one past every row) are per invoice;
    ``invoices`` picks those to count (all by default).
    """
    if invoices is None:
        invoices = np.arange(len(client))
    lags = np.arange(-DISPUTE_DAYS, max_lag)
    log_none = np.zeros(rows.size)
    for lo in range(0, len(invoices), _CHUNK):
        chunk = invoices[lo : lo + _CHUNK]
        owner = client[chunk]
        days = issue[chunk][:, None] + lags[None, :]
        seen = (days >= rows.first[owner][:, None]) & (days < churned_on[owner][:, None])
        seen &= days <= rows.last[owner][:, None]
        at, col = np.nonzero(seen)
        invoice, day, lag = chunk[at], days[at, col], lags[col]
        by_now, by_end = odds(invoice, day, lag)
        prob = np.where(lag >= 0, (by_end - by_now) / np.maximum(1 - by_now, 1e-12), by_end)
        prob = np.where(disputed_on[invoice] <= day, 0.0, prob)
        row = rows.start[client[invoice]] + day - rows.first[client[invoice]]
        log_none += np.bincount(
            row, weights=np.log1p(-np.clip(prob, 0.0, 1 - 1e-12)), minlength=rows.size
        )
    return 1 - np.exp(log_none)


def held_hazard_churn(
    hazard: np.ndarray,
    day: np.ndarray,
    month: np.ndarray,
    month_start: np.ndarray,
    eligible: Callable[[np.ndarray], np.ndarray],
) -> np.ndarray:
    """P(notice in ``(day, day + CHURN_DAYS]``) when the monthly ``hazard`` in force on
    ``day`` (in ``month``, an index into ``month_start``) holds for the months after and
    a notice falls on a day uniform in its month, given none so far this month.

    ``eligible(months)`` says which rows may give notice in those months: a firm's
    rule on tenure. ``month_start`` must reach five months past the last row's month.
    """
    end = day + CHURN_DAYS
    begins, ends = month_start[month], month_start[month + 1]
    length = ends - begins
    now = (1 - hazard * (np.minimum(ends - 1, end) - day) / length) / (
        1 - hazard * (day - begins + 1) / length
    )
    survive = np.where(eligible(month), now, 1.0)
    for ahead in range(1, 5):
        begins, ends = month_start[month + ahead], month_start[month + ahead + 1]
        days = np.clip(np.minimum(ends - 1, end) - begins + 1, 0, None)
        survive = survive * (1 - hazard * eligible(month + ahead) * days / (ends - begins))
    return 1 - survive


def oracle_frame(
    client_id: np.ndarray,
    rows: ClientDays,
    churned_on: np.ndarray,
    dispute: np.ndarray,
    churn: np.ndarray,
) -> pd.DataFrame:
    """A risk oracle's frame (see the package): on the day of notice both risks are 0."""
    gone = rows.day >= churned_on[rows.client]
    return pd.DataFrame(
        {
            "client_id": client_id[rows.client],
            "day": rows.day.astype("datetime64[D]").astype("datetime64[ns]"),
            "dispute_risk": np.where(gone, 0.0, dispute),
            "churn_risk": np.where(gone, 0.0, np.clip(churn, 0.0, 1.0)),
        }
    )


def summary(folder: Path) -> str:
    """Row counts, dispute, payment and churn rates of a written bundle."""
    frames = {
        path.stem: pd.read_csv(path, dtype=str, keep_default_na=False)
        for path in sorted(Path(folder).glob("*.csv"))
    }
    counts = {
        path.stem: len(pd.read_parquet(path)) for path in sorted(Path(folder).glob("*.parquet"))
    }
    counts.update({name: len(frame) for name, frame in frames.items()})
    lines = [", ".join(f"{name} {count:,}" for name, count in sorted(counts.items()))]
    invoices = frames["invoices"]
    disputed = invoices["disputed_at"] != ""
    unpaid = (invoices["paid_at"] == "").mean()
    late = ((invoices["paid_at"] != "") & (invoices["paid_at"] > invoices["due_at"])).mean()
    disputing = invoices.loc[disputed, "client_id"].nunique()
    lines.append(
        f"invoices disputed {disputed.mean():.1%} (by {disputing} clients), "
        f"paid late {late:.1%}, unpaid at export {unpaid:.1%}"
    )
    clients, churn = frames["clients"], frames["churn"]
    end = max(frames["time_entries"]["worked_on"].max(), invoices["issued_at"].max())
    first = frames["time_entries"]["worked_on"].min()
    since = pd.to_datetime(clients["client_since"]).clip(lower=pd.Timestamp(first))
    stop = pd.to_datetime(
        clients["client_id"]
        .map(dict(zip(churn["client_id"], churn["churned_at"], strict=True)))
        .fillna(end)
    )
    years = ((stop - since).dt.days.clip(lower=0) / 365.25).sum()
    lines.append(
        f"churned {len(churn)} of {len(clients)} clients; "
        f"{len(churn) / years:.1%} a year per client-year at risk"
    )
    return "\n".join(lines)


def main(make_bundle: BundleWriter, description: str | None) -> None:
    """A firm's command line: ``python -m tests.bench.firms.<firm> OUT --clients N
    --months M --seed S`` writes a bundle into OUT and says what it holds."""
    parser = argparse.ArgumentParser(description=(description or "").split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write the bundle into")
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    began = time.perf_counter()
    make_bundle(args.out, clients=args.clients, months=args.months, seed=args.seed)
    print(f"wrote {args.out} in {time.perf_counter() - began:.1f}s")
    print(summary(args.out))
