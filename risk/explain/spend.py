"""Reasons from the spend family (``features/families/spend.py``): budget billed against
work delivered and progress reported.
"""

from __future__ import annotations

from risk.explain.context import Context, Reason, Text, plural


def _no_project(c: Context) -> str:
    return c.say("No running project with a budget", "Kein laufendes Projekt mit Budget")


def _no_progress(c: Context) -> str:
    return c.say(
        "No progress reported on running projects yet",
        "Noch kein Fortschritt zu laufenden Projekten gemeldet",
    )


def _delivered(c: Context, *, average: bool) -> tuple[str, str]:
    # The delivered share to set beside a billed or worked share, ("", "") if unknown.
    p = c.value("progress_weighted")
    if p is None:
        return "", ""
    if average:
        return f", {c.pct(p)} delivered on average", f", im Schnitt {c.pct(p)} geliefert"
    return f", {c.pct(p)} delivered", f", {c.pct(p)} geliefert"


def _billed_share_max(c: Context) -> str:
    x = c.value("billed_share_max")
    if x is None:
        return _no_project(c)
    en, de = _delivered(c, average=True)
    return c.say(
        f"Billed up to {c.share(x)} of a project's budget{en}",
        f"Bis zu {c.share(x)} eines Projektbudgets abgerechnet{de}",
    )


def _billed_share_weighted(c: Context) -> str:
    x = c.value("billed_share_weighted")
    if x is None:
        return _no_project(c)
    en, de = _delivered(c, average=False)
    return c.say(
        f"Billed {c.share(x)} of the budget{en}",
        f"{c.share(x)} des Budgets abgerechnet{de}",
    )


def _time_value_max(c: Context) -> str:
    x = c.value("time_value_share_max")
    if x is None:
        return _no_project(c)
    en, de = _delivered(c, average=True)
    return c.say(
        f"Time worked is worth up to {c.share(x)} of a project's budget{en}",
        f"Geleistete Zeit entspricht bis zu {c.share(x)} eines Projektbudgets{de}",
    )


def _time_value_weighted(c: Context) -> str:
    x = c.value("time_value_share_weighted")
    if x is None:
        return _no_project(c)
    en, de = _delivered(c, average=False)
    return c.say(
        f"Time worked is worth {c.share(x)} of the budget{en}",
        f"Geleistete Zeit entspricht {c.share(x)} des Budgets{de}",
    )


def _progress(c: Context) -> str:
    p, billed = c.value("progress_weighted"), c.value("billed_share_weighted")
    if p is None:
        return _no_progress(c)
    en = f", {c.share(billed)} of the budget billed" if billed is not None else ""
    de = f", {c.share(billed)} des Budgets abgerechnet" if billed is not None else ""
    return c.say(
        f"Running projects reported {c.pct(p)} complete{en}",
        f"Laufende Projekte zu {c.pct(p)} fertig gemeldet{de}",
    )


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
            return c.say(
                f"Gap between % of budget billed and % delivered: {c.points(gap)} points",
                f"Lücke zwischen abgerechnetem und geliefertem Anteil: {c.points(gap)} Punkte",
            )
        if variant == "max":
            return c.say(
                f"Billed up to {c.share(billed)} of a project's budget, {c.pct(p)} delivered "
                f"on average (largest gap {c.points(gap)} points)",
                f"Bis zu {c.share(billed)} eines Projektbudgets abgerechnet, im Schnitt "
                f"{c.pct(p)} geliefert (größte Lücke {c.points(gap)} Punkte)",
            )
        return c.say(
            f"Billed {c.share(billed)} of the budget, {c.pct(p)} delivered "
            f"(gap {c.points(gap)} points)",
            f"{c.share(billed)} des Budgets abgerechnet, {c.pct(p)} geliefert "
            f"(Lücke {c.points(gap)} Punkte)",
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
        return c.say(
            "Billing matches the value of work delivered",
            "Abrechnung entspricht dem Wert der gelieferten Arbeit",
        )
    more = sign > 0
    en_word, de_word = ("more", "mehr") if more else ("less", "weniger")
    of_budget_en = f"{c.share(abs(share))} of the budget" if share is not None else ""
    of_budget_de = f"{c.share(abs(share))} des Budgets" if share is not None else ""
    if amount is None:
        return c.say(
            f"Billed {of_budget_en} {en_word} than the work delivered is worth",
            f"{of_budget_de} {de_word} abgerechnet, als die gelieferte Arbeit wert ist",
        )
    note_en = f" ({of_budget_en})" if of_budget_en else ""
    note_de = f" ({of_budget_de})" if of_budget_de else ""
    return c.say(
        f"Billed {c.money(abs(amount))} {en_word} than the work delivered is worth{note_en}",
        f"{c.money(abs(amount))} {de_word} abgerechnet, als die gelieferte Arbeit wert ist"
        f"{note_de}",
    )


def _report_age(c: Context) -> str:
    x = c.value("progress_report_age_max")
    if x is None:
        return c.say("No running projects", "Keine laufenden Projekte")
    n = c.whole(x)
    return c.say(
        f"A running project has had no progress report for {c.days(n)}",
        f"Ein laufendes Projekt hat seit {c.count(n)} {plural(n, 'Tag', 'Tagen')} keinen "
        "Fortschrittsbericht",
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
