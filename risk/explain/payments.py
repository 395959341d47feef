"""Reasons from the payments family (``features/families/payments.py``): open, overdue and
disputed invoices, and the size of the latest.
"""

from __future__ import annotations

from risk.explain.context import Context, Reason, Text, plural


def _invoices(
    count_name: str, amount_name: str, en_state: str, de_state: str, de_adjective: str
) -> Text:
    # Count and amount tell one story, so both features get the same sentence.
    def text(c: Context) -> str:
        x, amount = c.value(count_name), c.value(amount_name)
        if x is None:
            if amount is not None:
                return c.say(
                    f"Invoices {en_state}: {c.money(amount)} in total",
                    f"Rechnungen {de_state}: insgesamt {c.money(amount)}",
                )
            return c.say(
                f"No data on {en_state} invoices",
                f"Keine Daten zu {de_adjective} Rechnungen",
            )
        n = c.whole(x)
        if n == 0:
            return c.say(f"No invoices {en_state}", f"Keine Rechnung {de_state}")
        total_en = f", {c.money(amount)} in total" if amount is not None else ""
        total_de = f", insgesamt {c.money(amount)}" if amount is not None else ""
        return c.say(
            f"{c.count(n)} {plural(n, 'invoice', 'invoices')} {en_state}{total_en}",
            f"{c.count(n)} {plural(n, 'Rechnung', 'Rechnungen')} {de_state}{total_de}",
        )

    return text


def _days_late(c: Context) -> str:
    x = c.value("days_late_mean_90d")
    if x is None:
        return c.say(
            "No invoices paid in the last 90 days",
            "Keine Rechnungen in den letzten 90 Tagen bezahlt",
        )
    n = c.whole(x)
    if n == 0:
        when_en, when_de = "on time", "pünktlich"
    elif n > 0:
        when_en, when_de = f"{c.days(n)} late", f"{c.days(n)} nach Fälligkeit"
    else:
        when_en, when_de = f"{c.days(-n)} early", f"{c.days(-n)} vor Fälligkeit"
    return c.say(
        f"Invoices paid in the last 90 days were paid {when_en} on average",
        f"Rechnungen der letzten 90 Tage im Schnitt {when_de} bezahlt",
    )


def _disputes(c: Context) -> str:
    x = c.value("disputes_180d")
    if x is None:
        return c.say("No data on disputed invoices", "Keine Daten zu beanstandeten Rechnungen")
    n = c.whole(x)
    if n == 0:
        return c.say(
            "No invoices disputed in the last 180 days",
            "Keine Rechnung in den letzten 180 Tagen beanstandet",
        )
    return c.say(
        f"{c.count(n)} {plural(n, 'invoice', 'invoices')} disputed in the last 180 days",
        f"{c.count(n)} {plural(n, 'Rechnung', 'Rechnungen')} in den letzten 180 Tagen beanstandet",
    )


def _latest_invoice(c: Context) -> str:
    x = c.value("latest_invoice_ratio")
    if x is None:
        return c.say(
            "No earlier invoices in the year before to compare the latest one with",
            "Keine früheren Rechnungen im Jahr davor zum Vergleich mit der letzten",
        )
    return c.say(
        f"Latest invoice is {c.ratio(x)} times the client's usual invoice amount",
        f"Letzte Rechnung ist {c.ratio(x)}-mal so hoch wie beim Kunden üblich",
    )


def _days_since_invoice(c: Context) -> str:
    x = c.value("days_since_invoice")
    if x is None:
        return c.say("No invoice issued yet", "Noch keine Rechnung gestellt")
    return c.say(f"Latest invoice issued {c.ago(x)}", f"Letzte Rechnung {c.ago(x)} gestellt")


_open = _invoices("open_invoices", "open_amount", "open", "offen", "offenen")


_overdue = _invoices("overdue_invoices", "overdue_amount", "overdue", "überfällig", "überfälligen")


#: Each feature's kind of next step and its sentence.
REASONS: dict[str, Reason] = {
    "open_invoices": Reason("payment", _open),
    "open_amount": Reason("payment", _open),
    "overdue_invoices": Reason("payment", _overdue),
    "overdue_amount": Reason("payment", _overdue),
    "days_late_mean_90d": Reason("payment", _days_late),
    "disputes_180d": Reason("invoice", _disputes),
    "latest_invoice_ratio": Reason("invoice", _latest_invoice),
    # A long time since the last invoice means the next one will be large: explain it.
    "days_since_invoice": Reason("invoice", _days_since_invoice),
}
