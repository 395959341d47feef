"""The two risks billing-risk predicts, each defined once.

Every layer reads these instead of spelling a risk's names: the label column the
features and models use (``dispute_30d``), its horizon, the name under which
MLflow registers its model, the column a backtest writes, and the name flags,
the API, the page and the settings use (``dispute``: ``RISK_DISPUTE_HIGH``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Risk:
    """One predicted risk and every name it goes by."""

    #: Flags, the API, the page, alerts: ``dispute``.
    name: str
    #: The label's window after an as-of date, in days.
    horizon_days: int
    #: The label column and the model's target: ``dispute_30d``.
    label: str
    #: The registered model in MLflow: ``billing-risk-dispute``.
    model_name: str
    #: The probability's column in a backtest's scores: ``dispute_risk``.
    score_column: str

    @property
    def elevated_setting(self) -> str:
        """The settings field of the elevated threshold (``RISK_DISPUTE_ELEVATED``)."""
        return f"{self.name}_elevated"

    @property
    def high_setting(self) -> str:
        """The settings field of the high threshold (``RISK_DISPUTE_HIGH``)."""
        return f"{self.name}_high"


#: An invoice disputed within 30 days (from ``invoices.disputed_at``).
DISPUTE = Risk("dispute", 30, "dispute_30d", "billing-risk-dispute", "dispute_risk")
#: The client churning within 90 days (from ``churn.csv``).
CHURN = Risk("churn", 90, "churn_90d", "billing-risk-churn", "churn_risk")
RISKS: tuple[Risk, ...] = (DISPUTE, CHURN)
NAMES: tuple[str, ...] = tuple(risk.name for risk in RISKS)
LABELS: tuple[str, ...] = tuple(risk.label for risk in RISKS)


def by_name(name: str) -> Risk:
    """The risk called ``name`` (``dispute``); ``KeyError`` for another."""
    for risk in RISKS:
        if risk.name == name:
            return risk
    raise KeyError(name)


def by_label(label: str) -> Risk:
    """The risk whose label is ``label`` (``dispute_30d``); ``KeyError`` for another."""
    for risk in RISKS:
        if risk.label == label:
            return risk
    raise KeyError(label)
