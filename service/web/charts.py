"""Charts for the web page: inline SVG drawn on the server, no JavaScript.

Each function takes plain rows (as ``risk.clients.timeline`` and
``risk.clients.client_detail`` return them) and already translated labels, and
returns ``Markup`` holding one ``<svg role="img">`` with a title and a text
description for screen readers. Text from the data is escaped here.

- ``line_chart``: lines over time (billed vs delivered vs budget; probabilities);
- ``sentiment_chart``: the polarity of each inbound message, with a running mean;
- ``rhythm_chart``: a dot per message on a time axis, inbound and outbound in two
  lanes, and the client's silences (a gap between inbound messages longer than
  ``SILENCE_FACTOR`` x their median gap) as shaded bands.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from statistics import median
from typing import Any

from markupsafe import Markup, escape

from features.risks import NAMES
from risk.wording import Words
from service.web.strings import RISK_NAMES

WIDTH = 720
HEIGHT = 220
LEFT, RIGHT, TOP, BOTTOM = 60, 14, 12, 26
#: A gap between two inbound messages longer than this many median gaps is a silence...
SILENCE_FACTOR = 2.0
#: ...and at least this many days: a chatty client's quiet week is not a silence.
SILENCE_MIN_DAYS = 7.0
#: Inbound messages in the running mean of the sentiment chart.
RUNNING_MEAN = 5

COLORS = {
    "billed": "#c2410c",
    "delivered": "#15803d",
    "budget": "#64748b",
    "dispute": "#b91c1c",
    "churn": "#1d4ed8",
    "inbound": "#1d4ed8",
    "outbound": "#94a3b8",
    "positive": "#15803d",
    "negative": "#b91c1c",
    "neutral": "#64748b",
    "mean": "#0f172a",
    "silence": "#fde68a",
}

Moment = date | datetime


@dataclass(frozen=True)
class Series:
    """One line: a label for the legend, a colour and (time, value) points."""

    label: str
    color: str
    points: Sequence[tuple[Moment, float]]
    dashed: bool = False


def seconds(moment: Moment) -> float:
    """Seconds since the epoch; a date is its midnight UTC, a naive time is UTC."""
    if isinstance(moment, datetime):
        aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
        return aware.timestamp()
    return datetime(moment.year, moment.month, moment.day, tzinfo=UTC).timestamp()


def nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round values from ``low`` to at least ``high``: steps of 1, 2 or 5 x 10^k."""
    if high <= low:
        high = low + 1.0
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    start = math.floor(low / step) * step
    ticks = [start]
    while ticks[-1] < high - 1e-9:
        ticks.append(ticks[-1] + step)
    return ticks


class _Frame:
    """Maps time to x and values to y inside the plot area."""

    def __init__(self, t0: float, t1: float, y0: float, y1: float, height: int = HEIGHT) -> None:
        self.data0, self.data1 = t0, t1
        if t1 <= t0:
            t0, t1 = t0 - 86_400, t1 + 86_400
        if y1 <= y0:
            y1 = y0 + 1.0
        self.t0, self.t1, self.y0, self.y1 = t0, t1, y0, y1
        self.height = height

    def x(self, moment: Moment | float) -> float:
        t = moment if isinstance(moment, float) else seconds(moment)
        return LEFT + (t - self.t0) / (self.t1 - self.t0) * (WIDTH - LEFT - RIGHT)

    def y(self, value: float) -> float:
        span = self.height - TOP - BOTTOM
        return self.height - BOTTOM - (value - self.y0) / (self.y1 - self.y0) * span


