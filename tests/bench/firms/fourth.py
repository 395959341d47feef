# ruff: noqa: E501, SIM905
"""Fourth benchmark firm: "Brückenwerk Digital", a software development and IT services house.

An independent synthetic export bundle (see DATA_CONTRACT.md) used as a blind
judge of the project's models. Written without looking at how the project builds
its features or models; only the contract and the sample bundle's format were used.

The firm
--------
A German/English software house (web, shop and ERP integration projects, mobile
apps, cloud migrations, data platforms) with three billing models:

* fixed_fee: a statement of work billed in milestones (30 % kickoff, 40 % at the
  beta/acceptance milestone, 30 % at final acceptance), change requests billed
  separately when the client asks for more than the SOW.
* time_and_materials: billed monthly in arrears from the time sheets.
* retainer: application support / managed hosting / DevOps care with an hour
  allowance per month, billed monthly in advance, overage billed afterwards.

Clients are DACH (de) and UK/US/IE (en) firms in ten industries. Several PMs
(some of them service managers for the retainers) and account leads.

Causal story (design note)
--------------------------
Latent states, simulated month by month:

* Delivery health of each project (H). Pulled toward the PM's skill minus the
  project's technical complexity; knocked down when a key engineer leaves the
  firm (staff turnover is firm-wide, so one departure hurts several projects at
  once and a new name appears in the time sheets with non-billable onboarding)
  and when the PM is overloaded (too many concurrent projects). Poor health
  means rework (bug-fix hours), slower true progress, regressions, and clients
  who complain about quality. Some PMs bill the rework on T&M projects (the
  client pays for the firm's own bugs), others write it off.
* Scope creep. Fixed-fee and T&M projects gain scope at random. On a fixed fee
  the firm absorbs it (progress slows, the time value runs past the SOW and the
  excess is written off as non-billable) or raises a change request invoice;
  on T&M the hours simply run past the budget.
* PM optimism. Reported progress runs ahead of true progress (hump-shaped bias),
  stalls in the 90s, and is sometimes re-baselined downward when reality bites.
  True schedule slip drives "where is it?" complaints.
* Client budget pressure (B): an industry cycle (a few industries hit a
  downturn for some months) plus client-specific AR(1) noise and sudden budget
  freezes. Pressure slows T&M demand, delays payments, makes invoices more
  scrutinised, and shows up sometimes in messages and call notes.
* Sponsor change: the client's champion leaves; a new stakeholder arrives who
  reviews vendors and costs. Engagement drops for about half a year; sometimes
  an introduction message, sometimes nothing.
* Frustration (F): a client-level stock fed by poor health, slip, T&M budget
  overruns, PM overload (slow replies) and disputes themselves; it decays.
  It shapes the mix and tone of inbound messages (praise vs complaints,
  escalations), survey answers (quarterly NPS, answered less by disengaged
  clients), and new work (happy clients buy follow-on projects).
* Procurement strictness: a persistent client trait (larger firms, public
  sector and finance are stricter), unobservable except through its history.

Disputes (invoice questioned within ~30 days of issue) arise per invoice from
strictness, frustration, budget pressure, amount shocks versus earlier invoices,
running past the T&M budget, thin invoices (few line items for large amounts),
change-request and overage invoices, milestone invoices on unhealthy projects,
a newly arrived sponsor, and clients that are already on their way out. A share
are pure admin disputes (missing purchase order reference, wrong address)
with no warning in any signal the pipeline reads. Sometimes the client asks a
billing question first; often the dispute comes without one. A dispute delays
payment and feeds frustration.

Churn is a two-stage process. Each month a client may decide to leave, with a
hazard driven (with lags) by frustration, budget pressure, a recent sponsor
change, recent disputes, an under-used retainer ("we pay for hours we do not
use"), short tenure, the account lead, PM overload and having no live project.
The notice (churned_at) follows the decision after one to four months; during
that time most leaving clients disengage (fewer messages, fewer survey answers,
less T&M demand, no new projects, a few subtle or explicit remarks), but about a
third give no behavioural sign at all. A small surprise hazard (acquisition,
group-level vendor consolidation, insourcing) gives churn with no warning, and
clients idle for months may simply end the relationship. After churned_at there
is no new activity; earlier invoices may still be paid. Open projects are closed
on the notice day and a final invoice is issued that day.

Exports follow the known-at rules: burn-in months before the export window are
simulated but not exported, invoices/disputes/payments/closures after the
export end are censored, and message timestamps come in three spellings (UTC
with Z, naive UTC, local time with an offset) whose UTC date is the day the
message was sent.
"""

from __future__ import annotations

import pathlib
import random

import numpy as np
import pandas as pd

from tests.bench.firms.toolkit import (
    DISPUTE_DAYS,
    MONTH_NAMES,
    WORKDAY_NAMES,
    ClientDays,
    concat_records,
    dispute_risk,
    fold_umlauts,
    iso_dates,
    main,
    month_starts,
    oracle_frame,
    sigmoid,
    weekday,
    write_table,
)

# ----------------------------------------------------------------------------
# Static tables
# ----------------------------------------------------------------------------

INDUSTRIES = [
    "Manufacturing",
    "Logistics",
    "Retail & e-commerce",
    "Financial services",
    "Healthcare",
    "Public sector",
    "Media",
    "Energy & utilities",
    "Automotive",
    "Software & SaaS",
]
IND_P = np.array([0.15, 0.1, 0.14, 0.1, 0.08, 0.07, 0.07, 0.08, 0.09, 0.12])
IND_STRICT = np.array([0.0, 0.0, -0.1, 0.4, 0.2, 0.6, -0.2, 0.2, 0.3, -0.3])
DE_CORE = [
    "Maschinenbau",
    "Logistik",
    "Handelshaus",
    "Finanz",
    "Medizintechnik",
    "Verwaltungsdienste",
    "Medien",
    "Energie",
    "Fahrzeugteile",
    "Software",
]
EN_CORE = [
    "Manufacturing",
    "Logistics",
    "Retail",
    "Capital",
    "Health",
    "Public Services",
    "Media",
    "Energy",
    "Automotive",
    "Software",
]
DE_PREFIX = "Alpen Rhein Nord Hansa Isar Elbe Main Spree Weser Donau Taunus Harz Eifel Bodensee Mosel Neckar Ruhr Saale Allgäu Schwarzwald Ostsee Lahn Fulda Lech Inn Brenner Zug Limmat Aare Säntis Havel Oder Werra Ems Jade".split()
EN_PREFIX = "Northbridge Harbor Crescent Summit Bluewater Redwood Kingsway Granite Riverside Oakfield Silverline Westbrook Highgate Meridian Pinnacle Beacon Cobalt Evergreen Lakeside Ironbridge Brightwater Stonegate Foxglove Ashford Clearview Halcyon Norwood Larkspur Thornbury Wexford Kestrel Marlow Penrose".split()
NAME_SUFFIX_DE = ["Süd", "West", "Ost", "Digital", "Holding", "Service", "International", "Nord"]
NAME_SUFFIX_EN = ["North", "South", "West", "Digital", "Holdings", "Group", "International", "East"]
LEGAL = {
    "DE": (["GmbH", "AG", "GmbH & Co. KG", "SE"], [0.55, 0.2, 0.2, 0.05]),
    "AT": (["GmbH", "AG"], [0.75, 0.25]),
    "CH": (["AG", "GmbH"], [0.6, 0.4]),
    "GB": (["Ltd", "plc", "Group Ltd"], [0.7, 0.1, 0.2]),
    "US": (["Inc.", "LLC", "Corp."], [0.5, 0.35, 0.15]),
    "IE": (["Ltd", "DAC"], [0.8, 0.2]),
}
TLD = {"DE": "de", "AT": "at", "CH": "ch", "GB": "co.uk", "US": "com", "IE": "ie"}

DE_FIRST = "Anna Lukas Julia Jonas Laura Felix Sarah Maximilian Lena Tobias Katharina Jan Sophie Florian Miriam Stefan Nina Markus Carolin Sebastian Andrea Thomas Birgit Michael Sabine Christian Petra Matthias Claudia Daniel Yasemin Emre Elif Dimitri Marta Ursula Jürgen Heike Kerstin Ralf".split()
DE_LAST = "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Werner Krause Lehmann Köhler Yilmaz Kaya Nowak Huber Gruber Baumann Frei Vogel Brandt".split()
EN_FIRST = "James Emily Oliver Sophie Daniel Charlotte Thomas Hannah Michael Jessica David Olivia Ryan Grace Aisha Priya Liam Chloe Ben Megan Sean Niamh Ethan Zoe Marcus Rachel Kevin Laura Raj Fiona Aoife Connor Tyler Brianna".split()
EN_LAST = "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker White Roberts Green Hall Wood Jackson Clarke Murphy O'Brien Kelly Patel Khan Miller Anderson Martin Lee Walsh Byrne Hughes".split()
FIRM_FIRST = [
    *DE_FIRST,
    "Piotr",
    "Ana",
    "Mehmet",
    "Olga",
    "Ravi",
    "Chen",
    "Joana",
    "Luca",
    "Ivana",
    "Tomasz",
]
FIRM_LAST = (
    DE_LAST
    + "Kowalski Silva Demir Ivanova Sharma Wang Rossi Horvat Nagy Berger Keller Frank Albrecht Simon Ludwig Böhm Winter Kraus Martin Schumacher Peters Jung Möller Arnold Roth Beck Lorenz Graf Dietrich Pohl Kühn Engel Horn Busch Bergmann Thomsen Jansen Sommer Haas Schreiber Ziegler Brandl Fuchs Seidel".split()
)
FIRM_DOMAIN = "brueckenwerk-digital.example"

ROLES = [
    "Junior Developer",
    "Developer",
    "Senior Developer",
    "Software Architect",
    "QA Engineer",
    "UX Designer",
    "DevOps Engineer",
    "Project Manager",
]
ROLE_RATE = np.array([85.0, 110.0, 135.0, 160.0, 95.0, 110.0, 130.0, 125.0])
STAFF_ROLE_P = np.array([0.17, 0.3, 0.18, 0.06, 0.12, 0.07, 0.1])
# (en, de, w_fixed, w_tm, w_ret, d_lo, d_hi, weight, complexity)
TYPES = [
    ("Website relaunch", "Website-Relaunch", 0.75, 0.25, 0.0, 3, 6, 1.0, 0.0),
    ("Shop migration", "Shop-Migration", 0.5, 0.5, 0.0, 4, 8, 0.8, 0.2),
    ("ERP integration", "ERP-Schnittstelle", 0.55, 0.45, 0.0, 2, 6, 0.9, 0.3),
    ("Mobile app", "Mobile App", 0.4, 0.6, 0.0, 5, 10, 0.8, 0.2),
    ("Cloud migration", "Cloud-Migration", 0.3, 0.7, 0.0, 4, 9, 0.8, 0.35),
    ("Data platform", "Datenplattform", 0.15, 0.85, 0.0, 6, 12, 0.6, 0.4),
    ("Customer portal", "Kundenportal", 0.5, 0.5, 0.0, 4, 9, 0.8, 0.15),
    ("Security audit", "Security-Audit", 1.0, 0.0, 0.0, 1, 2, 0.45, -0.2),
    ("Feature development", "Weiterentwicklung", 0.1, 0.9, 0.0, 6, 12, 1.0, 0.0),
    ("Application support", "Applikationsbetreuung", 0.0, 0.0, 1.0, 12, 12, 1.0, 0.0),
    ("Managed hosting", "Managed Hosting", 0.0, 0.0, 1.0, 12, 12, 0.55, -0.1),
    ("DevOps care", "DevOps-Betreuung", 0.0, 0.0, 1.0, 12, 12, 0.45, 0.05),
]
BILLING = np.array(["fixed_fee", "time_and_materials", "retainer"])
SEASON = np.array([0.0, 0.95, 1.0, 1.0, 0.97, 1.0, 0.97, 0.9, 0.8, 1.0, 1.0, 1.0, 0.78])
ACTIVITY = np.array(
    [
        "Development",
        "Bugfix",
        "Code review",
        "Testing",
        "Design",
        "Infrastructure",
        "Project management",
        "Internal meeting",
        "Onboarding",
        "Support",
    ]
)

MODS = {
    "en": "checkout|login|API gateway|reporting dashboard|data import|user management|PDF export|search|payment integration|mobile app|admin panel|CI pipeline|SSO integration|product catalogue|notification service|booking flow|invoice module|CRM sync".split(
        "|"
    ),
    "de": "Checkout|Login|API-Gateway|Reporting-Dashboard|Datenimport|Benutzerverwaltung|PDF-Export|Suche|Zahlungsanbindung|App|Admin-Bereich|Build-Pipeline|SSO-Anbindung|Produktkatalog|Benachrichtigungsdienst|Buchungsstrecke|Rechnungsmodul|CRM-Synchronisation".split(
        "|"
    ),
}

# Message categories. Inbound ones first.
CATS = [
    "pos",
    "neu",
    "bug",
    "delay",
    "qual",
    "resp",
    "escal",
    "budget",
    "sponsor",
    "vendor",
    "quiet",
    "ticket",
    "bill",
    "dispute",
    "notice",
    "survey",
    "status",
    "invoice",
    "reminder",
    "sched",
    "release",
    "checkin",
    "apology",
    "cr",
    "note_pos",
    "note_neu",
    "note_concern",
    "note_budget",
    "note_vendor",
    "note_sponsor",
]
CI = {c: i for i, c in enumerate(CATS)}
N_INBOUND = CI["survey"] + 1

