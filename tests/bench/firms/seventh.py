# ruff: noqa: E501
"""HR and talent advisory firm (executive search, organisation design, pay, interim HR), EN/DE.

Benchmark bundle generator written from the public data contract only. The firm
"Halden & Moor People Advisory" runs search mandates, organisation reviews, pay
benchmarks, interim HR staffing and advisory retainers for English and German
clients. `make_bundle` writes an export bundle; `risk_oracle` writes the same
bundle and returns the generator's own point-in-time risk per client and day.
"""

from __future__ import annotations

import pathlib

import numpy as np
import pandas as pd

from tests.bench.firms.toolkit import (
    MONTH_NAMES,
    date_text,
    fold_umlauts,
    main,
    sigmoid,
    weekday,
    write_bundle,
)

T0 = np.datetime64("2023-01-01", "D")
BURN = 150  # simulated days before the export window starts
START = T0 - np.timedelta64(BURN, "D")
DOMAIN = "haldenmoor.example"
NEVER = 10**6

ROLES = ("Partner", "Principal", "Senior Consultant", "Consultant", "Research Associate")
ROLE_RATE = np.array([340.0, 280.0, 220.0, 175.0, 120.0])
ROLE_SHARE = np.array([0.08, 0.14, 0.26, 0.30, 0.22])

INDUSTRIES = (
    "Manufacturing",
    "Retail",
    "Healthcare",
    "Financial Services",
    "Logistics",
    "Public Sector",
    "Software",
    "Energy",
    "Pharmaceuticals",
    "Hospitality",
)
IND_P = np.array([0.17, 0.10, 0.11, 0.11, 0.09, 0.08, 0.10, 0.07, 0.08, 0.09])
IND_PAY = np.array([22.0, 18.0, 28.0, 16.0, 20.0, 38.0, 15.0, 24.0, 26.0, 19.0])
IND_PROP = np.array([0.0, 0.1, 0.1, 0.3, 0.0, 0.5, -0.2, 0.1, 0.2, 0.0])

# name (en, de), billing model (0 fixed fee, 1 time and materials, 2 retainer),
# budget range, duration range in days, team roles
TYPES = (
    ("Executive Search", "Direktsuche", 0, 25e3, 80e3, 90, 170, (1, 4)),
    ("Organisation Design Review", "Organisationsanalyse", 0, 40e3, 150e3, 90, 200, (0, 2, 3)),
    ("Pay & Benefits Benchmark", "Vergütungsbenchmark", 0, 15e3, 45e3, 45, 100, (2, 4)),
    ("Interim HR Business Partner", "Interim HR Business Partner", 1, 50e3, 170e3, 120, 280, (2,)),
    ("HR Advisory Retainer", "HR-Beratungsrahmenvertrag", 2, 36e3, 140e3, 365, 365, (1, 3)),
    ("Volume Hiring Programme", "Recruiting-Programm", 1, 40e3, 140e3, 120, 260, (2, 4, 4)),
    ("Employee Relations Support", "Begleitung Betriebsrat", 1, 20e3, 70e3, 60, 150, (1, 3)),
)
TYPE_P = np.array(
    [
        [0.27, 0.14, 0.16, 0.13, 0.14, 0.12, 0.04],
        [0.25, 0.13, 0.15, 0.12, 0.14, 0.09, 0.12],
    ]
)
# fixed-fee invoicing: progress thresholds and tranche shares (9.0 = none)
THRESH = np.full((len(TYPES), 3), 9.0)
TRANCHE = np.zeros((len(TYPES), 3))
THRESH[0], TRANCHE[0] = (0.0, 0.6, 1.0), (1 / 3, 1 / 3, 1 / 3)
THRESH[1], TRANCHE[1] = (0.0, 0.5, 1.0), (0.3, 0.4, 0.3)
THRESH[2, :2], TRANCHE[2, :2] = (0.0, 1.0), (0.5, 0.5)
DETAIL = {
    ("en", 0): (
        "Chief Financial Officer",
        "Head of Sales",
        "Chief People Officer",
        "Plant Manager",
        "Head of Engineering",
        "Chief Operating Officer",
        "Director Supply Chain",
    ),
    ("de", 0): (
        "Kaufmännische Geschäftsführung",
        "Leitung Vertrieb",
        "Personalleitung",
        "Werkleitung",
        "Leitung Entwicklung",
        "Leitung Finanzen",
        "Leitung Einkauf",
    ),
    ("en", 1): ("Operations", "Sales", "Finance", "Shared Services", "HR"),
    ("de", 1): ("Vertrieb", "Produktion", "Verwaltung", "Finanzen", "Personal"),
}
MILESTONES = (
    ("Longlist agreed", "Shortlist presented", "Final interviews", "Contract signed"),
    ("Current-state analysis", "Design options", "Target organisation", "Implementation plan"),
    ("Job mapping", "Market data collected", "Draft benchmark", "Final report"),
    ("Onboarding", "Quarterly review", "Handover plan", "Handover completed"),
    ("Q1 review", "Half-year review", "Q3 review", "Annual review"),
    ("Campaign live", "First hires", "Half of positions filled", "All positions filled"),
    ("Preparation", "First negotiation round", "Draft agreement", "Agreement signed"),
)

FIRST_EN = (
    "Oliver",
    "Emma",
    "James",
    "Sophie",
    "Harry",
    "Grace",
    "Thomas",
    "Chloe",
    "Daniel",
    "Lucy",
    "Samuel",
    "Hannah",
    "Ryan",
    "Megan",
    "Adam",
    "Olivia",
    "Ben",
    "Amelia",
    "Nathan",
    "Isla",
    "Joseph",
    "Ruth",
    "Peter",
    "Alice",
    "Mark",
    "Claire",
)
FIRST_DE = (
    "Lukas",
    "Anna",
    "Jonas",
    "Lea",
    "Felix",
    "Marie",
    "Tobias",
    "Julia",
    "Stefan",
    "Katrin",
    "Matthias",
    "Sabine",
    "Jan",
    "Laura",
    "Florian",
    "Nina",
    "Andreas",
    "Jana",
    "Michael",
    "Carina",
    "Sebastian",
    "Birgit",
    "Jürgen",
    "Miriam",
    "Uwe",
    "Petra",
)
LAST_EN = (
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Evans",
    "Walker",
    "Hughes",
    "Green",
    "Hall",
    "Wood",
    "Clarke",
    "Turner",
    "Hill",
    "Moore",
    "Cooper",
    "Ward",
    "Morgan",
    "Baker",
    "Price",
    "Bennett",
    "Reed",
    "Fisher",
    "Shaw",
    "Palmer",
)
LAST_DE = (
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Hoffmann",
    "Schulz",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Braun",
    "Zimmermann",
    "Krüger",
    "Hartmann",
    "Lange",
    "Werner",
    "Krause",
    "Lehmann",
    "Köhler",
    "Vogel",
)
CO_A_EN = (
    "Ashford",
    "Brightwater",
    "Calder",
    "Dunmore",
    "Eastgate",
    "Fairfield",
    "Greystone",
    "Harbour",
    "Kingsley",
    "Lakeside",
    "Millbrook",
    "Northgate",
    "Oakridge",
    "Pennant",
    "Redfern",
    "Silverton",
    "Thornbury",
    "Westmoor",
)
CO_B_EN = (
    "Industries",
    "Retail",
    "Health",
    "Capital",
    "Logistics",
    "Services",
    "Systems",
    "Energy",
    "Pharma",
    "Hotels",
    "Foods",
    "Group",
)
CO_C_EN = ("Ltd", "plc", "Group", "LLP", "Ltd", "Holdings")
CO_A_DE = (
    "Rheinwerk",
    "Albtal",
    "Nordlicht",
    "Isarblick",
    "Weserland",
    "Schwarzwald",
    "Elbufer",
    "Mainfeld",
    "Bergmann",
    "Lindenhof",
    "Kronberg",
    "Sonnenhang",
    "Ostwind",
    "Hanse",
    "Brückner",
    "Falkenstein",
    "Tannenberg",
    "Seeblick",
)
CO_B_DE = (
    "Maschinenbau",
    "Handel",
    "Kliniken",
    "Finanz",
    "Logistik",
    "Dienste",
    "Systeme",
    "Energie",
    "Pharma",
    "Hotels",
    "Lebensmittel",
    "Holding",
)
CO_C_DE = ("GmbH", "AG", "SE", "GmbH & Co. KG", "GmbH", "KG")
REASONS = (
    "budget cuts",
    "moved to another provider",
    "recruiting taken in-house",
    "new HR leadership",
    "dissatisfied with delivery",
    "no follow-on work",
    "price",
)

KINDS = (
    "status",
    "reply",
    "spont",
    "meeting",
    "survey",
    "dispute",
    "billq",
    "reminder",
    "price",
    "sponsor",
    "handover",
    "freeze",
    "review",
    "notice",
    "cr",
    "fail",
    "competitor",
    "invsent",
    "chase",
    "done",
    "blank",
)
K = {k: i for i, k in enumerate(KINDS)}
OUTBOUND = {"status", "meeting", "reminder", "price", "handover", "cr", "fail", "invsent"}
CHANNELS = ("email", "thread", "chat", "call", "meeting", "survey", "portal")
CH_P = {
    "status": {"email": 0.5, "thread": 0.3, "portal": 0.2},
    "reply": {"email": 0.55, "thread": 0.25, "chat": 0.2},
    "spont": {"email": 0.4, "chat": 0.4, "portal": 0.2},
    "meeting": {"meeting": 0.6, "call": 0.4},
    "survey": {"survey": 1.0},
    "dispute": {"email": 0.6, "portal": 0.3, "call": 0.1},
    "billq": {"email": 0.7, "portal": 0.3},
    "reminder": {"email": 1.0},
    "price": {"email": 1.0},
    "sponsor": {"email": 1.0},
    "handover": {"email": 0.8, "call": 0.2},
    "freeze": {"email": 0.6, "call": 0.4},
    "review": {"email": 0.7, "call": 0.3},
    "notice": {"email": 1.0},
    "cr": {"email": 0.6, "portal": 0.4},
    "fail": {"email": 0.6, "call": 0.4},
    "competitor": {"call": 0.5, "email": 0.5},
    "invsent": {"portal": 0.7, "email": 0.3},
    "chase": {"email": 0.5, "chat": 0.3, "thread": 0.2},
    "done": {"email": 1.0},
    "blank": {"call": 1.0},
}
# ---------------------------------------------------------------------------
# Wording. Keys: (kind, lang, tone); tone 0 negative, 1 neutral, 2 positive.
# Placeholders: {first} recipient first name, {me} sender first name, {project},
# {inv} invoice number, {month}, {due}, {pct}, {old}, {new}, {po}.
# ---------------------------------------------------------------------------

GREET = {
    "en": (
        "Hi {first},",
        "Hello {first},",
        "Dear {first},",
        "{first},",
        "Good morning {first},",
        "",
    ),
    "de": (
        "Hallo {first},",
        "Guten Tag {first},",
        "Moin {first},",
        "Hi {first},",
        "Guten Morgen {first},",
        "",
    ),
}
SIGN = {
    "en": ("Best,\n{me}", "Thanks,\n{me}", "Kind regards\n{me}", "Cheers, {me}", "- {me}", "", ""),
    "de": (
        "Viele Grüße\n{me}",
        "Beste Grüße, {me}",
        "VG {me}",
        "Mit freundlichen Grüßen\n{me}",
        "",
        "",
    ),
}

