"""Reasons from the relationship family (``features/families/relationship.py``): the
relationship's age, running work, workload and doubts.
"""

from __future__ import annotations

from risk.explain.context import Context, Reason, Text


def _tenure(c: Context) -> str:
    x = c.value("tenure_days")
    if x is None:
        return c._("Start of the relationship not known")
    n = c.whole(x)
    if n >= 365:
        years = c.ratio(n / 365.25)
        return c._("Client for {years} years ({n})", years=years, n=c.days(n))
    return c._.ngettext("Client for {n} day", "Client for {n} days", n)


def _projects(c: Context) -> str:
    # Count and open budget describe the same running work: one sentence for both.
    x, budget = c.value("active_projects"), c.value("budget_open")
    if x is None:
        return c._("No data on running projects")
    n = c.whole(x)
    if n == 0:
        return c._("No projects running")
    if budget is None:
        return c._.ngettext("{n} project running", "{n} projects running", n)
    return c._.ngettext(
        "{n} project running with a budget of {budget}",
        "{n} projects running with a budget of {budget}",
        n,
        budget=c.money(budget),
    )


def _new_contact(c: Context) -> str:
    x = c.value("new_contact_30d")
    if x is None:
        return c._("No data on contacts at the client")
    if x >= 0.5:
        return c._("Someone new at the client wrote for the first time in the last 30 days")
    return c._("No new contact at the client in the last 30 days")


def _runway(c: Context) -> str:
    x = c.value("runway_days")
    if x is None:
        return c._("No project running")
    n = c.whole(x)
    if n < 0:
        return c._(
            "Every running project is past its planned end (the latest by {value})",
            value=c.days(-n),
        )
    if n == 0:
        return c._("The last running project is planned to end today")
    return c._.ngettext(
        "The last running project is planned to end in {n} day",
        "The last running project is planned to end in {n} days",
        n,
    )


def _project_start(c: Context) -> str:
    x = c.value("days_since_project_start")
    if x is None:
        return c._("No project started yet")
    return c._("Latest project started {x}", x=c.ago(x))


def _work_hours(feature: str, days: int, before: int, quarter: bool) -> Text:
    """Hours against the usual month (or, with ``quarter``, the usual quarter)."""

    def sentence(c: Context) -> str:
        x = c.value(feature)
        if x is None:
            return c._("No hours logged in the {before} days before to compare with", before=before)
        if quarter:
            return c._(
                "Hours logged for the client in the last {days} days: {share} of the usual quarter",
                days=days,
                share=c.share(x),
            )
        return c._(
            "Hours logged for the client in the last {days} days: {share} of the usual month",
            days=days,
            share=c.share(x),
        )

    return sentence


def _days_since_work(c: Context) -> str:
    x = c.value("days_since_work")
    if x is None:
        return c._("No time logged for the client yet")
    return c._("Latest time logged for the client {x}", x=c.ago(x))


def _doubts(c: Context) -> str:
    x, days = c.value("relationship_doubts_90d"), c.value("days_since_relationship_doubt")
    if x is None:
        return c._("No data on client messages")
    n = c.whole(x)
    if n == 0:
        if days is not None:
            return c._(
                "The client last wrote of budget cuts, changes or ending the work {days}",
                days=c.ago(days),
            )
        return c._("No client message in 90 days about budget cuts, changes or ending the work")
    if days is None:
        return c._.ngettext(
            "{n} client message in 90 days about budget cuts, other providers or pausing",
            "{n} client messages in 90 days about budget cuts, other providers or pausing",
            n,
        )
    return c._.ngettext(
        "{n} client message in 90 days about budget cuts, other providers or pausing "
        "(latest {ago})",
        "{n} client messages in 90 days about budget cuts, other providers or pausing "
        "(latest {ago})",
        n,
        ago=c.ago(days),
    )


#: Each feature's kind of next step and its sentence.
REASONS: dict[str, Reason] = {
    # Tenure and the size of running work are about the relationship: talk to the client.
    "tenure_days": Reason("check_in", _tenure),
    "active_projects": Reason("check_in", _projects),
    "budget_open": Reason("check_in", _projects),
    # Work running out is the commonest way a services client leaves: plan what follows.
    "runway_days": Reason("follow_on", _runway),
    "days_since_project_start": Reason("follow_on", _project_start),
    "work_hours_ratio": Reason("follow_on", _work_hours("work_hours_ratio", 30, 90, quarter=False)),
    "work_hours_ratio_90d": Reason(
        "follow_on", _work_hours("work_hours_ratio_90d", 90, 270, quarter=True)
    ),
    "days_since_work": Reason("follow_on", _days_since_work),
    "relationship_doubts_90d": Reason("follow_on", _doubts),
    "days_since_relationship_doubt": Reason("follow_on", _doubts),
    "new_contact_30d": Reason("check_in", _new_contact),
}