TEXT: dict[str, dict[str, list[str]]] = {
    "en": {
        "pos": [
            "Great demo on {wd} – the team really liked the new {mod}.",
            "Thanks for turning the {mod} fix around so quickly.",
            "Just wanted to say the last release went smoothly, well done.",
            "Our users are happy with the {mod}, thanks to everyone involved.",
            "Appreciate the extra effort this sprint, it shows.",
            "The {mod} looks really good now. Nice work!",
            "Feedback from our sales team on the {mod} has been very positive.",
            "Thank you for the clear status report, that helps a lot internally.",
            "Sprint {sprint} review was excellent, exactly what we needed.",
            "Everything has been running smoothly since the update, thanks.",
            "We presented the {mod} to our board today and it went down well.",
            "Good job on version {ver}, no issues so far.",
            "No complaints from our side – the {mod} works as it should.",
            "Really pleased with how {pm} is running this.",
        ],
        "neu": [
            "Can we move {wd}'s meeting to the afternoon?",
            "Please add two more people from our side to the Jira board.",
            "Attached are the updated requirements for the {mod}.",
            "Noted, thanks.",
            "Could you send me the slides from the last steering meeting?",
            "Who is our contact for deployment questions next week?",
            "We'll provide the test data by {wd}.",
            "FYI I'm out of office next week, {other} will cover.",
            "Can you share the release plan for Q{q}?",
            "Thanks, received.",
            "Let's go through the {mod} backlog in the next call.",
            "Do you need anything else from us for sprint {sprint}?",
            "Please use the new VPN credentials from now on.",
            "Is the {mod} part of the next release or the one after?",
            "Our legal team would like to see the data processing agreement again.",
            "Ok, sounds good.",
        ],
        "bug": [
            "Found a small issue in the {mod}: the date filter ignores the end date.",
            "The {mod} throws an error when the file is larger than 10 MB.",
            "Minor thing: button labels in the {mod} are cut off on mobile.",
            "One of our users reports that the {mod} is slow in the mornings.",
            "Ticket created for the {mod} export, the CSV is missing the last column.",
            "We see a 500 error on the {mod} after saving twice.",
            "Small bug: password reset emails end up in spam.",
            "Not urgent, but the {mod} shows the wrong currency symbol.",
            "Could you look at the {mod}? Sorting by name doesn't work.",
            "The {mod} crashes on Safari for some users.",
            "Staging seems to be down, can't log in this morning.",
        ],
        "delay": [
            "Any news on the {mod}? It was supposed to be ready last week.",
            "We're now {n} weeks behind the plan for the {mod}. What is the new date?",
            "The go-live date keeps moving. I need a realistic plan by {wd}.",
            "I have to report to management on {wd} and still don't have a date for the {mod}.",
            "Sprint {sprint} again didn't deliver what was committed.",
            "When can we expect the {mod}? Our launch depends on it.",
            "The timeline we agreed at the kickoff is clearly not holding.",
            "Another delay on the {mod} – this is becoming a problem for us.",
            "Can you explain why the {mod} slipped again?",
            "We planned our campaign around the release date, which has now passed.",
            "Where are we with the {mod}? I haven't seen anything new for weeks.",
        ],
        "qual": [
            "The last release broke the {mod} again.",
            "We found {n} regressions after version {ver}. Is anyone testing before deploying?",
            "Our users are complaining about the {mod}, it's not usable like this.",
            "Honestly, the quality of the last deliveries is not what we expected.",
            "The same bug as last month is back in the {mod}.",
            "The {mod} went down during our busiest hour. This cannot happen again.",
            "We had to roll back the update because the {mod} stopped working.",
            "I'm disappointed with the state of the {mod} after all these weeks.",
            "Every fix seems to break something else.",
            "Our QA team rejected the delivery, too many open defects.",
        ],
        "resp": [
            "I've been waiting for an answer since {wd}.",
            "Could someone please get back to me? My last two emails went unanswered.",
            "Who is actually responsible for our account at the moment?",
            "It takes days to get a reply on simple questions.",
            "Still no response on the ticket from last week.",
            "Please confirm you received this – following up for the third time.",
            "We don't know who to talk to since the team changed.",
        ],
        "escal": [
            "I think we need to talk about how {proj} is going. Can we set up a call this week?",
            "I'd like to escalate the situation on {proj} to your management.",
            "We need a meeting with you and {pm} to discuss the delivery issues.",
            "Our CIO has asked me for a written summary of the problems with {proj}.",
            "This can't continue as it is. Please call me.",
            "I'm not comfortable with where {proj} stands. Let's talk before the next steering committee.",
        ],
        "budget": [
            "Heads-up: we have a spending freeze until the end of Q{q}.",
            "Our budget for the second half is being cut, we need to reprioritise the backlog.",
            "Finance asked us to review all external spend, including this project.",
            "Can we reduce the team size for the next two months? Budgets are tight.",
            "We'll have to postpone phase 2 until the new budget is approved.",
            "Please don't start new work items without written approval from me for now.",
            "Management wants us to cut external costs by {pct_cut}%.",
            "We need to pause the {mod} work – the budget has been reallocated internally.",
        ],
        "sponsor": [
            "Hi all, I'm {newname} and I'm taking over from {oldname} as product owner.",
            "{oldname} has left the company. I'll be your main contact going forward. – {newname}",
            "Quick intro: I've just joined as Head of IT and will be looking after the partnership with you. {newname}",
            "As of this month, {newname} replaces {oldname} as our project sponsor.",
            "Hello, my name is {newname}. I'd like to get an overview of all ongoing projects and costs.",
        ],
        "vendor": [
            "We are reviewing our external IT partners this year as part of a procurement initiative.",
            "We've been asked to get competing offers for the next phase.",
            "Internally we're discussing whether to build up our own development team.",
            "Procurement will send out an RFP for application support in the coming weeks.",
            "Our new group IT wants to consolidate vendors – I'll keep you posted.",
            "To be transparent: we are evaluating alternatives for the maintenance contract.",
        ],
        "quiet": [
            "We'll discuss internally how to proceed and come back to you.",
            "Let's hold off on planning the next sprint for now.",
            "No need for the weekly call this week.",
            "Please send me an overview of all open items and the remaining budget.",
            "Could you put the documentation and all access credentials in one place for us?",
            "We'll skip the roadmap workshop for now.",
            "Ok.",
            "Let's keep it to the essentials for the time being.",
        ],
        "ticket": [
            "[Ticket] {mod}: error after login, please check.",
            "[Ticket] Please create an account for our new colleague.",
            "[Ticket] The SSL certificate expires next month, please renew.",
            "[Ticket] The nightly import failed again.",
            "[Ticket] Change request: update the text of the confirmation email.",
            "[Ticket] Server response times very high since {wd}.",
            "[Ticket] Backup restore needed on the test system.",
            "[Ticket] {mod} not reachable for some users.",
            "[Ticket] Please raise the upload limit in the {mod}.",
        ],
        "bill": [
            "Could you send a breakdown of the hours on invoice {inv}?",
            "Quick question about {inv}: which tasks are behind the {hours} hours?",
            "Invoice {inv} is higher than we expected. Can you explain the difference to last month?",
            "Our accounts team needs the PO number on {inv}.",
            "Which period does {inv} cover exactly?",
            "Is {inv} already including the change request or is that separate?",
        ],
        "dispute_hours": [
            "We cannot approve invoice {inv}. The hours billed are far above what was agreed.",
            "We dispute {inv}: a large part of the hours is bug fixing on your own code, which we won't pay for.",
            "Invoice {inv} exceeds the approved budget. Please hold it until we've clarified this.",
            "We are not accepting {inv} in its current form – the time logged doesn't match the progress we see.",
        ],
        "dispute_acceptance": [
            "We haven't accepted the milestone yet, so invoice {inv} is premature.",
            "Invoice {inv} refers to a delivery that failed our acceptance tests. We won't pay it until the defects are fixed.",
        ],
        "dispute_scope": [
            "The change request billed on {inv} was never signed off on our side.",
            "In our view the work on {inv} is part of the original scope. We reject the additional charge.",
        ],
        "dispute_overage": [
            "We didn't expect any overage on {inv}. Nobody told us the included hours were used up.",
            "Please explain the extra hours on {inv} – we never approved going over the allowance.",
        ],
        "dispute_admin": [
            "Invoice {inv} has the wrong PO number, please reissue.",
            "Our AP team returned {inv}: the billing address is outdated.",
            "{inv} is missing our purchase order reference, we can't process it.",
        ],
        "dispute_general": [
            "We need to discuss invoice {inv} before we can pay it.",
            "Please put {inv} on hold, there are several points we don't agree with.",
            "We won't be paying {inv} as it stands. Let's talk.",
        ],
        "notice": [
            "As discussed, we are giving notice on our agreement effective end of {month}.",
            "Please take this email as our formal notice to terminate the framework agreement.",
            "We have decided not to continue the collaboration after the current work. Thank you for everything so far.",
            "Following our internal review we will not renew. Please prepare the handover.",
        ],
        "status": [
            "Weekly status for {proj}: sprint {sprint} is on track, {n} stories done.",
            "Status update: the {mod} is in testing, release planned for {wd}.",
            "Here is this week's report. Main topics: the {mod} and performance tuning.",
            "Sprint {sprint} summary attached. Two open risks, see page 2.",
            "Progress update on {proj}: we're at roughly {pct}% of the planned scope.",
            "Short update: {ver} is deployed to staging, production follows next week.",
            "Status {proj}: {pct}% done, next milestone is the {mod}.",
        ],
        "invoice": [
            "Please find attached invoice {inv}.",
            "Attached is our invoice {inv} for {period}.",
            "Invoice {inv} attached, payable within {terms} days.",
            "Here's invoice {inv}. Let me know if you need a PO reference added.",
        ],
        "reminder": [
            "Friendly reminder: invoice {inv} was due on {date}.",
            "Our records show {inv} is still open. Could you check on the status?",
            "Second reminder regarding {inv}, due {date}.",
        ],
        "sched": [
            "Shall we do the sprint review on {wd} at 10?",
            "Invite for the steering committee sent, please confirm.",
            "Can we find a slot next week for the {mod} workshop?",
            "Moving our weekly to {wd} this week, hope that works.",
        ],
        "release": [
            "Version {ver} is live. Release notes attached.",
            "Deployed the fix for the {mod} to production.",
            "Release {ver} includes the new {mod} and {n} bug fixes.",
            "Maintenance window on {wd} evening for the {mod} update.",
        ],
        "checkin": [
            "How are things on your side? Happy to catch up over lunch.",
            "Just checking in – is there anything we can do better?",
            "I'd love to hear your thoughts on the roadmap for next year.",
            "It's been a while – shall we have a quick catch-up?",
        ],
        "apology": [
            "Sorry for the delay – we're on it and will update you by {wd}.",
            "Apologies for the trouble with the {mod}. We've added a second developer.",
            "You're right, that shouldn't have happened. A root cause analysis follows tomorrow.",
            "Thanks for flagging, we'll prioritise this in the current sprint.",
        ],
        "cr": [
            "As discussed, attached is change request #{n} for the additional {mod} requirements.",
            "The new requirements for the {mod} are outside the agreed scope; CR with estimate attached.",
        ],
        "note_pos": [
            "very happy with the last sprint, wants to talk about a follow-up project.",
            "positive mood, demo well received.",
            "{first} satisfied, no open issues.",
            "{first} praised the team's responsiveness.",
            "good session, {first} keen to extend the work on the {mod}.",
        ],
        "note_neu": [
            "went through the backlog, next steps agreed.",
            "priorities for sprint {sprint} confirmed.",
            "test data and access rights clarified.",
            "discussed the {mod} estimate with {first}, decision next week.",
            "release planning for {ver}, no blockers.",
        ],
        "note_concern": [
            "{first} frustrated about delays on the {mod}.",
            "difficult conversation. {first} questions the quality of recent releases.",
            "{first} raised concerns about communication and response times.",
            "client unhappy, wants a recovery plan by {wd}.",
            "{first} asked whether we have enough people on the project.",
        ],
        "note_budget": [
            "budget cuts expected, phase 2 on hold.",
            "{first} mentioned a cost-cutting programme and asked for a cheaper team setup.",
            "{first} says all external spend is under review.",
        ],
        "note_vendor": [
            "they are comparing offers from other agencies.",
            "{first} hinted at insourcing plans. Follow up with the account lead.",
            "{first} mentioned a new preferred-supplier list at group level.",
        ],
        "note_sponsor": [
            "intro with {newname} (new contact). Wants a full cost overview.",
            "first meeting with {newname}; reserved, asked a lot about rates.",
            "met {newname}, who replaces {oldname}. Priorities still unclear.",
        ],
        "survey_pos": [
            "Great team, very responsive.",
            "Reliable partner, would recommend.",
            "Good quality and communication.",
            "Very happy.",
        ],
        "survey_mid": [
            "Ok overall, some delays.",
            "Solid work but communication could be better.",
            "Fine.",
            "Good, but pricey.",
        ],
        "survey_neg": [
            "Too many delays and bugs.",
            "Expensive for what we get.",
            "Communication has got worse.",
            "Hard to reach the team.",
            "Quality is not where it should be.",
        ],
        "intens": [
            "This is the third time this month.",
            "I'll have to escalate this internally.",
            "Our management is asking questions.",
            "Please treat this as urgent.",
            "Frankly, we expected more.",
            "We can't keep working like this.",
        ],
        "soft": [
            "No big deal, just wanted to flag it.",
            "Otherwise all good.",
            "Thanks in advance!",
        ],
        "ticket_urg": [
            "Still not fixed.",
            "Urgent please!",
            "This is the second ticket on this.",
            "Please prioritise, users are blocked.",
            "Any update?",
        ],
        "greet_in": [
            "Hi {first},",
            "Hello {first},",
            "Dear {first},",
            "{first},",
            "Hi,",
            "Hello team,",
        ],
        "greet_out": ["Hi {first},", "Hello {first},", "Dear {first},", "Good morning {first},"],
        "close": [
            "Thanks,\n{me}",
            "Best regards,\n{me}",
            "Cheers, {me}",
            "Kind regards\n{me}",
            "Best, {me}",
            "{me}",
        ],
        "call_prefix": ["Call with {first}: ", "Phone call with {first} – ", "Call {first}: ", ""],
        "meeting_prefix": [
            "Steering committee: ",
            "Weekly: ",
            "Meeting with {first}: ",
            "Sprint review: ",
        ],
        "the_project": ["the project"],
    },
    "de": {
        "pos": [
            "Super Demo am {wd}, das Team ist begeistert vom neuen Modul {mod}.",
            "Danke für die schnelle Behebung bei {mod}!",
            "Das letzte Release lief reibungslos, vielen Dank an alle.",
            "Unsere Nutzer sind mit {mod} sehr zufrieden.",
            "Vielen Dank für den übersichtlichen Statusbericht, das hilft uns intern sehr.",
            "Das Sprint-Review {sprint} war richtig gut, genau so hatten wir uns das vorgestellt.",
            "Seit dem Update läuft alles stabil – danke!",
            "Wir haben {mod} heute der Geschäftsführung gezeigt, kam sehr gut an.",
            "Version {ver} läuft bisher ohne Probleme, gute Arbeit.",
            "Top, genau so wollten wir das haben.",
            "Danke für den Einsatz in den letzten Wochen, das merkt man.",
            "Die Zusammenarbeit macht gerade richtig Spaß.",
            "Keine Beanstandungen von unserer Seite, {mod} funktioniert wie gewünscht.",
        ],
        "neu": [
            "Können wir den Termin am {wd} auf den Nachmittag verschieben?",
            "Bitte noch zwei Kollegen von uns im Jira-Board freischalten.",
            "Anbei die überarbeiteten Anforderungen für {mod}.",
            "Danke, ist angekommen.",
            "Könnten Sie mir die Folien vom letzten Lenkungskreis schicken?",
            "Wer ist nächste Woche Ansprechpartner für das Deployment?",
            "Die Testdaten liefern wir bis {wd}.",
            "Zur Info: ich bin nächste Woche im Urlaub, {other} vertritt mich.",
            "Können Sie uns den Release-Plan für Q{q} schicken?",
            "Lassen Sie uns das Backlog für {mod} im nächsten Call durchgehen.",
            "Braucht ihr für Sprint {sprint} noch etwas von uns?",
            "Ok, passt.",
            "Bitte ab sofort die neuen VPN-Zugangsdaten verwenden.",
            "Kommt {mod} ins nächste Release oder ins übernächste?",
            "Unsere Rechtsabteilung möchte den AV-Vertrag noch einmal sehen.",
        ],
        "bug": [
            "Kleiner Fehler im Modul {mod}: der Datumsfilter ignoriert das Enddatum.",
            "Im Modul {mod} kommt ein Fehler, wenn die Datei größer als 10 MB ist.",
            "Kleinigkeit: Die Beschriftungen im Modul {mod} werden auf dem Handy abgeschnitten.",
            "Ein Nutzer meldet, dass {mod} morgens sehr langsam ist.",
            "Ticket für den Export angelegt, in der CSV fehlt die letzte Spalte.",
            "Nach zweimaligem Speichern kommt im Modul {mod} ein 500er.",
            "Nicht dringend, aber im Modul {mod} steht das falsche Währungssymbol.",
            "Könnt ihr euch {mod} anschauen? Sortieren nach Name geht nicht.",
            "Das Modul {mod} stürzt bei einigen Nutzern im Safari ab.",
            "Die Passwort-Mails landen bei uns im Spam.",
            "Staging scheint down zu sein, Login geht heute früh nicht.",
        ],
        "delay": [
            "Gibt es Neuigkeiten zu {mod}? Das sollte eigentlich letzte Woche fertig sein.",
            "Wir liegen jetzt {n} Wochen hinter dem Plan. Was ist der neue Termin?",
            "Der Go-live verschiebt sich ständig. Ich brauche bis {wd} einen realistischen Plan.",
            "Ich muss am {wd} an die Geschäftsführung berichten und habe immer noch keinen Termin für {mod}.",
            "Sprint {sprint} hat wieder nicht geliefert, was zugesagt war.",
            "Wann können wir mit {mod} rechnen? Unser Launch hängt davon ab.",
            "Der im Kickoff vereinbarte Zeitplan hält offensichtlich nicht.",
            "Schon wieder eine Verzögerung bei {mod} – das wird langsam zum Problem.",
            "Können Sie erklären, warum sich {mod} erneut verschoben hat?",
            "Der zugesagte Liefertermin ist schon wieder verstrichen.",
            "Wie ist der Stand bei {mod}? Seit Wochen sehen wir nichts Neues.",
        ],
        "qual": [
            "Das letzte Release hat {mod} schon wieder kaputt gemacht.",
            "Nach Version {ver} haben wir {n} Regressionen gefunden. Testet da jemand vor dem Deployment?",
            "Unsere Nutzer beschweren sich über {mod}, so ist das nicht nutzbar.",
            "Ehrlich gesagt entspricht die Qualität der letzten Lieferungen nicht unseren Erwartungen.",
            "Der gleiche Fehler wie letzten Monat ist wieder da.",
            "{mod} ist in unserer Hauptgeschäftszeit ausgefallen. Das darf nicht noch einmal passieren.",
            "Wir mussten das Update zurückrollen, weil {mod} nicht mehr funktionierte.",
            "Ich bin enttäuscht vom Zustand von {mod} nach all den Wochen.",
            "Jeder Fix scheint etwas anderes kaputt zu machen.",
            "Unsere QS hat die Lieferung abgelehnt, zu viele offene Fehler.",
        ],
        "resp": [
            "Ich warte seit {wd} auf eine Antwort.",
            "Kann sich bitte jemand melden? Meine letzten zwei Mails sind unbeantwortet.",
            "Wer ist eigentlich gerade für uns zuständig?",
            "Für einfache Fragen brauchen wir tagelang eine Antwort.",
            "Zum Ticket von letzter Woche gibt es immer noch keine Rückmeldung.",
            "Bitte kurz den Eingang bestätigen – ich frage jetzt zum dritten Mal nach.",
            "Seit dem Teamwechsel wissen wir nicht mehr, wer unser Ansprechpartner ist.",
        ],
        "escal": [
            "Ich denke, wir müssen über den Stand von {proj} sprechen. Können wir diese Woche telefonieren?",
            "Ich möchte die Situation im Projekt {proj} bei Ihrer Geschäftsführung eskalieren.",
            "Wir brauchen einen Termin mit Ihnen und {pm}, um die Lieferprobleme zu besprechen.",
            "Unser CIO möchte eine schriftliche Zusammenfassung der Probleme in {proj}.",
            "So kann es nicht weitergehen. Bitte rufen Sie mich an.",
            "Mit dem Stand von {proj} bin ich nicht glücklich. Lassen Sie uns vor dem nächsten Lenkungskreis sprechen.",
        ],
        "budget": [
            "Kurze Info: Bis Ende Q{q} gilt bei uns ein Ausgabenstopp.",
            "Unser Budget fürs zweite Halbjahr wird gekürzt, wir müssen das Backlog neu priorisieren.",
            "Die Finanzabteilung prüft gerade alle externen Ausgaben, auch dieses Projekt.",
            "Können wir das Team für die nächsten zwei Monate verkleinern? Das Budget ist knapp.",
            "Phase 2 müssen wir verschieben, bis das neue Budget freigegeben ist.",
            "Bitte vorerst keine neuen Aufgaben ohne meine schriftliche Freigabe beginnen.",
            "Die Geschäftsführung will die externen Kosten um {pct_cut}% senken.",
            "Die Arbeiten an {mod} müssen wir pausieren – das Budget wurde intern umverteilt.",
        ],
        "sponsor": [
            "Hallo zusammen, ich bin {newname} und übernehme die Rolle als Product Owner von {oldname}.",
            "{oldname} hat das Unternehmen verlassen. Ab sofort bin ich Ihr Ansprechpartner. {newname}",
            "Kurze Vorstellung: Ich bin neu als IT-Leitung an Bord und betreue künftig die Zusammenarbeit mit Ihnen. {newname}",
            "Ab diesem Monat übernimmt {newname} die Projektverantwortung von {oldname}.",
            "Guten Tag, mein Name ist {newname}. Ich möchte mir einen Überblick über alle laufenden Projekte und Kosten verschaffen.",
        ],
        "vendor": [
            "Wir überprüfen dieses Jahr im Rahmen einer Einkaufsinitiative unsere externen IT-Dienstleister.",
            "Für die nächste Phase sollen wir Vergleichsangebote einholen.",
            "Intern diskutieren wir, ob wir ein eigenes Entwicklungsteam aufbauen.",
            "Der Einkauf wird in den nächsten Wochen eine Ausschreibung für den Applikationsbetrieb starten.",
            "Unsere neue Konzern-IT will die Dienstleister konsolidieren – ich halte Sie auf dem Laufenden.",
            "Um offen zu sein: Wir prüfen Alternativen für den Wartungsvertrag.",
        ],
        "quiet": [
            "Wir besprechen intern das weitere Vorgehen und melden uns.",
            "Die Planung für den nächsten Sprint stellen wir erstmal zurück.",
            "Den Jour fixe diese Woche brauchen wir nicht.",
            "Bitte schicken Sie mir eine Übersicht aller offenen Punkte und des Restbudgets.",
            "Könnten Sie die Dokumentation und alle Zugangsdaten gesammelt übergeben?",
            "Den Roadmap-Workshop lassen wir vorerst ausfallen.",
            "Ok.",
            "Wir beschränken uns vorerst auf das Nötigste.",
        ],
        "ticket": [
            "[Ticket] {mod}: Fehler nach dem Login, bitte prüfen.",
            "[Ticket] Bitte Zugang für neue Kollegin anlegen.",
            "[Ticket] SSL-Zertifikat läuft nächsten Monat ab, bitte erneuern.",
            "[Ticket] Der nächtliche Import ist wieder fehlgeschlagen.",
            "[Ticket] Anpassung: Text der Bestätigungsmail ändern.",
            "[Ticket] Antwortzeiten seit {wd} sehr hoch.",
            "[Ticket] Bitte Backup auf dem Testsystem einspielen.",
            "[Ticket] {mod} für einige Nutzer nicht erreichbar.",
            "[Ticket] Bitte Upload-Limit im Modul {mod} erhöhen.",
        ],
        "bill": [
            "Können Sie mir eine Aufschlüsselung der Stunden zur Rechnung {inv} schicken?",
            "Kurze Frage zu {inv}: Welche Tätigkeiten stecken hinter den {hours} Stunden?",
            "Die Rechnung {inv} ist höher als erwartet. Woher kommt der Unterschied zum Vormonat?",
            "Unsere Buchhaltung braucht die Bestellnummer auf {inv}.",
            "Welchen Leistungszeitraum umfasst {inv} genau?",
            "Ist der Change Request in {inv} schon enthalten oder kommt der separat?",
        ],
        "dispute_hours": [
            "Die Rechnung {inv} können wir so nicht freigeben. Die abgerechneten Stunden liegen weit über dem Vereinbarten.",
            "Wir widersprechen der Rechnung {inv}: ein Großteil der Stunden ist Fehlerbehebung an Ihrem eigenen Code.",
            "{inv} überschreitet das freigegebene Budget. Bitte stellen Sie die Rechnung zurück, bis das geklärt ist.",
            "Rechnung {inv} akzeptieren wir in dieser Form nicht – die gebuchten Stunden passen nicht zum Fortschritt.",
        ],
        "dispute_acceptance": [
            "Der Meilenstein ist noch nicht abgenommen, daher ist die Rechnung {inv} verfrüht.",
            "Rechnung {inv} bezieht sich auf eine Lieferung, die unsere Abnahme nicht bestanden hat.",
        ],
        "dispute_scope": [
            "Der mit {inv} abgerechnete Change Request wurde von uns nie freigegeben.",
            "Aus unserer Sicht gehören die Leistungen aus {inv} zum ursprünglichen Auftrag. Die Mehrkosten lehnen wir ab.",
        ],
        "dispute_overage": [
            "Mit Mehrstunden auf {inv} haben wir nicht gerechnet. Niemand hat uns informiert, dass das Kontingent aufgebraucht ist.",
            "Bitte erklären Sie die zusätzlichen Stunden auf {inv} – eine Überschreitung haben wir nie freigegeben.",
        ],
        "dispute_admin": [
            "Auf der Rechnung {inv} steht die falsche Bestellnummer, bitte neu ausstellen.",
            "Die Kreditorenbuchhaltung hat {inv} zurückgeschickt: die Rechnungsadresse ist veraltet.",
            "Auf {inv} fehlt unsere Bestellnummer, so können wir sie nicht buchen.",
        ],
        "dispute_general": [
            "Über die Rechnung {inv} müssen wir sprechen, bevor wir sie bezahlen.",
            "Bitte {inv} vorerst anhalten, wir sind mit mehreren Positionen nicht einverstanden.",
            "{inv} werden wir so nicht begleichen. Bitte um Rückruf.",
        ],
        "notice": [
            "Hiermit kündigen wir den Rahmenvertrag fristgerecht zum Ende {month}.",
            "Wie besprochen beenden wir die Zusammenarbeit nach Abschluss der laufenden Arbeiten.",
            "Bitte betrachten Sie diese Mail als formelle Kündigung des Wartungsvertrags.",
            "Nach interner Prüfung werden wir nicht verlängern. Bitte bereiten Sie die Übergabe vor.",
        ],
        "status": [
            "Wochenstatus {proj}: Sprint {sprint} ist im Plan, {n} Stories erledigt.",
            "Statusupdate: {mod} ist im Test, Release geplant für {wd}.",
            "Anbei der Wochenbericht. Schwerpunkte: {mod} und Performance.",
            "Zusammenfassung Sprint {sprint} im Anhang. Zwei offene Risiken, siehe Seite 2.",
            "Fortschritt {proj}: wir liegen bei etwa {pct}% des geplanten Umfangs.",
            "Kurzes Update: Version {ver} ist auf Staging, Produktion folgt nächste Woche.",
            "Status {proj}: {pct}% erledigt, nächster Meilenstein ist {mod}.",
        ],
        "invoice": [
            "Anbei erhalten Sie die Rechnung {inv}.",
            "Im Anhang die Rechnung {inv} für {period}.",
            "Rechnung {inv} anbei, zahlbar innerhalb von {terms} Tagen.",
            "Hier die Rechnung {inv}. Falls eine Bestellnummer fehlt, bitte kurz melden.",
        ],
        "reminder": [
            "Freundliche Erinnerung: Die Rechnung {inv} war am {date} fällig.",
            "Laut unserer Buchhaltung ist {inv} noch offen. Können Sie den Status prüfen?",
            "Zahlungserinnerung zu {inv}, fällig seit {date}.",
        ],
        "sched": [
            "Wollen wir das Sprint-Review am {wd} um 10 Uhr machen?",
            "Die Einladung zum Lenkungskreis ist raus, bitte kurz bestätigen.",
            "Finden wir nächste Woche einen Termin für den Workshop zu {mod}?",
            "Wir verschieben den Jour fixe diese Woche auf {wd}, passt das?",
        ],
        "release": [
            "Version {ver} ist live. Release Notes im Anhang.",
            "Der Fix für {mod} ist in Produktion.",
            "Release {ver} enthält {mod} und {n} Bugfixes.",
            "Wartungsfenster am {wd} abend für das Update von {mod}.",
        ],
        "checkin": [
            "Wie läuft es bei Ihnen? Gerne mal wieder auf einen Kaffee.",
            "Ich wollte mich kurz melden – gibt es etwas, das wir besser machen können?",
            "Mich würde Ihre Sicht auf die Roadmap fürs nächste Jahr interessieren.",
            "Lange nicht gesprochen – wollen wir kurz telefonieren?",
        ],
        "apology": [
            "Entschuldigung für die Verzögerung – wir sind dran und melden uns bis {wd}.",
            "Sorry für den Ärger mit {mod}. Wir haben einen zweiten Entwickler dazugenommen.",
            "Sie haben recht, das hätte nicht passieren dürfen. Die Ursachenanalyse folgt morgen.",
            "Danke für den Hinweis, wir priorisieren das im aktuellen Sprint.",
        ],
        "cr": [
            "Wie besprochen anbei Change Request Nr. {n} für die zusätzlichen Anforderungen an {mod}.",
            "Die neuen Anforderungen an {mod} liegen außerhalb des vereinbarten Umfangs, CR mit Schätzung anbei.",
        ],
        "note_pos": [
            "sehr zufrieden mit dem letzten Sprint, möchte über ein Folgeprojekt sprechen.",
            "gute Stimmung, Demo kam gut an.",
            "{first} zufrieden, keine offenen Punkte.",
            "{first} lobt die schnelle Reaktion des Teams.",
            "gutes Gespräch, {first} möchte die Arbeiten an {mod} ausweiten.",
        ],
        "note_neu": [
            "Backlog durchgesprochen, nächste Schritte vereinbart.",
            "Prioritäten für Sprint {sprint} bestätigt.",
            "Testdaten und Zugriffsrechte geklärt.",
            "Schätzung für {mod} mit {first} besprochen, Entscheidung nächste Woche.",
            "Releaseplanung {ver}, keine Blocker.",
        ],
        "note_concern": [
            "{first} verärgert über Verzögerungen bei {mod}.",
            "schwieriges Gespräch. {first} stellt die Qualität der letzten Releases in Frage.",
            "{first} bemängelt Kommunikation und Reaktionszeiten.",
            "Kunde unzufrieden, erwartet bis {wd} einen Maßnahmenplan.",
            "{first} fragt, ob wir genug Leute auf dem Projekt haben.",
        ],
        "note_budget": [
            "Budgetkürzungen erwartet, Phase 2 liegt auf Eis.",
            "{first} erwähnt ein Sparprogramm, fragt nach einem günstigeren Team-Setup.",
            "laut {first} stehen alle externen Ausgaben auf dem Prüfstand.",
        ],
        "note_vendor": [
            "sie holen Vergleichsangebote anderer Agenturen ein.",
            "{first} deutet Insourcing-Pläne an. Mit Account Lead nachfassen.",
            "{first} erwähnt eine neue Liste bevorzugter Lieferanten auf Konzernebene.",
        ],
        "note_sponsor": [
            "Kennenlernen mit {newname} (neuer Ansprechpartner). Möchte vollständige Kostenübersicht.",
            "erstes Gespräch mit {newname}; eher zurückhaltend, viele Fragen zu Stundensätzen.",
            "Termin mit {newname}, Nachfolge von {oldname}. Prioritäten noch unklar.",
        ],
        "survey_pos": [
            "Tolles Team, sehr reaktionsschnell.",
            "Verlässlicher Partner, würden wir weiterempfehlen.",
            "Gute Qualität und Kommunikation.",
            "Sehr zufrieden.",
        ],
        "survey_mid": [
            "Insgesamt ok, einige Verzögerungen.",
            "Solide Arbeit, Kommunikation ausbaufähig.",
            "Passt.",
            "Gut, aber teuer.",
        ],
        "survey_neg": [
            "Zu viele Verzögerungen und Fehler.",
            "Zu teuer für das, was wir bekommen.",
            "Die Kommunikation ist schlechter geworden.",
            "Das Team ist schwer zu erreichen.",
            "Die Qualität stimmt nicht.",
        ],
        "intens": [
            "Das ist das dritte Mal in diesem Monat.",
            "Ich muss das intern eskalieren.",
            "Unsere Geschäftsführung stellt schon Fragen.",
            "Bitte dringend behandeln.",
            "Ehrlich gesagt haben wir mehr erwartet.",
            "So können wir nicht weiterarbeiten.",
        ],
        "soft": ["Kein Drama, wollte es nur erwähnen.", "Ansonsten alles gut.", "Danke vorab!"],
        "ticket_urg": [
            "Immer noch nicht behoben.",
            "Bitte dringend!",
            "Das ist schon das zweite Ticket dazu.",
            "Bitte priorisieren, die Nutzer sind blockiert.",
            "Gibt es ein Update?",
        ],
        "greet_in": [
            "Hallo {first},",
            "Hi {first},",
            "Guten Morgen {first},",
            "Hallo zusammen,",
            "Moin {first},",
            "Sehr geehrte Damen und Herren,",
        ],
        "greet_out": [
            "Hallo {first},",
            "Guten Tag {first},",
            "Hi {first},",
            "Guten Morgen {first},",
        ],
        "close": [
            "Viele Grüße\n{me}",
            "Beste Grüße, {me}",
            "VG {me}",
            "Danke und Grüße\n{me}",
            "Freundliche Grüße\n{me}",
            "LG {me}",
        ],
        "call_prefix": ["Telefonat mit {first}: ", "Call mit {first} – ", "Kurzes Telefonat: ", ""],
        "meeting_prefix": [
            "Lenkungskreis: ",
            "Jour fixe: ",
            "Termin mit {first}: ",
            "Sprint-Review: ",
        ],
        "the_project": ["das Projekt"],
    },
}


