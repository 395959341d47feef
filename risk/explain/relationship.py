"""Reasons from the relationship family (``features/families/relationship.py``): the
relationship's age, running work, workload and doubts.
"""

from __future__ import annotations

from risk.explain.context import Context, Reason, Text, plural


def _tenure(c: Context) -> str:
    x = c.value("tenure_days")
    if x is None:
        return c.say("Start of the relationship not known", "Beginn der Kundenbeziehung unbekannt")
    n = c.whole(x)
    if n >= 365:
        years = c.ratio(n / 365.25)
        return c.say(
            f"Client for {years} years ({c.days(n)})",
            f"Kunde seit {years} Jahren ({c.days(n)})",
        )
    return c.say(f"Client for {c.days(n)}", f"Kunde seit {c.count(n)} {plural(n, 'Tag', 'Tagen')}")


def _projects(c: Context) -> str:
    # Count and open budget describe the same running work: one sentence for both.
    x, budget = c.value("active_projects"), c.value("budget_open")
    if x is None:
        return c.say("No data on running projects", "Keine Daten zu laufenden Projekten")
    n = c.whole(x)
    if n == 0:
        return c.say("No projects running", "Keine laufenden Projekte")
    budget_en = f" with a budget of {c.money(budget)}" if budget is not None else ""
    budget_de = f" mit einem Budget von {c.money(budget)}" if budget is not None else ""
    return c.say(
        f"{c.count(n)} {plural(n, 'project', 'projects')} running{budget_en}",
        f"{c.count(n)} {plural(n, 'laufendes Projekt', 'laufende Projekte')}{budget_de}",
    )


def _new_contact(c: Context) -> str:
    x = c.value("new_contact_30d")
    if x is None:
        return c.say("No data on contacts at the client", "Keine Daten zu Ansprechpersonen")
    if x >= 0.5:
        return c.say(
            "Someone new at the client wrote for the first time in the last 30 days",
            "Eine neue Person beim Kunden hat in den letzten 30 Tagen erstmals geschrieben",
        )
    return c.say(
        "No new contact at the client in the last 30 days",
        "Keine neue Ansprechperson beim Kunden in den letzten 30 Tagen",
    )


def _runway(c: Context) -> str:
    x = c.value("runway_days")
    if x is None:
        return c.say("No project running", "Kein laufendes Projekt")
    n = c.whole(x)
    if n < 0:
        return c.say(
            f"Every running project is past its planned end (the latest by {c.days(-n)})",
            f"Alle laufenden Projekte sind über ihr geplantes Ende hinaus (das späteste um "
            f"{c.days(-n)})",
        )
    if n == 0:
        return c.say(
            "The last running project is planned to end today",
            "Das letzte laufende Projekt soll heute enden",
        )
    return c.say(
        f"The last running project is planned to end in {c.days(n)}",
        f"Das letzte laufende Projekt soll in {c.count(n)} {plural(n, 'Tag', 'Tagen')} enden",
    )


def _project_start(c: Context) -> str:
    x = c.value("days_since_project_start")
    if x is None:
        return c.say("No project started yet", "Noch kein Projekt begonnen")
    return c.say(f"Latest project started {c.ago(x)}", f"Letztes Projekt {c.ago(x)} begonnen")


def _work_hours(feature: str, days: int, before: int, usual: tuple[str, str]) -> Text:
    """``usual``: the period compared with, in English and German ("month", "Monats")."""

    def sentence(c: Context) -> str:
        x = c.value(feature)
        if x is None:
            return c.say(
                f"No hours logged in the {before} days before to compare with",
                f"Keine Stunden in den {before} Tagen davor zum Vergleich",
            )
        return c.say(
            f"Hours logged for the client in the last {days} days: {c.share(x)} of the usual "
            f"{usual[0]}",
            f"Für den Kunden erfasste Stunden der letzten {days} Tage: {c.share(x)} eines "
            f"üblichen {usual[1]}",
        )

    return sentence


def _days_since_work(c: Context) -> str:
    x = c.value("days_since_work")
    if x is None:
        return c.say("No time logged for the client yet", "Noch keine Zeit für den Kunden erfasst")
    return c.say(
        f"Latest time logged for the client {c.ago(x)}",
        f"Zuletzt {c.ago(x)} Zeit für den Kunden erfasst",
    )


def _doubts(c: Context) -> str:
    x, days = c.value("relationship_doubts_90d"), c.value("days_since_relationship_doubt")
    if x is None:
        return c.say("No data on client messages", "Keine Daten zu Kundennachrichten")
    n = c.whole(x)
    if n == 0:
        if days is not None:
            return c.say(
                f"The client last wrote of budget cuts, changes or ending the work {c.ago(days)}",
                f"Der Kunde schrieb zuletzt {c.ago(days)} von Kürzungen, Veränderungen oder "
                "einem Ende der Arbeit",
            )
        return c.say(
            "No client message in 90 days about budget cuts, changes or ending the work",
            "Keine Kundennachricht in 90 Tagen über Kürzungen, Veränderungen oder ein Ende der "
            "Arbeit",
        )
    latest_en = f" (latest {c.ago(days)})" if days is not None else ""
    latest_de = f" (zuletzt {c.ago(days)})" if days is not None else ""
    return c.say(
        f"{c.count(n)} client {plural(n, 'message', 'messages')} in 90 days about budget "
        f"cuts, other providers or pausing{latest_en}",
        f"{c.count(n)} {plural(n, 'Kundennachricht', 'Kundennachrichten')} in 90 Tagen über "
        f"Kürzungen, andere Anbieter oder eine Pause{latest_de}",
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
    "work_hours_ratio": Reason(
        "follow_on", _work_hours("work_hours_ratio", 30, 90, ("month", "Monats"))
    ),
    "work_hours_ratio_90d": Reason(
        "follow_on", _work_hours("work_hours_ratio_90d", 90, 270, ("quarter", "Quartals"))
    ),
    "days_since_work": Reason("follow_on", _days_since_work),
    "relationship_doubts_90d": Reason("follow_on", _doubts),
    "days_since_relationship_doubt": Reason("follow_on", _doubts),
    "new_contact_30d": Reason("check_in", _new_contact),
}