T: dict[tuple[str, str, int], tuple[str, ...]] = {
    # status update from the firm, tone = how the PM presents the health of the work
    ("status", "en", 2): (
        "Quick update on {project}: we are on plan, the next deliverable is due end of month.",
        "Progress on {project} is good. Leadership interviews are done and we are consolidating.",
        "All fine on {project} - the draft is ready for your review in the portal.",
        "Weekly note for {project}: all workstreams green, no open decisions on your side.",
        "Sharing this week's status for {project}. Nothing critical, we are within the agreed plan.",
        "{project}: the first interviews went well, we'll share our notes on Friday.",
    ),
    ("status", "en", 1): (
        "Update on {project}: a few items slipped by a week because interview slots were hard "
        "to get. We expect to catch up.",
        "{project}: we are slightly behind plan; the payroll data extract took longer than expected.",
        "Status {project}: amber. Some calls had to be rescheduled, the next date moves by ~10 days.",
        "We need a bit more time on {project} - the job architecture is broader than we assumed.",
        "Small delay on {project}: two stakeholders were on leave, the workshop moves to next week.",
    ),
    ("status", "en", 0): (
        "{project} is behind plan. We should discuss timeline and remaining effort at the next "
        "steering call.",
        "Candidly, {project} has taken considerably more effort than planned. I'd like to walk you "
        "through options, including a change request.",
        "Status {project}: red. Key inputs are still missing and we have spent more hours than "
        "budgeted. Can we align this week?",
        "{project}: the market for this profile is much thinner than expected. We need to revisit "
        'the "must haves" with you.',
    ),
    ("status", "de", 2): (
        "Kurzes Update zu {project}: Wir liegen im Plan, das nächste Ergebnis kommt Ende des Monats.",
        "{project} läuft gut. Die Interviews mit der Geschäftsführung sind abgeschlossen.",
        "Alles im grünen Bereich bei {project} - der Entwurf liegt im Portal zur Durchsicht bereit.",
        "Wochenstatus {project}: alle Arbeitspakete im Plan, keine offenen Entscheidungen.",
        "Zu {project}: Die ersten Gespräche waren sehr gut, Notizen folgen am Freitag.",
    ),
    ("status", "de", 1): (
        "Update zu {project}: Einige Punkte verschieben sich um eine Woche, Termine waren schwer "
        "zu bekommen. Wir holen das auf.",
        "{project}: Wir liegen leicht hinter dem Plan, der Datenexport aus der Lohnbuchhaltung hat "
        "länger gedauert.",
        "Status {project}: gelb. Der nächste Termin verschiebt sich um etwa zehn Tage.",
        "Bei {project} brauchen wir etwas mehr Zeit - der Umfang ist größer als angenommen.",
    ),
    ("status", "de", 0): (
        "{project} liegt deutlich hinter dem Plan. Wir sollten Zeitplan und Restaufwand im nächsten "
        "Lenkungskreis besprechen.",
        "Offen gesagt: {project} hat erheblich mehr Aufwand verursacht als geplant. Ich möchte "
        "Ihnen Optionen vorstellen, auch einen Nachtrag.",
        "Status {project}: rot. Wichtige Zuarbeiten fehlen noch und das Stundenbudget ist "
        "überschritten. Können wir diese Woche sprechen?",
    ),
    # client replies / spontaneous messages
    ("reply", "en", 2): (
        "Thanks {first}, this looks great. Please go ahead.",
        "Very helpful, the team really appreciated the workshop.",
        "Perfect, that's exactly what we needed for the board.",
        'Great work so far - "spot on" was our CEO\'s comment.',
        "Thanks, all clear. Looking forward to the next steps!",
        "Excellent, thank you. The candidates were really strong.",
    ),
    ("reply", "en", 1): (
        "Thanks, noted.",
        "Received, I'll get back to you after our internal meeting.",
        "OK. Can we move the call to Thursday?",
        "Thanks. Please send the updated slides, we'll review them next week.",
        "Noted, I forwarded this to our HR director.",
        "Got it. One question: who from your side joins the workshop?",
        "Fine with me, let's discuss details on Monday.",
    ),
    ("reply", "en", 0): (
        "Honestly, we expected more progress by now.",
        "This is not what we agreed. The shortlist has profiles we explicitly excluded.",
        "I'm disappointed with the pace, and management keeps asking why it takes so long.",
        "We need to talk. The last deliverable was below what we expect from you.",
        "Frankly, I have a hard time explaining these hours internally.",
        "Again a delay? This is becoming a problem for us.",
    ),
    ("reply", "de", 2): (
        "Danke {first}, das sieht sehr gut aus. Bitte so weitermachen.",
        "Sehr hilfreich, das Team war vom Workshop begeistert.",
        "Perfekt, genau das brauchen wir für den Aufsichtsrat.",
        'Super Arbeit bisher - "genau richtig", meinte unsere Geschäftsführung.',
        "Vielen Dank, die Kandidaten waren wirklich stark.",
    ),
    ("reply", "de", 1): (
        "Danke, notiert.",
        "Erhalten, ich melde mich nach unserer internen Abstimmung.",
        "Ok. Können wir den Termin auf Donnerstag verschieben?",
        "Danke. Bitte die aktualisierten Folien schicken, wir schauen nächste Woche drauf.",
        "Habe ich an unsere Personalleitung weitergeleitet.",
        "Passt. Wer von Ihrer Seite ist beim Workshop dabei?",
    ),
    ("reply", "de", 0): (
        "Ehrlich gesagt hatten wir mehr Fortschritt erwartet.",
        "Das entspricht nicht unserer Absprache. Auf der Shortlist stehen Profile, die wir "
        "ausgeschlossen hatten.",
        "Ich bin vom Tempo enttäuscht, und die Geschäftsführung fragt ständig nach.",
        "Wir müssen reden. Das letzte Ergebnis lag unter unseren Erwartungen.",
        "Diese Stunden kann ich intern kaum noch erklären.",
        "Schon wieder eine Verzögerung? Das wird für uns langsam zum Problem.",
    ),
    ("spont", "en", 2): (
        "Just wanted to say thanks - the new hire is doing brilliantly.",
        "Our managers loved the leadership session, can we repeat it for the second line?",
        "Quick thank you for the fast support on the works agreement question!",
    ),
    ("spont", "en", 1): (
        "Could you send me the CV of the second candidate again?",
        "Who is our contact during the summer holidays?",
        "Sorry for the late reply, our IT is a mess this week.",
        "Can you share the template for the interview scorecard?",
        "FYI I'm out of office until Monday.",
        "Is the reference check for the finalist already done?",
        "Do you have benchmark data for Austria as well, or only Germany?",
    ),
    ("spont", "en", 0): (
        "I still haven't received the notes from last week's interviews.",
        "We were surprised by the number of consultants on the last call.",
        "The report had several errors in the salary bands. Please check before sending.",
        "Nobody picked up the phone yesterday, this is frustrating.",
    ),
    ("spont", "de", 2): (
        "Wollte nur Danke sagen - die neue Kollegin macht einen hervorragenden Job.",
        "Unsere Führungskräfte fanden das Training super, können wir das wiederholen?",
        "Danke für die schnelle Unterstützung bei der Frage zur Betriebsvereinbarung!",
    ),
    ("spont", "de", 1): (
        "Könnten Sie mir den Lebenslauf des zweiten Kandidaten nochmal schicken?",
        "Wer ist während der Sommerferien unser Ansprechpartner?",
        "Sorry für die späte Antwort, unsere IT hat diese Woche Probleme.",
        "Haben Sie die Vorlage für den Interviewleitfaden?",
        "Ich bin bis Montag nicht im Büro.",
        "Gibt es die Benchmarkdaten auch für die Schweiz?",
    ),
    ("spont", "de", 0): (
        "Ich habe die Notizen zu den Interviews letzte Woche immer noch nicht erhalten.",
        "Wir waren überrascht, wie viele Berater beim letzten Termin dabei waren.",
        "Im Bericht waren mehrere Fehler bei den Gehaltsbändern. Bitte vorher prüfen.",
        "Gestern war niemand erreichbar, das ist ärgerlich.",
    ),
    # meeting and call notes written by the firm
    ("meeting", "en", 2): (
        "Steering committee {project}: good session, client happy with the draft; next steps agreed.",
        "Call notes: sponsor very positive, asked about a follow-up mandate for another unit.",
        "Jour fixe {project}: decisions taken on all open points, no escalations.",
    ),
    ("meeting", "en", 1): (
        "Steering committee {project}: reviewed plan, two open points on data access.",
        "Call notes: short alignment on interview schedule, nothing critical.",
        "Jour fixe {project}: status shared, client to confirm workshop dates.",
        "Meeting notes: discussed timeline; client asked for a cost overview by project phase.",
    ),
    ("meeting", "en", 0): (
        "Steering committee {project}: tense meeting, client questioned effort and timeline.",
        "Call notes: sponsor unhappy with candidate quality, wants a recalibration.",
        "Escalation call {project}: client expects a recovery plan within a week.",
    ),
    ("meeting", "de", 2): (
        "Lenkungskreis {project}: guter Termin, Kunde mit dem Entwurf zufrieden, nächste Schritte "
        "vereinbart.",
        "Gesprächsnotiz: Auftraggeberin sehr positiv, fragt nach Folgeprojekt für einen "
        "weiteren Bereich.",
    ),
    ("meeting", "de", 1): (
        "Lenkungskreis {project}: Planung besprochen, zwei offene Punkte zum Datenzugang.",
        "Gesprächsnotiz: kurze Abstimmung zu Interviewterminen, nichts Kritisches.",
        "Jour fixe {project}: Status geteilt, Kunde bestätigt Workshoptermine.",
        "Termin: Zeitplan besprochen; Kunde wünscht Kostenübersicht je Projektphase.",
    ),
    ("meeting", "de", 0): (
        "Lenkungskreis {project}: angespannte Stimmung, Aufwand und Zeitplan wurden hinterfragt.",
        "Gesprächsnotiz: Auftraggeber unzufrieden mit Kandidatenqualität, will Neuausrichtung.",
        "Eskalationstermin {project}: Kunde erwartet binnen einer Woche einen Maßnahmenplan.",
    ),
    ("survey", "en", 2): (
        "Great partner, very responsive.",
        "Excellent candidates and a smooth process.",
        "Pragmatic advice, would recommend.",
    ),
    ("survey", "en", 1): (
        "OK overall, communication could be faster.",
        "Good people, but pricey.",
        "Solid work.",
    ),
    ("survey", "en", 0): (
        "Too expensive for what we got.",
        "Slow, and too many changes of consultants.",
        "Invoices are hard to follow.",
    ),
    ("survey", "de", 2): (
        "Sehr guter Partner, immer erreichbar.",
        "Hervorragende Kandidaten, reibungsloser Prozess.",
        "Pragmatische Beratung, gerne weiter.",
    ),
    ("survey", "de", 1): (
        "Insgesamt ok, Kommunikation könnte schneller sein.",
        "Gute Leute, aber teuer.",
        "Solide Arbeit.",
    ),
    ("survey", "de", 0): (
        "Zu teuer für das Ergebnis.",
        "Langsam und zu viele Beraterwechsel.",
        "Rechnungen schwer nachvollziehbar.",
    ),
    ("dispute", "en", 0): (
        "We have a question on invoice {inv}: the hours for {month} seem too high compared to "
        "what was agreed.",
        "Invoice {inv} doesn't match our purchase order, please hold it until clarified.",
        "We can't approve {inv}. The additional scope was never signed off on our side.",
        "Please issue a credit note for {inv}; several items appear to be billed twice.",
        'Our procurement team has put invoice {inv} on hold - "scope not agreed".',
        "I'm not able to release payment for {inv}. Can you send a breakdown of the hours?",
        "We dispute invoice {inv}. The milestone it refers to has not been accepted yet.",
    ),
    ("dispute", "de", 0): (
        "Zur Rechnung {inv}: Die abgerechneten Stunden für {month} sind für uns nicht "
        "nachvollziehbar.",
        "Wir widersprechen der Rechnung {inv}, der Nachtrag wurde von uns nie freigegeben.",
        "Rechnung {inv} können wir so nicht freigeben - bitte Stundennachweis nachreichen.",
        "Die Rechnung {inv} passt nicht zu unserer Bestellung. Bitte korrigieren.",
        'Unser Einkauf hat die Rechnung {inv} gesperrt: "Leistung nicht abgenommen".',
        "Bitte stellen Sie eine Gutschrift zu {inv} aus, einige Positionen sind doppelt.",
    ),
    ("billq", "en", 1): (
        "Could you re-send invoice {inv} with our PO number 4500{po}?",
        "Please send invoices to accounts.payable from now on, incl. {inv}.",
        "Which bank account should we use for {inv}? We changed our ERP.",
        "Is invoice {inv} net or gross? Our AP team is asking.",
    ),
    ("billq", "de", 1): (
        "Könnten Sie die Rechnung {inv} mit unserer Bestellnummer 4500{po} erneut schicken?",
        "Bitte Rechnungen ab sofort an die Kreditorenbuchhaltung senden, auch {inv}.",
        "Auf welches Konto soll {inv} gehen? Wir haben das ERP umgestellt.",
        "Ist {inv} netto oder brutto? Unsere Buchhaltung fragt nach.",
    ),
    ("reminder", "en", 1): (
        "Friendly reminder: invoice {inv} was due on {due}. Could you check the status?",
        "Our records show {inv} (due {due}) as still open. Please let us know if anything is "
        "missing.",
        "Reminder: {inv}, due {due}.",
    ),
    ("reminder", "de", 1): (
        "Zahlungserinnerung: Die Rechnung {inv} ist seit dem {due} fällig.",
        "Laut unserer Buchhaltung ist {inv} (fällig am {due}) noch offen. Fehlt etwas?",
        "Kurze Erinnerung an {inv}, fällig {due}.",
    ),
    ("price", "en", 1): (
        "As every year we have reviewed our rates: from 1 January our daily rates increase by "
        "{pct}%. Happy to discuss.",
        "Please note our updated rate card for next year (+{pct}% on all roles), attached.",
    ),
    ("price", "de", 1): (
        "Zum 1. Januar passen wir unsere Tagessätze um {pct} % an. Sprechen Sie uns gern an.",
        "Anbei unsere aktualisierte Preisliste für das kommende Jahr (+{pct} % über alle Rollen).",
    ),
    ("sponsor", "en", 1): (
        "Hello, I have taken over HR leadership from {old} and will be your contact from now on. "
        "I'd like to understand the running mandates and their costs.",
        "Hi, I'm {new}, the new Chief People Officer. Let's set up an intro call.",
        "Dear all, {old} has left the company. Please direct all questions to me for now.",
    ),
    ("sponsor", "de", 1): (
        "Guten Tag, ich habe die Personalleitung von {old} übernommen und bin ab sofort Ihr "
        "Ansprechpartner. Ich möchte mir einen Überblick über laufende Mandate und Kosten "
        "verschaffen.",
        "Hallo, ich bin {new}, neu als Leitung HR. Lassen Sie uns ein Kennenlernen vereinbaren.",
        "{old} hat das Unternehmen verlassen. Bitte wenden Sie sich vorerst an mich.",
    ),
    ("handover", "en", 1): (
        "I wanted to let you know that {old} is moving on. {new} takes over {project} and is "
        "fully briefed.",
        "Change in our team for {project}: {new} joins and will replace {old}.",
    ),
    ("handover", "de", 1): (
        "Zur Info: {old} verlässt uns. {new} übernimmt {project} und ist vollständig eingearbeitet.",
        "Personelle Änderung bei {project}: {new} übernimmt ab sofort für {old}.",
    ),
    ("freeze", "en", 0): (
        "Heads-up: we've just been told there is a hiring freeze until further notice. We need "
        "to slow down {project}.",
        "Budgets for external advisors are frozen for this quarter. Please pause non-urgent work.",
        "Our CFO has asked all departments to cut external spend by 20%.",
    ),
    ("freeze", "de", 0): (
        "Vorab zur Info: Bei uns gilt ab sofort ein Einstellungsstopp. Wir müssen {project} "
        "verlangsamen.",
        "Das Budget für externe Beratung ist für dieses Quartal eingefroren.",
        "Unsere Geschäftsführung hat alle Bereiche angewiesen, externe Kosten um 20 % zu senken.",
    ),
    ("review", "en", 1): (
        "Procurement has started a review of all external HR advisors for next year. You will "
        "receive a questionnaire.",
        "We're reconsidering how we set up HR support next year, I'll keep you posted.",
        "Could you send an overview of everything we've spent with you this year?",
    ),
    ("review", "de", 1): (
        "Unser Einkauf überprüft derzeit alle externen Personalberater. Sie erhalten einen "
        "Fragebogen.",
        "Wir überlegen gerade, wie wir die HR-Unterstützung künftig aufstellen. Ich melde mich.",
        "Könnten Sie uns eine Übersicht aller Kosten dieses Jahres schicken?",
    ),
    ("notice", "en", 0): (
        "Please take this as our formal notice: we will not extend the collaboration beyond the "
        "current work.",
        "We have decided to bring recruiting in-house. Thank you for your support so far.",
        "After careful consideration we will work with a different provider going forward.",
        "We terminate the framework agreement with effect of the contractual notice period.",
    ),
    ("notice", "de", 0): (
        "Hiermit kündigen wir den Rahmenvertrag fristgerecht.",
        "Wir haben entschieden, das Recruiting künftig intern abzubilden. Danke für die "
        "Zusammenarbeit.",
        "Nach reiflicher Überlegung werden wir künftig mit einem anderen Anbieter arbeiten.",
        "Bitte betrachten Sie dies als unsere Kündigung der Zusammenarbeit.",
    ),
    ("cr", "en", 1): (
        "Attached is change request CR-{po} for {project} covering the additional interviews "
        "and analysis beyond the original scope.",
        "As discussed, we will invoice the extra effort on {project} as a change request.",
    ),
    ("cr", "de", 1): (
        "Anbei der Nachtrag N-{po} zu {project} für die zusätzlichen Interviews und Analysen.",
        "Wie besprochen rechnen wir den Mehraufwand zu {project} als Nachtrag ab.",
    ),
    ("fail", "en", 0): (
        "Unfortunately our preferred candidate for {project} has withdrawn after a counter-offer. "
        "We'll restart the final stage with the remaining shortlist.",
        "Bad news on {project}: the finalist declined the contract. We are re-opening the search.",
    ),
    ("fail", "de", 0): (
        "Leider hat der Wunschkandidat für {project} nach einem Gegenangebot abgesagt. Wir "
        "starten die Endrunde mit der restlichen Shortlist neu.",
        "Schlechte Nachricht zu {project}: Die Finalistin hat abgesagt. Wir nehmen die Suche "
        "wieder auf.",
    ),
    ("competitor", "en", 1): (
        "FYI, we were approached by another firm with an offer for similar work. Can you send "
        "your rates for next year?",
        "Another provider pitched to our board last week. Just so you know.",
    ),
    ("competitor", "de", 1): (
        "Zur Info: Uns liegt ein Angebot eines anderen Anbieters vor. Können Sie uns Ihre "
        "Konditionen für nächstes Jahr schicken?",
        "Ein anderer Berater hat sich letzte Woche bei unserer Geschäftsführung vorgestellt.",
    ),
    ("invsent", "en", 1): (
        "Invoice {inv} for {project} is available in the portal.",
        "Please find invoice {inv} attached.",
    ),
    ("invsent", "de", 1): (
        "Die Rechnung {inv} zu {project} steht im Portal bereit.",
        "Anbei die Rechnung {inv}.",
    ),
    ("chase", "en", 0): (
        "When can we expect the shortlist? It was promised for last week.",
        "We are still waiting for the draft of the target organisation.",
        "Any news on {project}? It's been quiet for a while.",
    ),
    ("chase", "de", 0): (
        "Wann kommt die Shortlist? Sie war für letzte Woche zugesagt.",
        "Wir warten immer noch auf den Entwurf der Zielorganisation.",
        "Gibt es Neuigkeiten zu {project}? Es ist ziemlich still geworden.",
    ),
    ("done", "en", 2): (
        "Thank you for the great collaboration on {project}!",
        "The final report for {project} is excellent, thanks to the whole team.",
    ),
    ("done", "en", 1): (
        "Thanks, we've received the final report for {project}.",
        "Received, we'll circulate it internally.",
    ),
    ("done", "en", 0): (
        "We received the final report. To be honest it is thinner than we expected for the price.",
        "{project} is closed, but the result took far longer than planned.",
    ),
    ("done", "de", 2): (
        "Vielen Dank für die tolle Zusammenarbeit bei {project}!",
        "Der Abschlussbericht zu {project} ist hervorragend, danke an das ganze Team.",
    ),
    ("done", "de", 1): (
        "Danke, der Abschlussbericht zu {project} ist angekommen.",
        "Erhalten, wir verteilen ihn intern.",
    ),
    ("done", "de", 0): (
        "Der Abschlussbericht liegt vor. Ehrlich gesagt hatten wir für den Preis mehr erwartet.",
        "{project} ist abgeschlossen, hat aber viel länger gedauert als geplant.",
    ),
}