def _slug(s: str) -> str:
    return "".join(ch for ch in fold_umlauts(s).lower() if ch.isalnum() or ch in "-.")


def _iso_days(d: np.ndarray) -> np.ndarray:
    d = np.asarray(d, dtype=np.int64)
    return iso_dates(d, d >= 0)


def _last_sunday(year: int, month: int) -> int:
    nxt = np.datetime64(f"{year + (month == 12)}-{month % 12 + 1:02d}-01", "D").astype(np.int64)
    d = int(nxt) - 1
    while weekday(d) != 6:
        d -= 1
    return d


def _nth_sunday(year: int, month: int, nth: int) -> int:
    d = int(np.datetime64(f"{year}-{month:02d}-01", "D").astype(np.int64))
    while weekday(d) != 6:
        d += 1
    return d + 7 * (nth - 1)


class _Firm:
    """The whole simulation; `run` fills the collected rows, `write` exports them."""

    def __init__(self, n: int, months: int, seed: int) -> None:
        if n < 1 or months < 2:
            raise ValueError("need at least one client and two months")
        self.rng = np.random.default_rng(seed)
        self.txt = random.Random(seed * 7919 + 17)
        self.n = n
        self.months = months
        self.burn = 6
        self.nt = months + self.burn
        m0 = np.datetime64("2023-07", "M") - self.burn
        mm = m0 + np.arange(self.nt + 1)
        d = mm.astype("datetime64[D]").astype(np.int64)
        self.ms = d[:-1]
        self.me = d[1:] - 1
        self.dim = self.me - self.ms + 1
        self.moy = mm[:-1].astype(np.int64) % 12 + 1
        self.year = mm[:-1].astype(np.int64) // 12 + 1970
        self.win_start = int(self.ms[self.burn])
        self.win_end = int(self.me[-1])
        self.first_wd = np.array([self._shift_wd(int(x)) for x in self.ms])
        self._setup_dst()
        self._setup_people()
        self._setup_clients()
        self._setup_exogenous()
        self._setup_projects()
        self.entries: list[dict[str, np.ndarray]] = []
        self.invoices: list[dict[str, np.ndarray]] = []
        self.links: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.msgs: list[dict[str, np.ndarray]] = []
        self.progress: list[dict[str, np.ndarray]] = []
        self.n_inv = 0
        # risk_oracle only: a dict to record the dispute odds of every invoice and
        # the churn terms of every month into (reads the state, draws nothing).
        self.oracle: dict[str, list] | None = None
        self.oracle_final = False

    # ------------------------------------------------------------------ setup
    @staticmethod
    def _shift_wd(d: int) -> int:
        while weekday(d) >= 5:
            d += 1
        return d

    def _setup_dst(self) -> None:
        self.y0 = int(self.year.min()) - 1
        years = range(self.y0, int(self.year.max()) + 2)
        self.eu_dst = np.array([(_last_sunday(y, 3), _last_sunday(y, 10)) for y in years])
        self.us_dst = np.array([(_nth_sunday(y, 3, 2), _nth_sunday(y, 11, 1)) for y in years])

    def _offset_min(self, tz: np.ndarray, day: np.ndarray) -> np.ndarray:
        """UTC offset in minutes of a local zone (0 CET, 1 UK/IE, 2 US east) on a day."""
        yi = day.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970 - self.y0
        eu = (day >= self.eu_dst[yi, 0]) & (day < self.eu_dst[yi, 1])
        us = (day >= self.us_dst[yi, 0]) & (day < self.us_dst[yi, 1])
        return np.select([tz == 0, tz == 1], [60 + 60 * eu, 60 * eu], default=-300 + 60 * us)

    def _names(self, k: int, first: list[str], last: list[str], unique: bool = False) -> np.ndarray:
        if unique and k <= len(first) * len(last):
            flat = self.rng.choice(len(first) * len(last), k, replace=False)
            f, la = flat // len(last), flat % len(last)
        else:
            f = self.rng.integers(0, len(first), k)
            la = self.rng.integers(0, len(last), k)
        return np.array([f"{first[i]} {last[j]}" for i, j in zip(f, la, strict=True)], dtype=object)

    def _setup_people(self) -> None:
        rng, n = self.rng, self.n
        self.n_pm = max(4, round(n / 55))
        self.n_lead = max(3, round(n / 160))
        n0 = max(60, int(0.9 * n))
        role0 = rng.choice(7, n0, p=STAFF_ROLE_P / STAFF_ROLE_P.sum())
        leave0 = rng.geometric(0.011, n0) - 1
        leavers = np.flatnonzero(leave0 < self.nt)
        names = self._names(
            self.n_pm + self.n_lead + n0 + len(leavers), FIRM_FIRST, FIRM_LAST, unique=True
        )
        self.pm_name = names[: self.n_pm]
        self.lead_name = names[self.n_pm : self.n_pm + self.n_lead]
        staff_names = names[self.n_pm + self.n_lead :]
        self.pm_email = np.array(
            [_slug(x.replace(" ", ".")) + "@" + FIRM_DOMAIN for x in self.pm_name], dtype=object
        )
        self.lead_email = np.array(
            [_slug(x.replace(" ", ".")) + "@" + FIRM_DOMAIN for x in self.lead_name], dtype=object
        )
        self.pm_q = rng.normal(0.0, 0.45, self.n_pm)
        self.pm_bias = rng.uniform(0.0, 0.35, self.n_pm)
        self.pm_sloppy = rng.uniform(0.0, 0.35, self.n_pm)
        self.pm_billall = rng.random(self.n_pm) < 0.35
        self.pm_lowdetail = rng.random(self.n_pm) < 0.3
        self.pm_link = rng.choice(3, self.n_pm, p=[0.45, 0.4, 0.15])
        self.pm_w = rng.dirichlet(np.full(self.n_pm, 8.0))
        ret_pm = rng.random(self.n_pm) < 0.3
        ret_pm[rng.integers(0, self.n_pm)] = True
        self.pm_w_ret = np.where(ret_pm, self.pm_w + 0.02, 0.0)
        self.pm_w_ret /= self.pm_w_ret.sum()
        self.pm_w_proj = np.where(ret_pm, self.pm_w * 0.3, self.pm_w)
        self.pm_w_proj /= self.pm_w_proj.sum()
        self.lead_eff = rng.normal(0.0, 0.2, self.n_lead)
        # engineering staff: firm-wide turnover, each leaver replaced by a hire
        role = np.concatenate([role0, role0[leavers]])
        hire = np.concatenate([np.full(n0, -999), leave0[leavers] + 1])
        leave = np.concatenate([leave0, np.full(len(leavers), 10**6)])
        self.staff_role = role
        self.staff_hire = hire
        self.staff_leave = leave
        self.n_staff = len(role)
        self.staff_name = np.concatenate([staff_names, self.pm_name])
        self.person_role = np.concatenate([role, np.full(self.n_pm, 7)])

    def _setup_clients(self) -> None:
        rng, n = self.rng, self.n
        de = rng.random(n) < 0.55
        self.de = de
        country = np.where(
            de,
            rng.choice(np.array(["DE", "AT", "CH"]), n, p=[0.74, 0.15, 0.11]),
            rng.choice(np.array(["GB", "US", "IE"]), n, p=[0.5, 0.32, 0.18]),
        )
        self.country = country
        self.tz = np.select([de, country == "US"], [0, 2], default=1)
        self.industry = rng.choice(len(INDUSTRIES), n, p=IND_P / IND_P.sum())
        self.size = np.exp(rng.normal(0.0, 0.55, n))
        self.rate_f = np.clip(rng.uniform(0.9, 1.06, n) - 0.03 * np.log(self.size), 0.8, 1.1)
        self.strict = rng.normal(0.0, 1.0, n) + 0.35 * np.log(self.size) + IND_STRICT[self.industry]
        u = rng.random(n)
        habit = np.where(
            u < 0.6,
            rng.normal(0.0, 3.0, n),
            np.where(u < 0.9, rng.uniform(5, 20, n), rng.uniform(20, 45, n)),
        )
        self.pay_habit = habit + 8.0 * (self.industry == 5)
        self.terms = np.where(
            de,
            rng.choice([14, 30], n, p=[0.35, 0.65]),
            rng.choice([30, 45, 60], n, p=[0.6, 0.28, 0.12]),
        )
        self.lead = rng.choice(self.n_lead, n, p=rng.dirichlet(np.full(self.n_lead, 3.0)))
        existing = rng.random(n) < 0.78
        self.existing = existing
        self.join_t = np.where(existing, 0, self.burn + rng.integers(0, self.months - 1, n))
        since_old = (
            self.ms[0] - 20 - np.minimum(rng.exponential(3.2 * 365, n), 14 * 365).astype(np.int64)
        )
        since_new = self.ms[self.join_t] + (rng.random(n) * (self.dim[self.join_t] - 3)).astype(
            np.int64
        )
        self.since = np.where(existing, since_old, since_new)
        self.consolidated = rng.random(n) < 0.1
        self.po_req = rng.random(n) < (0.25 + 0.3 * (self.size > 1.3))
        # names
        pre = np.where(de, rng.integers(0, len(DE_PREFIX), n), rng.integers(0, len(EN_PREFIX), n))
        names, doms = [], []
        for i in range(n):
            c = str(country[i])
            legal, lp = LEGAL[c]
            lg = legal[int(rng.choice(len(legal), p=lp))]
            if de[i]:
                p, core = DE_PREFIX[pre[i]], DE_CORE[self.industry[i]]
            else:
                p, core = EN_PREFIX[pre[i]], EN_CORE[self.industry[i]]
            names.append([p, core, lg])
            doms.append(_slug(f"{p}-{core.split()[0]}") + "." + TLD[c])
        base = pd.Series([f"{a} {b}" for a, b, _ in names])
        k = base.groupby(base).cumcount().to_numpy()
        out = []
        for i in range(n):
            a, b, lg = names[i]
            suf = NAME_SUFFIX_DE if de[i] else NAME_SUFFIX_EN
            extra = (
                ""
                if k[i] == 0
                else (
                    " "
                    + suf[(k[i] - 1) % len(suf)]
                    + ("" if k[i] <= len(suf) else f" {k[i] // len(suf) + 1}")
                )
            )
            out.append(f"{a} {b}{extra} {lg}")
            if k[i]:
                doms[i] = doms[i].replace(".", f"{k[i]}.", 1)
        self.cname = np.array(out, dtype=object)
        self.domain = np.array(doms, dtype=object)
        self.cid = np.array(
            [f"KD-{x:05d}" for x in rng.permutation(np.arange(10000, 10000 + 3 * n))[:n]],
            dtype=object,
        )
        self.cid = np.array(sorted(self.cid), dtype=object)
        # contacts: sponsor per era (a new sponsor after each loss) plus two others
        self.sponsor = np.empty((n, 6), dtype=object)
        self.contacts = np.empty((n, 2), dtype=object)
        for col in range(6):
            self.sponsor[:, col] = np.where(
                de, self._names(n, DE_FIRST, DE_LAST), self._names(n, EN_FIRST, EN_LAST)
            )
        for col in range(2):
            self.contacts[:, col] = np.where(
                de, self._names(n, DE_FIRST, DE_LAST), self._names(n, EN_FIRST, EN_LAST)
            )

    def _setup_exogenous(self) -> None:
        rng, n, nt = self.rng, self.n, self.nt
        ni = len(INDUSTRIES)
        ind = np.zeros((ni, nt))
        x = rng.normal(0.0, 0.3, ni)
        for t in range(nt):
            x = 0.9 * x + rng.normal(0.0, 0.18, ni)
            ind[:, t] = x
        for k in rng.choice(ni, 3, replace=False):
            s = int(rng.integers(0, max(1, nt - 6)))
            ln = int(rng.integers(5, 11))
            amp = rng.uniform(0.8, 1.3)
            tt = np.arange(nt)
            ramp = np.clip(np.minimum(tt - s + 1, s + ln - tt) / 2.5, 0, 1)
            ind[k] += amp * ramp
        self.ind_b = ind
        idio = rng.normal(0.0, 0.4, n)
        frz = np.zeros(n)
        base = rng.normal(0.0, 0.3, n)
        b = np.zeros((n, nt))
        for t in range(nt):
            idio = 0.85 * idio + rng.normal(0.0, 0.3, n)
            frz = 0.8 * frz + 1.4 * (rng.random(n) < 0.012)
            b[:, t] = 0.8 * ind[self.industry, t] + idio + frz + base
        self.bp = b
        loss = rng.random((n, nt)) < 0.017
        ks = np.zeros((n, nt), dtype=np.int64)
        era = np.zeros((n, nt), dtype=np.int64)
        k = np.full(n, 99)
        e = np.zeros(n, dtype=np.int64)
        for t in range(nt):
            k = np.where(loss[:, t], 0, k + 1)
            e = np.minimum(e + loss[:, t], 5)
            ks[:, t] = k
            era[:, t] = e
        self.ksince = ks
        self.era = era
        # dynamic client state
        self.frus = np.abs(rng.normal(0.0, 0.3, n))
        self.decided = np.zeros(n, dtype=bool)
        self.dec_t = np.full(n, 10**6)
        self.notice_t = np.full(n, 10**6)
        self.churn_day = np.full(n, -1, dtype=np.int64)
        self.stealth = np.zeros(n, dtype=bool)
        self.dec_kind = np.zeros(n, dtype=np.int64)
        self.reason = np.full(n, "", dtype=object)
        self.idle_m = np.zeros(n, dtype=np.int64)
        self.dcount = np.zeros((n, nt + 2), dtype=np.int64)
        self.pm_ratio_c = np.ones(n)

    def _setup_projects(self) -> None:
        cap = int(self.n * (5 + 0.35 * self.nt)) + 200
        self.cap = cap
        self.np_ = 0
        z = np.zeros
        self.p_c = z(cap, np.int64)
        self.p_kind = z(cap, np.int64)
        self.p_type = z(cap, np.int64)
        self.p_pm = z(cap, np.int64)
        self.p_start = z(cap, np.int64)
        self.p_pend = z(cap, np.int64)
        self.p_d = z(cap, np.int64)
        self.p_budget = z(cap)
        self.p_base_h = z(cap)
        self.p_blend = z(cap)
        self.p_h = z(cap)
        self.p_cx = z(cap)
        self.p_tprog = z(cap)
        self.p_rprog = z(cap)
        self.p_scope = np.ones(cap)
        self.p_scope_b = np.ones(cap)
        self.p_cum = z(cap)
        self.p_capamt = z(cap)
        self.p_done = z(cap, bool)
        self.p_done_day = np.full(cap, -1, np.int64)
        self.p_closed = np.full(cap, -1, np.int64)
        self.p_keyloss = z(cap)
        self.p_team = np.full((cap, 5), -1, np.int64)
        self.p_w = z((cap, 5))
        self.p_rate = z((cap, 5))
        self.p_newbie = z((cap, 5), np.int64)
        self.p_incl = z(cap)
        self.p_fee = z(cap)
        self.p_util = z(cap)
        self.p_util_ema = np.ones(cap)
        self.p_used_prev = z(cap)
        self.p_used_cum = z(cap)
        self.p_tm_prev = z(cap)
        self.p_tm_cur = z(cap)
        self.p_tm_prev_h = z(cap)
        self.p_tm_cur_h = z(cap)
        self.p_tm_prev_n = z(cap, np.int64)
        self.p_tm_cur_n = z(cap, np.int64)
        self.p_ref = z(cap)
        self.p_billed = z(cap)
        self.p_invoiced_ff = z(cap)
        self.p_flags = z(cap, np.int64)
        self.p_link = z(cap, np.int64)
        self.p_gen = z(cap, np.int64)

    # --------------------------------------------------------------- helpers
    def _pick_day(self, lo: np.ndarray, hi: np.ndarray, weekend_p: float = 0.04) -> np.ndarray:
        rng = self.rng
        lo = np.asarray(lo, np.int64)
        hi = np.maximum(np.asarray(hi, np.int64), lo)
        d = lo + (rng.random(len(lo)) * (hi - lo + 1)).astype(np.int64)
        wd = weekday(d)
        keep = rng.random(len(lo)) < weekend_p
        sat = (wd == 5) & ~keep
        sun = (wd == 6) & ~keep
        d = np.where(sat & (d - 1 >= lo), d - 1, np.where(sat & (d + 2 <= hi), d + 2, d))
        d = np.where(sun & (d + 1 <= hi), d + 1, np.where(sun & (d - 2 >= lo), d - 2, d))
        return d

    def _month_of(self, day: np.ndarray) -> np.ndarray:
        return np.clip(np.searchsorted(self.ms, day, side="right") - 1, 0, self.nt - 1)

    def _staff_for(self, role: np.ndarray, t: int) -> np.ndarray:
        out = np.empty(len(role), np.int64)
        act = (self.staff_hire <= t) & (self.staff_leave > t)
        for r in np.unique(role):
            pool = np.flatnonzero(act & (self.staff_role == r))
            if len(pool) == 0:
                pool = np.flatnonzero(self.staff_role == r)
            sel = role == r
            out[sel] = pool[self.rng.integers(0, len(pool), sel.sum())]
        return out

    # -------------------------------------------------------------- projects
    def _add_projects(
        self,
        cl: np.ndarray,
        t: int,
        start: np.ndarray,
        ptype: np.ndarray | None = None,
        pm: np.ndarray | None = None,
        incl: np.ndarray | None = None,
        gen: np.ndarray | None = None,
    ) -> np.ndarray:
        rng = self.rng
        k = len(cl)
        if k == 0:
            return np.zeros(0, np.int64)
        if self.np_ + k > self.cap:
            raise RuntimeError("project capacity exceeded")
        idx = np.arange(self.np_, self.np_ + k)
        self.np_ += k
        tw = np.array([x[7] for x in TYPES])
        if ptype is None:
            ptype = rng.choice(len(TYPES), k, p=tw / tw.sum())
        wf = np.array([x[2] for x in TYPES])[ptype]
        wt = np.array([x[3] for x in TYPES])[ptype]
        u = rng.random(k)
        kind = np.where(u < wf, 0, np.where(u < wf + wt, 1, 2))
        dlo = np.array([x[5] for x in TYPES])[ptype]
        dhi = np.array([x[6] for x in TYPES])[ptype]
        dur = dlo + (rng.random(k) * (dhi - dlo + 1)).astype(np.int64)
        cx = np.array([x[8] for x in TYPES])[ptype] + rng.normal(0.0, 0.2, k)
        if pm is None:
            pm = np.where(
                kind == 2,
                rng.choice(self.n_pm, k, p=self.pm_w_ret),
                rng.choice(self.n_pm, k, p=self.pm_w_proj),
            )
        size = self.size[cl]
        # team
        ts = np.where(kind == 2, 1 + rng.binomial(2, 0.35, k), 1 + rng.binomial(3, 0.45, k))
        roles = np.full((k, 5), -1, np.int64)
        roles[:, 0] = np.where(rng.random(k) < 0.65, 2, 3)
        other = rng.choice(7, (k, 3), p=np.array([0.15, 0.35, 0.1, 0.0, 0.18, 0.1, 0.12]))
        other_ret = rng.choice(7, (k, 3), p=np.array([0.1, 0.45, 0.1, 0.0, 0.05, 0.0, 0.3]))
        other = np.where((kind == 2)[:, None], other_ret, other)
        for j in range(1, 4):
            roles[:, j] = np.where(ts > j, other[:, j - 1], -1)
        has_pm = (ts >= 2) & (kind != 2) | (rng.random(k) < 0.2)
        team = np.full((k, 5), -1, np.int64)
        filled = roles >= 0
        team[filled] = self._staff_for(roles[filled], t)
        team[:, 4] = np.where(has_pm, self.n_staff + pm, -1)
        roles[:, 4] = np.where(has_pm, 7, -1)
        w = rng.gamma(2.0, 1.0, (k, 5)) * (team >= 0)
        w[:, 0] *= 1.4
        w[:, 4] = np.where(has_pm, 0.1 * w[:, :4].sum(1), 0.0)
        w /= w.sum(1, keepdims=True)
        rate = np.where(roles >= 0, ROLE_RATE[np.maximum(roles, 0)], 0.0) * self.rate_f[cl][:, None]
        blend = (w * rate).sum(1)
        base_h = ts * rng.uniform(45, 100, k) * size**0.35
        if incl is None:
            incl = rng.choice(np.array([16, 24, 40, 60, 80, 120]), k) * np.sqrt(size)
            incl = np.maximum(8, np.round(incl / 4) * 4)
        fee = np.round(incl * blend * 0.92 / 50) * 50
        base_h = np.where(kind == 2, incl, base_h)
        budget = np.where(
            kind == 0,
            np.round(base_h * dur * blend * rng.uniform(1.0, 1.2, k) / 500) * 500,
            np.where(
                kind == 1,
                np.round(base_h * dur * blend * rng.uniform(0.85, 1.1, k) / 1000) * 1000,
                fee * 12,
            ),
        )
        budget = np.maximum(budget, 1000.0)
        start = np.asarray(start, np.int64)
        pend = np.where(kind == 2, start + 364, start + np.round(dur * 30.44).astype(np.int64) - 1)
        pend = np.maximum(pend, start + 20)
        c = self.p_c
        c[idx] = cl
        self.p_kind[idx] = kind
        self.p_type[idx] = ptype
        self.p_pm[idx] = pm
        self.p_start[idx] = start
        self.p_pend[idx] = pend
        self.p_d[idx] = dur
        self.p_budget[idx] = budget
        self.p_base_h[idx] = base_h
        self.p_blend[idx] = blend
        self.p_cx[idx] = cx
        self.p_h[idx] = rng.normal(0.6 * (self.pm_q[pm] - cx), 0.4)
        self.p_team[idx] = team
        self.p_w[idx] = w
        self.p_rate[idx] = rate
        self.p_incl[idx] = np.where(kind == 2, incl, 0.0)
        self.p_fee[idx] = np.where(kind == 2, fee, 0.0)
        self.p_util[idx] = np.clip(rng.normal(0.85, 0.3, k), 0.2, 1.6)
        self.p_util_ema[idx] = self.p_util[idx]
        self.p_capamt[idx] = budget
        self.p_ref[idx] = base_h * blend
        link = self.pm_link[pm]
        self.p_link[idx] = np.where(self.consolidated[cl], 0, link)
        self.p_gen[idx] = 0 if gen is None else gen
        return idx

    def _initial_portfolio(self) -> None:
        rng = self.rng
        ex = np.flatnonzero(self.existing)
        k0 = np.where(rng.random(len(ex)) < 0.08, 0, 1 + rng.poisson(0.45 * np.sqrt(self.size[ex])))
        cl = np.repeat(ex, k0)
        idx = self._add_projects(cl, 0, np.full(len(cl), self.ms[0]))
        kind = self.p_kind[idx]
        dur = self.p_d[idx]
        el = np.where(
            kind == 2, rng.uniform(0, 11.5, len(idx)), rng.uniform(0, 0.85, len(idx)) * dur
        )
        start = self.ms[0] - np.round(el * 30.44).astype(np.int64)
        start = np.maximum(start, self.since[cl] + 1)
        el = (self.ms[0] - start) / 30.44
        self.p_start[idx] = start
        pend = np.where(kind == 2, start + 364, start + np.round(dur * 30.44).astype(np.int64) - 1)
        self.p_pend[idx] = np.maximum(pend, self.ms[0] + 10)
        tp = np.clip(el / dur * 100 * rng.uniform(0.75, 1.05, len(idx)), 0, 92)
        self.p_tprog[idx] = np.where(kind == 2, 0, tp)
        self.p_rprog[idx] = self.p_tprog[idx]
        self.p_cum[idx] = el * self.p_base_h[idx] * self.p_blend[idx]
        self.p_billed[idx] = np.where(kind == 1, self.p_cum[idx], 0)
        self.p_used_cum[idx] = np.where(kind == 2, el * self.p_incl[idx] * self.p_util[idx], 0)
        fl = np.where(kind == 0, 1 + 2 * (tp >= 50), 0)
        self.p_flags[idx] = fl
        self.p_invoiced_ff[idx] = self.p_budget[idx] * (0.3 * (fl & 1 > 0) + 0.4 * (fl & 2 > 0))
        self.p_tm_prev[idx] = np.where(kind == 1, self.p_ref[idx], 0)

    # ------------------------------------------------------------- invoices
    def _emit_invoices(self, t: int, inv: dict[str, np.ndarray]) -> np.ndarray:
        """Decide dispute and payment for a batch of new invoices and store it."""
        rng = self.rng
        k = len(inv["c"])
        if k == 0:
            return np.zeros(0, np.int64)
        c = inv["c"]
        nominal = inv["issue"]
        # a client that has given notice gets its invoices on or before that day
        cd = self.churn_day[c]
        inv["issue"] = np.where((cd >= 0) & (inv["issue"] > cd), cd, inv["issue"])
        kind = inv["kind"]
        f = np.minimum(self.frus[c], 4.0)
        b = self.bp[c, t]
        lv = self._leaving_visible(t)[c]
        ks = self.ksince[c, t]
        h = inv["h"]
        shock = np.clip(inv["shock"] - 0.25, 0, 2)
        over = np.clip(inv["over"], 0, 1.5)
        lowd = (inv["lines"] <= 3) & (inv["amount"] > 8000) & (kind == 0)
        keff = np.select(
            [kind == 1, kind == 2, kind == 3, kind == 4, kind == 5, kind == 6, kind == 7],
            [
                -1.2 + 0 * h,
                0.2 + 1.0 * np.maximum(0, -h),
                0.3 + 1.0 * np.maximum(0, -h),
                1.3 + 0 * h,
                -0.9 + 0 * h,
                1.1 + 0 * h,
                1.5 + 0 * h,
            ],
            default=0.0,
        )
        z0 = (
            -5.5
            + 0.65 * self.strict[c]
            + 0.5 * f
            + 0.3 * np.maximum(b, 0)
            + keff
            + 1.1 * shock
            + 1.3 * over
            + 0.5 * lowd
            + 0.9 * lv
            + 0.5 * ((ks >= 1) & (ks <= 4))
        )
        z = z0 + rng.normal(0.0, 0.4, k)
        model = rng.random(k) < sigmoid(z)
        po_missing = self.po_req[c] & (rng.random(k) < 0.08)
        admin = ~model & (rng.random(k) < np.where(po_missing, 0.22, 0.002))
        disp = model | admin
        cause = np.select(
            [
                admin,
                kind == 4,
                kind == 6,
                (kind == 2) | (kind == 3) | (kind == 7),
                (kind == 0) & ((shock > 0.2) | (over > 0.05) | (rng.random(k) < 0.5)),
            ],
            ["admin", "scope", "overage", "acceptance", "hours"],
            default="general",
        )
        gap = np.minimum(2 + np.round(rng.gamma(2.0, 3.5, k)).astype(np.int64), 29)
        dday = np.where(disp, inv["issue"] + gap, -1)
        due = inv["issue"] + self.terms[c]
        late = self.pay_habit[c] + 6 * np.maximum(b, 0) + rng.normal(0, 3, k) + 4 * lv
        paid = due + np.round(late).astype(np.int64)
        paid = np.maximum(paid, inv["issue"] + 1)
        res = np.where(admin, rng.integers(5, 16, k), rng.integers(7, 46, k))
        paid = np.where(disp, np.maximum(paid, dday + res), paid)
        never = (disp & ~admin & (rng.random(k) < 0.06)) | (rng.random(k) < 0.008)
        paid = np.where(never, -1, paid)
        if self.oracle is not None:
            self.oracle["invoices"].append(
                {
                    "c": c,
                    "p": inv["p"],
                    "t": np.full(k, t),
                    "kind": kind,
                    "issue": nominal,
                    "amount": inv["amount"],
                    "z0": z0,
                    "f": f,
                    "b": b,
                    "lv": lv.astype(float),
                    "ks": ((ks >= 1) & (ks <= 4)).astype(float),
                    "keff": keff,
                    "h": h,
                    "po_missing": po_missing,
                    "dday": dday,
                    "final": np.full(k, self.oracle_final),
                }
            )
        inv["due"] = due
        inv["dday"] = dday
        inv["paid"] = paid
        inv["cause"] = cause.astype(object)
        inv["po"] = np.where(self.po_req[c] & ~po_missing, "", "-")
        inv["id"] = np.arange(self.n_inv, self.n_inv + k)
        inv["t"] = np.full(k, t)
        self.n_inv += k
        dm = self._month_of(np.maximum(dday, 0))
        np.add.at(self.dcount, (c[disp], dm[disp]), 1)
        self.invoices.append(inv)
        if t >= self.burn - 1:
            self._invoice_messages(t, inv, disp, shock, over)
        return inv["id"]

    def _new_inv(
        self, c, p, issue, amount, kind, lines, ps, pe, h, shock, over
    ) -> dict[str, np.ndarray]:
        k = len(c)

        def arr(x, dt=float):
            return np.broadcast_to(np.asarray(x, dtype=dt), (k,)).copy()

        return {
            "c": arr(c, np.int64),
            "p": arr(p, np.int64),
            "issue": arr(issue, np.int64),
            "amount": np.round(arr(amount), 2),
            "kind": arr(kind, np.int64),
            "lines": arr(lines, np.int64),
            "ps": arr(ps, np.int64),
            "pe": arr(pe, np.int64),
            "h": arr(h),
            "shock": arr(shock),
            "over": arr(over),
        }

    def _leaving_visible(self, t: int) -> np.ndarray:
        return self.decided & ~self.stealth & (self.dec_t < t)

    # ------------------------------------------------------------ messages
    def _add_msgs(self, c, cat, day, p=-1, inv=-1, score=np.nan, extra=0.0, pct=np.nan) -> None:
        k = len(c)
        if k == 0:
            return

        def arr(x, dt):
            return np.broadcast_to(np.asarray(x, dtype=dt), (k,)).copy()

        self.msgs.append(
            {
                "c": arr(c, np.int64),
                "cat": arr(cat, np.int64),
                "day": arr(day, np.int64),
                "p": arr(p, np.int64),
                "inv": arr(inv, np.int64),
                "score": arr(score, float),
                "extra": arr(extra, float),
                "pct": arr(pct, float),
            }
        )

    def _invoice_messages(self, t, inv, disp, shock, over) -> None:
        rng = self.rng
        c, k = inv["c"], len(inv["c"])
        send = rng.random(k) < 0.85
        self._add_msgs(
            c[send],
            CI["invoice"],
            inv["issue"][send] + (rng.random(send.sum()) < 0.2),
            inv["p"][send],
            inv["id"][send],
        )
        # a billing question sometimes precedes a dispute, sometimes it is a false alarm
        gap = inv["dday"] - inv["issue"]
        q_d = disp & (gap >= 3) & (rng.random(k) < 0.35)
        q_n = ~disp & (rng.random(k) < 0.015 + 0.05 * shock + 0.05 * over)
        qd = np.where(
            q_d,
            inv["issue"] + 1 + (rng.random(k) * np.maximum(gap - 2, 1)).astype(np.int64),
            inv["issue"] + rng.integers(2, 14, k),
        )
        q = q_d | q_n
        self._add_msgs(c[q], CI["bill"], qd[q], inv["p"][q], inv["id"][q])
        dm = disp & (rng.random(k) < 0.72)
        self._add_msgs(c[dm], CI["dispute"], inv["dday"][dm], inv["p"][dm], inv["id"][dm])
        # payment reminders for late invoices
        late = (inv["paid"] < 0) | (inv["paid"] > inv["due"] + 9)
        r1 = late & (rng.random(k) < 0.7)
        self._add_msgs(
            c[r1],
            CI["reminder"],
            inv["due"][r1] + rng.integers(7, 10, r1.sum()),
            inv["p"][r1],
            inv["id"][r1],
        )
        r2 = ((inv["paid"] < 0) | (inv["paid"] > inv["due"] + 35)) & (rng.random(k) < 0.5)
        self._add_msgs(
            c[r2],
            CI["reminder"],
            inv["due"][r2] + rng.integers(30, 35, r2.sum()),
            inv["p"][r2],
            inv["id"][r2],
        )

    # --------------------------------------------------------------- month
    def _month(self, t: int) -> None:
        rng = self.rng
        ms, me, dim = int(self.ms[t]), int(self.me[t]), int(self.dim[t])
        if self.oracle is not None:
            self.oracle["frus"].append(self.frus.copy())
            self.oracle["health"].append(self.p_h[: self.np_].copy())
        alive = (self.join_t <= t) & (self.notice_t >= t)
        lv = self._leaving_visible(t)
        npj = self.np_
        open_p = ~self.p_done[:npj] & (self.p_start[:npj] <= me)
        a_open = np.bincount(self.p_c[:npj][open_p], minlength=self.n)
        # ---- new work
        if t == 0:
            self._initial_portfolio()
        newc = np.flatnonzero((self.join_t == t) & ~self.existing)
        if len(newc):
            st = np.clip(self.since[newc] + rng.integers(0, 15, len(newc)), ms, me)
            self._add_projects(newc, t, st)
        old = alive & (self.join_t < t) & ~(self.decided & ~self.stealth)
        lam = (
            0.11 * self.size**0.4 * np.exp(-0.45 * self.frus - 0.35 * np.maximum(self.bp[:, t], 0))
        )
        lam = (
            lam * np.where(a_open == 0, 2.5, 1.0) * (a_open < 4) * np.where(self.decided, 0.15, 1.0)
        )
        kk = np.where(old, np.minimum(rng.poisson(lam), 2), 0)
        if kk.sum():
            cl = np.repeat(np.arange(self.n), kk)
            st = ms + (rng.random(len(cl)) * dim).astype(np.int64)
            st = np.minimum(
                np.where(self.churn_day[cl] >= 0, np.minimum(st, self.churn_day[cl]), st), me
            )
            self._add_projects(cl, t, st)
        npj = self.np_
        # ---- step active projects
        pidx = np.arange(npj)
        act = pidx[~self.p_done[:npj] & (self.p_start[:npj] <= me) & alive[self.p_c[:npj]]]
        self._step_projects(t, act, lv)
        # ---- invoices
        self._month_invoices(t, act)
        # ---- messages
        if t >= self.burn:
            self._month_messages(t, act, alive, lv)
        # ---- frustration update (disputes raised this month feed it)
        prob = np.bincount(self.p_c[act], weights=self._problem, minlength=self.n)
        self.frus = np.maximum(
            0.0,
            0.72 * self.frus
            + 0.55 * np.minimum(prob, 3.0)
            + 0.45 * self.dcount[:, t]
            + rng.normal(0, 0.08, self.n),
        )
        # ---- churn decision
        npj = self.np_
        open_after = ~self.p_done[:npj]
        a_next = np.bincount(self.p_c[:npj][open_after], minlength=self.n)
        self.idle_m = np.where(alive & (a_next == 0), self.idle_m + 1, 0)
        if self.oracle is not None:
            h, _ = self._churn_terms(t)
            self.oracle["hazard"].append(h)
            self.oracle["idle5"].append(self.idle_m >= 5)
        if t >= self.burn:
            self._churn_decision(t, alive)

    def _step_projects(self, t: int, p: np.ndarray, lv: np.ndarray) -> None:
        rng = self.rng
        ms, me, dim = int(self.ms[t]), int(self.me[t]), int(self.dim[t])
        k = len(p)
        c = self.p_c[p]
        kind = self.p_kind[p]
        lo = np.maximum(self.p_start[p], ms)
        frac = (me - lo + 1) / dim
        season = SEASON[self.moy[t]]
        # staff departures: firm-wide, hit every project the person works on
        team = self.p_team[p, :4]
        valid = team >= 0
        dep = valid & (self.staff_leave[np.maximum(team, 0)] == t)
        if dep.any():
            rows, cols = np.nonzero(dep)
            roles = self.staff_role[team[rows, cols]]
            self.p_team[p[rows], cols] = self._staff_for(roles, t + 1)
            hit = np.where((cols == 0) | (roles >= 2) & (roles <= 3), 0.9, 0.35)
            np.add.at(self.p_keyloss, p[rows], hit)
            self.p_newbie[p[rows], cols] = 2
        # PM load
        load = np.bincount(
            self.p_pm[p], weights=np.where(self.p_kind[p] == 2, 0.35, 1.0), minlength=self.n_pm
        )
        mload = load[load > 0].mean() if (load > 0).any() else 1.0
        ratio = load[self.p_pm[p]] / mload
        self.pm_ratio_c = np.ones(self.n)
        np.maximum.at(self.pm_ratio_c, c, ratio)
        # health
        h = (
            0.65 * self.p_h[p]
            + 0.35 * (self.pm_q[self.p_pm[p]] - self.p_cx[p])
            - self.p_keyloss[p]
            - 0.25 * np.maximum(ratio - 1.4, 0)
            + rng.normal(0, 0.3, k)
        )
        self.p_h[p] = h
        self.p_keyloss[p] *= 0.5
        b = self.bp[c, t]
        dem = np.clip(1 - 0.22 * np.maximum(b, 0) - 0.35 * lv[c] + rng.normal(0, 0.1, k), 0.3, 1.3)
        rework = np.clip(0.05 + 0.22 * np.maximum(0, -h), 0, 0.45)
        grow = (kind != 2) & (rng.random(k) < 0.1)
        self.p_scope[p] += grow * rng.uniform(0.05, 0.25, k)
        scope = self.p_scope[p]
        eff = np.clip(1 + 0.25 * h + rng.normal(0, 0.1, k), 0.25, 1.35)
        hours = self.p_base_h[p] * frac * season * rng.normal(1, 0.08, k)
        hours = np.where(kind == 0, hours * (1 + 0.8 * rework), hours)
        hours = np.where(kind == 1, hours * dem * (1 + 0.8 * rework), hours)
        used = (
            self.p_incl[p]
            * self.p_util[p]
            * rng.normal(1, 0.15, k)
            * (1 - 0.35 * lv[c])
            * (1 + 0.3 * np.maximum(0, -h))
            * season
            * frac
        )
        hours = np.where(kind == 2, np.maximum(used, 0.5), hours)
        inc = 100 / self.p_d[p] * frac * season * eff * np.where(kind == 1, dem, 1.0) / scope
        old_prog = self.p_tprog[p].copy()
        newprog = old_prog + inc
        fin = (kind != 2) & (newprog >= 100)
        ffrac = np.where(fin, np.clip((100 - old_prog) / np.maximum(inc, 1e-6), 0.05, 1), 1.0)
        hi = np.where(fin, lo + np.floor(ffrac * (me - lo)).astype(np.int64), me)
        rfin = (kind == 2) & (self.p_pend[p] <= me)
        hi = np.where(rfin, np.maximum(np.minimum(hi, self.p_pend[p]), lo), hi)
        cd = self.churn_day[c]
        cfin = (cd >= 0) & (cd <= me)
        hi = np.where(cfin, np.maximum(np.minimum(hi, cd), lo), hi)
        scale = (hi - lo + 1) / (me - lo + 1)
        hours = np.where(fin, hours * ffrac, hours * scale)
        newprog = np.where(cfin & ~fin, old_prog + inc * scale, newprog)
        tprog = np.minimum(newprog, 100)
        self.p_tprog[p] = np.where(kind == 2, 0, tprog)
        done = fin | rfin | cfin
        # planned progress and slip
        span = np.maximum(self.p_pend[p] - self.p_start[p] + 1, 1)
        planned = np.clip((hi - self.p_start[p] + 1) / span * 100, 0, 100)
        slip = np.where(kind == 2, 0, np.maximum(0, planned - tprog) / 100)
        # reported progress (optimistic, stalls, sometimes re-baselined)
        rp_old = self.p_rprog[p]
        bias = self.pm_bias[self.p_pm[p]]
        rp = np.minimum(tprog + 200 * bias * (tprog / 100) * (1 - tprog / 100), 96)
        rebase = (rp_old - tprog > 15) & (rng.random(k) < 0.25)
        rp = np.where(rebase, tprog + 3, np.maximum(rp, rp_old))
        rp = np.where(fin, 100, rp)
        used_cum = self.p_used_cum[p] + np.where(kind == 2, hours, 0)
        self.p_used_cum[p] = used_cum
        rp = np.where(
            kind == 2,
            np.clip(100 * used_cum / np.maximum(self.p_incl[p] * 12, 1), 0, 100),
            np.clip(rp, 0, 100),
        )
        self.p_rprog[p] = rp
        # time entries
        ent = self._entries(t, p, hours, lo, hi, rework)
        # project-level sums
        amt_b = np.bincount(ent["row"], weights=ent["amount"], minlength=k)
        hrs = np.bincount(ent["row"], weights=ent["hours"], minlength=k)
        nent = np.bincount(ent["row"], minlength=k)
        self.p_cum[p] += amt_b
        tm = kind == 1
        self.p_tm_cur[p] = np.where(tm, amt_b, 0)
        self.p_tm_cur_h[p] = np.where(tm, hrs, 0)
        self.p_tm_cur_n[p] = np.where(tm, nent, 0)
        self.p_billed[p] += np.where(tm, amt_b, 0)
        self._used_before = self.p_used_prev.copy()
        self.p_used_prev[p] = np.where(kind == 2, hrs, 0)
        full = np.where(kind == 2, np.maximum(self.p_incl[p] * frac * scale, 1), 1)
        self.p_util_ema[p] = np.where(
            kind == 2, 0.6 * self.p_util_ema[p] + 0.4 * hrs / full, self.p_util_ema[p]
        )
        self.p_newbie[p] = np.maximum(self.p_newbie[p] - 1, 0)
        # progress reports
        if t >= self.burn:
            self._progress_reports(t, p, lo, hi, rp_old, rp, fin, kind)
        # completion
        dday = np.where(cfin, np.minimum(hi, cd), hi)
        self.p_done[p] = done
        self.p_done_day[p] = np.where(done, dday, -1)
        u = rng.random(k)
        lag = np.where(
            u < 0.8, rng.integers(0, 21, k), np.where(u < 0.96, rng.integers(30, 120, k), 10**6)
        )
        closed = np.where(cfin, dday, dday + lag)
        self.p_closed[p] = np.where(done, closed, -1)
        # state for churn and frustration
        over = np.where(tm, self.p_billed[p] / np.maximum(self.p_budget[p], 1) - 1, 0)
        self._problem = (
            0.45 * np.maximum(0, -h)
            + 0.9 * slip
            + 0.6 * np.clip(over, 0, 1.5)
            + 0.25 * np.maximum(ratio - 1.25, 0)
        )
        self._step = {
            "p": p,
            "h": h,
            "slip": slip,
            "lo": lo,
            "hi": hi,
            "fin": fin,
            "rfin": rfin,
            "cfin": cfin,
            "rp": rp,
            "rp_old": rp_old,
            "hrs": hrs,
            "nent": nent,
            "dday": dday,
        }

    def _entries(self, t, p, hours, lo, hi, rework) -> dict[str, np.ndarray]:
        rng = self.rng
        slot_h = hours[:, None] * self.p_w[p]
        ok = (slot_h >= 0.5) & (self.p_team[p] >= 0)
        rows, slots = np.nonzero(ok)
        sh = slot_h[rows, slots]
        ne = np.clip(np.round(sh / rng.uniform(4.5, 8.0, len(sh))), 1, 22).astype(np.int64)
        r = np.repeat(rows, ne)
        s = np.repeat(slots, ne)
        hrs = np.repeat(sh / ne, ne) * rng.lognormal(0, 0.18, len(r))
        hrs = np.maximum(0.25, np.round(hrs * 4) / 4)
        day = self._pick_day(lo[r], hi[r])
        pp = p[r]
        role = np.where(
            s == 4, 7, self.staff_role[np.clip(self.p_team[pp, s], 0, self.n_staff - 1)]
        )
        person = self.p_team[pp, s]
        kind = self.p_kind[pp]
        u = rng.random(len(r))
        newbie = self.p_newbie[pp, s] > 0
        bug = (u < rework[r]) & (role != 7) & (kind != 2)
        onb = ~bug & newbie & (rng.random(len(r)) < 0.45)
        internal = ~bug & ~onb & (rng.random(len(r)) < 0.06)
        act = np.select(
            [
                bug,
                onb,
                internal,
                role == 7,
                role == 4,
                role == 5,
                role == 6,
                kind == 2,
                rng.random(len(r)) < 0.15,
            ],
            [1, 8, 7, 6, 3, 4, 5, 9, 2],
            default=0,
        )
        billable = ~onb & ~internal
        billable &= ~(bug & (kind == 1) & ~self.pm_billall[self.p_pm[pp]])
        rate = self.p_rate[pp, s]
        amount = np.where(billable, np.round(hrs * rate, 2), 0.0)
        # fixed fee: time value beyond the SOW (plus approved change requests) is written off
        ff = kind == 0
        if ff.any():
            order = np.lexsort((day, r))
            a_sorted = np.where(ff[order], amount[order], 0)
            cs = np.cumsum(a_sorted)
            grp = r[order]
            first = np.r_[0, np.flatnonzero(np.diff(grp)) + 1]
            starts = np.repeat(cs[first] - a_sorted[first], np.diff(np.r_[first, len(grp)]))
            within = cs - starts
            room = (self.p_capamt[p] - self.p_cum[p])[grp]
            over = ff[order] & (within > room)
            wo = np.zeros(len(r), bool)
            wo[order] = over
            billable &= ~wo
            amount = np.where(wo, 0.0, amount)
        if t >= self.burn:
            self.entries.append(
                {
                    "p": pp,
                    "t": np.full(len(r), t),
                    "day": day,
                    "hours": hrs,
                    "billable": billable,
                    "amount": amount,
                    "person": person,
                    "role": role,
                    "act": act,
                }
            )
        return {"row": r, "amount": amount, "hours": hrs}

    def _progress_reports(self, t, p, lo, hi, rp_old, rp, fin, kind) -> None:
        rng = self.rng
        k = len(p)
        sloppy = self.pm_sloppy[self.p_pm[p]]
        # mid-month report (projects only), end-of-month report
        mid = (kind != 2) & (hi - lo >= 10) & (rng.random(k) > sloppy)
        d_mid = self._pick_day(lo + 8, np.minimum(lo + 15, hi))
        v_mid = np.round(rp_old + (rp - rp_old) * 0.5, 1)
        endr = fin | (rng.random(k) > np.where(kind == 2, sloppy / 2, sloppy))
        d_end = np.where(fin, hi, self._pick_day(np.maximum(hi - 4, lo), hi))
        ms_lab = np.full(k, -1)
        for thr, code in ((25, 0), (50, 1), (75, 2)):
            ms_lab = np.where((rp_old < thr) & (rp >= thr) & (kind != 2), code, ms_lab)
        ms_lab = np.where(fin, 3, ms_lab)
        ms_lab = np.where((ms_lab < 0) & (kind != 2) & (rng.random(k) < 0.2), 4, ms_lab)
        ms_lab = np.where((kind == 2) & (rng.random(k) < 0.3), 5, ms_lab)
        self.progress.append(
            {"p": p[mid], "day": d_mid[mid], "pct": v_mid[mid], "ms": np.full(mid.sum(), -1)}
        )
        self.progress.append(
            {"p": p[endr], "day": d_end[endr], "pct": np.round(rp[endr], 1), "ms": ms_lab[endr]}
        )

    def _month_invoices(self, t: int, act: np.ndarray) -> None:
        rng = self.rng
        ms, me = int(self.ms[t]), int(self.me[t])
        npj = self.np_
        st = self._step
        p_all = np.arange(npj)
        # (a) T&M monthly in arrears for last month's work
        if t >= 1:
            q = p_all[(self.p_kind[:npj] == 1) & (self.p_tm_prev[:npj] > 0)]
            if len(q):
                cq = self.p_c[q]
                issue = self.first_wd[t] + rng.integers(0, 3, len(q))
                cons = self.consolidated[cq]
                ref = self.p_ref[q]
                amt = self.p_tm_prev[q]
                shock = np.log(np.maximum(amt, 1) / np.maximum(ref, 1))
                over = self.p_billed[q] / np.maximum(self.p_budget[q], 1) - 1
                self.p_ref[q] = 0.6 * ref + 0.4 * amt
                lowd = self.pm_lowdetail[self.p_pm[q]]
                lines = np.where(
                    lowd, rng.integers(1, 4, len(q)), np.maximum(1, self.p_tm_prev_n[q])
                )
                ps = np.maximum(self.ms[t - 1], self.p_start[q])
                pe = np.where(
                    self.p_done_day[q] >= 0,
                    np.minimum(self.p_done_day[q], self.me[t - 1]),
                    self.me[t - 1],
                )
                link = self.p_link[q]
                showp = (link == 1) | ((link == 0) & (rng.random(len(q)) < 0.5))
                h = self.p_h[q]
                # individual invoices
                ind = ~cons
                if ind.any():
                    inv = self._new_inv(
                        cq[ind],
                        q[ind],
                        issue[ind],
                        amt[ind],
                        0,
                        lines[ind],
                        np.where(showp[ind], ps[ind], -1),
                        np.where(showp[ind], pe[ind], -1),
                        h[ind],
                        shock[ind],
                        over[ind],
                    )
                    ids = self._emit_invoices(t, inv)
                    lk = link[ind] == 0
                    self.links.append((q[ind][lk], np.full(lk.sum(), t - 1), ids[lk]))
                if cons.any():
                    qc = q[cons]
                    df = pd.DataFrame(
                        {
                            "c": cq[cons],
                            "amt": amt[cons],
                            "lines": lines[cons],
                            "shock": shock[cons] * amt[cons],
                            "over": over[cons],
                            "h": h[cons],
                            "issue": issue[cons],
                        }
                    )
                    g = df.groupby("c", sort=True).agg(
                        amt=("amt", "sum"),
                        lines=("lines", "sum"),
                        shock=("shock", "sum"),
                        over=("over", "max"),
                        h=("h", "min"),
                        issue=("issue", "min"),
                    )
                    inv = self._new_inv(
                        g.index.to_numpy(),
                        -1,
                        g["issue"].to_numpy(),
                        g["amt"].to_numpy(),
                        0,
                        g["lines"].to_numpy(),
                        self.ms[t - 1],
                        self.me[t - 1],
                        g["h"].to_numpy(),
                        g["shock"].to_numpy() / g["amt"].to_numpy(),
                        g["over"].to_numpy(),
                    )
                    ids = self._emit_invoices(t, inv)
                    pos = np.searchsorted(g.index.to_numpy(), cq[cons])
                    self.links.append((qc, np.full(len(qc), t - 1), ids[pos]))
        # carry this month's T&M amounts to next month's invoice (final invoice on notice day)
        cd = self.churn_day[self.p_c[:npj]]
        churn_now = (cd >= ms) & (cd <= me)
        fq = p_all[(self.p_kind[:npj] == 1) & (self.p_tm_cur[:npj] > 0) & churn_now]
        if len(fq):
            cq = self.p_c[fq]
            inv = self._new_inv(
                cq,
                fq,
                self.churn_day[cq],
                self.p_tm_cur[fq],
                0,
                np.maximum(1, self.p_tm_cur_n[fq]),
                np.maximum(ms, self.p_start[fq]),
                self.churn_day[cq],
                self.p_h[fq],
                0.0,
                self.p_billed[fq] / np.maximum(self.p_budget[fq], 1) - 1,
            )
            self.oracle_final = True
            ids = self._emit_invoices(t, inv)
            self.oracle_final = False
            self.links.append((fq, np.full(len(fq), t), ids))
            self.p_tm_cur[fq] = 0
        self.p_tm_prev[:npj] = self.p_tm_cur[:npj]
        self.p_tm_prev_n[:npj] = self.p_tm_cur_n[:npj]
        self.p_tm_cur[:npj] = 0
        # (b) fixed fee kickoff
        p = st["p"]
        kind = self.p_kind[p]
        ff = kind == 0
        kick = ff & ((self.p_flags[p] & 1) == 0)
        if kick.any():
            q = p[kick]
            inv = self._new_inv(
                self.p_c[q],
                q,
                self.p_start[q] + rng.integers(0, 7, len(q)),
                0.3 * self.p_budget[q],
                1,
                rng.integers(1, 3, len(q)),
                -1,
                -1,
                self.p_h[q],
                0.0,
                0.0,
            )
            self._emit_invoices(t, inv)
            self.p_flags[q] |= 1
            self.p_invoiced_ff[q] += 0.3 * self.p_budget[q]
        # (c) beta / acceptance milestone at 50 % reported
        m2 = ff & ((self.p_flags[p] & 2) == 0) & (st["rp"] >= 50) & ~st["fin"] & ~st["cfin"]
        if m2.any():
            q = p[m2]
            iss = self._pick_day(st["lo"][m2], st["hi"][m2]) + rng.integers(2, 9, len(q))
            inv = self._new_inv(
                self.p_c[q],
                q,
                iss,
                0.4 * self.p_budget[q],
                2,
                rng.integers(1, 4, len(q)),
                -1,
                -1,
                st["h"][m2],
                0.0,
                0.0,
            )
            self._emit_invoices(t, inv)
            self.p_flags[q] |= 2
            self.p_invoiced_ff[q] += 0.4 * self.p_budget[q]
        # (d) final acceptance
        fa = ff & st["fin"] & ~st["cfin"]
        if fa.any():
            q = p[fa]
            amt = self.p_budget[q] - self.p_invoiced_ff[q]
            okk = amt > 100
            q = q[okk]
            inv = self._new_inv(
                self.p_c[q],
                q,
                st["dday"][fa][okk] + rng.integers(2, 13, len(q)),
                amt[okk],
                3,
                rng.integers(1, 4, len(q)),
                -1,
                -1,
                st["h"][fa][okk],
                0.0,
                0.0,
            )
            self._emit_invoices(t, inv)
            self.p_invoiced_ff[q] = self.p_budget[q]
        # (e) settlement of an unfinished fixed fee when the client gives notice
        se = ff & st["cfin"] & ~st["fin"]
        if se.any():
            q = p[se]
            amt = np.round(self.p_budget[q] * self.p_tprog[q] / 100 - self.p_invoiced_ff[q], -2)
            okk = amt > 500
            q = q[okk]
            inv = self._new_inv(
                self.p_c[q],
                q,
                self.churn_day[self.p_c[q]],
                amt[okk],
                7,
                rng.integers(1, 4, len(q)),
                -1,
                -1,
                st["h"][se][okk],
                0.0,
                0.0,
            )
            self._emit_invoices(t, inv)
        # (f) change requests on fixed fee
        crq = (
            ff
            & ~st["fin"]
            & ~st["cfin"]
            & (self.p_scope[p] - self.p_scope_b[p] >= 0.12)
            & (rng.random(len(p)) < 0.5)
        )
        if crq.any():
            q = p[crq]
            amt = np.round(
                (self.p_scope[q] - self.p_scope_b[q])
                * self.p_budget[q]
                * rng.uniform(0.5, 0.8, len(q)),
                -2,
            )
            iss = self._pick_day(st["lo"][crq], st["hi"][crq]) + rng.integers(0, 5, len(q))
            self.p_scope_b[q] = self.p_scope[q]
            self.p_capamt[q] += amt
            inv = self._new_inv(
                self.p_c[q],
                q,
                iss,
                amt,
                4,
                rng.integers(1, 3, len(q)),
                -1,
                -1,
                self.p_h[q],
                0.0,
                0.0,
            )
            if t >= self.burn:
                self._add_msgs(
                    self.p_c[q],
                    CI["cr"],
                    np.maximum(iss - rng.integers(3, 11, len(q)), self.p_start[q]),
                    q,
                )
            self._emit_invoices(t, inv)
        # (g) retainer fee in advance, (h) overage for last month
        rt = kind == 2
        if rt.any():
            q = p[rt]
            lo = st["lo"][rt]
            pend = np.minimum(self.p_pend[q], me)
            prorate = (pend - lo + 1) / self.dim[t]
            iss = np.maximum(self.first_wd[t], self.p_start[q]) + rng.integers(0, 3, len(q))
            inv = self._new_inv(
                self.p_c[q],
                q,
                iss,
                np.round(self.p_fee[q] * prorate, 2),
                5,
                1,
                lo,
                pend,
                self.p_h[q],
                0.0,
                0.0,
            )
            self._emit_invoices(t, inv)
            prev_used = self._used_before[q]
            if t >= 1:
                has = (prev_used > self.p_incl[q] * 1.08) & (self.p_start[q] < ms)
                if has.any():
                    qq = q[has]
                    amt = np.round((prev_used[has] - self.p_incl[qq]) * self.p_blend[qq], 2)
                    inv = self._new_inv(
                        self.p_c[qq],
                        qq,
                        iss[has] + rng.integers(0, 3, has.sum()),
                        amt,
                        6,
                        rng.integers(1, 4, has.sum()),
                        self.ms[t - 1],
                        self.me[t - 1],
                        self.p_h[qq],
                        0.0,
                        0.0,
                    )
                    self._emit_invoices(t, inv)
        # (i) retainer renewals at the end of the term
        rf = st["rfin"] & ~st["cfin"]
        if rf.any():
            q = p[rf]
            cq = self.p_c[q]
            ue = self.p_util_ema[q]
            pr = sigmoid(
                2.0
                - 0.7 * np.minimum(self.frus[cq], 4)
                - 4.0 * np.maximum(0, 0.55 - ue)
                - 0.4 * np.maximum(self.bp[cq, t], 0)
            )
            ren = (rng.random(len(q)) < pr) & ~self.decided[cq]
            if ren.any():
                qq = q[ren]
                incl = np.where(
                    self.p_util_ema[qq] < 0.6,
                    np.maximum(8, np.round(self.p_incl[qq] * 0.75 / 4) * 4),
                    self.p_incl[qq],
                )
                self._add_projects(
                    self.p_c[qq],
                    t,
                    self.p_pend[qq] + 1,
                    self.p_type[qq],
                    self.p_pm[qq],
                    incl,
                    self.p_gen[qq] + 1,
                )

    def _month_messages(self, t: int, act: np.ndarray, alive: np.ndarray, lv: np.ndarray) -> None:
        rng = self.rng
        ms, me = int(self.ms[t]), int(self.me[t])
        n = self.n
        st = self._step
        p = st["p"]
        c_p = self.p_c[p]
        kind = self.p_kind[p]
        a = np.bincount(c_p, minlength=n).astype(float)
        a_nr = np.bincount(c_p, weights=(kind != 2).astype(float), minlength=n)
        a_ret = a - a_nr
        hmin = np.zeros(n)
        np.minimum.at(hmin, c_p, st["h"])
        slip = np.zeros(n)
        np.maximum.at(slip, c_p, st["slip"])
        ret_h = np.bincount(c_p, weights=np.where(kind == 2, st["hrs"], 0.0), minlength=n)
        load_ex = np.maximum(self.pm_ratio_c - 1.2, 0)
        f = np.minimum(self.frus, 5.0)
        bb = self.bp[:, t]
        ks = self.ksince[:, t]
        sp = ((ks >= 1) & (ks <= 6)).astype(float)
        lvf = lv.astype(float)
        eng = np.clip(1 - 0.35 * sp - 0.45 * lvf, 0.25, 1.0)
        season = SEASON[self.moy[t]]
        has = (a > 0).astype(float)
        rates = np.zeros((n, len(CATS)))
        rates[:, CI["pos"]] = 0.8 * a * eng * np.exp(-0.7 * f)
        rates[:, CI["neu"]] = (1.5 * a + 0.3) * eng
        rates[:, CI["bug"]] = 0.45 * a_nr * (1 + 1.5 * np.maximum(0, -hmin)) + 0.1 * a_ret
        rates[:, CI["delay"]] = a_nr * (0.03 + 2.0 * slip) * (0.6 + 0.4 * eng)
        rates[:, CI["qual"]] = a * (0.02 + 0.5 * np.maximum(0, -hmin) ** 1.3)
        rates[:, CI["resp"]] = 0.03 + 0.6 * load_ex * has + 0.06 * f
        rates[:, CI["escal"]] = 0.05 * f**1.5
        rates[:, CI["budget"]] = 0.02 + 0.45 * np.maximum(0, bb - 0.5)
        rates[:, CI["sponsor"]] = 0.45 * ((ks == 0) | (ks == 1))
        rates[:, CI["vendor"]] = 0.006 + 0.16 * lvf + 0.06 * ((ks >= 2) & (ks <= 5))
        rates[:, CI["quiet"]] = 0.03 + 0.35 * lvf + 0.05 * np.maximum(0, f - 1.5)
        rates[:, CI["ticket"]] = np.minimum(ret_h / 22, 5) * (1 + 0.3 * np.maximum(0, -hmin))
        rates[:, CI["status"]] = 1.6 * a_nr + 0.3 * a_ret
        rates[:, CI["sched"]] = 0.5 * a + 0.15
        rates[:, CI["release"]] = 0.5 * a_nr + 0.2 * a_ret
        rates[:, CI["checkin"]] = 0.2 + 0.15 * (f > 1.5)
        rates[:, CI["apology"]] = 0.5 * (
            rates[:, CI["delay"]]
            + rates[:, CI["qual"]]
            + rates[:, CI["resp"]]
            + rates[:, CI["escal"]]
        )
        calls = (0.7 * a * (0.5 + 0.5 * eng) + 0.2) * season
        w = np.stack(
            [
                1.2 * np.exp(-0.8 * f),
                np.full(n, 1.6),
                0.15 + 0.7 * f,
                0.8 * np.maximum(0, bb - 0.4),
                0.6 * lvf + 0.02,
                1.5 * ((ks >= 1) & (ks <= 3)),
            ],
            axis=1,
        )
        w /= w.sum(1, keepdims=True)
        base = CI["note_pos"]
        rates[:, base : base + 6] = calls[:, None] * w
        rates[:, : CI["ticket"]] *= season
        rates *= alive[:, None]
        cnt = rng.poisson(rates)
        cnt[:, CI["sponsor"]] = np.minimum(cnt[:, CI["sponsor"]], 1)
        cc, cat = np.nonzero(cnt)
        reps = cnt[cc, cat]
        cc = np.repeat(cc, reps)
        cat = np.repeat(cat, reps)
        m = len(cc)
        lo = np.maximum(np.full(m, ms), self.since[cc])
        day = self._pick_day(lo, np.full(m, me), 0.05)
        # attach a project (random one of the client's active projects)
        order = np.argsort(c_p, kind="stable")
        ps = p[order]
        cs = c_p[order]
        first = np.searchsorted(cs, cc, side="left")
        num = np.searchsorted(cs, cc, side="right") - first
        pick = np.where(num > 0, first + (rng.random(m) * np.maximum(num, 1)).astype(np.int64), 0)
        proj = np.where(num > 0, ps[np.minimum(pick, len(ps) - 1)] if len(ps) else -1, -1)
        general = np.isin(
            cat,
            [
                CI["budget"],
                CI["sponsor"],
                CI["vendor"],
                CI["checkin"],
                CI["note_vendor"],
                CI["note_budget"],
                CI["note_sponsor"],
                CI["resp"],
            ],
        )
        proj = np.where(general & (rng.random(m) < 0.7), -1, proj)
        day = np.where(proj >= 0, np.maximum(day, self.p_start[np.maximum(proj, 0)]), day)
        day = np.minimum(day, me)
        self._add_msgs(
            cc,
            cat,
            day,
            proj,
            -1,
            np.nan,
            f[cc],
            np.where(proj >= 0, self.p_rprog[np.maximum(proj, 0)], np.nan),
        )
        # quarterly NPS survey
        if (t - self.burn) % 3 == 1:
            resp = alive & (rng.random(n) < 0.45 * eng * (1 - 0.3 * lvf))
            cl = np.flatnonzero(resp)
            hbar = np.bincount(c_p, weights=st["h"], minlength=n) / np.maximum(a, 1)
            sc = (
                8.3
                - 1.1 * f
                - 0.4 * np.maximum(bb, 0)
                - 1.6 * lvf
                - 0.8 * sp
                + 0.3 * hbar
                + rng.normal(0, 1.4, n)
            )
            sc = np.clip(np.round(sc), 0, 10)[cl]
            d = self._pick_day(
                np.maximum(np.full(len(cl), ms), self.since[cl]), np.full(len(cl), me)
            )
            self._add_msgs(cl, CI["survey"], d, -1, -1, sc, f[cl])
        # formal notice on the day of churn (some clients)
        nt = np.flatnonzero(
            (self.churn_day >= ms) & (self.churn_day <= me) & (rng.random(n) < 0.4) & alive
        )
        self._add_msgs(nt, CI["notice"], self.churn_day[nt], -1, -1, np.nan, 0.0)

    def _churn_terms(self, t: int) -> tuple[np.ndarray, np.ndarray]:
        """The hazard of deciding to leave at the end of month t, and its parts."""
        n = self.n
        ten = (self.me[t] - self.since) / 365.0
        npj = self.np_
        openp = ~self.p_done[:npj]
        ret_low = np.zeros(n, bool)
        q = np.flatnonzero(openp & (self.p_kind[:npj] == 2) & (self.p_util_ema[:npj] < 0.5))
        ret_low[self.p_c[q]] = True
        d3 = self.dcount[:, max(0, t - 2) : t + 1].sum(1)
        ks = self.ksince[:, t]
        spf = (ks >= 1) & (ks <= 6)
        f = np.minimum(self.frus, 4.0)
        b = self.bp[:, t]
        contrib = np.stack(
            [
                1.15 * f,
                0.25 * b + 0.45 * np.maximum(b, 0),
                1.5 * spf,
                0.6 * np.minimum(d3, 3),
                1.2 * ret_low,
                0.8 * (self.idle_m >= 2),
            ],
            axis=1,
        )
        z = (
            -6.85
            + contrib.sum(1)
            + 0.5 * (ten < 1)
            - 0.2 * np.log1p(np.maximum(ten, 0))
            + self.lead_eff[self.lead]
            + 0.25 * np.maximum(self.pm_ratio_c - 1.25, 0)
        )
        return sigmoid(z), contrib

    def _churn_decision(self, t: int, alive: np.ndarray) -> None:
        rng = self.rng
        n = self.n
        elig = alive & ~self.decided
        h, contrib = self._churn_terms(t)
        dec_m = elig & (rng.random(n) < h)
        dec_s = elig & ~dec_m & (rng.random(n) < 0.0012)
        dec_i = elig & ~dec_m & ~dec_s & (self.idle_m >= 5) & (rng.random(n) < 0.04)
        dec = dec_m | dec_s | dec_i
        if not dec.any():
            return
        lag = np.where(dec_m, rng.choice([1, 2, 3, 4], n, p=[0.25, 0.35, 0.27, 0.13]), 1)
        self.decided |= dec
        self.dec_kind = np.where(dec_m, 1, np.where(dec_s, 2, np.where(dec_i, 3, self.dec_kind)))
        self.dec_t = np.where(dec, t, self.dec_t)
        self.stealth = np.where(dec, dec_s | dec_i | (dec_m & (rng.random(n) < 0.35)), self.stealth)
        nt = t + lag
        self.notice_t = np.where(dec, nt, self.notice_t)
        ok = dec & (nt < self.nt)
        ntc = np.minimum(nt, self.nt - 1)
        cday = self.ms[ntc] + (rng.random(n) * self.dim[ntc]).astype(np.int64)
        self.churn_day = np.where(ok, cday, self.churn_day)
        # reasons as the CRM would record them (some left empty)
        labels = np.array(
            [
                "quality and delivery issues",
                "budget cuts",
                "new management / vendor review",
                "billing disagreements",
                "support retainer not used",
                "no follow-up project",
            ],
            dtype=object,
        )
        top = labels[np.argmax(contrib + rng.gumbel(0, 0.6, contrib.shape), axis=1)]
        surprise = np.array(
            [
                "acquired by another company",
                "development moved in-house",
                "group-wide vendor consolidation",
            ],
            dtype=object,
        )[rng.integers(0, 3, n)]
        reason = np.where(dec_s, surprise, np.where(dec_i, "no follow-up project", top))
        reason = np.where(rng.random(n) < 0.3, "", reason)
        self.reason = np.where(dec, reason, self.reason)

    # ------------------------------------------------------------------ run
    def run(self) -> None:
        for t in range(self.nt):
            self._month(t)

    # ---------------------------------------------------------------- write
    def write(self, out: pathlib.Path) -> None:
        rng = self.rng
        ws, we = self.win_start, self.win_end
        cday = self.churn_day
        lim = np.where(cday >= 0, cday, we)
        # clients
        seg = np.where(
            self.size > 1.6, "Enterprise", np.where(self.size > 0.8, "Mid-market", "SMB")
        )
        clients = pd.DataFrame(
            {
                "client_id": self.cid,
                "name": self.cname,
                "account_lead": self.lead_email[self.lead],
                "client_since": _iso_days(self.since),
                "industry": np.array(INDUSTRIES, dtype=object)[self.industry],
                "language": np.where(self.de, "de", "en"),
                "country": self.country,
                "segment": seg,
            }
        )
        write_table(clients, out, "clients")
        # projects
        npj = self.np_
        pc = self.p_c[:npj]
        keep_p = (self.p_start[:npj] <= np.minimum(lim[pc], we)) & (
            self.p_start[:npj] >= self.since[pc]
        )
        pid_num = rng.permutation(np.arange(1, 5 * npj + 10))[:npj]
        yr = (
            self.p_start[:npj].astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64)
            + 1970
        )
        pid = np.array(
            [f"PRJ-{y % 100:02d}-{x:05d}" for y, x in zip(yr, pid_num, strict=True)], dtype=object
        )
        closed = np.where(self.p_closed[:npj] >= 0, np.minimum(self.p_closed[:npj], lim[pc]), -1)
        closed = np.where((closed > we) | (closed < 0), -1, closed)
        short = np.array([self.cname[c].split(" ")[0] for c in pc], dtype=object)
        tname = np.array(
            [
                TYPES[tp][1] if self.de[c] else TYPES[tp][0]
                for tp, c in zip(self.p_type[:npj], pc, strict=True)
            ],
            dtype=object,
        )
        gen = self.p_gen[:npj]
        pname = np.array(
            [
                f"{s} – {tn}" + (f" {y}" if k == 2 else (" Phase 2" if g == 1 and k != 2 else ""))
                for s, tn, y, k, g in zip(short, tname, yr, self.p_kind[:npj], gen, strict=True)
            ],
            dtype=object,
        )
        self._pid = pid
        self._pname = pname
        projects = pd.DataFrame(
            {
                "project_id": pid,
                "client_id": self.cid[pc],
                "name": pname,
                "pm": self.pm_email[self.p_pm[:npj]],
                "billing_model": BILLING[self.p_kind[:npj]],
                "budget": np.round(self.p_budget[:npj], 2),
                "start_date": _iso_days(self.p_start[:npj]),
                "end_date": _iso_days(self.p_pend[:npj]),
                "closed_at": _iso_days(closed),
                "project_type": np.array([TYPES[tp][0] for tp in self.p_type[:npj]], dtype=object),
            }
        )[keep_p]
        write_table(projects, out, "projects")
        # progress
        pr = {k: np.concatenate([d[k] for d in self.progress]) for k in ("p", "day", "pct", "ms")}
        ok = (
            (pr["day"] >= ws)
            & (pr["day"] <= we)
            & (pr["day"] <= lim[pc[pr["p"]]])
            & (pr["day"] >= self.p_start[pr["p"]])
            & keep_p[pr["p"]]
        )
        labels_en = np.array(
            [
                "Design sign-off",
                "Beta delivered",
                "UAT started",
                "Go-live",
                "Sprint review",
                "Monthly service report",
            ],
            dtype=object,
        )
        labels_de = np.array(
            [
                "Designabnahme",
                "Beta geliefert",
                "UAT gestartet",
                "Go-live",
                "Sprint-Review",
                "Monatlicher Servicebericht",
            ],
            dtype=object,
        )
        lab = np.where(
            self.de[pc[pr["p"]]],
            labels_de[np.maximum(pr["ms"], 0)],
            labels_en[np.maximum(pr["ms"], 0)],
        )
        lab = np.where(pr["ms"] >= 0, lab, "")
        progress = pd.DataFrame(
            {
                "project_id": pid[pr["p"]],
                "reported_at": _iso_days(pr["day"]),
                "percent_complete": np.clip(pr["pct"], 0, 100),
                "milestone": lab,
            }
        )[ok]
        progress = progress.iloc[np.argsort(pr["day"][ok], kind="stable")]
        write_table(progress, out, "progress")
        # invoices
        inv = {k: np.concatenate([d[k] for d in self.invoices]) for k in self.invoices[0]}
        ic = inv["c"]
        okp = np.where(inv["p"] >= 0, keep_p[np.maximum(inv["p"], 0)], True)
        keep_i = (
            (inv["issue"] >= ws)
            & (inv["issue"] <= we)
            & (inv["issue"] <= lim[ic])
            & (inv["amount"] > 0)
            & okp
            & (inv["issue"] >= self.since[ic])
        )
        order = np.lexsort((rng.random(len(ic)), inv["issue"]))
        order = order[keep_i[order]]
        iyear = (
            inv["issue"][order].astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64)
            + 1970
        )
        seq = pd.Series(iyear).groupby(iyear).cumcount().to_numpy() + 1
        inv_id = np.full(len(ic), "", dtype=object)
        inv_id[order] = [f"RE-{y}-{s:05d}" for y, s in zip(iyear, seq, strict=True)]
        self._inv_id = inv_id
        dd = inv["dday"]
        dd = np.where((dd > we) | (dd > lim[ic]), -1, dd)
        paid = np.where(inv["paid"] > we, -1, inv["paid"])
        po = np.array([f"PO-{x}" for x in rng.integers(4500000, 4599999, len(ic))], dtype=object)
        po = np.where(inv["po"] == "", po, "")
        invoices = pd.DataFrame(
            {
                "invoice_id": inv_id,
                "client_id": self.cid[ic],
                "project_id": np.where(inv["p"] >= 0, pid[np.maximum(inv["p"], 0)], ""),
                "issued_at": _iso_days(inv["issue"]),
                "due_at": _iso_days(inv["due"]),
                "amount": inv["amount"],
                "paid_at": _iso_days(paid),
                "disputed_at": _iso_days(dd),
                "line_items": inv["lines"],
                "period_start": _iso_days(inv["ps"]),
                "period_end": _iso_days(inv["pe"]),
                "po_number": po,
            }
        ).iloc[order]
        write_table(invoices, out, "invoices")
        self._inv = inv
        self._inv_keep = keep_i
        self._inv_dd = dd
        # time entries
        ent = {k: np.concatenate([d[k] for d in self.entries]) for k in self.entries[0]}
        ep = ent["p"]
        ok = (ent["day"] >= ws) & (ent["day"] <= we) & (ent["day"] <= lim[pc[ep]]) & keep_p[ep]
        ent = {k: v[ok] for k, v in ent.items()}
        ep = ent["p"]
        # invoice ids recorded by the tool
        lp = np.concatenate([x[0] for x in self.links]) if self.links else np.zeros(0, np.int64)
        lt = np.concatenate([x[1] for x in self.links]) if self.links else np.zeros(0, np.int64)
        li = np.concatenate([x[2] for x in self.links]) if self.links else np.zeros(0, np.int64)
        key = lp * (self.nt + 1) + lt
        srt = np.argsort(key)
        ekey = ep * (self.nt + 1) + ent["t"]
        einv = np.full(len(ep), -1, np.int64)
        if len(key):
            pos = np.clip(np.searchsorted(key[srt], ekey), 0, len(key) - 1)
            hit = key[srt][pos] == ekey
            einv = np.where(hit, li[srt][pos], -1)
        eid_inv = np.where(einv >= 0, inv_id[np.maximum(einv, 0)], "")
        # an entry billed by an invoice on the notice day only if worked before it
        o = np.lexsort((rng.random(len(ep)), ent["day"]))
        start_id = int(rng.integers(100000, 900000))
        entries = pd.DataFrame(
            {
                "entry_id": [f"{x:09d}" for x in range(start_id, start_id + len(ep))],
                "project_id": pid[ep][o],
                "worked_on": _iso_days(ent["day"][o]),
                "hours": ent["hours"][o],
                "billable": np.where(ent["billable"][o], "true", "false"),
                "amount": np.round(ent["amount"][o], 2),
                "person": self.staff_name[ent["person"][o]],
                "role": np.array(ROLES, dtype=object)[ent["role"][o]],
                "invoice_id": eid_inv[o],
                "activity": ACTIVITY[ent["act"][o]],
            }
        )
        write_table(entries, out, "time_entries")
        # messages
        self._write_messages(out, lim, keep_p)
        # churn
        ch = np.flatnonzero((cday >= ws) & (cday <= we))
        churn = pd.DataFrame(
            {
                "client_id": self.cid[ch],
                "churned_at": _iso_days(cday[ch]),
                "reason": self.reason[ch],
            }
        )
        churn = churn.iloc[np.argsort(cday[ch], kind="stable")]
        write_table(churn, out, "churn")

    def _write_messages(self, out: pathlib.Path, lim: np.ndarray, keep_p: np.ndarray) -> None:
        rng = self.rng
        ws, we = self.win_start, self.win_end
        m = {k: np.concatenate([d[k] for d in self.msgs]) for k in self.msgs[0]}
        c = m["c"]
        iv = m["inv"]
        inv_ok = np.where(iv >= 0, self._inv_keep[np.maximum(iv, 0)], True)
        p_ok = np.where(m["p"] >= 0, keep_p[np.maximum(m["p"], 0)], True)
        ok = (
            (m["day"] >= ws)
            & (m["day"] <= we)
            & (m["day"] <= lim[c])
            & (m["day"] >= self.since[c])
            & inv_ok
            & p_ok
        )
        # a dispute message only when the dispute itself is on record
        disp_cat = m["cat"] == CI["dispute"]
        ok &= ~disp_cat | (self._inv_dd[np.maximum(iv, 0)] >= 0)
        m = {k: v[ok] for k, v in m.items()}
        c, cat, day, p, iv = m["c"], m["cat"], m["day"], m["p"], m["inv"]
        k = len(c)
        inbound = cat < N_INBOUND
        # local time of the sender: client zone for inbound, firm (CET) for outbound
        tz = np.where(inbound, self.tz[c], 0)
        hour = np.where(
            inbound & (tz == 2),
            rng.integers(7, 19, k),
            np.where(
                rng.random(k) < 0.06,
                rng.integers(19, 23, k),
                np.clip(np.round(rng.normal(12.5, 2.6, k)), 7, 18).astype(np.int64),
            ),
        )
        minute = rng.integers(0, 60, k)
        off = self._offset_min(tz, day)
        local_min = day * 1440 + hour * 60 + minute
        utc_min = local_min - off
        fmt = rng.choice(3, k, p=[0.45, 0.25, 0.3])
        utc_s = np.datetime_as_string(utc_min.astype("datetime64[m]"), unit="m")
        loc_s = np.datetime_as_string(local_min.astype("datetime64[m]"), unit="m")
        sign = np.where(off >= 0, "+", "-")
        offs = np.array(
            [f"{s}{abs(o) // 60:02d}:{abs(o) % 60:02d}" for s, o in zip(sign, off, strict=True)],
            dtype=object,
        )
        sent = np.where(
            fmt == 0,
            np.char.add(utc_s.astype(str), ":00Z").astype(object),
            np.where(
                fmt == 1,
                np.char.replace(utc_s.astype(str), "T", " ").astype(object),
                (np.char.add(loc_s.astype(str), ":00").astype(object) + offs),
            ),
        )
        # channel
        u = rng.random(k)
        ch_generic = np.select([u < 0.5, u < 0.7, u < 0.95], ["email", "thread", "chat"], "portal")
        ch_note = np.where(rng.random(k) < 0.7, "call", "meeting")
        channel = np.select(
            [
                cat == CI["ticket"],
                cat == CI["survey"],
                cat >= CI["note_pos"],
                np.isin(
                    cat,
                    [
                        CI["invoice"],
                        CI["reminder"],
                        CI["cr"],
                        CI["sponsor"],
                        CI["notice"],
                        CI["checkin"],
                    ],
                ),
                np.isin(cat, [CI["bill"], CI["dispute"], CI["escal"]]),
                np.isin(cat, [CI["status"], CI["release"]]),
            ],
            [
                "portal",
                "survey",
                ch_note,
                "email",
                np.where(u < 0.85, "email", "portal"),
                np.where(u < 0.6, "email", "thread"),
            ],
            ch_generic,
        )
        direction = np.where(inbound, "inbound", "outbound")
        texts, authors = self._render(c, cat, day, p, iv, channel, m["score"], m["extra"], m["pct"])
        proj_id = np.where(p >= 0, self._pid[np.maximum(p, 0)], "")
        ids = rng.integers(0, 2**63 - 1, (k, 2), dtype=np.int64)
        mid = [f"{a:016x}{b:016x}" for a, b in ids]
        mid = [f"{x[:8]}-{x[8:12]}-4{x[13:16]}-a{x[17:20]}-{x[20:32]}" for x in mid]
        df = pd.DataFrame(
            {
                "message_id": mid,
                "client_id": self.cid[c],
                "project_id": proj_id,
                "sent_at": sent,
                "channel": channel,
                "direction": direction,
                "text": texts,
                "author": authors,
                "score": np.where(cat == CI["survey"], m["score"], np.nan),
            }
        )
        df = df.iloc[np.argsort(utc_min, kind="stable")]
        df["score"] = df["score"].astype("Int64")
        write_table(df, out, "messages")

    def _render(
        self, c, cat, day, p, iv, channel, score, extra, pct
    ) -> tuple[list[str], list[str]]:
        r = self.txt
        k = len(c)
        texts: list[str] = [""] * k
        authors: list[str] = [""] * k
        era = self.era
        tidx = np.clip(self._month_of(day), 0, self.nt - 1)
        inv_amt = self._inv["amount"]
        inv_due = self._inv["due"]
        inv_p = self._inv["p"]
        d_str = _iso_days(day)
        for i in range(k):
            ci = int(c[i])
            lang = "de" if self.de[ci] else "en"
            if r.random() < 0.05:
                lang = "en"
            bank = TEXT[lang]
            ct = CATS[int(cat[i])]
            inbound = int(cat[i]) < N_INBOUND
            e = int(era[ci, tidx[i]])
            spons = self.sponsor[ci, e]
            contact = spons if r.random() < 0.55 else self.contacts[ci, r.randrange(2)]
            pi = int(p[i])
            if pi < 0 and int(iv[i]) >= 0:
                pi = int(inv_p[int(iv[i])])
            if pi >= 0:
                pm = self.pm_name[self.p_pm[pi]]
                proj = self._pname[pi]
            else:
                pm = self.lead_name[self.lead[ci]]
                proj = bank["the_project"][0]
            firm_person = self.lead_name[self.lead[ci]] if ct in ("checkin", "escal") else pm
            ivi = int(iv[i])
            inv_id = self._inv_id[ivi] if ivi >= 0 else ""
            yy, mo, _dd = (int(x) for x in d_str[i].split("-"))
            due = int(inv_due[ivi]) if ivi >= 0 else int(day[i])
            due_s = str(np.datetime64(due, "D"))
            if lang == "de":
                due_s = f"{due_s[8:10]}.{due_s[5:7]}.{due_s[0:4]}"
            slots = {
                "first": (firm_person if inbound else contact).split(" ")[0],
                "me": (contact if inbound else firm_person).split(" ")[0],
                "mod": r.choice(MODS[lang]),
                "wd": r.choice(WORKDAY_NAMES[lang]),
                "sprint": r.randint(3, 42),
                "ver": f"{r.randint(1, 5)}.{r.randint(0, 14)}.{r.randint(0, 9)}",
                "n": r.randint(2, 7),
                "q": (mo - 1) // 3 + 1,
                "pct_cut": r.choice([10, 15, 20, 25, 30]),
                "other": self.contacts[ci, r.randrange(2)].split(" ")[0],
                "proj": proj,
                "pm": pm,
                "inv": inv_id,
                "date": due_s,
                "terms": int(self.terms[ci]),
                "period": f"{MONTH_NAMES[lang][(mo - 2) % 12]} {yy if mo > 1 else yy - 1}",
                "month": f"{MONTH_NAMES[lang][(mo + 1) % 12]}",
                "hours": round(
                    float(inv_amt[ivi]) / max(float(self.p_blend[max(int(inv_p[ivi]), 0)]), 60.0)
                )
                if ivi >= 0
                else r.randint(20, 200),
                "pct": round(float(pct[i])) if pct[i] == pct[i] else r.randint(10, 90),
                "newname": spons,
                "oldname": self.sponsor[ci, max(e - 1, 0)] if e > 0 else self.contacts[ci, 0],
            }
            f = float(extra[i])
            ch = channel[i]
            if ct == "survey":
                s = score[i]
                if r.random() < 0.4:
                    key = "survey_pos" if s >= 9 else ("survey_mid" if s >= 7 else "survey_neg")
                    texts[i] = r.choice(bank[key])
                authors[i] = spons
                continue
            if ct == "dispute":
                key = "dispute_" + str(self._inv["cause"][ivi])
                body = r.choice(bank[key])
            elif ct.startswith("note_"):
                if ch == "call" and r.random() < 0.15:
                    texts[i] = ""
                    authors[i] = firm_person
                    continue
                body = r.choice(
                    bank["call_prefix" if ch == "call" else "meeting_prefix"]
                ) + r.choice(bank[ct])
                body = body.format(**slots)
                body = body[0].upper() + body[1:]
                texts[i] = body
                authors[i] = firm_person
                continue
            else:
                body = r.choice(bank[ct])
            parts = [body]
            if ct in ("delay", "qual", "resp") and r.random() < min(0.7, 0.05 + 0.15 * f):
                parts.append(r.choice(bank["intens"]))
            if ct == "ticket" and r.random() < min(0.6, 0.03 + 0.12 * f):
                parts.append(r.choice(bank["ticket_urg"]))
            if ct in ("bug", "neu") and f < 1 and r.random() < 0.25:
                parts.append(r.choice(bank["soft"]))
            if inbound and ct in ("delay", "qual", "bug", "pos") and r.random() < 0.15:
                parts.insert(0, r.choice(bank["neu"]))
            text = " ".join(parts).format(**slots)
            if ch == "chat":
                if r.random() < 0.4:
                    text = text[0].lower() + text[1:]
                if text.endswith(".") and r.random() < 0.5:
                    text = text[:-1]
            elif ch == "email":
                g = (
                    r.choice(bank["greet_in" if inbound else "greet_out"])
                    if r.random() < 0.8
                    else ""
                )
                cl = r.choice(bank["close"]) if r.random() < 0.75 else ""
                text = (
                    (g.format(**slots) + "\n\n" if g else "")
                    + text
                    + ("\n\n" + cl.format(**slots) if cl else "")
                )
            elif ch in ("thread", "portal") and r.random() < 0.3:
                text = text + "\n" + r.choice(bank["close"]).format(**slots)
            texts[i] = text
            if inbound:
                who = spons if ct in ("sponsor", "escal", "vendor", "notice", "budget") else contact
                if ct in ("bill", "dispute") and r.random() < 0.5:
                    who = "accounts payable" if lang == "en" else "Buchhaltung"
                    authors[i] = (
                        f"{'ap' if lang == 'en' else 'buchhaltung'}@{self.domain[ci]}"
                        if r.random() < 0.6
                        else who
                    )
                else:
                    authors[i] = (
                        who
                        if r.random() < 0.5
                        else f"{_slug(who.split(' ')[0])[:1]}.{_slug(who.split(' ')[-1])}@{self.domain[ci]}"
                    )
            else:
                authors[i] = (
                    "billing@" + FIRM_DOMAIN if ct in ("invoice", "reminder") else firm_person
                )
        return texts, authors


