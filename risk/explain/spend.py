"""Reasons from the spend family (``features/families/spend.py``): budget billed against
work delivered and progress reported.
"""

from __future__ import annotations

from risk.explain.context import Context, Reason, Text


def _no_project(c: Context) -> str:
    return c._("No running project with a budget")


def _no_progress(c: Context) -> str:
    return c._("No progress reported on running projects yet")


def _delivered(c: Context, *, average: bool) -> str:
    # The delivered share to set beside a billed or worked share, "" if unknown.
    p = c.value("progress_weighted")
    if p is None:
        return ""
    if average:
        return c._(", {p} delivered on average", p=c.pct(p))
    return c._(", {p} delivered", p=c.pct(p))


def _billed_share_max(c: Context) -> str:
    x = c.value("billed_share_max")
    if x is None:
        return _no_project(c)
    return c._(
        "Billed up to {share} of a project's budget{delivered}",
        share=c.share(x),
        delivered=_delivered(c, average=True),
    )


def _billed_share_weighted(c: Context) -> str:
    x = c.value("billed_share_weighted")
    if x is None:
        return _no_project(c)
    return c._(
        "Billed {share} of the budget{delivered}",
        share=c.share(x),
        delivered=_delivered(c, average=False),
    )


def _time_value_max(c: Context) -> str:
    x = c.value("time_value_share_max")
    if x is None:
        return _no_project(c)
    return c._(
        "Time worked is worth up to {share} of a project's budget{delivered}",
        share=c.share(x),
        delivered=_delivered(c, average=True),
    )


def _time_value_weighted(c: Context) -> str:
    x = c.value("time_value_share_weighted")
    if x is None:
        return _no_project(c)
    return c._(
        "Time worked is worth {share} of the budget{delivered}",
        share=c.share(x),
        delivered=_delivered(c, average=False),
    )


def _progress(c: Context) -> str:
    p, billed = c.value("progress_weighted"), c.value("billed_share_weighted")
    if p is None:
        return _no_progress(c)
    of_budget = (
        c._(", {billed} of the budget billed", billed=c.share(billed)) if billed is not None else ""
    )
    return c._("Running projects reported {p} complete{billed}", p=c.pct(p), billed=of_budget)


def _gap(variant: str) -> Text:
    # The _max gap is the largest over projects while billed_share_max and
    # progress_weighted may come from other projects, so that sentence says
    # "up to", "on average" and "largest" rather than implying 78 - 41 = 37.
    def text(c: Context) -> str:
        gap = c.value(f"billed_minus_progress_{variant}")
        billed, p = c.value(f"billed_share_{variant}"), c.value("progress_weighted")
        if gap is None:
            return _no_progress(c)
        if billed is None or p is None:
            return c._(
                "Gap between % of budget billed and % delivered: {gap} points", gap=c.points(gap)
            )
        if variant == "max":
            return c._(
                "Billed up to {billed} of a project's budget, {p} delivered on average "
                "(largest gap {gap} points)",
                billed=c.share(billed),
                p=c.pct(p),
                gap=c.points(gap),
            )
        return c._(
            "Billed {billed} of the budget, {p} delivered (gap {gap} points)",
            billed=c.share(billed),
            p=c.pct(p),
            gap=c.points(gap),
        )

    return text


def _overbilling(c: Context) -> str:
    amount, share = c.value("overbilling_amount"), c.value("overbilling_share")
    if amount is None and share is None:
        return _no_progress(c)
    # The sign picks the word, so the sentence is true either way round.
    sign = amount if amount is not None else share
    assert sign is not None  # narrowed for mypy: both None returned above
    if c.whole(sign) == 0 and (share is None or c.whole(share * 100) == 0):
        return c._("Billing matches the value of work delivered")
    more = sign > 0
    if amount is None:
        assert share is not None  # narrowed for mypy: both None returned above
        if more:
            return c._(
                "Billed {share} of the budget more than the work delivered is worth",
                share=c.share(abs(share)),
            )
        return c._(
            "Billed {share} of the budget less than the work delivered is worth",
            share=c.share(abs(share)),
        )
    note = c._(" ({share} of the budget)", share=c.share(abs(share))) if share is not None else ""
    if more:
        return c._(
            "Billed {amount} more than the work delivered is worth{note}",
            amount=c.money(abs(amount)),
            note=note,
        )
    return c._(
        "Billed {amount} less than the work delivered is worth{note}",
        amount=c.money(abs(amount)),
        note=note,
    )


def _report_age(c: Context) -> str:
    x = c.value("progress_report_age_max")
    if x is None:
        return c._("No running projects")
    n = c.whole(x)
    return c._.ngettext(
        "A running project has had no progress report for {n} day",
        "A running project has had no progress report for {n} days",
        n,
    )


#: Each feature's kind of next step and its sentence.
REASONS: dict[str, Reason] = {
    "billed_share_max": Reason("invoice", _billed_share_max),
    "billed_share_weighted": Reason("invoice", _billed_share_weighted),
    "time_value_share_max": Reason("progress", _time_value_max),
    "time_value_share_weighted": Reason("progress", _time_value_weighted),
    "progress_weighted": Reason("progress", _progress),
    "billed_minus_progress_max": Reason("progress", _gap("max")),
    "billed_minus_progress_weighted": Reason("progress", _gap("weighted")),
    "overbilling_share": Reason("invoice", _overbilling),
    "overbilling_amount": Reason("invoice", _overbilling),
    "progress_report_age_max": Reason("progress", _report_age),
}
