"""``risk train``: build the training set, fit, evaluate against the baselines on an
out-of-time holdout, log everything to MLflow, register, and crown a champion
only when it beats the current one on the same holdout.

The client models first, then the invoice model (``models.invoice_model``) on the same
holdout dates, its "client score at issue" baseline from the dispute model just fitted
(trained only on labels known before those dates)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.frozen import FrozenEstimator

from features.bundle.load import Bundle
from features.invoice_features import LABEL as INVOICE_LABEL
from features.labels import events_for
from features.risks import DISPUTE, RISKS
from models import registry
from models.dataset import TrainingSet, holdout_start, out_of_time_split, training_set, weekly_as_of
from models.evaluate import (
    against_baselines,
    by_slice,
    client_slices,
    compare,
    lead_times,
    top_share_flags,
)
from models.invoice_model import (
    HORIZON_DAYS as INVOICE_HORIZON,
)
from models.invoice_model import (
    INVOICE_COLUMNS,
    compare_invoices,
    fit_invoice_model,
    invoice_set,
    predict,
    too_few_disputed,
)
from models.scorecard import scorecard
from models.train import (
    FEATURE_COLUMNS,
    GBM_PARAMS,
    MODEL_KIND,
    FittedModel,
    fit,
    logistic_baseline,
)


@dataclass(frozen=True)
class TargetResult:
    """What training did for one target."""

    target: str
    table: pd.DataFrame | None = None
    version: str | None = None
    champion: bool = False
    decision: str = ""
    slices: pd.DataFrame | None = None
    # The model's risk and the label of every held-out row, to look further than the
    # table (a notebook, or a benchmark holding the firm's own ground truth).
    holdout: pd.DataFrame | None = None


def fingerprint(bundle: Bundle) -> str:
    """A hash of the bundle's contents, so a run says exactly what it learned from."""
    digest = hashlib.sha256()
    for name, frame in bundle.frames():
        digest.update(name.encode())
        digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return digest.hexdigest()[:16]


def missing_labels_reason(labels: pd.Series, target: str) -> str | None:
    known = labels.dropna()
    if known.empty:
        source = "disputed_at in invoices" if target == DISPUTE.label else "rows in churn.csv"
        return f"no {target} labels: the bundle has no {source}"
    if known.nunique() < 2:
        return f"no {target} labels of both kinds in the training period"
    return None


