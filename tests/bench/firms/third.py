# ruff: noqa: B905, E501, E741, N806
"""A third, independent synthetic firm: "Lindqvist & Haber", a brand and
marketing agency in Hamburg and London with mostly English and some German
clients. Writes an export bundle per /work/shared/DATA_CONTRACT.md.

Causal story (kept here only; reports about this generator stay blind to it):

* Every client carries a latent satisfaction ``sat`` (AR(1) around a client
  base level with monthly noise). It is pushed down by delivery trouble
  (a project running past its planned end because of scope creep), by slow
  replies of the account lead (a per-lead latency, observable as reply lags),
  by its own recent disputes, and by unannounced shocks (the client's champion
  leaves; half of the time a message says so).
* Scope creep is a hidden per-project hour multiplier. On time-and-materials
  projects it makes the monthly invoices run above the budget pace and the
  cumulated billing past the budget; on every project it makes the hours burn
  ahead of the reported percent complete, and the project overruns its end.
* A dispute on an invoice is more likely when the T&M invoice is large against
  the budget pace, when billing has passed the budget, when ``sat`` is low and
  for price-sensitive clients; a few disputes come out of nowhere. About half
  of disputes are announced by an inbound billing question a few days before.
* Low ``sat`` lowers inbound engagement, raises negative tone and lowers
  survey scores, and slows payments. A client with low ``sat`` may enter a
  vendor review (sometimes announced in a message); a review multiplies the
  churn hazard. Disputes, having no running project and late payments add to
  it. A small hazard of silent churn (budget cut, acquisition) has no warning.
* After churn there is no activity except payment of earlier invoices.
"""

from __future__ import annotations

import pathlib

import numpy as np
import pandas as pd

from tests.bench.firms.toolkit import (
    DISPUTE_DAYS,
    ClientDays,
    concat_records,
    dispute_risk,
    held_hazard_churn,
    iso_dates,
    main,
    month_starts,
    oracle_frame,
    sigmoid,
    write_table,
)

START = np.datetime64("2024-01-01", "D")
ROLES = np.array(
    ["Partner", "Creative Director", "Strategist", "Designer", "Copywriter", "Account Executive"]
)
RATES = np.array([240.0, 190.0, 150.0, 120.0, 110.0, 95.0])
INDUSTRIES = [
    "Retail",
    "Consumer Goods",
    "Automotive",
    "Fintech",
    "Healthcare",
    "Travel",
    "Energy",
    "Food & Beverage",
    "Software",
    "Education",
    "Logistics",
    "Fashion",
]
SYL = [
    "nor",
    "vel",
    "ast",
    "bri",
    "kon",
    "mar",
    "tis",
    "lum",
    "hav",
    "ore",
    "quin",
    "sol",
    "tra",
    "wen",
    "dal",
    "fer",
    "gro",
    "ix",
    "ber",
    "lin",
]
FIRST = [
    "anna",
    "ben",
    "clara",
    "david",
    "eva",
    "felix",
    "greta",
    "hugo",
    "ines",
    "jonas",
    "kate",
    "liam",
    "maria",
    "nils",
    "olivia",
    "paul",
    "ruth",
    "sam",
    "tom",
    "uta",
]
LAST = ["meyer", "smith", "schulz", "brown", "keller", "jones", "wagner", "taylor", "koch", "evans"]