def _month_ticks(frame: _Frame, _: Words) -> list[str]:
    """Month starts along the x axis, at most about eight labelled."""
    first = datetime.fromtimestamp(frame.t0, UTC)
    last = datetime.fromtimestamp(frame.t1, UTC)
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        moment = datetime(year, month, 1, tzinfo=UTC)
        if frame.t0 <= moment.timestamp() <= frame.t1:
            months.append(moment)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if len(months) < 2:  # under a month: the first and last days of the data instead
        return _day_ticks(frame, _)
    every = max(1, math.ceil(len(months) / 8))
    out = []
    bottom = frame.height - BOTTOM
    for index, moment in enumerate(months):
        x = frame.x(moment)
        out.append(f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{bottom}" stroke="#e2e8f0"/>')
        if index % every == 0:
            label = f"{_.month(moment.month)} {moment.year % 100:02d}"
            anchor = "end" if x > WIDTH - RIGHT - 20 else "middle"
            out.append(
                f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="{anchor}" '
                f'font-size="11" fill="#475569">{label}</text>'
            )
    return out


def _day_ticks(frame: _Frame, _: Words) -> list[str]:
    ends = sorted({frame.data0, frame.data1})
    out = []
    for t in ends:
        day = datetime.fromtimestamp(t, UTC).date()
        label = _.day(day)
        x = frame.x(t)
        anchor = "middle" if len(ends) == 1 else ("start" if t == ends[0] else "end")
        out.append(
            f'<text x="{x:.1f}" y="{frame.height - BOTTOM + 16}" text-anchor="{anchor}" '
            f'font-size="11" fill="#475569">{label}</text>'
        )
    return out


def _y_axis(frame: _Frame, ticks: Sequence[float], label: Callable[[float], str]) -> list[str]:
    out = []
    for tick in ticks:
        y = frame.y(tick)
        out.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#e2e8f0"/>'
        )
        out.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#475569">{escape(label(tick))}</text>'
        )
    return out


def _svg(ident: str, title: str, desc: str, body: Sequence[str], height: int = HEIGHT) -> Markup:
    head = (
        f'<svg class="chart" id="{escape(ident)}" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="{escape(ident)}-title {escape(ident)}-desc" '
        'xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif">'
        f'<title id="{escape(ident)}-title">{escape(title)}</title>'
        f'<desc id="{escape(ident)}-desc">{escape(desc)}</desc>'
    )
    return Markup(head + "".join(body) + "</svg>")


def _empty(text: str) -> Markup:
    return Markup('<p class="empty">{}</p>').format(text)


def _legend(entries: Sequence[tuple[str, str, str]]) -> Markup:
    """An HTML legend under a chart: (label, colour, shape) with shape line/dot/band."""
    items = []
    for label, color, shape in entries:
        items.append(
            Markup('<li><span class="key key-{}" style="background:{}"></span>{}</li>').format(
                shape, color, label
            )
        )
    return Markup('<ul class="legend">{}</ul>').format(Markup("").join(items))


def _points(frame: _Frame, points: Sequence[tuple[Moment | float, float]]) -> str:
    return " ".join(f"{frame.x(t):.1f},{frame.y(v):.1f}" for t, v in points)


def line_chart(
    ident: str,
    series: Sequence[Series],
    *,
    title: str,
    desc: str,
    words: Words,
    empty: str,
    y_label: Callable[[float], str] | None = None,
    y_range: tuple[float, float] | None = None,
) -> Markup:
    """Lines over a shared time axis, y from 0 (or ``y_range``), with a legend."""
    drawn = [s for s in series if s.points]
    if not drawn:
        return _empty(empty)
    stamps = [[seconds(t) for t, _ in s.points] for s in drawn]  # once per point
    times = [t for ts in stamps for t in ts]
    values = [v for s in drawn for _, v in s.points]
    if y_range is None:
        ticks = nice_ticks(min(0.0, min(values)), max(values))
        y0, y1 = ticks[0], ticks[-1]
    else:
        y0, y1 = y_range
        ticks = nice_ticks(y0, y1)
    frame = _Frame(min(times), max(times), y0, y1)
    fmt = y_label or words.compact
    body = [*_y_axis(frame, ticks, fmt), *_month_ticks(frame, words)]
    for s, ts in zip(drawn, stamps, strict=True):
        dash = ' stroke-dasharray="6 4"' if s.dashed else ""
        at = [(t, v) for t, (_, v) in zip(ts, s.points, strict=True)]
        body.append(
            f'<polyline fill="none" stroke="{s.color}" stroke-width="2"{dash} '
            f'points="{_points(frame, at)}"><title>{escape(s.label)}</title></polyline>'
        )
        if len(s.points) <= 40:
            for t, v in at:
                body.append(
                    f'<circle cx="{frame.x(t):.1f}" cy="{frame.y(v):.1f}" r="3" '
                    f'fill="{s.color}"><title>{escape(s.label)}: {escape(fmt(v))}</title></circle>'
                )
    svg = _svg(ident, title, desc, body)
    return svg + _legend([(s.label, s.color, "line") for s in drawn])