def retrain(
    bundle: Bundle,
    tracking_uri: str,
    until: str | None = None,
    cache_dir: str | Path | None = None,
    say: Callable[[str], None] = print,
) -> list[TargetResult]:
    """Train, evaluate, log and register a model per target; see the module docstring."""
    say("building weekly point-in-time features...")
    data = training_set(bundle, weekly_as_of(bundle, until=until), cache_dir=cache_dir)
    client = registry.connect(tracking_uri)
    import mlflow

    results = []
    test_from = holdout_start(data.as_of)
    dispute_model: FittedModel | None = None
    for spec in RISKS:
        target, horizon = spec.label, spec.horizon_days
        reason = missing_labels_reason(data.labels[target], target)
        if reason:
            say(f"{target}: skipped, {reason}")
            results.append(TargetResult(target, decision=f"skipped: {reason}"))
            continue
        train_rows, test_rows = out_of_time_split(data.as_of, test_from, horizon)
        say(
            f"{target}: fitting on {int(train_rows.sum()):,} rows, holdout from "
            f"{test_from:%Y-%m-%d} ({int(test_rows.sum()):,} rows)..."
        )
        model = fit(data.rows(train_rows), target, MODEL_KIND, horizon)
        dispute_model = model if spec is DISPUTE else dispute_model
        if model.selection:
            say(
                f"{target}: trees of up to {model.params['max_leaf_nodes']} leaves, "
                f"{model.params['max_iter']} rounds, chosen on the last training dates"
            )
        logistic = logistic_baseline(model, data.rows(train_rows), target, horizon)
        held = data.rows(test_rows)
        events = events_for(bundle, target)
        # Scored once: the comparison, the slices and the plots all use these.
        risk = pd.Series(model.predict_proba(held.features), index=held.features.index)
        table = against_baselines(
            risk,
            pd.Series(logistic.predict_proba(held.features), index=held.features.index),
            held.features,
            held.labels[target],
            events,
            horizon,
        )
        with mlflow.start_run(run_name=f"train {target}"):
            mlflow.log_params(
                {
                    "target": target,
                    "kind": model.kind,
                    "horizon_days": horizon,
                    "calibrated": model.calibrated,
                    **{f"calibrated_{m.kind}": m.calibrated for m in model.members},
                    **GBM_PARAMS,
                    **model.params,  # the shape and rounds chosen on the validation dates
                }
            )
            mlflow.log_metrics(_flat(table))
            mlflow.log_metrics({f"validation_pr_auc_{k}": v for k, v in model.selection.items()})
            mlflow.set_tags(
                {
                    "bundle_fingerprint": fingerprint(bundle),
                    "as_of_from": f"{data.as_of.min():%Y-%m-%d}",
                    "as_of_until": f"{data.as_of.max():%Y-%m-%d}",
                    "holdout_from": f"{test_from:%Y-%m-%d}",
                    "missing_sources": ",".join(data.missing) or "none",
                }
            )
            _log_plots(model, risk, held, target, events, horizon)
            slices = _slices(bundle, risk, held, target, events, horizon)
            mlflow.log_text(slices.to_csv(float_format="%.4f"), "slices.csv")
            version = registry.log_model(
                model.estimator, held.features[FEATURE_COLUMNS].head(5), target, register=True
            )
        assert version is not None
        old = _champion_pr_auc(client, target, held, FEATURE_COLUMNS, events, horizon)
        crowned, decision = _decide(client, target, version, metric(table, "model", "pr_auc"), old)
        say(f"{target}: version {version} {decision}")
        holdout = pd.DataFrame({"risk": risk, "label": held.labels[target]})
        results.append(TargetResult(target, table, version, crowned, decision, slices, holdout))
    results.append(_train_invoices(bundle, client, test_from, dispute_model, until, cache_dir, say))
    return results