T = {  # group -> (english templates, german templates); {p} = project name
    "pos": (
        [
            "Thanks, the new {p} concepts look great. Team loved them!",
            "Great session today - really happy with where {p} is heading.",
            "Quick note: the campaign numbers are up, nice work on {p}.",
            "Approved. Please go ahead with the next round, thanks!",
            'Love the "hero" visual, exactly what we had in mind.',
        ],
        [
            "Danke, die neuen Entwürfe für {p} gefallen uns sehr gut!",
            "Super Termin heute, wir sind sehr zufrieden mit {p}.",
            "Freigegeben, bitte macht so weiter. Vielen Dank!",
            "Die Kampagnenzahlen sehen gut aus, tolle Arbeit.",
        ],
    ),
    "neu": (
        [
            "Can you send the latest timeline for {p}?",
            "Please find attached the brand guidelines, v3.",
            "Who will join the workshop on Thursday?",
            "We need the assets in 16:9 and 1:1, please.\nDeadline is Friday.",
            "Forwarding the legal feedback on the copy, see below.",
        ],
        [
            "Könnt ihr uns den aktuellen Zeitplan für {p} schicken?",
            "Anbei die überarbeiteten Markenrichtlinien.",
            "Wer nimmt am Workshop am Donnerstag teil?",
            "Bitte die Motive auch im Format 1:1 liefern.\nDanke und Gruß",
        ],
    ),
    "neg": (
        [
            "Honestly, we're disappointed with the last delivery on {p}.",
            "This is the third time the deadline slipped. Not acceptable.",
            "The drafts missed the brief, again. We need to talk.",
            "We haven't heard back in days - what is going on with {p}?",
            "Quality has dropped noticeably, and my team is frustrated.",
        ],
        [
            "Ehrlich gesagt sind wir mit der letzten Lieferung zu {p} unzufrieden.",
            "Schon wieder ist der Termin verschoben worden. So geht das nicht.",
            "Die Entwürfe treffen das Briefing nicht. Wir müssen reden.",
            "Seit Tagen keine Antwort - was ist los mit {p}?",
        ],
    ),
    "billq": (
        [
            "Quick question on the latest invoice: the hours look high, can you break them down?",
            "Why is the invoice for {p} so much higher than last month?",
            "Our finance team flagged the invoice, it exceeds what we budgeted.",
        ],
        [
            "Kurze Frage zur letzten Rechnung: die Stunden erscheinen hoch, bitte aufschlüsseln.",
            "Warum ist die Rechnung für {p} deutlich höher als im Vormonat?",
            "Unsere Buchhaltung hat die Rechnung beanstandet, sie übersteigt das Budget.",
        ],
    ),
    "disp": (
        [
            "We dispute invoice for {p}. These hours were never agreed.",
            "We will not pay this invoice as it stands. Please issue a credit note.",
        ],
        [
            "Wir widersprechen der Rechnung zu {p}. Diese Stunden waren nicht vereinbart.",
            "Diese Rechnung werden wir so nicht begleichen. Bitte Gutschrift ausstellen.",
        ],
    ),
    "review": (
        [
            "Heads-up: procurement has started a review of all our agency partners.",
            "We're re-evaluating our marketing spend for next year, incl. agencies.",
            "Management asked us to compare offers from other agencies.",
        ],
        [
            "Zur Info: Der Einkauf überprüft derzeit alle Agenturpartner.",
            "Wir stellen unser Marketingbudget fürs nächste Jahr auf den Prüfstand.",
            "Die Geschäftsführung möchte Angebote anderer Agenturen vergleichen.",
        ],
    ),
    "champ": (
        [
            "I'm leaving the company at the end of the month; my successor will be in touch.",
            "Please note our head of marketing has left, new contact to follow.",
        ],
        [
            "Ich verlasse das Unternehmen Ende des Monats, meine Nachfolge meldet sich.",
            "Unsere Marketingleitung hat das Unternehmen verlassen.",
        ],
    ),
    "upd": (
        [
            "Weekly status for {p}: design round 2 done, copy in review.",
            "Attached: the updated timeline and next steps for {p}.",
            "Sharing the monthly performance report, highlights inside.",
            "Reminder: feedback on the storyboards by Wednesday, please.",
        ],
        [
            "Wochenstatus {p}: Designrunde 2 fertig, Texte in Abstimmung.",
            "Anbei der aktualisierte Zeitplan und die nächsten Schritte für {p}.",
            "Hier der monatliche Performance-Report, die Highlights im Anhang.",
        ],
    ),
    "reply": (
        [
            "Thanks for your message, we're on it.",
            "Noted - will get back to you by tomorrow.",
            "Sure, attached as requested.",
            "Apologies for the delay, here's the update on {p}.",
        ],
        [
            "Danke für die Nachricht, wir kümmern uns.",
            "Notiert, wir melden uns bis morgen.",
            "Gerne, anbei wie gewünscht.",
            "Entschuldigung für die Verzögerung, hier das Update zu {p}.",
        ],
    ),
    "call": (
        [
            "Call: walked through the {p} roadmap, client happy with direction.",
            "Call notes: client asked about scope, agreed to follow up, budget tight.",
            "Meeting, 45 min: reviewed KPIs, discussed Q3 plans",
        ],
        [
            "Telefonat: {p} Roadmap besprochen, Kunde zufrieden.",
            "Notizen: Kunde fragt nach Umfang, Budget knapp, Follow-up vereinbart.",
            "Termin 45 Min.: KPIs, Planung Q3",
        ],
    ),
    "svpos": (
        ["Great team, very responsive.", "Creative quality is excellent.", ""],
        ["Tolles Team, sehr zuverlässig.", "Sehr gute kreative Qualität.", ""],
    ),
    "svneg": (
        ["Too slow, too expensive.", "Communication needs to improve, invoices are confusing.", ""],
        ["Zu langsam und zu teuer.", "Kommunikation und Abrechnung unklar.", ""],
    ),
}
MILESTONES = [
    "Kick-off",
    "Brand audit",
    "Concept presentation",
    "Design round",
    "Campaign launch",
    "Website go-live",
    "Content batch",
    "Final delivery",
]
REASONS = [
    "budget cut",
    "moved in-house",
    "switched agency",
    "unhappy with delivery",
    "billing disagreements",
    "acquired",
    "",
]


def _texts(rng, groups, langs, pnames):
    out = []
    r = rng.random(len(groups))
    for g, l, p, u in zip(groups, langs, pnames, r):
        lst = T[g][1 if l == "de" else 0]
        out.append(
            lst[int(u * len(lst))].format(p=p or ("das Projekt" if l == "de" else "the project"))
        )
    return out


def _ts(days, secs):
    t = days.astype("datetime64[s]") + secs.astype("timedelta64[s]")
    return np.datetime_as_string(t, unit="s").astype(object) + "Z"


def make_bundle(out: pathlib.Path, clients: int = 1000, months: int = 24, seed: int = 0) -> None:
    _write_bundle(out, clients, months, seed)