def spend_chart(spend: Sequence[Mapping[str, Any]], _: Words) -> Markup:
    """Billed vs delivered vs budget to date, week by week (``timeline(...)["spend"]``)."""
    names = {
        "budget": _("Budget"),
        "delivered": _("Delivered (value)"),
        "billed": _("Billed to date"),
    }
    series = [
        Series(
            names[name],
            COLORS[name],
            [(p["week"], float(p[name])) for p in spend],
            dashed=name == "budget",
        )
        for name in ("budget", "delivered", "billed")
    ]
    desc = _("No projects yet.")
    if spend:
        last = spend[-1]
        desc = _(
            "Week ending {week}: billed {billed}, delivered {delivered}, budget {budget}."
        ).format(
            week=_.day(last["week"]),
            billed=_.number(float(last["billed"])),
            delivered=_.number(float(last["delivered"])),
            budget=_.number(float(last["budget"])),
        )
    return line_chart(
        "chart-spend",
        series,
        title=_("Billed vs delivered vs budget"),
        desc=desc,
        words=_,
        empty=_("No projects yet."),
    )


def history_chart(history: Sequence[Mapping[str, Any]], _: Words) -> Markup:
    """Each risk's probability run by run (``client_detail(...)["history"]``)."""
    series = [
        Series(
            _(RISK_NAMES[risk]),
            COLORS[risk],
            [(h["as_of"], float(h["probability"])) for h in history if h["risk"] == risk],
        )
        for risk in NAMES
    ]
    latest = {h["risk"]: float(h["probability"]) for h in history}
    desc = "; ".join(
        f"{_(RISK_NAMES[risk])}: {_.percent(100 * p)}" for risk, p in sorted(latest.items())
    )
    return line_chart(
        "chart-history",
        series,
        title=_("Risk over time"),
        desc=desc or _("Not scored yet."),
        words=_,
        empty=_("Not scored yet."),
        y_label=lambda v: _.percent(100 * v),
        y_range=(0.0, 1.0),
    )


def sentiment_chart(messages: Sequence[Mapping[str, Any]], _: Words) -> Markup:
    """The polarity (-1..1) of each inbound message with text, and a running mean."""
    rows = [
        (m["sent_at"], float(m["polarity"]))
        for m in messages
        if m["direction"] == "inbound" and m.get("polarity") is not None
    ]
    if not rows:
        return _empty(_("No client messages with text."))
    times = [seconds(t) for t, _ in rows]  # once per message: x, the title, the mean
    frame = _Frame(min(times), max(times), -1.0, 1.0)
    body = [
        *_y_axis(frame, [-1.0, -0.5, 0.0, 0.5, 1.0], lambda v: _.number(v, 1)),
        *_month_ticks(frame, _),
        f'<line x1="{LEFT}" y1="{frame.y(0):.1f}" x2="{WIDTH - RIGHT}" y2="{frame.y(0):.1f}" '
        'stroke="#94a3b8" stroke-width="1.5"/>',
    ]
    for (t, p), at in zip(rows, times, strict=True):
        tone = "positive" if p > 0.05 else "negative" if p < -0.05 else "neutral"
        when = _.day(t.date() if isinstance(t, datetime) else t)
        body.append(
            f'<circle cx="{frame.x(at):.1f}" cy="{frame.y(p):.1f}" r="3.5" fill="{COLORS[tone]}" '
            f'fill-opacity="0.75"><title>{when}: {escape(_.number(p, 2))}</title></circle>'
        )
    means: list[tuple[Moment | float, float]] = []
    for index in range(len(rows)):
        window = rows[max(0, index - RUNNING_MEAN + 1) : index + 1]
        means.append((times[index], sum(p for _, p in window) / len(window)))
    body.append(
        f'<polyline fill="none" stroke="{COLORS["mean"]}" stroke-width="2" '
        f'points="{_points(frame, means)}"><title>{escape(_("Running mean of 5"))}</title>'
        "</polyline>"
    )
    average = sum(p for _, p in rows) / len(rows)
    desc = _(
        "{count} client messages with text, average tone {average}, "
        "latest running mean {latest} (scale -1 to 1).",
        count=len(rows),
        average=_.number(average, 2),
        latest=_.number(means[-1][1], 2),
    )
    svg = _svg("chart-sentiment", _("Tone of the client's messages"), desc, body)
    return svg + _legend(
        [
            (_("Positive message"), COLORS["positive"], "dot"),
            (_("Negative message"), COLORS["negative"], "dot"),
            (_("Running mean of 5"), COLORS["mean"], "line"),
        ]
    )


@dataclass(frozen=True)
class Silence:
    """A gap between inbound messages (``end`` None: still silent at the chart's end)."""

    start: datetime
    end: datetime | None
    days: float