def _train_invoices(
    bundle: Bundle,
    client: object,
    test_from: pd.Timestamp,
    dispute_model: FittedModel | None,
    until: str | None,
    cache_dir: str | Path | None,
    say: Callable[[str], None],
) -> TargetResult:
    """The invoice model: one row per invoice, the same holdout dates as the client
    models, logged, registered as ``billing-risk-invoice`` and gated like them."""
    import mlflow

    say("building one row per invoice, as of the day before its issue...")
    data = invoice_set(bundle, cache_dir=cache_dir)
    if until is not None:
        data = data.rows(np.asarray(data.as_of <= pd.Timestamp(until)))
    train_rows, test_rows = out_of_time_split(data.as_of, test_from, INVOICE_HORIZON)
    labels = data.labels[INVOICE_LABEL]
    reason = too_few_disputed(labels[train_rows], labels[test_rows])
    if reason:
        say(f"{INVOICE_LABEL}: skipped, {reason}")
        return TargetResult(INVOICE_LABEL, decision=f"skipped: {reason}")
    say(
        f"{INVOICE_LABEL}: fitting on {int(train_rows.sum()):,} invoices, holdout from "
        f"{test_from:%Y-%m-%d} ({int(test_rows.sum()):,} invoices)..."
    )
    model = fit_invoice_model(data.rows(train_rows))
    held = data.rows(test_rows)
    risk = predict(model, held.features)
    at_issue = (
        None
        if dispute_model is None
        else pd.Series(dispute_model.predict_proba(held.features), index=risk.index)
    )
    table = compare_invoices(risk, at_issue, held)
    columns = list(INVOICE_COLUMNS)
    with mlflow.start_run(run_name=f"train {INVOICE_LABEL}"):
        mlflow.log_params(
            {
                "target": INVOICE_LABEL,
                "kind": model.kind,
                "horizon_days": INVOICE_HORIZON,
                "calibrated": model.calibrated,
                **GBM_PARAMS,
                **model.params,
            }
        )
        mlflow.log_metrics(_flat(table.rename(index=lambda row: str(row).replace(" ", "_"))))
        mlflow.set_tags(
            {
                "bundle_fingerprint": fingerprint(bundle),
                "invoices_issued_from": f"{data.as_of.min() + pd.Timedelta(days=1):%Y-%m-%d}",
                "invoices_issued_until": f"{data.as_of.max() + pd.Timedelta(days=1):%Y-%m-%d}",
                "holdout_from": f"{test_from:%Y-%m-%d}",
                "missing_sources": ",".join(data.missing) or "none",
            }
        )
        # The typical training invoice: a check's reasons say how a draft differs from it.
        typical = data.rows(train_rows).features[columns].median()
        mlflow.log_dict(
            {str(name): None if pd.isna(v) else float(v) for name, v in typical.items()},
            registry.REFERENCE_FILE,
        )
        version = registry.log_model(
            model.estimator, held.features[columns].head(5), INVOICE_LABEL, register=True
        )
    assert version is not None
    old = _champion_invoice_pr_auc(client, held)
    crowned, decision = _decide(
        client, INVOICE_LABEL, version, metric(table, "invoice model", "pr_auc"), old
    )
    say(f"{INVOICE_LABEL}: version {version} {decision}")
    holdout = pd.DataFrame({"risk": risk, "label": held.labels[INVOICE_LABEL]})
    return TargetResult(INVOICE_LABEL, table, version, crowned, decision, None, holdout)


def _slices(
    bundle: Bundle,
    risk: pd.Series,
    held: TrainingSet,
    target: str,
    events: pd.DataFrame,
    horizon: int,
) -> pd.DataFrame:
    """Model and scorecard PR-AUC (and more) per language, billing model and size."""
    index = held.features.index
    scores = {
        "model": (risk, True),
        "scorecard": (scorecard(held.features), False),
    }
    groups = client_slices(bundle, index)
    parts = []
    for name, (values, probability) in scores.items():
        for column in groups.columns:
            table = by_slice(
                values, held.labels[target], events, horizon, groups[column], probability
            )
            parts.append(table.assign(scorer=name))
    return pd.concat(parts).rename_axis("slice").reset_index().set_index(["slice", "scorer"])


def metric(table: pd.DataFrame, row: str, column: str) -> float:
    """One number of a comparison table."""
    return float(table[column].to_numpy(np.float64)[table.index.get_loc(row)])


def _flat(table: pd.DataFrame) -> dict[str, float]:
    return {
        f"{row}_{column}": float(value)
        for row, values in table.iterrows()
        for column, value in values.items()
        if np.isfinite(value)
    }


def _champion_pr_auc(
    client: object,
    target: str,
    held: TrainingSet,
    columns: list[str],
    events: pd.DataFrame,
    horizon: int,
) -> tuple[str, float] | None:
    """The current champion's version and PR-AUC on ``held``, or None without one."""
    current = registry.champion(client, target)
    if current is None:
        return None
    old = registry.load(target, current.version)
    old_scores = pd.Series(
        old.predict_proba(held.features[columns])[:, 1], index=held.features.index
    )
    old_table = compare({"champion": (old_scores, True)}, held.labels[target], events, horizon)
    return current.version, metric(old_table, "champion", "pr_auc")


def _champion_invoice_pr_auc(client: object, held: TrainingSet) -> tuple[str, float] | None:
    """The invoice champion's version and PR-AUC on ``held``, or None without one."""
    current = registry.champion(client, INVOICE_LABEL)
    if current is None:
        return None
    old = registry.load(INVOICE_LABEL, current.version)
    features = held.features[list(INVOICE_COLUMNS)]
    old_scores = pd.Series(old.predict_proba(features)[:, 1], index=features.index)
    table = compare_invoices(old_scores, None, held)
    return current.version, metric(table, "invoice model", "pr_auc")