# ---------------------------------------------------------------------------
# Simulation
# ---------------------------------------------------------------------------

LAG_PMF = np.exp(-np.arange(45) / 9.0)
LAG_PMF /= LAG_PMF.sum()  # days from issue to dispute: 1..45
LAG_CDF = np.concatenate([[0.0], np.cumsum(LAG_PMF)])  # LAG_CDF[k] = P(lag <= k)
A0 = -5.35
KIND_Z = np.array([0.0, -0.4, 0.0, 1.4, 1.1])  # t&m, retainer, milestone, change req., overage
H0 = 1.0e-4
P_SILENT = 0.3
ERR_P = 0.025


def _fcdf(k: np.ndarray) -> np.ndarray:
    return LAG_CDF[np.clip(k, 0, 45).astype(np.int64)]


def _gcdf(k: np.ndarray) -> np.ndarray:
    k = np.asarray(k, dtype=float)
    return np.where(k < 0, 0.0, P_SILENT + (1 - P_SILENT) * np.clip(k - 9, 0, 51) / 51)


class _Cols:
    """Column buffers filled day by day and concatenated once."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names
        self.parts: dict[str, list[np.ndarray]] = {n: [] for n in names}

    def add(self, **kw: object) -> None:
        n = int(np.size(kw[self.names[0]]))  # type: ignore[call-overload]
        if n == 0:
            return
        for name in self.names:
            self.parts[name].append(np.broadcast_to(np.asarray(kw[name]), (n,)).copy())

    def get(self, name: str, dtype: type | str = np.int64) -> np.ndarray:
        p = self.parts[name]
        return np.concatenate(p) if p else np.zeros(0, dtype=dtype)


class _Sim:
    def __init__(self, clients: int, months: int, seed: int, oracle: bool) -> None:
        self.rng = np.random.default_rng(np.random.SeedSequence([int(seed), 70707]))
        self.n = clients
        self.oracle = oracle
        end = (np.datetime64("2023-01", "M") + np.timedelta64(months, "M")).astype("datetime64[D]")
        self.w0 = BURN
        self.w1 = BURN + int((end - T0).astype(np.int64))
        self.h = self.w1 + 200
        dates = START + np.arange(self.h).astype("timedelta64[D]")
        self.dates = dates
        self.dow = weekday(dates.astype(np.int64))
        self.workday = self.dow < 5
        mon = dates.astype("datetime64[M]")
        self.month_idx = (mon - mon[0]).astype(np.int64)
        self.month_no = (mon.astype(np.int64) % 12) + 1
        self.dom = (dates - mon.astype("datetime64[D]")).astype(np.int64) + 1
        self.mdays = ((mon + 1).astype("datetime64[D]") - mon.astype("datetime64[D]")).astype(
            np.int64
        )
        first = np.zeros(self.h, dtype=bool)
        seen = -1
        for i in range(self.h):
            if self.workday[i] and self.month_idx[i] != seen:
                first[i] = True
                seen = self.month_idx[i]
        self.first_wd = first
        nxt = np.full(self.h, NEVER, dtype=np.int64)
        upcoming = NEVER
        for i in range(self.h - 1, -1, -1):
            nxt[i] = upcoming
            if first[i]:
                upcoming = i
        self.next_first = nxt  # next first-workday-of-month strictly after i
        mn, dm = self.month_no, self.dom
        self.xmas = np.where(((mn == 12) & (dm >= 22)) | ((mn == 1) & (dm <= 2)), 0.25, 1.0)
        self.season = np.where((mn == 11) | (mn == 12) | (mn == 1), 1.5, 1.0)
        d = np.arange(1, 91)
        gw = _gcdf(90 - d)
        seas = np.concatenate([self.season, np.ones(100)])
        self.wseason = np.array([np.dot(seas[t + d], gw) for t in range(self.h)])
        self.fsum30 = float(_fcdf(30 - np.arange(1, 31)).sum())

    # ------------------------------------------------------------------ setup
    def setup(self) -> None:
        rng, n = self.rng, self.n
        ns = max(40, n // 12)
        self.s_role = rng.choice(5, ns, p=ROLE_SHARE)
        self.s_role[:5] = np.arange(5)
        self.s_de = rng.random(ns) < 0.4
        self.s_first = rng.integers(0, 26, ns)
        self.s_last = rng.integers(0, 26, ns)
        self.s_opt = rng.uniform(0.0, 0.75, ns)  # how rosy a person's progress reports are
        self.staff_by_role = [np.flatnonzero(self.s_role == r) for r in range(5)]

        self.lang = (rng.random(n) < 0.45).astype(np.int64)
        self.ind = rng.choice(len(INDUSTRIES), n, p=IND_P)
        initial = rng.random(n) < 0.78
        span = max(2, self.w1 - self.w0 - 45)
        since = np.where(initial, -rng.integers(0, 3000, n), self.w0 + rng.integers(0, span, n))
        while True:  # arrivals start on a workday
            bad = (since >= 0) & ~self.workday[np.clip(since, 0, self.h - 1)]
            if not bad.any():
                break
            since[bad] += 1
        self.since = since
        self.size = np.exp(rng.normal(0.0, 0.45, n))
        self.rate_mult = rng.uniform(0.88, 1.04, n)
        self.mu_sat = rng.normal(0.35, 0.55, n)
        self.sat = self.mu_sat + rng.normal(0, 0.3, n)
        self.prop = rng.normal(0, 0.5, n) + IND_PROP[self.ind]
        self.pay_habit = IND_PAY[self.ind] * np.exp(rng.normal(0, 0.3, n))
        self.terms = np.where(rng.random(n) < 0.3 + 0.4 * self.lang, 14, 30)
        self.lead = rng.choice(self.staff_by_role[0], n)
        self.bp_idio = rng.normal(0, 0.35, n)
        self.bp = np.zeros(n)
        self.freeze_until = np.full(n, -NEVER)
        self.comp_until = np.full(n, -NEVER)
        self.sponsor_since = np.full(n, -NEVER)
        self.decided = np.full(n, -1)
        self.churn_day = np.full(n, NEVER)
        self.churn_reason = np.full(n, -1)
        self.last_active = np.where(initial, -rng.integers(0, 200, n), since)
        self.last_dispute = np.full(n, -NEVER)
        self.price_mult = np.ones(n)
        self.pend_pct = np.zeros(n)
        self.ann_day = np.full(n, -NEVER)
        self.inc_day = np.full(n, -NEVER)
        self.inc_pct = np.zeros(n)
        self.inv_mean = 15000.0 * self.size
        self.disp_ev = np.zeros((n, self.h + 60), dtype=np.int16)
        # contacts: first names/last names index a language's list
        self.c_lang: list[int] = []
        self.c_first: list[int] = []
        self.c_last: list[int] = []
        self.sponsor = np.array([self._contact(int(lg)) for lg in self.lang])
        self.procure = np.array([self._contact(int(lg)) for lg in self.lang])
        self.n_ind = len(INDUSTRIES)
        self.m_ind = np.zeros(self.n_ind)
        self.down = np.zeros((self.n_ind, self.h))
        wl = self.w1 - self.w0
        for i in rng.choice(self.n_ind, 2, replace=False):
            s0 = self.w0 + int(rng.integers(0, max(1, wl - 120)))
            s1 = s0 + int(rng.integers(150, 270))
            ramp = np.clip((np.arange(self.h) - s0) / 30.0, 0, 1) * (np.arange(self.h) < s1)
            self.down[i] = 0.9 * ramp
        # projects
        cap = n * 24
        self.cap = cap
        self.np_ = 0
        z = np.zeros
        self.p_client = z(cap, np.int64)
        self.p_type = z(cap, np.int64)
        self.p_model = z(cap, np.int64)
        self.p_budget = z(cap)
        self.p_start = z(cap, np.int64)
        self.p_end = z(cap, np.int64)
        self.p_closed = np.full(cap, -1)
        self.p_close_on = np.full(cap, NEVER)
        self.p_active = z(cap, bool)
        self.p_prog = z(cap)
        self.p_rep = z(cap)
        self.p_eff = z(cap)
        self.p_w = z(cap)
        self.p_mh = z(cap)
        self.p_hplan = z(cap)
        self.p_usage = np.ones(cap)
        self.p_cost = z(cap)
        self.p_billed = z(cap)
        self.p_acc = z(cap)
        self.p_accn = z(cap, np.int64)
        self.p_use = z(cap)
        self.p_team = np.full((cap, 3), -1)
        self.p_pm = z(cap, np.int64)
        self.p_next_rep = z(cap, np.int64)
        self.p_cadence = z(cap, np.int64)
        self.p_stage = z(cap, np.int64)
        self.p_cr = z(cap, np.int64)
        self.p_failed = z(cap, bool)
        self.p_ho_until = np.full(cap, -NEVER)
        self.p_detail = z(cap, np.int64)
        self.p_year = z(cap, np.int64)
        self.p_ms_done = z(cap, np.int64)
        # invoices
        icap = n * 120
        self.icap = icap
        self.ni = 0
        self.i_client = z(icap, np.int64)
        self.i_proj = z(icap, np.int64)
        self.i_issued = z(icap, np.int64)
        self.i_due = z(icap, np.int64)
        self.i_amount = z(icap)
        self.i_paid = np.full(icap, NEVER)
        self.i_disp = np.full(icap, NEVER)
        self.i_items = z(icap, np.int64)
        self.i_ps = z(icap, np.int64)
        self.i_pe = z(icap, np.int64)
        self.i_kind = z(icap, np.int64)
        self.i_p = z(icap)
        self.i_month = np.full(icap, -1)
        self.oi_lo = 0
        # outputs
        self.te = _Cols(("proj", "person", "day", "hours", "bill", "amount"))
        self.pr = _Cols(("proj", "day", "pct", "ms"))
        self.ms = _Cols(("client", "proj", "day", "kind", "tone", "author", "other", "ref", "ref2"))
        self.orc = _Cols(("client", "day", "dr", "cr"))

    def _contact(self, lang: int) -> int:
        self.c_lang.append(lang)
        self.c_first.append(int(self.rng.integers(0, 26)))
        self.c_last.append(int(self.rng.integers(0, 26)))
        return len(self.c_lang) - 1

    def _msg(
        self,
        client: np.ndarray,
        day: np.ndarray | int,
        kind: str,
        tone: np.ndarray | int = 1,
        proj: np.ndarray | int = -1,
        author: np.ndarray | int = -1,
        other: np.ndarray | int = -1,
        ref: np.ndarray | int = -1,
        ref2: np.ndarray | int = -1,
    ) -> None:
        self.ms.add(
            client=client,
            proj=proj,
            day=day,
            kind=K[kind],
            tone=tone,
            author=author,
            other=other,
            ref=ref,
            ref2=ref2,
        )

    def _tone(self, c: np.ndarray, shift: float = 0.0) -> np.ndarray:
        sc = self.sat[c] + shift + self.rng.normal(0, 0.7, c.size)
        sc = sc - 0.35 * (self.decided[c] >= 0)
        return np.where(sc < -0.55, 0, np.where(sc > 0.75, 2, 1))

    def _eng(self, c: np.ndarray, t: int) -> np.ndarray:
        e = np.exp(0.25 * self.sat[c]) * np.where(self.decided[c] >= 0, 0.45, 1.0)
        return e * np.where(self.comp_until[c] >= t, 0.8, 1.0)

    # ---------------------------------------------------------------- projects
    def _new_projects(
        self,
        cs: np.ndarray,
        t: int,
        ptype: np.ndarray | None = None,
        budget: np.ndarray | None = None,
    ) -> None:
        rng = self.rng
        k = cs.size
        if k == 0:
            return
        if self.np_ + k > self.cap:
            raise RuntimeError("project capacity exceeded")
        lang = self.lang[cs]
        if ptype is None:
            u = rng.random(k)
            cum = np.cumsum(TYPE_P, axis=1)[lang]
            ptype = (u[:, None] > cum).sum(axis=1)
        ptype = np.minimum(ptype, len(TYPES) - 1)
        model = np.array([TYPES[i][2] for i in range(len(TYPES))])[ptype]
        lo = np.array([TYPES[i][3] for i in range(len(TYPES))])[ptype]
        hi = np.array([TYPES[i][4] for i in range(len(TYPES))])[ptype]
        dlo = np.array([TYPES[i][5] for i in range(len(TYPES))])[ptype]
        dhi = np.array([TYPES[i][6] for i in range(len(TYPES))])[ptype]
        b = rng.uniform(lo, hi) * self.size[cs]
        step = np.where(model == 2, 1200.0, 500.0)
        b = np.maximum(step, np.round(b / step) * step)
        if budget is not None:
            b = np.where(budget > 0, budget, b)
        dur = rng.integers(dlo, dhi + 1)
        idx = np.arange(self.np_, self.np_ + k)
        self.np_ += k
        self.p_client[idx] = cs
        self.p_type[idx] = ptype
        self.p_model[idx] = model
        self.p_budget[idx] = b
        self.p_start[idx] = t
        self.p_end[idx] = t + dur
        self.p_active[idx] = True
        eff = np.exp(rng.normal(-0.06, 0.22, k) - 0.08 * np.maximum(self.bp[cs], 0))
        self.p_eff[idx] = np.clip(eff, 0.4, 1.6)
        w = np.maximum(10.0, dur * 5 / 7)
        self.p_w[idx] = w
        rates = np.zeros(k)
        nteam = np.zeros(k)
        for j in range(k):
            roles = TYPES[int(ptype[j])][7]
            for s, r in enumerate(roles):
                pool = self.staff_by_role[r]
                self.p_team[idx[j], s] = pool[rng.integers(0, pool.size)]
                rates[j] += ROLE_RATE[r]
            nteam[j] = len(roles)
        blend = rates / nteam * self.rate_mult[cs] * self.price_mult[cs]
        usage = np.where(model == 2, rng.uniform(0.6, 1.35, k), 1.0)
        self.p_usage[idx] = usage
        hplan = b / blend * np.where(model == 0, 0.92, 1.0)
        self.p_hplan[idx] = hplan
        self.p_mh[idx] = hplan / (w * nteam)
        self.p_pm[idx] = self.p_team[idx, 0]
        cad = np.where(rng.random(k) < 0.6, 7, 14)
        self.p_cadence[idx] = cad
        self.p_next_rep[idx] = t + cad
        self.p_detail[idx] = rng.integers(0, 7, k)
        self.p_year[idx] = self.dates[t].astype("datetime64[Y]").astype(np.int64) + 1970
        self.last_active[cs] = t
        # opening tranche for fixed fee work
        fx = idx[model == 0]
        if fx.size:
            amt = np.round(self.p_budget[fx] * TRANCHE[self.p_type[fx], 0], 2)
            self.p_stage[fx] = 1
            self._issue(
                t,
                fx,
                amt,
                2,
                np.full(fx.size, t),
                np.full(fx.size, t),
                np.zeros(fx.size),
                np.ones(fx.size, dtype=np.int64),
            )

    def _overrun(self, p: np.ndarray, extra: np.ndarray) -> np.ndarray:
        b = self.p_budget[p]
        prog = np.minimum(self.p_prog[p], 1.0)
        m = self.p_model[p]
        fixed = np.clip(self.p_cost[p] / b - prog, 0, 2)
        billed = (self.p_billed[p] + extra) / b
        tm = np.clip(billed - 1, 0, 2) + np.clip(billed - prog, 0, 1)
        ret = np.clip(self.p_use[p] / np.maximum(b / 12, 1) - 1, 0, 2)
        return np.where(m == 0, fixed, np.where(m == 1, tm, ret))

    def _dz(
        self,
        c: np.ndarray,
        t: int,
        kind: np.ndarray | int,
        overrun: np.ndarray,
        surprise: np.ndarray,
        failed: np.ndarray,
    ) -> np.ndarray:
        price = ((t >= self.inc_day[c]) & (t < self.inc_day[c] + 90)) * self.inc_pct[c] / 7
        return (
            A0
            - 0.8 * self.sat[c]
            + 0.5 * self.bp[c]
            + 1.4 * overrun
            + 1.1 * (t - self.sponsor_since[c] < 90)
            + 0.9 * price
            + KIND_Z[kind]
            + 1.3 * failed
            + 0.5 * surprise
            + self.prop[c]
            + 0.6 * (self.decided[c] >= 0)
        )

    def _issue(
        self,
        t: int,
        p: np.ndarray,
        amount: np.ndarray,
        kind: int,
        ps: np.ndarray,
        pe: np.ndarray,
        overrun: np.ndarray,
        items: np.ndarray,
    ) -> None:
        rng = self.rng
        k = p.size
        if k == 0:
            return
        if self.ni + k > self.icap:
            raise RuntimeError("invoice capacity exceeded")
        c = self.p_client[p]
        err = rng.random(k) < ERR_P
        visible = rng.random(k) < 0.6
        amount = np.where(err & visible, amount * rng.uniform(1.15, 1.5, k), amount)
        amount = np.maximum(np.round(amount, 2), 50.0)
        surprise = np.clip(np.log(amount / self.inv_mean[c]), 0, 2)
        z = self._dz(c, t, kind, overrun, surprise, self.p_failed[p]) + 2.8 * err
        pz = sigmoid(z)
        disputed = rng.random(k) < pz
        lag = rng.choice(45, k, p=LAG_PMF) + 1
        dd = np.where(disputed, t + lag, NEVER)
        due = t + self.terms[c]
        bpp = np.maximum(self.bp[c], 0)
        pl = self.pay_habit[c] + 10 * bpp + 6 * np.maximum(0, -self.sat[c])
        pl = pl + 12 * (self.decided[c] >= 0) + rng.normal(0, 5, k)
        paid = t + np.maximum(2, np.round(pl)).astype(np.int64)
        paid = np.where(disputed, dd + rng.integers(7, 60, k), paid)
        lost = rng.random(k) < np.where(disputed, 0.1, np.where(self.decided[c] >= 0, 0.04, 0.003))
        paid = np.where(lost, NEVER, paid)
        i = np.arange(self.ni, self.ni + k)
        self.ni += k
        self.i_client[i] = c
        self.i_proj[i] = p
        self.i_issued[i] = t
        self.i_due[i] = due
        self.i_amount[i] = amount
        self.i_paid[i] = paid
        self.i_disp[i] = dd
        self.i_items[i] = items
        self.i_ps[i] = ps
        self.i_pe[i] = pe
        self.i_kind[i] = kind
        self.i_p[i] = pz
        if kind == 0:
            self.i_month[i] = self.month_idx[ps]
        np.add.at(self.p_billed, p, amount)
        self.inv_mean[c] = 0.7 * self.inv_mean[c] + 0.3 * amount
        ok = dd < self.disp_ev.shape[1]
        np.add.at(self.disp_ev, (c[ok & disputed], dd[ok & disputed]), 1)
        lead = self.p_team[p, 0]
        # messages tied to the invoice
        m = disputed & (rng.random(k) < 0.75)
        self._msg(c[m], dd[m], "dispute", 0, p[m], self.procure[c[m]], lead[m], i[m])
        late = (paid > due + 14) & (rng.random(k) < 0.8)
        self._msg(
            c[late],
            due[late] + 14,
            "reminder",
            1,
            p[late],
            self.lead[c[late]],
            self.procure[c[late]],
            i[late],
            due[late],
        )
        s = rng.random(k) < 0.2
        self._msg(c[s], t, "invsent", 1, p[s], lead[s], self.sponsor[c[s]], i[s])
        q = ~disputed & (rng.random(k) < 0.035)
        self._msg(
            c[q],
            t + rng.integers(2, 20, int(q.sum())),
            "billq",
            1,
            p[q],
            self.procure[c[q]],
            lead[q],
            i[q],
            rng.integers(10000, 99999, int(q.sum())),
        )

    # -------------------------------------------------------------- day loop
    def _hazard(self, t: int) -> tuple[np.ndarray, np.ndarray]:
        """Daily churn-decision hazard without season, and the per-driver terms."""
        bp = np.maximum(self.bp, 0)
        price = ((t >= self.ann_day) & (t < self.ann_day + 120)) * 0.12 * self.inc_pct
        terms = np.stack(
            [
                -0.85 * self.sat,
                0.45 * bp,
                1.1 * (t - self.sponsor_since < 150),
                1.3 * (self.comp_until >= t),
                1.0 * (t - self.last_active > 90),
                price * (0.4 + bp),
                0.6 * (t - self.last_dispute < 60) + 0.4 * (t - self.since < 365),
            ]
        )
        return H0 * np.exp(terms.sum(axis=0)), terms

    def run(self) -> None:
        self.setup()
        rng, n = self.rng, self.n
        jan1 = [int(i) for i in np.flatnonzero((self.month_no == 1) & (self.dom == 1)) if i > 31]
        for t in range(self.w1):
            wd = bool(self.workday[t])
            exists = self.since <= t
            alive = exists & (self.churn_day > t)
            # client-side environment
            self.m_ind = 0.997 * self.m_ind + 0.02 * rng.normal(size=self.n_ind)
            self.bp_idio = 0.99 * self.bp_idio + 0.05 * rng.normal(size=n)
            m_eff = self.m_ind + self.down[:, t]
            fz = alive & (self.freeze_until < t)
            fz &= rng.random(n) < np.exp(m_eff[self.ind]) / 700
            fzc = np.flatnonzero(fz)
            self.freeze_until[fzc] = t + rng.integers(60, 180, fzc.size)
            sel = fzc[rng.random(fzc.size) < 0.5]
            self._msg(
                sel,
                t + rng.integers(0, 10, sel.size),
                "freeze",
                0,
                -1,
                self.sponsor[sel],
                self.lead[sel],
            )
            self.bp = m_eff[self.ind] + self.bp_idio + 1.2 * (self.freeze_until >= t)
            # sponsor changes on the client side
            sc = np.flatnonzero(alive & (rng.random(n) < 1 / 900))
            for c in sc:
                old = int(self.sponsor[c])
                self.sponsor[c] = self._contact(int(self.lang[c]))
                if rng.random() < 0.65:
                    self._msg(
                        np.array([c]),
                        t + int(rng.integers(1, 20)),
                        "sponsor",
                        1,
                        -1,
                        int(self.sponsor[c]),
                        int(self.lead[c]),
                        old,
                    )
            self.sponsor_since[sc] = t
            self.mu_sat[sc] = rng.normal(0.2, 0.6, sc.size)
            self.sat[sc] -= 0.2
            # competitor approaches
            cp = alive & (self.comp_until < t)
            cp &= rng.random(n) < (1 + np.maximum(0, -self.sat)) / 1500
            cpc = np.flatnonzero(cp)
            self.comp_until[cpc] = t + rng.integers(45, 90, cpc.size)
            sel = cpc[rng.random(cpc.size) < 0.15]
            self._msg(
                sel,
                t + rng.integers(0, 30, sel.size),
                "competitor",
                1,
                -1,
                self.sponsor[sel],
                self.lead[sel],
            )
            # satisfaction drifts; disputes hurt it
            ev = self.disp_ev[:, t]
            self.sat += (self.mu_sat - self.sat) / 60 + 0.035 * rng.normal(size=n) - 0.4 * ev
            self.last_dispute[ev > 0] = t
            # yearly rate review: announced early December, effective 1 January
            for j1 in jan1:
                if t == j1 - 31:
                    ch = np.flatnonzero(alive & (rng.random(n) < 0.55))
                    self.pend_pct[ch] = rng.integers(4, 11, ch.size)
                    self.ann_day[ch] = t + rng.integers(0, 10, ch.size)
                    self.inc_day[ch] = j1
                    self.inc_pct[ch] = self.pend_pct[ch]
                    self._msg(
                        ch,
                        self.ann_day[ch],
                        "price",
                        1,
                        -1,
                        self.lead[ch],
                        self.sponsor[ch],
                        self.pend_pct[ch].astype(np.int64),
                    )
                if t == j1:
                    self.price_mult *= 1 + self.pend_pct / 100
                    self.pend_pct[:] = 0
            an = self.ann_day == t
            self.sat[an] -= 0.05 + 0.03 * self.inc_pct[an] * (0.5 + np.maximum(self.bp[an], 0))
            # churn decisions (from the export window on)
            if t >= self.w0:
                h, terms = self._hazard(t)
                und = np.flatnonzero(alive & (self.decided < 0))
                dec = und[rng.random(und.size) < h[und] * self.season[t]]
                if dec.size:
                    dormant = t - self.last_active[dec] > 90
                    silent = rng.random(dec.size) < np.where(dormant, 0.7, P_SILENT)
                    lag = np.where(silent, 0, rng.integers(10, 61, dec.size))
                    self.decided[dec] = t
                    self.churn_day[dec] = t + lag
                    reason = np.argmax(terms[:, dec] + rng.gumbel(0, 0.4, (7, dec.size)), axis=0)
                    rmap = np.array([4, 0, 3, 1, 5, 6, 2])
                    reason = rmap[reason]
                    u = rng.random(dec.size)
                    reason = np.where(u < 0.15, rng.integers(0, 7, dec.size), reason)
                    self.churn_reason[dec] = np.where(u > 0.72, -1, reason)
                    rv = (lag >= 14) & (rng.random(dec.size) < 0.45)
                    rd = dec[rv]
                    self._msg(
                        rd,
                        t + rng.integers(3, np.maximum(4, lag[rv] - 2)),
                        "review",
                        1,
                        -1,
                        self.sponsor[rd],
                        self.lead[rd],
                    )
                    nt = rng.random(dec.size) < np.where(lag > 0, 0.8, np.where(dormant, 0, 0.4))
                    nd = dec[nt]
                    self._msg(nd, t + lag[nt], "notice", 0, -1, self.sponsor[nd], self.lead[nd])
            gone = np.flatnonzero(self.churn_day == t)
            alive = exists & (self.churn_day > t)
            act = np.flatnonzero(self.p_active[: self.np_])
            if gone.size and act.size:
                hit = act[np.isin(self.p_client[act], gone)]
                self.p_close_on[hit] = np.minimum(
                    self.p_close_on[hit], t + rng.integers(0, 31, hit.size)
                )
            # projects close on request (wind-down after notice)
            cl = act[self.p_close_on[act] <= t]
            self._close(cl, t, completed=False)
            act = np.flatnonzero(self.p_active[: self.np_])
            nact = np.bincount(self.p_client[act], minlength=n)
            self.last_active[nact > 0] = t
            if self.first_wd[t]:
                self._monthly(t)
                if self.month_no[t] in (1, 4, 7, 10):
                    self._survey(t, alive)
            if wd:
                self._workday(t, act)
                # new engagements
                forced = np.flatnonzero(self.since == t)
                el = alive & (self.decided < 0) & (nact < 3) & (self.since < t)
                base = np.where(nact == 0, 1 / 40, np.where(nact == 1, 1 / 220, 1 / 700))
                hz = base * np.exp(0.35 * self.sat - 0.4 * np.maximum(self.bp, 0))
                hz = hz * np.where(self.freeze_until >= t, 0.25, 1.0) * self.xmas[t]
                new = np.flatnonzero(el & (rng.random(n) < hz))
                self._new_projects(np.concatenate([forced, new]), t)
            if wd:
                self._talk(t, alive, nact)
            if self.oracle and t >= self.w0:
                self._oracle(t, alive)

    def _close(self, p: np.ndarray, t: int, completed: bool) -> None:
        if p.size == 0:
            return
        self.p_active[p] = False
        self.p_closed[p] = t
        if not completed:
            return
        c = self.p_client[p]
        good = self.p_cost[p] / self.p_budget[p] < 1.15
        np.add.at(self.sat, c, np.where(good, 0.2, -0.15))
        sel = self.rng.random(p.size) < 0.5
        self._msg(
            c[sel],
            t + self.rng.integers(0, 5, int(sel.sum())),
            "done",
            self._tone(c[sel], np.where(good[sel], 0.3, -0.5)),
            p[sel],
            self.sponsor[c[sel]],
            self.p_team[p[sel], 0],
        )

    def _workday(self, t: int, act: np.ndarray) -> None:
        rng = self.rng
        if act.size == 0:
            return
        k = act.size
        c = self.p_client[act]
        model = self.p_model[act]
        frz = self.freeze_until[c] >= t
        bp = np.maximum(self.bp[c], 0)
        vol = np.where(model > 0, np.exp(-0.35 * bp) * np.where(frz, 0.5, 1.0), 1.0)
        vol = vol * np.where(model == 0, np.where(frz, 0.8, 1.0), 1.0) * self.p_usage[act]
        vol = vol * np.where(self.decided[c] >= 0, 0.8, 1.0) * self.xmas[t]
        mh = self.p_mh[act] * vol
        prob = np.clip(mh / 5.5, 0.04, 0.92)
        over = (model == 0) & (self.p_cost[act] > self.p_budget[act])
        pbill = np.where(over, 0.65, 0.92)
        tot_h = np.zeros(k)
        for j in range(3):
            person = self.p_team[act, j]
            work = (person >= 0) & (rng.random(k) < prob)
            w = np.flatnonzero(work)
            if w.size == 0:
                continue
            hrs = mh[w] / prob[w] * rng.gamma(4.0, 0.25, w.size)
            hrs = np.clip(np.round(hrs * 4) / 4, 0.25, 11.0)
            pw = act[w]
            cw = c[w]
            rate = ROLE_RATE[self.s_role[person[w]]] * self.rate_mult[cw] * self.price_mult[cw]
            value = hrs * rate
            bill = rng.random(w.size) < pbill[w]
            amt = np.where(bill, np.round(value, 2), 0.0)
            self.te.add(proj=pw, person=person[w], day=t, hours=hrs, bill=bill, amount=amt)
            self.p_cost[pw] += value
            tm = model[w] == 1
            self.p_acc[pw[tm]] += amt[tm]
            self.p_accn[pw[tm]] += bill[tm]
            rt = model[w] == 2
            self.p_use[pw[rt]] += value[rt]
            tot_h[w] += hrs
        # progress
        ho = np.where(self.p_ho_until[act] >= t, 0.8, 1.0)
        eff = self.p_eff[act] * ho * np.where(frz, 0.85, 1.0)
        prev = self.p_prog[act].copy()
        inc_fixed = eff / self.p_w[act] * rng.uniform(0.5, 1.5, k)
        inc_tm = tot_h / self.p_hplan[act] * eff
        el = (t - self.p_start[act]) / np.maximum(1, self.p_end[act] - self.p_start[act])
        newp = np.where(model == 0, prev + inc_fixed, np.where(model == 1, prev + inc_tm, el))
        self.p_prog[act] = newp
        # search mandates: the finalist may drop out at the offer stage
        srch = (self.p_type[act] == 0) & (prev < 0.9) & (newp >= 0.9) & ~self.p_failed[act]
        pf = 0.14 * (1 + 2 * np.maximum(0, 1 - self.p_eff[act]))
        fail = srch & (rng.random(k) < pf)
        fp = act[fail]
        if fp.size:
            self.p_failed[fp] = True
            self.p_prog[fp] = 0.55
            self.p_rep[fp] = np.minimum(self.p_rep[fp], 55.0)
            np.add.at(self.sat, self.p_client[fp], -0.5)
            s = fp[rng.random(fp.size) < 0.85]
            self._msg(
                self.p_client[s], t, "fail", 0, s, self.p_team[s, 0], self.sponsor[self.p_client[s]]
            )
        # lateness weighs on the client's mood
        slip = np.where(model < 2, el - np.minimum(self.p_prog[act], 1), 0.0)
        np.add.at(self.sat, c, -0.02 * np.clip(slip - 0.08, 0, 0.6))
        ch = np.flatnonzero(rng.random(k) < 0.1 * np.clip(slip - 0.1, 0, 0.5))
        self._msg(c[ch], t, "chase", 0, act[ch], self.sponsor[c[ch]], self.p_team[act[ch], 0])
        # staff turnover on the firm side
        hov = np.flatnonzero(rng.random(k) < 1 / 380)
        for j in hov:
            p = act[j]
            old = int(self.p_team[p, 0])
            pool = self.staff_by_role[self.s_role[old]]
            new = int(pool[rng.integers(0, pool.size)])
            if new == old:
                continue
            self.p_team[p, 0] = new
            self.p_ho_until[p] = t + 30
            self.sat[c[j]] -= 0.25
            if rng.random() < 0.7:
                self._msg(
                    np.array([c[j]]), t, "handover", 1, p, new, int(self.sponsor[c[j]]), old, new
                )
        # fixed-fee milestones, change requests and completion
        fx = act[model == 0]
        if fx.size:
            ty = self.p_type[fx]
            st = np.minimum(self.p_stage[fx], 2)
            hit = (self.p_stage[fx] < 3) & (self.p_prog[fx] >= THRESH[ty, st])
            hp = fx[hit]
            if hp.size:
                amt = self.p_budget[hp] * TRANCHE[self.p_type[hp], st[hit]]
                ps = np.maximum(self.p_start[hp], t - 60)
                self._issue(
                    t,
                    hp,
                    amt,
                    2,
                    ps,
                    np.full(hp.size, t),
                    self._overrun(hp, amt),
                    rng.integers(1, 3, hp.size),
                )
                self.p_stage[hp] += 1
            crm = (self.p_cost[fx] > 1.15 * self.p_budget[fx]) & (self.p_prog[fx] < 0.9)
            crm &= (self.p_cr[fx] < 2) & (rng.random(fx.size) < 0.04)
            cp = fx[crm]
            if cp.size:
                b = self.p_budget[cp]
                amt = np.minimum(self.p_cost[cp] - b, 0.35 * b) * rng.uniform(0.6, 1.0, cp.size)
                amt = np.maximum(500.0, np.round(amt, -2))
                self._issue(
                    t,
                    cp,
                    amt,
                    3,
                    self.p_start[cp],
                    np.full(cp.size, t),
                    self._overrun(cp, amt),
                    rng.integers(1, 5, cp.size),
                )
                self.p_cr[cp] += 1
                self.p_budget[cp] += 0  # contracted budget stays as signed
                cc = self.p_client[cp]
                self._msg(
                    cc,
                    t,
                    "cr",
                    1,
                    cp,
                    self.p_team[cp, 0],
                    self.sponsor[cc],
                    rng.integers(1, 99, cp.size),
                )
            done = fx[self.p_prog[fx] >= 1.0]
            self._report(done, t, final=True)
            self._close(done, t, completed=True)
        tmp = act[(model == 1) & (self.p_active[act])]
        tdone = tmp[
            (self.p_prog[tmp] >= 1.0)
            | (self.p_billed[tmp] + self.p_acc[tmp] > 1.7 * self.p_budget[tmp])
        ]
        self._report(tdone, t, final=True)
        self._close(tdone, t, completed=True)
        rp = act[(model == 2) & (t >= self.p_end[act])]
        if rp.size:
            self._report(rp, t, final=True)
            self._close(rp, t, completed=True)
            rc = self.p_client[rp]
            ok = (self.decided[rc] < 0) & (self.churn_day[rc] > t)
            pr = sigmoid(0.9 + 0.9 * self.sat[rc] - 0.5 * np.maximum(self.bp[rc], 0))
            ren = ok & (rng.random(rp.size) < pr)
            fee = np.round(self.p_budget[rp[ren]] * 1.03 / 1200) * 1200
            self._new_projects(rc[ren], t, np.full(int(ren.sum()), 4), fee)
        # progress reports
        act = act[self.p_active[act]]
        due = act[self.p_next_rep[act] <= t]
        if due.size:
            self.p_next_rep[due] = t + self.p_cadence[due] + rng.integers(-1, 3, due.size)
            due = due[rng.random(due.size) < 0.8]
            self._report(due, t, final=False)

    def _report(self, p: np.ndarray, t: int, final: bool) -> None:
        if p.size == 0:
            return
        rng = self.rng
        if final:
            pct = np.full(p.size, 100.0)
        else:
            el = (t - self.p_start[p]) / np.maximum(1, self.p_end[p] - self.p_start[p])
            prog = np.minimum(self.p_prog[p], 1.0)
            opt = self.s_opt[self.p_pm[p]]
            pct = 100 * np.clip(prog + opt * np.clip(el - prog, 0, 1) * 0.8, 0, 0.99)
            coarse = (self.p_pm[p] % 3) != 0
            pct = np.where(coarse, np.round(pct / 5) * 5, np.round(pct, 0))
            pct = np.where(self.p_failed[p], np.minimum(pct, 100 * self.p_prog[p] + 5), pct)
            pct = np.where(self.p_failed[p], np.round(pct), np.maximum(pct, self.p_rep[p]))
            pct = np.minimum(pct, 99.0)
        level = np.clip((pct // 25).astype(np.int64), 0, 4)
        ms = np.where(level > self.p_ms_done[p], level - 1, -1)
        self.p_ms_done[p] = np.maximum(self.p_ms_done[p], level)
        ms = np.where(rng.random(p.size) < 0.85, ms, -1)
        self.p_rep[p] = pct
        self.pr.add(proj=p, day=t, pct=pct, ms=ms)

    def _monthly(self, t: int) -> None:
        rng = self.rng
        npj = self.np_
        allp = np.arange(npj)
        prev_start = (
            int(np.flatnonzero(self.month_idx == self.month_idx[t] - 1)[0]) if t > 31 else 0
        )
        tm = allp[(self.p_model[:npj] == 1) & (self.p_acc[:npj] > 0)]
        if tm.size:
            amt = self.p_acc[tm].copy()
            ps = np.maximum(self.p_start[tm], prev_start)
            pe = np.full(tm.size, t - int(self.dom[t]))
            items = np.maximum(1, self.p_accn[tm])
            self._issue(t, tm, amt, 0, ps, pe, self._overrun(tm, amt), items)
            self.p_acc[tm] = 0
            self.p_accn[tm] = 0
        rt = allp[(self.p_model[:npj] == 2) & self.p_active[:npj]]
        if rt.size:
            fee = np.round(self.p_budget[rt] / 12 * self.price_mult[self.p_client[rt]], 2)
            ov = self.p_use[rt] > 1.25 * self.p_budget[rt] / 12
            ov &= rng.random(rt.size) < 0.6
            op = rt[ov]
            if op.size:
                amt = np.round(self.p_use[op] - self.p_budget[op] / 12, 2)
                self._issue(
                    t,
                    op,
                    amt,
                    4,
                    np.full(op.size, prev_start),
                    np.full(op.size, t - int(self.dom[t])),
                    self._overrun(op, amt),
                    rng.integers(2, 8, op.size),
                )
            end = t - int(self.dom[t]) + int(self.mdays[t])
            self._issue(
                t,
                rt,
                fee,
                1,
                np.full(rt.size, t - int(self.dom[t]) + 1),
                np.full(rt.size, end),
                self._overrun(rt, fee),
                np.ones(rt.size, dtype=np.int64),
            )
            self.p_use[rt] = 0

    def _survey(self, t: int, alive: np.ndarray) -> None:
        rng = self.rng
        cs = np.flatnonzero(alive & (self.last_active >= t - 120))
        resp = cs[rng.random(cs.size) < np.clip(0.45 * self._eng(cs, t), 0.05, 0.85)]
        sc = 7.2 + 1.5 * self.sat[resp] - 0.4 * np.maximum(self.bp[resp], 0)
        score = np.clip(np.round(sc + rng.normal(0, 1.4, resp.size)), 0, 10).astype(np.int64)
        tone = np.where(score <= 6, 0, np.where(score >= 9, 2, 1))
        tone = np.where(rng.random(resp.size) < 0.5, tone, -1)  # -1: no comment
        self._msg(
            resp,
            t + rng.integers(0, 14, resp.size),
            "survey",
            tone,
            -1,
            self.sponsor[resp],
            -1,
            score,
        )

    def _talk(self, t: int, alive: np.ndarray, nact: np.ndarray) -> None:
        rng = self.rng
        act = np.flatnonzero(self.p_active[: self.np_])
        k = act.size
        if k:
            c = self.p_client[act]
            el = (t - self.p_start[act]) / np.maximum(1, self.p_end[act] - self.p_start[act])
            slip = np.where(self.p_model[act] < 2, el - np.minimum(self.p_prog[act], 1), 0.0)
            rs = slip * (1 - self.s_opt[self.p_pm[act]])
            st = np.flatnonzero(rng.random(k) < 0.11)
            tone = np.where(rs[st] < 0.08, 2, np.where(rs[st] < 0.2, 1, 0))
            lead = self.p_team[act, 0]
            self._msg(c[st], t, "status", tone, act[st], lead[st], self.sponsor[c[st]])
            cs = c[st]
            rp = rng.random(st.size) < np.clip(0.5 * self._eng(cs, t), 0.05, 0.9)
            r = st[rp]
            self._msg(
                c[r],
                t + rng.integers(0, 3, r.size),
                "reply",
                self._tone(c[r]),
                act[r],
                self.sponsor[c[r]],
                lead[r],
            )
            mt = np.flatnonzero(rng.random(k) < 0.035)
            sc = 0.6 * self.sat[c[mt]] - 2 * np.maximum(slip[mt], 0) + rng.normal(0, 0.6, mt.size)
            tone = np.where(sc < -0.5, 0, np.where(sc > 0.6, 2, 1))
            self._msg(c[mt], t, "meeting", tone, act[mt], lead[mt], self.sponsor[c[mt]])
            bl = np.flatnonzero(rng.random(k) < 0.006)
            self._msg(
                c[bl],
                t,
                "blank",
                rng.integers(0, 2, bl.size),
                act[bl],
                lead[bl],
                self.sponsor[c[bl]],
            )
        cl = np.flatnonzero(alive)
        pr = np.where(nact[cl] > 0, 0.03, 0.006) * self._eng(cl, t)
        sp = cl[rng.random(cl.size) < pr]
        self._msg(sp, t, "spont", self._tone(sp), -1, self.sponsor[sp], self.lead[sp])

    # ---------------------------------------------------------------- oracle
    def _oracle(self, t: int, alive: np.ndarray) -> None:
        n = self.n
        log_ok = np.zeros(n)
        # invoices already out: may still be questioned
        while self.oi_lo < self.ni and self.i_issued[self.oi_lo] < t - 46:
            self.oi_lo += 1
        sl = slice(self.oi_lo, self.ni)
        open_ = (self.i_disp[sl] > t) & (self.i_paid[sl] > t)
        if open_.any():
            a = t - self.i_issued[sl][open_]
            p = self.i_p[sl][open_]
            fa = _fcdf(a)
            q = p * (_fcdf(a + 30) - fa) / np.maximum(1e-9, 1 - p * fa)
            log_ok += np.bincount(self.i_client[sl][open_], np.log1p(-np.clip(q, 0, 0.999)), n)
        # invoices the running work will produce within 30 days
        act = np.flatnonzero(self.p_active[: self.np_])
        if act.size:
            c = self.p_client[act]
            model = self.p_model[act]
            zero = np.zeros(act.size)
            kind = np.where(model == 0, 2, np.where(model == 1, 0, 1))
            extra = np.where(model == 1, self.p_acc[act], 0.0)
            z = self._dz(c, t, kind, self._overrun(act, extra), zero, self.p_failed[act])
            pz = (1 - ERR_P) * sigmoid(z) + ERR_P * sigmoid(z + 2.8 + 0.5 * 0.3)
            nf = self.next_first[t]
            f_month = float(_fcdf(np.array([t + 30 - nf]))[0]) if nf <= t + 30 else 0.0
            contrib = np.where(model > 0, pz * f_month, 0.0)
            # retainers running hot may also get an overage invoice
            frac = max(0.2, float(self.dom[t]) / float(self.mdays[t]))
            hot = (model == 2) & (self.p_use[act] / frac > 1.25 * self.p_budget[act] / 12)
            zo = self._dz(c, t, 4, self._overrun(act, zero), zero, self.p_failed[act])
            contrib = np.where(hot, 1 - (1 - contrib) * (1 - 0.6 * sigmoid(zo) * f_month), contrib)
            st = np.minimum(self.p_stage[act], 2)
            thr = THRESH[self.p_type[act], st]
            eff = self.p_eff[act] * np.where(self.p_ho_until[act] >= t, 0.8, 1.0)
            rate = eff / self.p_w[act]
            days = (thr - self.p_prog[act]) / np.maximum(rate, 1e-6) * 7 / 5
            fx = (model == 0) & (self.p_stage[act] < 3) & (days <= 30)
            contrib = np.where(fx, pz * _fcdf(np.round(30 - days)), contrib)
            cr = (model == 0) & (self.p_cost[act] > 1.15 * self.p_budget[act])
            cr &= (self.p_prog[act] < 0.9) & (self.p_cr[act] < 2)
            zc = self._dz(c, t, 3, self._overrun(act, zero), zero, self.p_failed[act])
            pcr = (1 - np.exp(-0.04 * 5 / 7 * self.fsum30)) * sigmoid(zc + ERR_P * 2.8)
            contrib = 1 - (1 - contrib) * (1 - np.where(cr, pcr, 0.0))
            log_ok += np.bincount(c, np.log1p(-np.clip(contrib, 0, 0.999)), n)
        # finished time-and-materials work still to be billed
        npj = self.np_
        rest = np.flatnonzero(~self.p_active[:npj] & (self.p_acc[:npj] > 0))
        nf = self.next_first[t]
        if rest.size and nf <= t + 30:
            c = self.p_client[rest]
            zero = np.zeros(rest.size)
            z = self._dz(c, t, 0, self._overrun(rest, self.p_acc[rest]), zero, self.p_failed[rest])
            q = sigmoid(z) * float(_fcdf(np.array([t + 30 - nf]))[0])
            log_ok += np.bincount(c, np.log1p(-np.clip(q, 0, 0.999)), n)
        dr = 1 - np.exp(log_ok)
        h, _ = self._hazard(t)
        cr_ = 1 - np.exp(-h * self.wseason[t])
        cr_ = np.where((self.decided >= 0) & (self.churn_day <= t + 90), 1.0, cr_)
        cs = np.flatnonzero(alive)
        self.orc.add(client=cs, day=t, dr=dr[cs], cr=cr_[cs])


# ---------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------


def _day_str(sim: _Sim, days: np.ndarray) -> np.ndarray:
    """ISO dates for simulation days; days outside the export window are missing."""
    days = np.asarray(days, dtype=np.int64)
    ok = (days >= 0) & (days < sim.w1)
    txt = sim.dates[np.clip(days, 0, sim.h - 1)].astype(str).astype(object)
    txt[~ok] = None
    return txt


def _export(sim: _Sim) -> dict[str, pd.DataFrame]:
    rng = sim.rng  # all draws below happen after the simulation, in a fixed order
    w0, w1 = sim.w0, sim.w1
    # staff
    ns = sim.s_role.size
    s_name = [
        f"{(FIRST_DE if sim.s_de[i] else FIRST_EN)[sim.s_first[i]]} "
        f"{(LAST_DE if sim.s_de[i] else LAST_EN)[sim.s_last[i]]}"
        for i in range(ns)
    ]
    s_email: list[str] = []
    seen: dict[str, int] = {}
    for nm in s_name:
        base = fold_umlauts(nm).lower().replace(" ", ".")
        seen[base] = seen.get(base, 0) + 1
        s_email.append(f"{base}{seen[base] if seen[base] > 1 else ''}@{DOMAIN}")
    c_name = [
        f"{(FIRST_DE if lg else FIRST_EN)[f]} {(LAST_DE if lg else LAST_EN)[la]}"
        for lg, f, la in zip(sim.c_lang, sim.c_first, sim.c_last, strict=True)
    ]
    # clients
    n = sim.n
    cid = np.array([f"HM-{i + 1:05d}" for i in range(n)], dtype=object)
    a = rng.integers(0, 18, n)
    b = rng.integers(0, 12, n)
    cc = rng.integers(0, 6, n)
    names = [
        f"{CO_A_DE[a[i]]} {CO_B_DE[b[i]]} {CO_C_DE[cc[i]]}"
        if sim.lang[i]
        else f"{CO_A_EN[a[i]]} {CO_B_EN[b[i]]} {CO_C_EN[cc[i]]}"
        for i in range(n)
    ]
    since_txt = (START + sim.since.astype("timedelta64[D]")).astype(str)
    clients = pd.DataFrame(
        {
            "client_id": cid,
            "name": names,
            "account_lead": [s_email[s] for s in sim.lead],
            "client_since": since_txt,
            "industry": [INDUSTRIES[i] for i in sim.ind],
            "language": np.where(sim.lang == 1, "de", "en"),
        }
    )
    # invoices
    ni = sim.ni
    iss = sim.i_issued[:ni]
    keep_i = (iss >= w0) & (iss < w1)
    year = sim.dates[iss].astype("datetime64[Y]").astype(np.int64) + 1970
    seq = np.zeros(ni, dtype=np.int64)
    for y in np.unique(year):
        m = year == y
        seq[m] = np.arange(1, int(m.sum()) + 1)
    inv_no = np.array([f"RE-{y}-{s:05d}" for y, s in zip(year, seq, strict=True)], dtype=object)
    ii = np.flatnonzero(keep_i)
    # time entries
    te = sim.te
    e_day = te.get("day")
    e_keep = (e_day >= w0) & (e_day < w1)
    e_proj = te.get("proj")[e_keep]
    e_person = te.get("person")[e_keep]
    e_day = e_day[e_keep]
    e_bill = te.get("bill", bool)[e_keep]
    e_key = e_proj * 10000 + sim.month_idx[e_day]
    tmi = ii[sim.i_kind[ii] == 0]
    i_key = sim.i_proj[tmi] * 10000 + sim.i_month[tmi]
    order = np.argsort(i_key, kind="stable")
    i_key, tmi = i_key[order], tmi[order]
    pos = np.clip(np.searchsorted(i_key, e_key), 0, max(0, i_key.size - 1))
    match = (i_key.size > 0) & e_bill
    if i_key.size:
        match &= i_key[pos] == e_key
    e_inv = np.full(e_day.size, None, dtype=object)
    if i_key.size:
        e_inv[match] = inv_no[tmi[pos[match]]]
    # projects kept: running in the window or referenced by an exported row
    npj = sim.np_
    ms = sim.ms
    m_day = ms.get("day")
    m_keep = (m_day >= w0) & (m_day < w1)
    pr_day = sim.pr.get("day")
    pr_keep = (pr_day >= w0) & (pr_day < w1)
    ref = np.zeros(npj, dtype=bool)
    ref[sim.i_proj[ii]] = True
    ref[e_proj] = True
    mp = ms.get("proj")[m_keep]
    ref[mp[mp >= 0]] = True
    ref[sim.pr.get("proj")[pr_keep]] = True
    cl = sim.p_closed[:npj]
    run = (sim.p_start[:npj] < w1) & ((cl < 0) | (cl >= w0))
    pk = np.flatnonzero(run | ref)
    pid = np.array([f"HM-P{i + 1:05d}" for i in range(npj)], dtype=object)
    pname = []
    for p in pk:
        ty, lg = int(sim.p_type[p]), "de" if sim.lang[sim.p_client[p]] else "en"
        base = TYPES[ty][1 if lg == "de" else 0]
        if ty in (0, 1):
            opts = DETAIL[(lg, ty)]
            pname.append(f"{base} {opts[int(sim.p_detail[p]) % len(opts)]}")
        elif ty in (2, 4):
            pname.append(f"{base} {sim.p_year[p]}")
        else:
            pname.append(f"{base} #{int(sim.p_detail[p]) + 1}")
    pname_all = np.full(npj, "", dtype=object)
    pname_all[pk] = pname
    closed = np.where((cl[pk] >= 0) & (cl[pk] < w1), cl[pk], -1)
    projects = pd.DataFrame(
        {
            "project_id": pid[pk],
            "client_id": cid[sim.p_client[pk]],
            "name": pname_all[pk],
            "pm": [s_email[s] for s in sim.p_pm[pk]],
            "billing_model": np.array(["fixed_fee", "time_and_materials", "retainer"])[
                sim.p_model[pk]
            ],
            "budget": np.round(sim.p_budget[pk], 2),
            "start_date": (START + sim.p_start[pk].astype("timedelta64[D]")).astype(str),
            "end_date": (START + sim.p_end[pk].astype("timedelta64[D]")).astype(str),
            "closed_at": _day_str(sim, closed),
        }
    )
    # progress
    pr_proj = sim.pr.get("proj")[pr_keep]
    ms_idx = sim.pr.get("ms")[pr_keep]
    ms_txt = np.full(ms_idx.size, None, dtype=object)
    for j in np.flatnonzero(ms_idx >= 0):
        ms_txt[j] = MILESTONES[int(sim.p_type[pr_proj[j]])][int(ms_idx[j])]
    progress = pd.DataFrame(
        {
            "project_id": pid[pr_proj],
            "reported_at": _day_str(sim, pr_day[pr_keep]),
            "percent_complete": sim.pr.get("pct", float)[pr_keep],
            "milestone": ms_txt,
        }
    )
    # time entries
    role = sim.s_role[e_person]
    entries = pd.DataFrame(
        {
            "entry_id": [f"TE{i + 1:08d}" for i in range(e_day.size)],
            "project_id": pid[e_proj],
            "worked_on": _day_str(sim, e_day),
            "hours": te.get("hours", float)[e_keep],
            "billable": np.where(e_bill, "true", "false"),
            "amount": te.get("amount", float)[e_keep],
            "person": np.array(s_name, dtype=object)[e_person],
            "role": np.array(ROLES, dtype=object)[role],
            "invoice_id": e_inv,
        }
    )
    # invoices
    paid = sim.i_paid[ii]
    disp = sim.i_disp[ii]
    invoices = pd.DataFrame(
        {
            "invoice_id": inv_no[ii],
            "client_id": cid[sim.i_client[ii]],
            "project_id": pid[sim.i_proj[ii]],
            "issued_at": _day_str(sim, iss[ii]),
            "due_at": (START + sim.i_due[ii].astype("timedelta64[D]")).astype(str),
            "amount": sim.i_amount[ii],
            "paid_at": _day_str(sim, np.where(paid < w1, paid, -1)),
            "disputed_at": _day_str(sim, np.where(disp < w1, disp, -1)),
            "line_items": sim.i_items[ii],
            "period_start": (START + sim.i_ps[ii].astype("timedelta64[D]")).astype(str),
            "period_end": (START + sim.i_pe[ii].astype("timedelta64[D]")).astype(str),
        }
    )
    messages = _render(sim, m_keep, cid, pid, pname_all, inv_no, s_name, c_name)
    cd = sim.churn_day
    ch = np.flatnonzero((cd >= w0) & (cd < w1))
    reason = np.array([None, *REASONS], dtype=object)[sim.churn_reason[ch] + 1]
    churn = pd.DataFrame(
        {"client_id": cid[ch], "churned_at": _day_str(sim, cd[ch]), "reason": reason}
    )
    return {
        "clients": clients,
        "projects": projects,
        "progress": progress,
        "time_entries": entries,
        "invoices": invoices,
        "messages": messages,
        "churn": churn,
    }


def _render(
    sim: _Sim,
    keep: np.ndarray,
    cid: np.ndarray,
    pid: np.ndarray,
    pname: np.ndarray,
    inv_no: np.ndarray,
    s_name: list[str],
    c_name: list[str],
) -> pd.DataFrame:
    rng = sim.rng
    ms = sim.ms
    cols = {k: ms.get(k)[keep] for k in ms.names}
    m = cols["day"].size
    hour = rng.integers(7, 18, m)
    minute = rng.integers(0, 60, m)
    sec = rng.integers(0, 60, m)
    secs = cols["day"] * 86400 + hour * 3600 + minute * 60 + sec
    order = np.argsort(secs, kind="stable")
    cols = {k: v[order] for k, v in cols.items()}
    secs = secs[order]
    ts = START.astype("datetime64[s]") + secs.astype("timedelta64[s]")
    fmt = rng.choice(3, m, p=[0.7, 0.2, 0.1])
    iso = ts.astype(str)
    local = (ts + np.timedelta64(3600, "s")).astype(str)
    sent = [
        f"{s}Z" if f == 0 else (s[:16].replace("T", " ") if f == 1 else f"{lo}+01:00")
        for s, lo, f in zip(iso, local, fmt, strict=True)
    ]
    r_tpl = rng.random(m)
    r_greet = rng.random(m)
    r_sign = rng.random(m)
    r_ch = rng.random(m)
    r_en = rng.random(m)
    texts: list[str] = []
    chans: list[str] = []
    dirs: list[str] = []
    authors: list[str] = []
    scores: list[float] = []
    for j in range(m):
        kind = KINDS[int(cols["kind"][j])]
        c = int(cols["client"][j])
        p = int(cols["proj"][j])
        lg = "de" if sim.lang[c] and r_en[j] > 0.1 else "en"
        tone = int(cols["tone"][j])
        author, other = int(cols["author"][j]), int(cols["other"][j])
        ref, ref2 = int(cols["ref"][j]), int(cols["ref2"][j])
        out = kind in OUTBOUND or (kind == "blank" and tone == 1)
        if kind == "blank" and not out:
            author, other = other, author
        dirs.append("outbound" if out else "inbound")
        chp = CH_P[kind]
        acc = 0.0
        chan = next(iter(chp))
        for ch_name, pr in chp.items():
            acc += pr
            if r_ch[j] < acc:
                chan = ch_name
                break
        chans.append(chan)
        if out:
            me = s_name[author] if author >= 0 else s_name[int(sim.lead[c])]
            you = c_name[other] if other >= 0 else c_name[int(sim.sponsor[c])]
        else:
            me = c_name[author] if author >= 0 else c_name[int(sim.sponsor[c])]
            you = s_name[other] if other >= 0 else s_name[int(sim.lead[c])]
        authors.append(me)
        scores.append(float(ref) if kind == "survey" else np.nan)
        if kind == "blank" or (kind == "survey" and tone < 0):
            texts.append("")
            continue
        tones = [tt for tt in (0, 1, 2) if (kind, lg, tt) in T]
        tone = tone if tone in tones else tones[0]
        pool = T[(kind, lg, tone)]
        tpl = pool[int(r_tpl[j] * len(pool))]
        fill = {
            "first": you.split(" ")[0],
            "me": me.split(" ")[0],
            "project": pname[p] if p >= 0 else ("das Mandat" if lg == "de" else "the mandate"),
            "inv": inv_no[ref] if kind in ("dispute", "billq", "reminder", "invsent") else "",
            "month": "",
            "due": "",
            "pct": str(ref),
            "old": "",
            "new": me,
            "po": str(ref2 if kind == "billq" else ref),
        }
        if kind in ("dispute", "billq", "reminder", "invsent"):
            mi = int(sim.month_no[int(sim.i_ps[ref])]) - 1
            fill["month"] = MONTH_NAMES[lg][mi]
            dd = sim.dates[int(sim.i_due[ref])]
            fill["due"] = str(dd) if lg == "en" else date_text(dd, "de")
        if kind == "sponsor":
            fill["old"] = c_name[ref]
        if kind == "handover":
            fill["old"], fill["new"] = s_name[ref], s_name[ref2]
        body = tpl.format(**fill)
        if chan in ("email", "thread", "portal") and kind != "survey":
            g = GREET[lg][int(r_greet[j] * len(GREET[lg]))].format(**fill)
            s = SIGN[lg][int(r_sign[j] * len(SIGN[lg]))].format(**fill)
            body = "\n\n".join(x for x in (g, body, s) if x)
        elif chan == "chat" and r_greet[j] < 0.3:
            body = body.rstrip(".").lower()
        texts.append(body)
    ids = rng.integers(0, 2**63 - 1, size=(m, 2), dtype=np.int64)
    mid = [f"{x:016x}{y:016x}" for x, y in ids]
    mid = [f"{s[:8]}-{s[8:12]}-4{s[13:16]}-a{s[17:20]}-{s[20:32]}" for s in mid]
    proj = cols["proj"]
    pcol = np.where(proj >= 0, pid[np.clip(proj, 0, None)], None)
    return pd.DataFrame(
        {
            "message_id": mid,
            "client_id": cid[cols["client"]],
            "project_id": pcol,
            "sent_at": sent,
            "channel": chans,
            "direction": dirs,
            "text": texts,
            "author": authors,
            "score": scores,
        }
    )


def _generate(
    out: pathlib.Path, clients: int, months: int, seed: int, oracle: bool
) -> tuple[_Sim, dict[str, pd.DataFrame]]:
    sim = _Sim(clients, months, seed, oracle)
    sim.run()
    frames = _export(sim)
    write_bundle(frames, pathlib.Path(out))
    return sim, frames


def make_bundle(out: pathlib.Path, clients: int = 1000, months: int = 24, seed: int = 0) -> None:
    """Write a complete export bundle for the advisory firm to folder `out`."""
    _generate(pathlib.Path(out), clients, months, seed, oracle=False)


def risk_oracle(
    out: pathlib.Path, clients: int = 1000, months: int = 24, seed: int = 0
) -> pd.DataFrame:
    """Write the same bundle as `make_bundle` and return the generator's own daily risk.

    One row per client and day in the export window while the client exists and has
    not churned: `dispute_risk` (a dispute within 30 days) and `churn_risk` (churn
    within 90 days), computed from the hidden state as of that day.
    """
    sim, _ = _generate(pathlib.Path(out), clients, months, seed, oracle=True)
    o = sim.orc
    cid = np.array([f"HM-{i + 1:05d}" for i in range(sim.n)], dtype=object)
    day = o.get("day")
    return pd.DataFrame(
        {
            "client_id": cid[o.get("client")],
            "day": (START + day.astype("timedelta64[D]")).astype("datetime64[ns]"),
            "dispute_risk": o.get("dr", float),
            "churn_risk": o.get("cr", float),
        }
    )


if __name__ == "__main__":
    main(make_bundle, __doc__)