def _write_bundle(out, clients, months, seed, oracle=None):
    """make_bundle's work. ``oracle`` (risk_oracle only) collects the churn terms
    of each month and every invoice's dispute odds; it reads the state and draws
    nothing. Returns what risk_oracle needs besides."""
    rng = np.random.default_rng(seed)
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    n = clients
    END = (np.datetime64("2024-01", "M") + months).astype("datetime64[D]")  # export day (exclusive)
    span = (END - START).astype(int)

    # ---------------- clients
    cid = np.array([f"LH-{i:05d}" for i in range(n)], dtype=object)
    lang = np.where(rng.random(n) < 0.3, "de", "en")
    nm = [
        (
            "".join(rng.choice(SYL, 2)).capitalize()
            + (" GmbH" if l == "de" else rng.choice([" Ltd", " Inc", " plc", " Group"]))
        )
        for l in lang
    ]
    leads = np.array([f"{f}.{s}@lindqvist-haber.com" for f, s in zip(FIRST[:12], LAST * 2)])
    lead_lag = rng.lognormal(np.log(5), 0.7, len(leads))  # hours, per lead
    lead = rng.integers(0, len(leads), n)
    new = rng.random(n) < 0.25
    since = np.where(
        new, START + rng.integers(0, max(span - 30, 1), n), START - rng.integers(30, 2500, n)
    ).astype("datetime64[D]")
    base = rng.normal(0.3, 0.7, n)
    sat = base + rng.normal(0, 0.5, n)
    price = rng.normal(0, 1, n)
    habit = rng.gamma(1.5, 4, n) - 3  # mean days past due
    size = rng.lognormal(np.log(9000), 0.7, n)  # monthly spend scale
    contact = np.array(
        [f"{rng.choice(FIRST).capitalize()} {rng.choice(LAST).capitalize()}" for _ in range(n)]
    )

    # ---------------- projects (chains per slot)
    nslot = 1 + (size > 12000) + (size > 25000)
    sc = np.repeat(np.arange(n), nslot)
    st0 = np.where(
        since[sc] >= START,
        since[sc] + rng.integers(0, 20, len(sc)),
        np.maximum(since[sc], START - rng.integers(0, 200, len(sc))),
    ).astype("datetime64[D]")
    P = {k: [] for k in ["c", "start", "pm", "model", "dur"]}
    cur, live = st0.copy(), np.ones(len(sc), bool)
    while live.any():
        idx = np.nonzero(live)[0]
        model = rng.choice(
            np.array(["fixed_fee", "time_and_materials", "retainer"]), len(idx), p=[0.4, 0.4, 0.2]
        )
        dur = np.where(model == "retainer", 12, rng.integers(2, 10, len(idx)))
        P["c"].append(sc[idx])
        P["start"].append(cur[idx])
        P["model"].append(model)
        P["dur"].append(dur)
        P["pm"].append(rng.integers(0, len(leads), len(idx)))
        cur[idx] = cur[idx] + dur * 30 + rng.geometric(0.35, len(idx)) * 20 - 20
        live &= cur < END
    pc = np.concatenate(P["c"])
    pstart = np.concatenate(P["start"])
    pmodel = np.concatenate(P["model"])
    pdur = np.concatenate(P["dur"])
    ppm = np.concatenate(P["pm"])
    pm_lead = rng.random(len(pc)) < 0.5
    ppm = np.where(pm_lead, lead[pc], ppm)
    NP = len(pc)
    pid = np.array([f"P{i + 1000}" for i in range(NP)], dtype=object)
    pname = np.array(
        [
            f"{rng.choice(['Spring', 'Rebrand', 'Launch', 'Always-on', 'Website', 'Social', 'Q4'])} "
            f"{rng.choice(['Campaign', 'Refresh', 'Content', 'Identity', 'Retainer', 'Relaunch'])}"
            for _ in range(NP)
        ],
        dtype=object,
    )
    pend = pstart + pdur * 30 - 1
    blend = 140.0
    H = size[pc] / blend * rng.lognormal(0, 0.3, NP)  # planned hours / month
    budget = np.round(H * pdur * blend, -2).clip(500)
    creep = np.where(
        rng.random(NP) < 0.18, rng.lognormal(0.45, 0.2, NP), rng.lognormal(0.02, 0.08, NP)
    )
    creep = np.where(pmodel == "retainer", 1.0, creep)
    total = H * pdur * creep
    pace = H * (1 + 0.5 * (creep - 1))
    k = rng.integers(1, 5, NP)
    staff_role = rng.choice(len(ROLES), 90, p=[0.06, 0.1, 0.2, 0.28, 0.2, 0.16])
    staff_nm = np.array(
        [f"{FIRST[i % 20].capitalize()} {LAST[(i * 7) % 10].capitalize()}" for i in range(90)]
    )
    team = rng.integers(0, 90, (NP, 4))
    opt = rng.uniform(0, 0.25, NP)
    # projects already running at START: pretend the elapsed part is done
    el = np.clip((START - pstart).astype(int), 0, None) / 30.0
    cum = np.minimum(pace * el, total * 0.95)
    cumbill = np.where(pmodel == "time_and_materials", cum * blend, budget * cum / total)
    closed = np.full(NP, np.datetime64("NaT"), "datetime64[D]")
    closed[(pstart < START) & (cum >= total * 0.95) & (el > 0)] = START  # finished at boundary
    lastpct = np.round(cum / total * 100 * (1 + opt)).clip(0, 99)
    tnm_recorded = rng.random(n) < 0.6

    NAT = np.datetime64("NaT", "D")
    churn = np.full(n, NAT, "datetime64[D]")
    reason = np.full(n, "", object)
    review = np.zeros(n, bool)
    drec = np.zeros(n)  # recent disputes (decaying)
    late = np.zeros(n)
    TE, PR, INV, MS = [], [], [], []

    def msgs(ci, days, secs, ch, dirn, groups, pj, author=None, score=None):
        if len(ci) == 0:
            return
        pn = np.where(pj >= 0, pname[np.maximum(pj, 0)], "")
        MS.append(
            pd.DataFrame(
                {
                    "client_id": cid[ci],
                    "project_id": np.where(pj >= 0, pid[np.maximum(pj, 0)], ""),
                    "_d": days,
                    "sent_at": _ts(days, secs),
                    "channel": ch,
                    "direction": dirn,
                    "text": _texts(rng, groups, lang[ci], pn),
                    "author": author
                    if author is not None
                    else np.where(dirn == "inbound", contact[ci], leads[lead[ci]]),
                    "score": score if score is not None else np.full(len(ci), np.nan),
                }
            )
        )

    for m in range(months):
        ms = (np.datetime64("2024-01", "M") + m).astype("datetime64[D]")
        me = (np.datetime64("2024-01", "M") + m + 1).astype("datetime64[D]")  # exclusive
        nd = (me - ms).astype(int)
        days = ms + np.arange(nd)
        bus = np.is_busday(days)
        # churn decision for this month
        alive = np.isnat(churn) & (since < me)
        act_c = np.zeros(n)
        running = (pstart < me) & np.isnat(closed) & (pstart <= pend + 400)
        np.add.at(act_c, pc[running], 1)
        if oracle is not None:
            oracle["months"].append(
                {
                    "sat": sat.copy(),
                    "review": review.copy(),
                    "drec": drec.copy(),
                    "idle": act_c == 0,
                    "late": late.copy(),
                }
            )
        if m > 0:
            logit = (
                -6.7
                - 1.1 * sat
                + 2.0 * review
                + 0.7 * np.minimum(drec, 2)
                + 0.8 * (act_c == 0)
                + 0.4 * late
            )
            haz = sigmoid(logit) + 0.0035
            ch_now = alive & (since < ms - 60) & (rng.random(n) < haz)
            churn[ch_now] = ms + rng.integers(0, nd, ch_now.sum())
            r = np.where(
                review[ch_now], rng.integers(0, 5, ch_now.sum()), rng.integers(0, 7, ch_now.sum())
            )
            reason[ch_now] = np.array(REASONS, object)[r]
        limit = np.where(np.isnat(churn), me, np.minimum(churn, me))
        alive_m = (since < me) & (np.isnat(churn) | (churn > ms))
        # -------- projects active this month
        A = np.nonzero(running & alive_m[pc])[0]
        lo = np.maximum(pstart[A], ms)
        hi = np.minimum(limit[pc[A]], me)
        A, lo, hi = A[hi > lo], lo[hi > lo], hi[hi > lo]
        frac = (hi - lo).astype(int) / nd
        hrs = pace[A] * frac * rng.lognormal(0, 0.15, len(A))
        fin = cum[A] + hrs >= total[A]
        ret_end = (pmodel[A] == "retainer") & (pend[A] < hi)
        hrs = np.where(fin, total[A] - cum[A], hrs)
        cl = np.where(
            fin,
            lo
            + np.ceil(
                (hi - lo).astype(int) * np.clip(hrs / np.maximum(pace[A] * frac, 1e-9), 0, 1)
            ).astype(int),
            np.where(ret_end, np.maximum(pend[A], lo), NAT),
        )
        cl = np.where(fin | ret_end, np.minimum(cl.astype("datetime64[D]"), hi - 1), NAT).astype(
            "datetime64[D]"
        )
        chn = ~np.isnat(churn[pc[A]]) & (churn[pc[A]] < me)
        cl = np.where(np.isnat(cl) & chn, churn[pc[A]], cl).astype("datetime64[D]")
        hi2 = np.where(np.isnat(cl), hi, np.minimum(hi, cl + 1))
        # time entries: grid project x slot x day
        dd = days[None, :]
        inr = (dd >= lo[:, None]) & (dd < hi2[:, None]) & bus[None, :]
        grid = (
            inr[:, None, :]
            & (np.arange(4)[None, :, None] < k[A][:, None, None])
            & (rng.random((len(A), 4, nd)) < 0.65)
        )
        ia, sl, di = np.nonzero(grid)
        w = rng.gamma(3, 1, len(ia))
        ws = np.bincount(ia, w, len(A))
        h = np.round(hrs[ia] * w / np.maximum(ws[ia], 1e-9) * 4) / 4
        h = np.clip(h, 0.25, 10)
        hrs_real = np.bincount(ia, h, len(A))
        hrs = np.where(np.bincount(ia, minlength=len(A)) > 0, hrs_real, 0)
        person = team[A[ia], sl]
        billable = rng.random(len(ia)) > 0.08
        amt = np.round(np.where(billable, h * RATES[staff_role[person]], 0), 2)
        pj = A[ia]
        cum_before = cum[A].copy()
        cum[A] += hrs
        closed[A] = cl
        # invoices
        bill_tm = np.bincount(ia, amt, len(A))
        mdl = pmodel[A]
        truepct = np.clip(cum[A] / total[A], 0, 1)
        amount = np.where(
            mdl == "time_and_materials",
            bill_tm,
            np.where(
                mdl == "retainer",
                budget[A] / pdur[A] * frac,
                np.minimum(budget[A] * (truepct - cum_before / total[A]), budget[A] - cumbill[A]),
            ),
        )
        amount = np.round(amount, 2)
        nominal = me + rng.integers(0, 5, len(A))
        issue = np.where(chn, churn[pc[A]], nominal).astype("datetime64[D]")
        ok = (amount >= 50) & (issue < END)
        expected = H[A] * blend * frac
        over = np.where(
            mdl == "time_and_materials", np.maximum(amount / np.maximum(expected, 1) - 1, 0), 0
        )
        past_budget = (cumbill[A] + amount > budget[A] * 1.02) & (mdl == "time_and_materials")
        cumbill[A] += np.where(ok, amount, 0)
        c_of = pc[A]
        dl = -4.2 + 1.6 * over + 1.2 * past_budget - 0.7 * sat[c_of] + 0.4 * price[c_of]
        disp = ok & (rng.random(len(A)) < sigmoid(dl) + 0.006)
        dat = (issue + rng.integers(2, 26, len(A))).astype("datetime64[D]")
        dat = np.where(disp & (dat < END), dat, NAT).astype("datetime64[D]")
        disp = ~np.isnat(dat)
        if oracle is not None:
            oracle["invoices"].append(
                {
                    "client": c_of[ok],
                    "step": np.full(ok.sum(), m),
                    "issue": nominal[ok].astype("datetime64[D]"),
                    "logit": dl[ok],
                    "disp_day": dat[ok],
                }
            )
        terms = np.where(lang[c_of] == "de", 14, 30)
        due = issue + terms
        delay = habit[c_of] + 8 * np.maximum(-sat[c_of], 0) + rng.normal(0, 4, len(A))
        delay = np.where(disp, delay + rng.uniform(20, 70, len(A)), delay)
        paid = (due + np.round(delay).astype(int)).astype("datetime64[D]")
        paid = np.maximum(paid, issue + 1)
        never = (
            (disp & (rng.random(len(A)) < 0.25))
            | (chn & (rng.random(len(A)) < 0.2))
            | (paid >= END)
        )
        paid = np.where(never, NAT, paid).astype("datetime64[D]")
        nli = np.where(
            mdl == "time_and_materials",
            np.bincount(ia, minlength=len(A)),
            rng.integers(1, 4, len(A)),
        )
        rec = np.isin(mdl, ["time_and_materials"]) & tnm_recorded[c_of]
        inv_seq = sum(len(x) for x in INV)
        oi = np.nonzero(ok)[0]
        inv_ids = np.array([f"INV-{inv_seq + j + 1:07d}" for j in range(len(oi))], dtype=object)
        inv_of = np.full(len(A), "", object)
        inv_of[oi] = inv_ids
        INV.append(
            pd.DataFrame(
                {
                    "invoice_id": inv_ids,
                    "client_id": cid[c_of[oi]],
                    "project_id": pid[A[oi]],
                    "issued_at": issue[oi],
                    "due_at": due[oi],
                    "amount": amount[oi],
                    "paid_at": paid[oi],
                    "disputed_at": dat[oi],
                    "line_items": nli[oi],
                    "period_start": lo[oi],
                    "period_end": (hi2[oi] - 1),
                }
            )
        )
        TE.append(
            pd.DataFrame(
                {
                    "project_id": pid[pj],
                    "worked_on": days[di],
                    "hours": h,
                    "billable": np.where(billable, "true", "false"),
                    "amount": amt,
                    "person": staff_nm[person],
                    "role": ROLES[staff_role[person]],
                    "invoice_id": np.where(rec[ia] & billable, inv_of[ia], ""),
                }
            )
        )
        # progress reports: 1-2 per month, plus a final one at close
        nrep = rng.integers(1, 3, len(A))
        rp = np.repeat(np.arange(len(A)), nrep)
        rday = lo[rp] + (rng.random(len(rp)) * (hi2[rp] - lo[rp]).astype(int)).astype(int)
        pct_r = np.clip(np.round(truepct[rp] * 100 * (1 + opt[A[rp]])), 0, 99)
        done = ~np.isnat(cl)
        rp = np.concatenate([rp, np.nonzero(done)[0]])
        rday = np.concatenate([rday, cl[done]]).astype("datetime64[D]")
        pct_r = np.concatenate([pct_r, np.full(done.sum(), 100.0)])
        pct_r = np.where(
            np.isin(np.arange(len(rp)), np.arange(len(rp) - done.sum(), len(rp))) & chn[rp],
            np.clip(np.round(truepct[rp] * 100), 0, 100),
            pct_r,
        )
        o = np.lexsort((rday, rp))
        rp, rday, pct_r = rp[o], rday[o], pct_r[o]
        prev = lastpct[A[rp]]
        # monotone per project
        s = pd.Series(pct_r).groupby(rp).cummax().to_numpy()
        pct_r = np.maximum(s, prev)
        lastpct[A] = np.maximum(
            lastpct[A],
            pd.Series(pct_r).groupby(rp).max().reindex(range(len(A))).fillna(0).to_numpy(),
        )
        ms_txt = np.where(
            rng.random(len(rp)) < 0.4, np.array(MILESTONES, object)[rng.integers(0, 7, len(rp))], ""
        )
        ms_txt = np.where(pct_r >= 100, "Final delivery", ms_txt)
        PR.append(
            pd.DataFrame(
                {
                    "project_id": pid[A[rp]],
                    "reported_at": rday,
                    "percent_complete": pct_r,
                    "milestone": ms_txt,
                }
            )
        )
        # -------- client-level aggregates for the month
        delay_f = np.zeros(n)
        np.add.at(delay_f, c_of, (hi > pend[A]) & (creep[A] > 1.2))
        overc = np.zeros(n)
        np.add.at(overc, c_of, over * ok)
        dnew = np.zeros(n)
        np.add.at(dnew, c_of, disp)
        # -------- messages
        C = np.nonzero(alive_m)[0]
        clo = np.maximum(since[C], ms)
        cspan = np.maximum((limit[C] - clo).astype(int), 1)
        # one project per client for tagging (random active one)
        tag = np.full(n, -1)
        sh = rng.permutation(len(A))
        tag[c_of[sh]] = A[sh]
        lam_in = (0.8 + 2.2 * act_c[C]) * np.exp(0.35 * sat[C])
        nin = rng.poisson(lam_in)
        ci = np.repeat(C, nin)
        dday = np.repeat(clo, nin) + (rng.random(len(ci)) * np.repeat(cspan, nin)).astype(int)
        secs = rng.integers(7 * 3600, 19 * 3600, len(ci))
        chan = rng.choice(
            np.array(["email", "chat", "call", "meeting", "portal", "thread"]),
            len(ci),
            p=[0.42, 0.2, 0.12, 0.1, 0.1, 0.06],
        )
        pneg = sigmoid(-2.2 - 1.3 * sat[ci] + 0.6 * np.minimum(delay_f[ci], 2) + 0.5 * overc[ci])
        ppos = sigmoid(-0.6 + 0.9 * sat[ci])
        u = rng.random(len(ci))
        grp = np.where(u < pneg, "neg", np.where(u < pneg + (1 - pneg) * ppos, "pos", "neu"))
        grp = np.where(np.isin(chan, ["call", "meeting"]), "call", grp)
        pj_in = np.where(rng.random(len(ci)) < 0.7, tag[ci], -1)
        msgs(ci, dday, secs, chan, np.full(len(ci), "inbound"), grp, pj_in)
        empty_call = (chan == "call") & (rng.random(len(ci)) < 0.3)
        if len(MS):
            MS[-1].loc[empty_call, "text"] = ""
        # replies with per-lead latency
        rep = np.isin(chan, ["email", "chat", "portal", "thread"]) & (rng.random(len(ci)) < 0.85)
        lag = (
            rng.exponential(lead_lag[lead[ci[rep]]] * (1 + 0.5 * (act_c[ci[rep]] > 2))) * 3600 + 300
        )
        tsec = secs[rep] + lag.astype(int)
        msgs(
            ci[rep],
            dday[rep] + tsec // 86400,
            tsec % 86400,
            chan[rep],
            np.full(rep.sum(), "outbound"),
            np.full(rep.sum(), "reply"),
            pj_in[rep],
        )
        # proactive updates
        nout = rng.poisson(1.2 * act_c[C] + 0.2)
        co = np.repeat(C, nout)
        od = np.repeat(clo, nout) + (rng.random(len(co)) * np.repeat(cspan, nout)).astype(int)
        msgs(
            co,
            od,
            rng.integers(8 * 3600, 18 * 3600, len(co)),
            rng.choice(np.array(["email", "portal", "chat"]), len(co), p=[0.6, 0.3, 0.1]),
            np.full(len(co), "outbound"),
            np.full(len(co), "upd"),
            tag[co],
        )
        # quarterly survey
        if m % 3 == 2:
            sv = C[rng.random(len(C)) < 0.45]
            score = np.clip(np.round(7 + 1.6 * sat[sv] + rng.normal(0, 1.3, len(sv))), 0, 10)
            sd = np.maximum(since[sv], ms) + rng.integers(0, 10, len(sv))
            msgs(
                sv,
                sd,
                rng.integers(0, 86400, len(sv)),
                np.full(len(sv), "survey"),
                np.full(len(sv), "inbound"),
                np.where(score >= 7, "svpos", "svneg"),
                np.full(len(sv), -1),
                score=score,
            )
        # billing questions and dispute notes
        qi = oi[
            (disp[oi] & (rng.random(len(oi)) < 0.5)) | (~disp[oi] & (rng.random(len(oi)) < 0.03))
        ]
        qd = np.where(
            disp[qi],
            np.maximum(dat[qi] - rng.integers(1, 6, len(qi)), issue[qi]),
            issue[qi] + rng.integers(1, 20, len(qi)),
        ).astype("datetime64[D]")
        msgs(
            c_of[qi],
            qd,
            rng.integers(8 * 3600, 18 * 3600, len(qi)),
            np.full(len(qi), "email"),
            np.full(len(qi), "inbound"),
            np.full(len(qi), "billq"),
            A[qi],
        )
        di2 = np.nonzero(disp & (rng.random(len(A)) < 0.6))[0]
        msgs(
            c_of[di2],
            dat[di2],
            rng.integers(8 * 3600, 18 * 3600, len(di2)),
            rng.choice(np.array(["email", "portal"]), len(di2)),
            np.full(len(di2), "inbound"),
            np.full(len(di2), "disp"),
            A[di2],
        )
        # -------- latent state update
        shock = alive_m & (rng.random(n) < 0.015)
        sm = shock & (rng.random(n) < 0.5)
        s_i = np.nonzero(sm)[0]
        msgs(
            s_i,
            np.maximum(since[s_i], ms) + rng.integers(0, 20, len(s_i)),
            rng.integers(8 * 3600, 18 * 3600, len(s_i)),
            np.full(len(s_i), "email"),
            np.full(len(s_i), "inbound"),
            np.full(len(s_i), "champ"),
            np.full(len(s_i), -1),
        )
        slow = (lead_lag[lead] > 10).astype(float)
        sat = (
            0.8 * sat
            + 0.2 * base
            + rng.normal(0, 0.3, n)
            - 0.35 * np.minimum(delay_f, 2)
            - 0.25 * slow
            - 0.5 * np.minimum(dnew, 2)
            - 0.2 * np.minimum(overc, 3)
            - 1.4 * shock
        )
        drec = 0.6 * drec + dnew
        late = 0.7 * late + 0.3 * (habit + 8 * np.maximum(-sat, 0) > 12)
        enter = alive_m & ~review & (rng.random(n) < sigmoid(-4.2 - 1.5 * sat))
        review = (review | enter) & ~(rng.random(n) < 0.25 * (sat > 0.3))
        e_i = np.nonzero(enter & (rng.random(n) < 0.55))[0]
        msgs(
            e_i,
            np.maximum(since[e_i], ms) + rng.integers(0, 25, len(e_i)),
            rng.integers(8 * 3600, 18 * 3600, len(e_i)),
            rng.choice(np.array(["email", "meeting", "call"]), len(e_i)),
            np.full(len(e_i), "inbound"),
            np.full(len(e_i), "review"),
            np.full(len(e_i), -1),
        )

    # ---------------- assemble, drop anything after churn / before start / after export
    c_idx = {c: i for i, c in enumerate(cid)}
    cut = np.where(np.isnat(churn), END - 1, churn)
    clients_df = pd.DataFrame(
        {
            "client_id": cid,
            "name": nm,
            "account_lead": leads[lead],
            "client_since": iso_dates(since),
            "industry": rng.choice(INDUSTRIES, n),
            "language": lang,
        }
    )
    write_table(clients_df, out, "clients")
    keep = pstart < np.minimum(cut[pc], END - 1) + 1
    keep &= np.isnat(closed) | (closed >= pstart)
    pdf = pd.DataFrame(
        {
            "project_id": pid,
            "client_id": cid[pc],
            "name": pname,
            "pm": leads[ppm],
            "billing_model": pmodel,
            "budget": budget,
            "start_date": iso_dates(pstart),
            "end_date": iso_dates(pend),
            "closed_at": iso_dates(np.where(closed < END, closed, NAT)),
        }
    )[keep]
    write_table(pdf, out, "projects")
    pcut = pd.Series(cut[pc], index=pid)
    kept = set(pdf.project_id)

    def clip_proj(df, col):
        d = pd.to_datetime(df[col]).to_numpy().astype("datetime64[D]")
        lim = pcut.reindex(df.project_id).to_numpy().astype("datetime64[D]")
        return df[(d <= lim) & (d < END) & df.project_id.isin(kept)]

    te = clip_proj(pd.concat(TE, ignore_index=True), "worked_on")
    te.insert(0, "entry_id", [f"TE{i:08d}" for i in range(1, len(te) + 1)])
    te = te.assign(worked_on=iso_dates(te.worked_on.to_numpy()))
    write_table(te, out, "time_entries")
    pr = clip_proj(pd.concat(PR, ignore_index=True), "reported_at")
    pr = pr.drop_duplicates(["project_id", "reported_at"], keep="last").sort_values(
        ["project_id", "reported_at"]
    )
    write_table(pr.assign(reported_at=iso_dates(pr.reported_at.to_numpy())), out, "progress")
    inv = pd.concat(INV, ignore_index=True)
    ccut = cut[inv.client_id.map(c_idx).to_numpy()]
    dd = inv.disputed_at.to_numpy().astype("datetime64[D]")
    inv.loc[~np.isnat(dd) & (dd > ccut), "disputed_at"] = NAT
    iss = inv.issued_at.to_numpy().astype("datetime64[D]")
    shift = np.maximum((iss - ccut).astype(int), 0)  # bill the last work on the day of notice
    inv["issued_at"] = iss - shift
    inv["due_at"] = inv.due_at.to_numpy().astype("datetime64[D]") - shift
    for col in ["issued_at", "due_at", "paid_at", "disputed_at", "period_start", "period_end"]:
        inv[col] = iso_dates(inv[col].to_numpy())
    write_table(inv, out, "invoices")
    msg = pd.concat(MS, ignore_index=True)
    ci = msg.client_id.map(c_idx).to_numpy()
    d = msg._d.to_numpy().astype("datetime64[D]")
    lsec = pd.to_datetime(msg.sent_at.str[:-1]).to_numpy().astype("datetime64[D]")
    msg = msg[(lsec <= cut[ci]) & (lsec >= since[ci]) & (lsec < END) & (d >= since[ci])]
    msg = msg.drop(columns="_d").sort_values("sent_at", kind="stable")
    msg.insert(0, "message_id", [f"M-{i:08d}" for i in range(1, len(msg) + 1)])
    write_table(msg, out, "messages")
    ch = ~np.isnat(churn) & (churn < END)
    churn_df = pd.DataFrame(
        {"client_id": cid[ch], "churned_at": iso_dates(churn[ch]), "reason": reason[ch]}
    )
    write_table(churn_df, out, "churn")
    return {"cid": cid, "since": since, "churn": churn, "habit": habit, "end": END}