def _decide(
    client: object,
    target: str,
    version: str,
    new_score: float,
    current: tuple[str, float] | None,
) -> tuple[bool, str]:
    """Crown ``version`` when its holdout PR-AUC beats the champion's (``current``:
    its version and PR-AUC on the same holdout), else mark it a challenger."""
    if current is None:
        registry.crown(client, target, version, "first model", "risk train")
        return True, f"is @champion (the first; PR-AUC {new_score:.3f})"
    old_version, old_score = current
    if new_score > old_score:
        registry.crown(
            client,
            target,
            version,
            f"PR-AUC {new_score:.3f} > {old_score:.3f} (v{old_version}) on the same holdout",
            "risk train",
        )
        return (
            True,
            f"is @champion: PR-AUC {new_score:.3f} beats v{old_version}'s {old_score:.3f}",
        )
    reason = f"PR-AUC {new_score:.3f} does not beat v{old_version}'s {old_score:.3f}"
    registry.mark_challenger(client, target, version, reason)
    return False, f"is a challenger: {reason}"


def _log_plots(
    model: FittedModel,
    risk: pd.Series,
    held: TrainingSet,
    target: str,
    events: pd.DataFrame,
    horizon: int,
) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import mlflow
    from sklearn.calibration import calibration_curve
    from sklearn.inspection import permutation_importance
    from sklearn.metrics import precision_recall_curve, roc_curve

    known = held.labels[target].notna().to_numpy()
    y = held.labels[target][known].astype(int).to_numpy()
    proba = risk.to_numpy()
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.5))
    fpr, tpr, _ = roc_curve(y, proba[known])
    axes[0].plot(fpr, tpr)
    axes[0].plot([0, 1], [0, 1], "--", color="grey")
    axes[0].set(
        title=f"{target}: ROC (holdout)", xlabel="false positive rate", ylabel="true positive rate"
    )
    precision, recall, _ = precision_recall_curve(y, proba[known])
    axes[1].plot(recall, precision)
    axes[1].set(title="precision-recall", xlabel="recall", ylabel="precision")
    observed, predicted = calibration_curve(y, proba[known], n_bins=10, strategy="quantile")
    axes[2].plot(predicted, observed, "o-")
    axes[2].plot([0, 1], [0, 1], "--", color="grey")
    axes[2].set(title="reliability", xlabel="predicted probability", ylabel="observed rate")
    mlflow.log_figure(fig, "plots/roc_pr_calibration.png")
    plt.close(fig)

    flags = top_share_flags(pd.Series(proba, index=held.features.index))
    lead = lead_times(flags, events, horizon).dropna()
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.hist(lead, bins=range(0, horizon + 8, 7))
    ax.set(title=f"{target}: days of warning before each event", xlabel="days", ylabel="events")
    mlflow.log_figure(fig, "plots/lead_time.png")
    plt.close(fig)

    sample = np.flatnonzero(known)[:: max(int(known.sum() // 4000), 1)]
    importance = permutation_importance(
        FrozenEstimator(model.estimator),  # already fitted: permutation only scores it
        held.features.iloc[sample][FEATURE_COLUMNS],
        held.labels[target].iloc[sample].astype(int),
        scoring="average_precision",
        n_repeats=3,
        random_state=0,
    )
    order = np.argsort(importance.importances_mean)[-15:]
    fig, ax = plt.subplots(figsize=(7, 6))
    ax.barh(np.array(FEATURE_COLUMNS)[order], importance.importances_mean[order])
    ax.set(title=f"{target}: permutation importance (PR-AUC, holdout)")
    fig.tight_layout()
    mlflow.log_figure(fig, "plots/feature_importance.png")
    plt.close(fig)
