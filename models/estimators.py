"""The shipped model's estimators: each member calibrated on held-out dates, and the
blend of the members (see :mod:`models.train` for why both).

* :class:`HeldOutSigmoid` fits a classifier on every row and maps its
  probabilities through a Platt sigmoid where that lowers the Brier score. The
  sigmoid is learned from a copy fitted without the validation dates, on those
  dates: the model that learned from them scores them too well to calibrate on.
* :func:`make_blend` is scikit-learn's soft ``VotingClassifier``: the mean of
  its members' probabilities, each member a :class:`HeldOutSigmoid`.

Both keep scikit-learn's contract (hyper-parameters in ``__init__``, learning in
``fit``), so ``clone`` and ``FrozenEstimator`` work on them, and
:class:`HeldOutSigmoid` passes scikit-learn's estimator checks. Models registered
before these existed still load (:mod:`models.train` keeps the old class names):
:class:`HeldOutSigmoid` reads the old ``SigmoidCalibrated``'s pickles, and
:class:`LegacyMeanOf` the old ``MeanOf``'s.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.ensemble import VotingClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss
from sklearn.preprocessing import LabelEncoder
from sklearn.utils import Bunch, _safe_indexing, get_tags, indexable
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import check_is_fitted, column_or_1d, validate_data

from models.dataset import ValidationPeriod


class HeldOutSigmoid(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """A binary classifier fitted on every row, its probabilities passed through a
    Platt sigmoid when that lowers the Brier score on the validation rows.

    The sigmoid is a logistic regression of the outcome on the log-odds of a copy
    of ``estimator`` fitted without the validation rows, scoring them. It is
    tried on the first half of the validation rows and kept only if it lowers
    the Brier score on the second half; then it is learned on all of them.

    Parameters
    ----------
    estimator : classifier, default=None
        The classifier to fit (cloned); None means ``LogisticRegression()``.
    validation : splitter, default=None
        Its first split gives the rows the copy learns from and the validation
        rows; None means :class:`~models.dataset.ValidationPeriod` ``()``.

    Attributes
    ----------
    estimator_ : classifier
        ``estimator`` fitted on every row.
    sigmoid_ : LogisticRegression or None
        The sigmoid of ``estimator_``'s log-odds; None where it was not kept, or
        could not be tried (a part of the validation without both classes).
    brier_raw_, brier_calibrated_ : float
        The copy's Brier score on the second half of the validation rows, without
        and with the sigmoid tried; NaN when not tried.
    classes_ : ndarray of shape (2,)
    """

    # scikit-learn's CalibratedClassifierCV cannot say this. With FrozenEstimator
    # its sigmoid maps the very model it was learned from; with ensemble=False it
    # maps the model refitted on every row, as here, but learns from
    # cross_val_predict, whose folds must cover every row (ours is one purged
    # period at the end). Its Platt fit (smoothed targets, decision_function) also
    # differs from the regression on clipped log-odds the registered models use, by
    # up to 0.012 in probability on the small test firm, and it has no "keep only
    # where it helps".

    def __init__(self, estimator: Any = None, *, validation: Any = None) -> None:
        self.estimator = estimator
        self.validation = validation

    def fit(self, X: Any, y: Any) -> HeldOutSigmoid:  # noqa: N803 (scikit-learn's name)
        """Fit ``estimator`` on every row and, where it helps, the sigmoid.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Passed to ``estimator`` as it is (a DataFrame keeps its columns and
            the ``as_of`` index level the default validation reads).
        y : array-like of shape (n_samples,)
            Two classes.

        Returns
        -------
        self : HeldOutSigmoid
        """
        # X itself is checked by the estimator it is handed to, as it is.
        validate_data(self, X, y, skip_check_array=True)
        x, y = indexable(X, column_or_1d(y, warn=True))
        check_classification_targets(y)
        kind = type_of_target(y, input_name="y", raise_unknown=True)
        if kind != "binary":
            raise ValueError(
                f"Only binary classification is supported. The type of the target is {kind}."
            )
        estimator = LogisticRegression() if self.estimator is None else self.estimator
        validation = ValidationPeriod() if self.validation is None else self.validation
        self.estimator_ = clone(estimator).fit(x, y)
        self.classes_ = np.unique(y)
        if self.classes_.size < 2:
            raise ValueError("y holds one class only: nothing to learn")
        self.sigmoid_: LogisticRegression | None = None
        self.brier_raw_ = self.brier_calibrated_ = math.nan
        learn, held = next(validation.split(x, y))
        first, second = held[: held.size // 2], held[held.size // 2 :]
        if not all(np.unique(y[rows]).size == 2 for rows in (learn, first, second)):
            return self
        copy = clone(estimator).fit(_safe_indexing(x, learn), y[learn])
        p_first, p_second = (
            copy.predict_proba(_safe_indexing(x, rows))[:, 1] for rows in (first, second)
        )
        positive = self.classes_[1]
        self.brier_raw_ = brier_score_loss(y[second], p_second, pos_label=positive)
        trial = _platt(p_first, y[first]).predict_proba(_logit(p_second))[:, 1]
        self.brier_calibrated_ = brier_score_loss(y[second], trial, pos_label=positive)
        if self.brier_calibrated_ < self.brier_raw_:
            self.sigmoid_ = _platt(copy.predict_proba(_safe_indexing(x, held))[:, 1], y[held])
        return self

    def predict_proba(self, X: Any) -> np.ndarray:  # noqa: N803
        """Probability of each class (columns as ``classes_``) for each row."""
        check_is_fitted(self)
        # The fitted estimator checks X (its columns, their number) as it scores.
        proba: np.ndarray = self.estimator_.predict_proba(X)
        if self.sigmoid_ is None:
            return proba
        mapped: np.ndarray = self.sigmoid_.predict_proba(_logit(proba[:, 1]))
        return mapped

    def predict(self, X: Any) -> np.ndarray:  # noqa: N803
        """The more probable class of each row."""
        proba = self.predict_proba(X)
        labels: np.ndarray = self.classes_[np.argmax(proba, axis=1)]
        return labels

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        inner = get_tags(LogisticRegression() if self.estimator is None else self.estimator)
        tags.classifier_tags.multi_class = False
        tags.input_tags.allow_nan = inner.input_tags.allow_nan
        tags.input_tags.sparse = inner.input_tags.sparse
        return tags

    def __setstate__(self, state: dict[str, Any]) -> None:
        if "sigmoid" in state:
            # Pickled by the old SigmoidCalibrated (models.train), which was handed a
            # fitted model and its fitted sigmoid: the same state under today's names.
            model, sigmoid = state.pop("model"), state.pop("sigmoid")
            state |= {
                "estimator": FrozenEstimator(model),
                "validation": None,
                "estimator_": model,
                "sigmoid_": sigmoid,
                "brier_raw_": math.nan,
                "brier_calibrated_": math.nan,
                "classes_": model.classes_,
            }
            # Where the model says (the old gbm pipeline's first step did not).
            for name in ("n_features_in_", "feature_names_in_"):
                if hasattr(model, name):
                    state[name] = getattr(model, name)
        super().__setstate__(state)


def make_blend(members: dict[str, Any], validation: Any = None) -> VotingClassifier:
    """The mean of the probabilities of ``members`` (unfitted classifiers by name), each
    calibrated on its own first (:class:`HeldOutSigmoid` with ``validation``).

    Members are calibrated before the mean is taken: averaging raw scores lets the
    member whose scores spread wider decide the ranking.
    """
    return VotingClassifier(
        [(name, HeldOutSigmoid(member, validation=validation)) for name, member in members.items()],
        voting="soft",
    )


class LegacyMeanOf(VotingClassifier):  # type: ignore[misc]
    """The blend as the old ``models.train.MeanOf`` pickled it (its fitted members
    under ``models``), loaded as a fitted soft vote over those members, frozen.

    Only for loading: new blends are :func:`make_blend`'s ``VotingClassifier``.
    """

    def __setstate__(self, state: dict[str, Any]) -> None:
        if "models" in state:
            # VotingClassifier is scikit-learn's, so it cannot read this state itself:
            # build its parameters as a constructor would, then what fit would learn.
            members = [FrozenEstimator(model) for model in state.pop("models")]
            names = [f"member{i}" for i in range(len(members))]
            classes = members[0].classes_
            fresh = VotingClassifier(list(zip(names, members, strict=True)), voting="soft")
            state |= vars(fresh) | {
                "estimators_": members,
                "named_estimators_": Bunch(**dict(zip(names, members, strict=True))),
                "le_": LabelEncoder().fit(classes),
                "classes_": classes,
            }
            if hasattr(members[0], "feature_names_in_"):
                state["feature_names_in_"] = members[0].feature_names_in_
        super().__setstate__(state)


def _platt(p: np.ndarray, y: np.ndarray) -> LogisticRegression:
    """Platt scaling: a logistic regression of the outcome on the log-odds ``p``."""
    fitted: LogisticRegression = LogisticRegression(C=1e4).fit(_logit(p), y)
    return fitted


def _logit(p: np.ndarray) -> np.ndarray:
    """Log-odds as one column (probabilities kept off 0 and 1)."""
    p = np.clip(p, 1e-6, 1 - 1e-6)
    logit: np.ndarray = np.log(p / (1 - p)).reshape(-1, 1)
    return logit