def risk_oracle(
    out: pathlib.Path, clients: int = 1000, months: int = 24, seed: int = 0
) -> pd.DataFrame:
    """Write the same bundle as :func:`make_bundle` into ``out`` and return the firm's own
    risk of every client on every day it exists in the export (``tests.bench.firms``).

    Each value uses the simulation's own state on that day and none of the draws
    that decide whether and when an event happens after it. The simulation runs
    in months: a month's state counts as known from the month's first day, except
    that the state's reaction to a dispute counts only from the dispute's day
    (the simulation applies it when it decides the dispute). Invoices keep the
    issue day they would have had without a notice. ``dispute_risk`` runs over
    every invoice issued or due soon with the generator's own dispute probability
    and delay distribution; ``churn_risk`` holds the monthly hazard in force on
    ``day`` for the months after, with the eligibility rules applied month by month.
    """
    oracle: dict[str, list] = {"months": [], "invoices": []}
    st = _write_bundle(out, clients, months, seed, oracle)
    n = clients
    big = np.int64(10**9)
    since = st["since"].astype(np.int64)
    churn_day = np.where(np.isnat(st["churn"]), big, st["churn"].astype(np.int64))
    rows = ClientDays.between(
        np.maximum(since, START.astype(np.int64)),
        np.minimum(churn_day, (st["end"] - 1).astype(np.int64)),
    )

    inv = concat_records(oracle["invoices"])
    inv_issue = inv["issue"].astype(np.int64)
    inv_disp = np.where(np.isnat(inv["disp_day"]), big, inv["disp_day"].astype(np.int64))
    # Days of the disputes decided in each month, per client: table[client * months + month].
    dec = np.flatnonzero(inv_disp < big)
    key = inv["client"][dec] * months + inv["step"][dec]
    order = np.lexsort((inv_disp[dec], key))
    key, dday = key[order], inv_disp[dec][order]
    rank = np.arange(len(key)) - np.searchsorted(key, key)
    table = np.full((n * months + 1, max(int(rank.max(initial=0)) + 1, 1)), big)
    table[key, rank] = dday
    no_month = n * months  # an empty row: nothing decided before the first month

    def known(client: np.ndarray, month: np.ndarray, day: np.ndarray) -> tuple:
        """Disputes decided in the month before: all of them, and those dated by ``day``."""
        decided = table[np.where(month >= 1, client * months + month - 1, no_month)]
        return (decided < big).sum(axis=1), (decided <= day[:, None]).sum(axis=1)

    # Disputes: P(disputed and delay <= k) = pi * U{2..25}(k).
    def odds(i: np.ndarray, day: np.ndarray, lag: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        total, seen = known(inv["client"][i], inv["step"][i], day)
        logit = inv["logit"][i] - 0.35 * (np.minimum(total, 2) - np.minimum(seen, 2))
        pi = np.minimum(sigmoid(logit) + 0.006, 1.0)
        return pi * np.clip(lag - 1, 0, 24) / 24, pi * np.clip(lag + DISPUTE_DAYS - 1, 0, 24) / 24

    dispute = dispute_risk(rows, inv["client"], inv_issue, inv_disp, churn_day, odds, max_lag=25)

    # Churn: the month's hazard from the state known on the day, held; day uniform in month.
    terms = {k: np.stack([t[k] for t in oracle["months"]], axis=1) for k in oracle["months"][0]}
    month_start = month_starts(np.datetime64("2024-01", "M"), months + 8)
    m = np.searchsorted(month_start, rows.day, side="right") - 1
    c = rows.client
    total, seen = known(c, m, rows.day)
    lost = np.minimum(total, 2) - np.minimum(seen, 2)
    sat = terms["sat"][c, m] + 0.5 * lost
    drec = terms["drec"][c, m] - total + seen
    late_before = terms["late"][c, np.maximum(m - 1, 0)]
    fresh = 0.3 * (st["habit"][c] + 8 * np.maximum(-sat, 0) > 12)
    late = np.where(m >= 1, 0.7 * late_before + fresh, terms["late"][c, m])
    logit = (
        -6.7
        - 1.1 * sat
        + 2.0 * terms["review"][c, m]
        + 0.7 * np.minimum(drec, 2)
        + 0.8 * terms["idle"][c, m]
        + 0.4 * late
    )
    p = np.minimum(sigmoid(logit) + 0.0035, 1.0)
    since_c = since[c]
    # Notice from the second month on, and only from clients of more than 60 days.
    churn = held_hazard_churn(
        p, rows.day, m, month_start, lambda k: (k >= 1) & (since_c < month_start[k] - 60)
    )
    return oracle_frame(st["cid"], rows, churn_day, dispute, churn)


if __name__ == "__main__":
    main(make_bundle, __doc__)
