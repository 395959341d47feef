"""Reasons from the payments family (``features/families/payments.py``): open, overdue and
disputed invoices, and the size of the latest.
"""

from __future__ import annotations

from risk.explain.context import Context, Reason


def _open(c: Context) -> str:
    # Count and amount tell one story, so both features get the same sentence.
    x, amount = c.value("open_invoices"), c.value("open_amount")
    if x is None:
        if amount is not None:
            return c._("Invoices open: {amount} in total", amount=c.money(amount))
        return c._("No data on open invoices")
    n = c.whole(x)
    if n == 0:
        return c._("No invoices open")
    if amount is None:
        return c._.ngettext("{n} invoice open", "{n} invoices open", n)
    return c._.ngettext(
        "{n} invoice open, {amount} in total",
        "{n} invoices open, {amount} in total",
        n,
        amount=c.money(amount),
    )


def _overdue(c: Context) -> str:
    x, amount = c.value("overdue_invoices"), c.value("overdue_amount")
    if x is None:
        if amount is not None:
            return c._("Invoices overdue: {amount} in total", amount=c.money(amount))
        return c._("No data on overdue invoices")
    n = c.whole(x)
    if n == 0:
        return c._("No invoices overdue")
    if amount is None:
        return c._.ngettext("{n} invoice overdue", "{n} invoices overdue", n)
    return c._.ngettext(
        "{n} invoice overdue, {amount} in total",
        "{n} invoices overdue, {amount} in total",
        n,
        amount=c.money(amount),
    )


def _days_late(c: Context) -> str:
    x = c.value("days_late_mean_90d")
    if x is None:
        return c._("No invoices paid in the last 90 days")
    n = c.whole(x)
    if n == 0:
        return c._("Invoices paid in the last 90 days were paid on time on average")
    if n > 0:
        return c._(
            "Invoices paid in the last 90 days were paid {days} late on average",
            days=c.days(n),
        )
    return c._(
        "Invoices paid in the last 90 days were paid {days} early on average", days=c.days(-n)
    )


def _disputes(c: Context) -> str:
    x = c.value("disputes_180d")
    if x is None:
        return c._("No data on disputed invoices")
    n = c.whole(x)
    if n == 0:
        return c._("No invoices disputed in the last 180 days")
    return c._.ngettext(
        "{n} invoice disputed in the last 180 days", "{n} invoices disputed in the last 180 days", n
    )


def _latest_invoice(c: Context) -> str:
    x = c.value("latest_invoice_ratio")
    if x is None:
        return c._("No earlier invoices in the year before to compare the latest one with")
    return c._("Latest invoice is {x} times the client's usual invoice amount", x=c.ratio(x))


def _days_since_invoice(c: Context) -> str:
    x = c.value("days_since_invoice")
    if x is None:
        return c._("No invoice issued yet")
    return c._("Latest invoice issued {x}", x=c.ago(x))


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