def silences(
    inbound: Sequence[datetime], until: datetime | None = None, factor: float = SILENCE_FACTOR
) -> tuple[float | None, list[Silence]]:
    """The client's median gap between inbound messages in days, and every gap longer
    than ``factor`` x that median and at least ``SILENCE_MIN_DAYS`` (so a chatty
    client's quiet weekend is not a silence); a gap still open at ``until`` counts too."""
    times = sorted(inbound)
    gaps = [(b - a).total_seconds() / 86_400 for a, b in pairwise(times)]
    if not gaps:
        return None, []
    usual = median(gaps)
    limit = max(factor * usual, SILENCE_MIN_DAYS)
    found = [Silence(a, b, g) for (a, b), g in zip(pairwise(times), gaps, strict=True) if g > limit]
    if until is not None and until > times[-1]:
        still = (until - times[-1]).total_seconds() / 86_400
        if still > limit:
            found.append(Silence(times[-1], None, still))
    return usual, found


def _aware(moment: Moment) -> datetime:
    return datetime.fromtimestamp(seconds(moment), UTC)


def rhythm_chart(
    messages: Sequence[Mapping[str, Any]],
    _: Words,
    until: Moment | None = None,
) -> Markup:
    """A dot per message on a time axis (inbound above, outbound below); silences of
    the client longer than ``SILENCE_FACTOR`` x their median inbound gap shaded."""
    if not messages:
        return _empty(_("No messages."))
    height = 150
    # Each time converted once: the axis works in seconds, the titles in days.
    stamps = [seconds(m["sent_at"]) for m in messages]
    sent = [
        (datetime.fromtimestamp(at, UTC), m["direction"], m.get("channel") or "")
        for m, at in zip(messages, stamps, strict=True)
    ]
    end = _aware(until) if until is not None else None
    last = max(t for t, _, _ in sent)
    if end is None or end < last:
        end = last
    inbound = [t for t, d, _ in sent if d == "inbound"]
    usual, quiet = silences(inbound, end)
    first = min(t for t, _, _ in sent)
    frame = _Frame(seconds(first), seconds(end + timedelta(seconds=1)), 0.0, 1.0, height)
    lanes = {"inbound": frame.y(0.72), "outbound": frame.y(0.28)}
    lanes_named = {"inbound": _("Client"), "outbound": _("Us")}
    body: list[str] = []
    for gap in quiet:
        x0 = frame.x(gap.start)
        x1 = frame.x(gap.end if gap.end is not None else end)
        text = _("Silence of {days} days from {start}").format(
            days=_.number(gap.days), start=_.day(gap.start)
        )
        body.append(
            f'<rect class="silence" x="{x0:.1f}" y="{TOP}" width="{max(x1 - x0, 2):.1f}" '
            f'height="{height - TOP - BOTTOM}" fill="{COLORS["silence"]}" fill-opacity="0.8">'
            f"<title>{escape(text)}</title></rect>"
        )
    body.extend(_month_ticks(frame, _))
    for direction, y in lanes.items():
        body.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#cbd5e1"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#475569">{escape(lanes_named[direction])}</text>'
        )
    for (t, direction, channel), at in zip(sent, stamps, strict=True):
        y = lanes.get(direction, lanes["outbound"])
        body.append(
            f'<circle cx="{frame.x(at):.1f}" cy="{y:.1f}" r="3.5" '
            f'fill="{COLORS.get(direction, COLORS["outbound"])}" fill-opacity="0.7">'
            f"<title>{_.day(t.date())} {escape(channel)}</title></circle>"
        )
    desc = _(
        "{inbound} messages from the client, {outbound} to them; "
        "usual gap {usual} days; {silences} silences marked.",
        inbound=len(inbound),
        outbound=len(sent) - len(inbound),
        usual=_.number(usual, 1) if usual is not None else "-",
        silences=len(quiet),
    )
    svg = _svg("chart-rhythm", _("Message rhythm"), desc, body, height)
    return svg + _legend(
        [
            (_("Client"), COLORS["inbound"], "dot"),
            (_("Us"), COLORS["outbound"], "dot"),
            (
                _(
                    "Silence: no client message for over {factor}× their usual gap ({usual} days)"
                ).format(
                    factor=_.number(SILENCE_FACTOR),
                    usual=_.number(usual, 1) if usual is not None else "-",
                ),
                COLORS["silence"],
                "band",
            ),
        ]
    )