def make_bundle(out: pathlib.Path, clients: int = 1000, months: int = 24, seed: int = 0) -> None:
    """Write a full export bundle for the fourth firm into folder `out`."""
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    firm = _Firm(int(clients), int(months), int(seed))
    firm.run()
    firm.write(out)


def risk_oracle(
    out: pathlib.Path, clients: int = 1000, months: int = 24, seed: int = 0
) -> pd.DataFrame:
    """Write the same bundle as :func:`make_bundle` into ``out`` and return the firm's own
    risk of every client on every day it exists in the export (``tests.bench.firms``).

    Each value uses the simulation's own state on that day and none of the draws
    that decide whether and when an event happens after it (an invoice's own
    dispute noise included). The simulation runs in months: a month's state
    counts as known from the month's first day; the client terms of the odds of
    an invoice a later month issues are taken from the month before; a decision
    taken at a month's end counts from the next day. Invoices keep the issue day
    they would have had without a notice; those that only a notice brings about
    are left out. ``dispute_risk`` runs over every exported invoice issued or due
    soon with the generator's own dispute probability and delay distribution.
    ``churn_risk``: for a client whose decision is already taken, over the
    remaining delays; otherwise with the monthly decision hazard in force on
    ``day`` (the one of the last month's end) held for the months after, and then
    the delays; a notice day is uniform in its month.
    """
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    firm = _Firm(int(clients), int(months), int(seed))
    firm.oracle = {"invoices": [], "frus": [], "health": [], "hazard": [], "idle5": []}
    firm.run()
    firm.write(out)
    return _oracle_table(firm)


def _oracle_table(firm: _Firm) -> pd.DataFrame:
    """risk_oracle's rows from a firm that has run with ``oracle`` set."""
    rec = firm.oracle
    assert rec is not None
    nt, big = firm.nt, np.int64(10**9)
    ws, we = firm.win_start, firm.win_end
    churn_day = np.where(firm.churn_day >= 0, firm.churn_day, big)
    rows = ClientDays.between(np.maximum(firm.since, ws), np.minimum(churn_day, we))
    m0 = np.datetime64("2023-07", "M") - firm.burn
    ms = month_starts(m0, nt + 12)
    dim = np.diff(ms)
    visible = firm.decided & ~firm.stealth

    # ---- disputes
    inv = concat_records(rec["invoices"])
    c, p, t, kind = inv["c"], inv["p"], inv["t"], inv["kind"]
    nxt_wd = np.array([_Firm._shift_wd(int(x)) for x in ms[1 : nt + 1]])
    issue = np.where(inv["final"], nxt_wd[t] + 1, inv["issue"])
    keep = (inv["amount"] > 0) & (issue >= ws) & (issue >= firm.since[c]) & (kind != 7)
    keep &= np.where(p >= 0, firm.p_start[np.maximum(p, 0)] >= firm.since[c], True)
    # the client terms as the month before knew them (for days before the invoice's month)
    tp = np.maximum(t - 1, 0)
    frus_prev = np.stack(rec["frus"], axis=1)[c, tp]
    health = inv["h"].copy()
    for step in np.unique(t):
        sel = np.flatnonzero(t == step)
        snap = rec["health"][step]  # project health after the month before
        have = (p[sel] >= 0) & (p[sel] < len(snap))
        health[sel[have]] = snap[p[sel][have]]
    uses_h = (kind == 2) | (kind == 3)
    keff_fc = np.where(uses_h, np.where(kind == 2, 0.2, 0.3) + np.maximum(0, -health), inv["keff"])
    ks_fc = firm.ksince[c, tp] + 1
    z_fc = (
        inv["z0"]
        - (
            0.5 * inv["f"]
            + 0.3 * np.maximum(inv["b"], 0)
            + inv["keff"]
            + 0.9 * inv["lv"]
            + 0.5 * inv["ks"]
        )
        + 0.5 * np.minimum(frus_prev, 4.0)
        + 0.3 * np.maximum(firm.bp[c, tp], 0)
        + keff_fc
        + 0.9 * (visible[c] & (firm.dec_t[c] < tp))
        + 0.5 * ((ks_fc >= 1) & (ks_fc <= 4))
    )
    z_fc = np.where(t >= 1, z_fc, inv["z0"])
    # P(disputed by the model) integrates the invoice's own noise N(0, 0.4^2) out.
    node, weight = np.polynomial.hermite.hermgauss(16)
    p_model = (weight * sigmoid(inv["z0"][:, None] + 0.4 * np.sqrt(2) * node)).sum(1) / np.sqrt(
        np.pi
    )
    p_model_fc = (weight * sigmoid(z_fc[:, None] + 0.4 * np.sqrt(2) * node)).sum(1) / np.sqrt(np.pi)
    admin_seen = np.where(inv["po_missing"], 0.22, 0.002)
    admin_soon = np.where(firm.po_req[c], 0.08 * 0.22 + 0.92 * 0.002, 0.002)
    # delay = min(2 + round(Gamma(2, 3.5)), 29): P(delay <= k), k = -1 .. 29
    k = np.arange(-1, 30).astype(float)
    x = np.maximum(k - 1.5, 0) / 3.5
    gap_cdf = np.where(k < 2, 0.0, np.where(k >= 29, 1.0, 1 - np.exp(-x) * (1 + x)))
    dday = np.where(inv["dday"] >= 0, inv["dday"], big)
    known_from = ms[t]
    max_lag = 29

    def odds(j: np.ndarray, d: np.ndarray, off: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        pm = np.where(d >= known_from[j], p_model[j], p_model_fc[j])
        pi = pm + (1 - pm) * np.where(off >= 0, admin_seen[j], admin_soon[j])
        f_now = pi * gap_cdf[np.clip(off + 1, 0, max_lag + 1)]
        f_end = pi * gap_cdf[np.clip(off + DISPUTE_DAYS + 1, 0, max_lag + 1)]
        return f_now, f_end

    dispute = dispute_risk(
        rows, c, issue, dday, churn_day, odds, max_lag, invoices=np.flatnonzero(keep)
    )

    # ---- churn: notice month = decision month + delay; notice day uniform in it
    cr, d = rows.client, rows.day
    tau = np.searchsorted(ms, d, side="right") - 1
    h_end = d + 90

    def share(month: np.ndarray, upto: np.ndarray) -> np.ndarray:
        """Share of the month's days in (d, upto]; no notice beyond the simulation."""
        mm = np.minimum(month, len(dim) - 1)
        cnt = np.minimum(ms[mm] + dim[mm] - 1, upto) - np.maximum(ms[mm] - 1, d)
        return np.where(month < nt, np.clip(cnt, 0, None) / dim[mm], 0.0)

    delay_p = np.array([0.25, 0.35, 0.27, 0.13])
    hz = np.stack(rec["hazard"], axis=1)[cr, tau - 1]
    idle5 = np.stack(rec["idle5"], axis=1)[cr, tau - 1]
    other = (1 - hz) * 0.0012 + (1 - hz) * (1 - 0.0012) * 0.04 * idle5
    total = hz + other
    fresh = np.zeros(len(d))
    for j in range(5):
        stay = (1 - total) ** j * (tau + j < nt)
        for lag in range(1, 5):
            w = hz * delay_p[lag - 1] + (other if lag == 1 else 0.0)
            fresh += stay * w * share(tau + j + lag, h_end)
    decided = firm.decided[cr] & (firm.dec_t[cr] <= tau - 1)
    dec_t = np.where(decided, firm.dec_t[cr], 0)
    model = firm.dec_kind[cr] == 1
    num = np.zeros(len(d))
    den = np.zeros(len(d))
    for lag in range(1, 5):
        w = np.where(model, delay_p[lag - 1], float(lag == 1))
        month = dec_t + lag
        num += w * share(month, h_end)
        den += w * np.where(month < nt, share(month, np.full(len(d), big)), 1.0)
    known = num / np.maximum(den, 1e-12)
    churn = np.where(decided, known, fresh)
    return oracle_frame(firm.cid, rows, churn_day, dispute, churn)


if __name__ == "__main__":
    main(make_bundle, __doc__)
