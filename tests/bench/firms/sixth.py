# ruff: noqa: E501, E741, N806
"""Lingualis Sprachdienste: a translation and localisation bureau with English and German clients.

Independent benchmark generator for billing-risk, written from the public data contract
only. ``make_bundle`` writes an export bundle (clients, projects, progress, time entries,
invoices, messages, churn) for a simulated bureau; ``risk_oracle`` writes the very same
bundle and returns the generator's own point-in-time risk per client and day: the
probability of a dispute within 30 days and of churn within 90 days, computed from the
hidden state of that day only.

    python -m tests.bench.firms.sixth OUT --clients 2000 --months 24 --seed 13
"""

from __future__ import annotations

import pathlib
from typing import Any

import numpy as np
import pandas as pd

from tests.bench.firms.toolkit import amount_text, fold_umlauts, main, write_bundle

BURN = 120  # simulated days before the export window starts
START = np.datetime64("2024-01-01", "D")
NEVER = 10**7
DOMAIN = "lingualis.example"

FF, TM, RET = 0, 1, 2
BILLING = ["fixed_fee", "time_and_materials", "retainer"]

# roles and their hourly rates (EUR, net)
ROLES = [
    "Translator",
    "Reviewer",
    "Project manager",
    "DTP specialist",
    "Terminologist",
    "Interpreter",
]
ROLE_RATE = np.array([78.0, 72.0, 85.0, 70.0, 88.0, 135.0])
# value of the extra roles per main hour (reviewer, PM, DTP, terminology), see the work step
EXTRA_VPH = 0.35 * 0.3 * 72.0 + 0.15 * 0.15 * 85.0 + 0.06 * 0.4 * 70.0 + 0.03 * 0.2 * 88.0
OVERAGE_RATE = 80.0

# --------------------------------------------------------------------------- names

PMS = [
    "Katharina Vogel", "Daniel Brooks", "Sophie Lehmann", "Marco Rossi", "Eva Schuster",
    "Liam O'Connor", "Hanna Berger", "Tim Albrecht", "Clara Dubois", "Jan Kowalski",
    "Ines Hartmann", "Ben Carter", "Maja Lindqvist", "Paul Hofer",
]  # fmt: skip
LEADS = [
    "Susanne Reuter", "Oliver Grant", "Judith Kramer", "Henrik Adler",
    "Nora Pohl", "Edward Lane", "Birgit Maurer", "Sam Whitfield",
]  # fmt: skip
_LING_FIRST = [
    "Agnieszka",
    "Bruno",
    "Chiara",
    "Dmitri",
    "Elena",
    "Fatma",
    "Gregor",
    "Helga",
    "Isabel",
    "Jonas",
    "Kenji",
    "Lucía",
    "Mateo",
    "Nadine",
    "Olga",
    "Pierre",
    "Rosa",
    "Sven",
    "Tereza",
    "Ugo",
    "Vera",
    "Wojciech",
    "Xenia",
    "Yusuf",
    "Zofia",
    "Aylin",
    "Bernd",
    "Carmen",
    "Dario",
    "Eszter",
    "Filip",
    "Greta",
    "Hugo",
    "Ilona",
    "Joaquim",
    "Karin",
    "Lars",
    "Marta",
    "Nikos",
    "Oksana",
]
_LING_LAST = [
    "Nowak",
    "Fontaine",
    "Ricci",
    "Ivanova",
    "Yilmaz",
    "Krause",
    "Santos",
    "Tanaka",
    "Meier",
    "Laurent",
    "Garcia",
    "Horvat",
    "Novak",
    "Lund",
    "Costa",
    "Dupont",
    "Berg",
    "Moretti",
    "Kaya",
    "Szabo",
    "Petrov",
    "Jensen",
    "Silva",
    "Marino",
    "Vogt",
    "Rey",
    "Lindgren",
    "Popescu",
    "Kuhn",
    "Ferreira",
]
LINGUISTS = [f"{_LING_FIRST[i % 40]} {_LING_LAST[(7 * i + i // 40) % 30]}" for i in range(900)]
DTPS = ["Rainer Stolz", "Amy Chen", "Tobias Wendt", "Leonie Haas", "Kofi Mensah", "Petra Lang"]
PERSONS = LINGUISTS + DTPS + PMS
N_LING = len(LINGUISTS)
DTP0 = N_LING
PM0 = N_LING + len(DTPS)

DE_FIRST = [
    "Anna",
    "Jonas",
    "Lena",
    "Felix",
    "Sabine",
    "Thomas",
    "Katrin",
    "Markus",
    "Julia",
    "Stefan",
    "Miriam",
    "Tobias",
    "Claudia",
    "Andreas",
    "Petra",
    "Florian",
    "Nina",
    "Matthias",
    "Sandra",
    "Christian",
]
DE_LAST = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Hoffmann",
    "Schäfer",
    "Koch",
    "Bauer",
    "Richter",
    "Klein",
    "Wolf",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
]
EN_FIRST = [
    "James",
    "Emma",
    "Oliver",
    "Sophie",
    "Daniel",
    "Hannah",
    "Michael",
    "Laura",
    "David",
    "Rachel",
    "Chris",
    "Megan",
    "Paul",
    "Olivia",
    "Mark",
    "Grace",
    "Tom",
    "Alice",
    "Ryan",
    "Claire",
]
EN_LAST = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Evans",
    "Thomas",
    "Roberts",
    "Walker",
    "Wright",
    "Thompson",
    "White",
    "Hughes",
    "Edwards",
    "Green",
    "Hall",
    "Wood",
]

INDUSTRIES = [
    "Pharma & life sciences", "Mechanical engineering", "Software & SaaS", "Medical devices",
    "Legal services", "Financial services", "Automotive", "Retail & e-commerce", "Energy",
    "Travel & tourism",
]  # fmt: skip
IND_P = np.array([0.12, 0.14, 0.14, 0.09, 0.08, 0.1, 0.09, 0.1, 0.07, 0.07])
IND_MT = np.array([0.5, 1.0, 2.4, 0.6, 0.5, 0.8, 1.2, 1.9, 0.9, 1.6])
IND_BUD = np.array([0.8, 1.2, 1.0, 0.9, 0.7, 0.9, 1.6, 1.4, 1.1, 1.3])
IND_DE = [
    "Pharma",
    "Maschinenbau",
    "Software",
    "Medizintechnik",
    "Rechtsanwälte",
    "Finanz",
    "Automotive",
    "Handel",
    "Energie",
    "Reisen",
]
IND_EN = [
    "Pharma",
    "Engineering",
    "Software",
    "Medical",
    "Legal",
    "Capital",
    "Motors",
    "Retail",
    "Energy",
    "Travel",
]
STEM_DE = [
    "Rhein",
    "Alpen",
    "Nord",
    "Hansa",
    "Isar",
    "Main",
    "Elb",
    "Weser",
    "Spree",
    "Neckar",
    "Donau",
    "Taunus",
    "Harz",
    "Boden",
    "Ostsee",
    "Schwarzwald",
]
STEM_EN = [
    "Northgate",
    "Harbor",
    "Bluestone",
    "Kingsway",
    "Redwood",
    "Silverline",
    "Oakridge",
    "Brightwater",
    "Summit",
    "Westbrook",
    "Ironbridge",
    "Clearview",
    "Fairfield",
    "Lakeside",
    "Highmoor",
    "Ashford",
]
LEGAL_DE = ["GmbH", "AG", "GmbH & Co. KG", "SE"]
LEGAL_EN = ["Ltd", "Inc.", "plc", "LLC"]
PAIRS_DE = ["DE>EN", "DE>FR", "DE>EN/FR/IT", "DE>PL", "DE>ZH"]
PAIRS_EN = ["EN>DE", "EN>FR/DE/ES", "EN>JA", "EN>NL", "EN>DE/IT"]

# project kinds: English name, German name, share billed on time and materials, size factor
KINDS = [
    ("Software UI localisation - Release {v}", "Software-Lokalisierung Release {v}", 0.75, 1.0),
    ("Website localisation {y}", "Website-Lokalisierung {y}", 0.6, 1.0),
    ("Technical documentation {d}", "Technische Dokumentation {d}", 0.6, 1.2),
    ("Annual report {y0} translation", "Übersetzung Geschäftsbericht {y0}", 0.1, 1.3),
    ("Product catalogue {s}", "Produktkatalog {sd}", 0.3, 1.1),
    ("Contract pack Q{q}", "Vertragspaket Q{q}", 0.3, 0.6),
    ("Regulatory submission {d}", "Zulassungsunterlagen {d}", 0.5, 1.4),
    ("E-learning module '{t}'", 'E-Learning-Modul "{td}"', 0.2, 0.9),
    ("Interpreting - {e}", "Dolmetschen - {ed}", 0.0, 1.0),
    ("Marketing transcreation {s}", "Transcreation Kampagne {sd}", 0.5, 0.7),
]
NK = len(KINDS)
INTERP = 8
KIND_TM = np.array([k[2] for k in KINDS])
KIND_H = np.array([k[3] for k in KINDS])
_KW = np.ones((len(INDUSTRIES), NK))
for _i, _boost in enumerate(
    [(6, 2), (2, 4), (0, 1), (6, 2), (5,), (3, 5), (2, 4), (1, 9), (3, 2), (1, 9)]
):
    for _b in _boost:
        _KW[_i, _b] += 2.5
_KW[:, INTERP] = 0.5
KIND_W = _KW / _KW.sum(axis=1, keepdims=True)
SEASON_EN = ["Spring", "Summer", "Autumn", "Winter"]
SEASON_DE = ["Frühjahr", "Sommer", "Herbst", "Winter"]
TOPICS_EN = ["Safety basics", "Data protection", "Onboarding", "Product training", "Compliance"]
TOPICS_DE = ["Arbeitssicherheit", "Datenschutz", "Onboarding", "Produktschulung", "Compliance"]
EVENTS_EN = [
    "Supervisory board meeting",
    "Dealer conference",
    "Works council meeting",
    "Customer workshop",
]
EVENTS_DE = ["Aufsichtsratssitzung", "Händlerkonferenz", "Betriebsversammlung", "Kundenworkshop"]

REASONS = {
    0: ["Service quality", "Quality issues", ""],
    1: ["Moved to another provider", "Machine translation in-house", "Vendor consolidation", ""],
    2: ["Budget cuts", "Cost reduction", ""],
    3: ["New decision maker", "Change of contact", ""],
    4: ["Billing disagreements", ""],
    5: ["Price", "Rates too high", ""],
    6: ["No current demand", "Project pipeline empty", ""],
    7: ["Acquired, central procurement", "Translations now in-house", "No reason given", ""],
}

# --------------------------------------------------------------------------- message texts

(
    IN_ROUTINE, IN_THANKS, IN_QUALITY, IN_NITPICK, IN_LATE, IN_BUDGET, IN_MT, IN_SPONSOR,
    IN_INVQ, IN_DISPUTE, IN_TMX, IN_HOLD, IN_CURT, IN_NOTICE, IN_NEWJOB, IN_PRICE, IN_SURVEY,
    IN_NOTICE_ACQ,
) = range(18)  # fmt: skip
(
    OUT_STATUS, OUT_DELIVERY, OUT_QUOTE, OUT_INVOICE, OUT_REMINDER, OUT_APOLOGY, OUT_PRICE,
    OUT_CRWARN, OUT_SURVEY, OUT_CHECKIN, OUT_DISPREPLY, OUT_FAREWELL,
) = range(20, 32)  # fmt: skip

TPL: dict[int, tuple[list[str], list[str]]] = {
    IN_ROUTINE: (
        [
            "Attached are the source files for {proj}, roughly {words} words. Deadline as discussed.",
            "Quick question on {proj}: should product names stay in English in the {pair} version?",
            "Can you confirm you received the updated glossary? We added about {n}0 terms.",
            "Please use the new style guide from now on, especially for UI strings.",
            "We pushed the new strings for {proj} to the repository, approx. {words} words.",
            "Could you move the delivery for {proj} to Thursday? No rush on our side.",
            "Thanks for the files, we'll review internally and get back to you.",
            'Short reminder: the "Do not translate" list applies to all {pair} jobs.',
            "Our reviewer in Lyon has a few comments on {proj}, see attached Excel.",
            "Can we get the {pair} files as XLIFF this time, please?",
        ],
        [
            "Anbei die Ausgangsdateien für {proj}, ca. {words} Wörter. Termin wie besprochen.",
            "Kurze Frage zu {proj}: Sollen Produktnamen in der Übersetzung ({pair}) auf Englisch bleiben?",
            "Können Sie bestätigen, dass das aktualisierte Glossar angekommen ist? Wir haben rund {n}0 Termini ergänzt.",
            "Bitte ab sofort den neuen Styleguide verwenden, v. a. für die UI-Texte.",
            "Die neuen Strings für {proj} liegen im Repository, ca. {words} Wörter.",
            "Könnten wir die Lieferung für {proj} auf Donnerstag schieben? Bei uns ist es nicht eilig.",
            "Danke für die Dateien, wir prüfen intern und melden uns.",
            'Kurzer Hinweis: Die "Do not translate"-Liste gilt für alle Aufträge {pair}.',
            "Unsere Kollegin in Lyon hat ein paar Anmerkungen zu {proj}, siehe Excel im Anhang.",
            "Können wir die Dateien diesmal als XLIFF bekommen?",
        ],
    ),
    IN_THANKS: (
        [
            "Great job on {proj}, our reviewers had almost nothing to change.",
            "The {pair} version reads really well, thank you!",
            "Thanks a lot for the quick turnaround, much appreciated.",
            "Feedback from our subsidiary: the translation was spot on. Thank you.",
            "Excellent work as always - the terminology was perfectly consistent.",
            "Just wanted to say: the launch went smoothly, partly thanks to your team.",
        ],
        [
            "Super Arbeit bei {proj}, unsere Prüfer mussten kaum etwas ändern.",
            "Die Übersetzung liest sich sehr gut, vielen Dank!",
            "Herzlichen Dank für die schnelle Lieferung!",
            "Rückmeldung aus der Niederlassung: Übersetzung passt perfekt. Danke!",
            "Wie immer hervorragende Arbeit – Terminologie absolut konsistent.",
            "Wollte nur sagen: Der Launch lief reibungslos, auch dank Ihres Teams.",
        ],
    ),
    IN_QUALITY: (
        [
            "We found several terminology errors in the {pair} delivery for {proj}. This is not acceptable for a release.",
            "Our in-country reviewer flagged {n} mistranslations in the last batch. Please check your QA process.",
            "The last delivery ignored our glossary again. We had to fix it ourselves before going live.",
            "Honestly disappointed with {proj}: inconsistent terms, missing segments and a wrong number in the tables.",
            "The translation of the safety instructions contained a serious error. We need a corrected version today.",
            "Who translated this? The tone is completely off and half the UI strings are truncated.",
        ],
        [
            "In der Lieferung für {proj} ({pair}) sind mehrere Terminologiefehler. Für ein Release ist das so nicht akzeptabel.",
            "Unsere Länderprüfung hat {n} Fehlübersetzungen im letzten Paket gefunden. Bitte prüfen Sie Ihre QS.",
            "Das Glossar wurde bei der letzten Lieferung wieder ignoriert. Wir mussten vor dem Go-live selbst korrigieren.",
            "Ehrlich gesagt enttäuscht von {proj}: uneinheitliche Begriffe, fehlende Segmente und eine falsche Zahl in den Tabellen.",
            "In den Sicherheitshinweisen war ein gravierender Übersetzungsfehler. Wir brauchen heute noch eine korrigierte Fassung.",
            "Wer hat das übersetzt? Der Ton passt gar nicht und die Hälfte der UI-Texte ist abgeschnitten.",
        ],
    ),
    IN_NITPICK: (
        [
            "Small thing: please use the serial comma in our English texts.",
            "Could you stick to 'log in' rather than 'login' as a verb? Minor, but our brand team noticed.",
            "The PDF had the wrong file name convention again, not a big deal.",
            "One typo on page {n} of {proj}, otherwise fine.",
            "We prefer 'customers' over 'clients' - could you fix that going forward?",
            "Not happy with the date format in the last file (should be DD.MM.YYYY).",
        ],
        [
            "Kleinigkeit: Bitte Gedankenstriche statt Bindestriche verwenden.",
            'Bitte "E-Mail" mit Bindestrich schreiben, das ist unserer Markenabteilung aufgefallen.',
            "Die Dateinamen entsprachen wieder nicht unserer Konvention, nicht dramatisch.",
            "Ein Tippfehler auf Seite {n} von {proj}, sonst alles gut.",
            'Wir sagen "Kunden", nicht "Klienten" – bitte künftig anpassen.',
            "Nicht glücklich mit dem Datumsformat in der letzten Datei (TT.MM.JJJJ).",
        ],
    ),
    IN_LATE: (
        [
            "Where are we with {proj}? The deadline has passed.",
            "We are still waiting for the {pair} files for {proj}. Our launch depends on it.",
            "This is the second time {proj} slips. Please give me a firm date.",
            "Any update? The delivery for {proj} was due last week.",
        ],
        [
            "Wie ist der Stand bei {proj}? Der Termin ist überschritten.",
            "Wir warten immer noch auf die Dateien für {proj}. Unser Launch hängt davon ab.",
            "{proj} verschiebt sich jetzt zum zweiten Mal. Bitte nennen Sie mir einen verbindlichen Termin.",
            "Gibt es ein Update? Die Lieferung für {proj} war letzte Woche fällig.",
        ],
    ),
    IN_BUDGET: (
        [
            "Heads-up: our localisation budget for the next quarter has been cut, we'll need to prioritise.",
            "Finance has frozen all non-essential spend until further notice. Let's keep volumes minimal.",
            "Could you send a cost estimate first for anything new? Every purchase order now needs CFO approval.",
            "We need to reduce translation costs this year. Can we talk about options?",
            "Budget is very tight at the moment, please only translate the must-have pages.",
            "We're in budget planning for next year - can you send an indicative volume forecast?",
        ],
        [
            "Zur Info: Unser Übersetzungsbudget fürs nächste Quartal wurde gekürzt, wir müssen priorisieren.",
            "Die Finanzabteilung hat alle nicht zwingenden Ausgaben bis auf Weiteres eingefroren.",
            "Bitte für neue Aufträge vorab einen Kostenvoranschlag, jede Bestellung muss jetzt vom CFO freigegeben werden.",
            "Wir müssen die Übersetzungskosten dieses Jahr senken. Können wir über Optionen sprechen?",
            "Das Budget ist momentan sehr knapp, bitte nur die wirklich nötigen Seiten übersetzen.",
            "Wir sind in der Budgetplanung fürs nächste Jahr – können Sie uns eine grobe Volumenprognose schicken?",
        ],
    ),
    IN_MT: (
        [
            "Do you offer machine translation with post-editing? What would the per-word rate be?",
            "We are testing DeepL internally for our documentation. How would that change your pricing?",
            "Another agency quoted us {pct}% below your rates for the same volume. Can you match that?",
            "Our procurement team is running a vendor review for language services this quarter.",
            "Could you send us your rates for light post-editing? We want to compare a few options.",
            "We've started a pilot with an AI translation tool for support articles.",
        ],
        [
            "Bieten Sie maschinelle Übersetzung mit Post-Editing an? Was würde das pro Wort kosten?",
            "Wir testen intern DeepL für unsere Dokumentation. Wie würde sich das auf Ihre Preise auswirken?",
            "Ein anderer Dienstleister liegt bei gleichem Volumen {pct} % unter Ihren Preisen. Können Sie da mitgehen?",
            "Unser Einkauf macht dieses Quartal eine Lieferantenbewertung für Sprachdienstleistungen.",
            "Schicken Sie uns bitte Ihre Preise für Light Post-Editing? Wir vergleichen gerade Angebote.",
            "Wir haben ein Pilotprojekt mit einem KI-Übersetzungstool für Support-Artikel gestartet.",
        ],
    ),
    IN_SPONSOR: (
        [
            "Hello, I've taken over localisation from {old} and will be your main contact from now on.",
            "Hi, {old} has left the company; I'm now responsible for translation vendors. Could we schedule an intro call?",
            "Hi all, I'm the new head of content. I'd like to review our current setup with you, including pricing.",
        ],
        [
            "Guten Tag, ich habe die Lokalisierung von {old} übernommen und bin ab sofort Ihr Ansprechpartner.",
            "Hallo, {old} hat das Unternehmen verlassen; ich bin jetzt für Übersetzungsdienstleister zuständig. Können wir einen Kennenlern-Termin machen?",
            "Hallo zusammen, ich bin die neue Leitung Content. Ich möchte unser aktuelles Setup mit Ihnen durchgehen, auch die Konditionen.",
        ],
    ),
    IN_INVQ: (
        [
            "Could you add our PO number 45{n}{n}81 to invoice {inv}?",
            "Please send invoice {inv} to our accounts payable mailbox instead of me.",
            "Invoice {inv} received, thanks. It is in the approval workflow.",
            "Can you split invoice {inv} by cost centre?",
        ],
        [
            "Könnten Sie auf Rechnung {inv} unsere Bestellnummer 45{n}{n}81 ergänzen?",
            "Bitte Rechnung {inv} künftig an die Kreditorenbuchhaltung schicken.",
            "Rechnung {inv} ist angekommen, danke. Sie ist in der Freigabe.",
            "Können Sie Rechnung {inv} nach Kostenstellen aufteilen?",
        ],
    ),
    IN_DISPUTE: (
        [
            "We cannot approve invoice {inv}. The billed hours are far above what was agreed for {proj}.",
            "Invoice {inv} ({amt} EUR) does not match the quote. Please explain before we pay.",
            "We dispute invoice {inv}: the rework was caused by your errors and should not be billed.",
            "Why is invoice {inv} so high? Nobody told us about extra words or a rush surcharge.",
            "Invoice {inv} is on hold until we have clarified the word count.",
            "We did not accept the deliverable yet, so invoice {inv} is premature.",
        ],
        [
            "Rechnung {inv} können wir so nicht freigeben. Die abgerechneten Stunden liegen weit über dem Vereinbarten für {proj}.",
            "Rechnung {inv} ({amt} EUR) passt nicht zum Angebot. Bitte erklären Sie das, bevor wir zahlen.",
            "Wir widersprechen Rechnung {inv}: Die Nacharbeit ging auf Ihre Fehler zurück und ist nicht abrechenbar.",
            "Warum ist Rechnung {inv} so hoch? Über Mehrwörter oder einen Eilzuschlag hat uns niemand informiert.",
            "Rechnung {inv} ist gesperrt, bis die Wortzahl geklärt ist.",
            "Die Lieferung ist noch nicht abgenommen, Rechnung {inv} kommt daher zu früh.",
        ],
    ),
    IN_TMX: (
        [
            "Could you send us the complete translation memories and termbases for all our language pairs as TMX/TBX?",
            "Please export all our TMs, we need them for internal archiving.",
            "We'd like a copy of all translation memories by the end of the month.",
        ],
        [
            "Können Sie uns bitte alle Translation Memories und Terminologiedatenbanken als TMX/TBX schicken?",
            "Bitte exportieren Sie alle unsere TMs, wir benötigen sie für die interne Archivierung.",
            "Wir hätten gern bis Monatsende eine Kopie aller Translation Memories.",
        ],
    ),
    IN_HOLD: (
        [
            "Please hold off on starting anything new for now.",
            "No new jobs this month, we'll come back to you.",
            "We're pausing the {pair} work until further notice.",
            "Let's not plan any further releases for the moment.",
        ],
        [
            "Bitte vorerst nichts Neues starten.",
            "Diesen Monat keine neuen Aufträge, wir melden uns.",
            "Wir pausieren die Arbeiten ({pair}) bis auf Weiteres.",
            "Bitte vorerst keine weiteren Releases einplanen.",
        ],
    ),
    IN_CURT: (
        ["ok", "Noted.", "Received.", "Fine.", "Thanks.", "ok, thx"],
        ["ok", "Zur Kenntnis genommen.", "Erhalten.", "Passt.", "Danke.", "ok, danke"],
    ),
    IN_NOTICE: (
        [
            "We have decided to end our cooperation. Please complete the open jobs and send the final invoice.",
            "After careful consideration we will move our translation work to another provider as of next month.",
            "This is to formally give notice on our framework agreement.",
            "We will not renew. Thank you for your work over the past years.",
        ],
        [
            "Wir haben uns entschieden, die Zusammenarbeit zu beenden. Bitte schließen Sie die offenen Aufträge ab und senden die Schlussrechnung.",
            "Nach reiflicher Überlegung vergeben wir unsere Übersetzungen ab nächstem Monat an einen anderen Dienstleister.",
            "Hiermit kündigen wir fristgerecht unseren Rahmenvertrag.",
            "Wir werden nicht verlängern. Danke für Ihre Arbeit in den letzten Jahren.",
        ],
    ),
    IN_NOTICE_ACQ: (
        [
            "Following the acquisition, our translations will be handled centrally by the group. Thank you for the good cooperation.",
            "We're building an in-house language team, so we'll stop outsourcing at the end of the month. Thanks for everything!",
        ],
        [
            "Nach der Übernahme werden unsere Übersetzungen zentral im Konzern vergeben. Vielen Dank für die gute Zusammenarbeit.",
            "Wir bauen ein internes Sprachteam auf und vergeben ab Monatsende nichts mehr extern. Vielen Dank für alles!",
        ],
    ),
    IN_NEWJOB: (
        [
            "Could you quote for {proj}? About {words} words, {pair}.",
            "New job coming: {proj}. Please send an estimate.",
            "We have a new project ({proj}), can you start next week?",
        ],
        [
            "Können Sie uns ein Angebot für {proj} machen? Ca. {words} Wörter, {pair}.",
            "Neuer Auftrag: {proj}. Bitte um Kostenschätzung.",
            "Wir haben ein neues Projekt ({proj}), könnten Sie nächste Woche starten?",
        ],
    ),
    IN_PRICE: (
        [
            "Your price increase comes at a very bad time for us. We'll have to review our options.",
            "A {pct}% increase is hard to justify internally.",
            "Received the new rate card. Can we discuss this?",
        ],
        [
            "Die Preiserhöhung kommt für uns zu einem sehr ungünstigen Zeitpunkt. Wir werden unsere Optionen prüfen.",
            "Eine Erhöhung um {pct} % ist intern schwer zu vermitteln.",
            "Die neue Preisliste ist angekommen. Können wir darüber sprechen?",
        ],
    ),
    OUT_STATUS: (
        [
            "Status {proj}: {pct}% translated, review starts on Monday.",
            "Quick update on {proj}: the first batch is with the reviewer, on track for the agreed date.",
            "{proj}: we're about {pct}% through. Two terminology queries attached.",
            "Weekly status for {proj}: translation {pct}%, no open queries.",
        ],
        [
            "Status {proj}: {pct} % übersetzt, Lektorat startet am Montag.",
            "Kurzes Update zu {proj}: Das erste Paket ist im Lektorat, wir liegen im Plan.",
            "{proj}: Wir sind bei ca. {pct} %. Zwei Terminologie-Rückfragen anbei.",
            "Wochenstatus {proj}: Übersetzung {pct} %, keine offenen Fragen.",
        ],
    ),
    OUT_DELIVERY: (
        [
            "Please find attached the final {pair} files for {proj}.",
            "Delivery of {proj} complete, files uploaded to the portal.",
            "{proj} is done - final files and QA report are in the portal.",
        ],
        [
            "Anbei die finalen Dateien ({pair}) für {proj}.",
            "Lieferung {proj} abgeschlossen, Dateien liegen im Portal.",
            "{proj} ist fertig – finale Dateien und QS-Bericht liegen im Portal.",
        ],
    ),
    OUT_QUOTE: (
        [
            "Thanks for the request; please find our quote for {proj} attached.",
            "Here's our estimate for {proj}: {amt} EUR net, delivery in {n} working days.",
        ],
        [
            "Vielen Dank für die Anfrage, anbei unser Angebot für {proj}.",
            "Unsere Kostenschätzung für {proj}: {amt} EUR netto, Lieferung in {n} Arbeitstagen.",
        ],
    ),
    OUT_INVOICE: (
        [
            "Please find attached invoice {inv}.",
            "Invoice {inv} for {proj} is attached. Payment terms as agreed.",
        ],
        [
            "Anbei erhalten Sie Rechnung {inv}.",
            "Rechnung {inv} zu {proj} anbei. Zahlungsziel wie vereinbart.",
        ],
    ),
    OUT_REMINDER: (
        [
            "Friendly reminder: invoice {inv} is now overdue. Could you check the status?",
            "Our records show invoice {inv} ({amt} EUR) is still open.",
        ],
        [
            "Freundliche Erinnerung: Rechnung {inv} ist überfällig. Könnten Sie den Status prüfen?",
            "Laut unserer Buchhaltung ist Rechnung {inv} ({amt} EUR) noch offen.",
        ],
    ),
    OUT_APOLOGY: (
        [
            "We're very sorry about the errors in {proj}. A corrected version is on its way and we've added an extra review step.",
            "Apologies for the issues in the last delivery - we are re-checking everything against your glossary.",
        ],
        [
            "Die Fehler in {proj} tun uns sehr leid. Eine korrigierte Fassung ist unterwegs, wir haben einen zusätzlichen Prüfschritt eingeführt.",
            "Entschuldigung für die Probleme in der letzten Lieferung – wir prüfen alles noch einmal gegen Ihr Glossar.",
        ],
    ),
    OUT_PRICE: (
        [
            "As of 1 January our rates will be adjusted by {pct}% to reflect rising costs. The new rate card is attached.",
        ],
        [
            "Zum 1. Januar passen wir unsere Preise um {pct} % an die gestiegenen Kosten an. Die neue Preisliste finden Sie anbei.",
        ],
    ),
    OUT_CRWARN: (
        [
            "Heads-up on {proj}: the source volume has grown considerably beyond the quote. We'll need a change request for the additional words.",
            "{proj}: the additional chapters are outside the agreed scope; we'll send an estimate for the extra effort.",
        ],
        [
            "Hinweis zu {proj}: Das Ausgangsvolumen ist deutlich über das Angebot hinaus gewachsen. Für die Mehrwörter brauchen wir einen Nachtrag.",
            "{proj}: Die zusätzlichen Kapitel liegen außerhalb des vereinbarten Umfangs; wir schicken eine Schätzung für den Mehraufwand.",
        ],
    ),
    OUT_SURVEY: (
        [
            "How likely are you to recommend us to a colleague? Our 1-minute survey: https://survey.example/nps"
        ],
        [
            "Wie wahrscheinlich ist es, dass Sie uns weiterempfehlen? Zur 1-Minuten-Umfrage: https://survey.example/nps"
        ],
    ),
    OUT_CHECKIN: (
        [
            "Hi, just checking in - anything coming up in the next weeks we should plan capacity for?",
            "Would you be up for a short quarterly review call?",
        ],
        [
            "Hallo, kurze Nachfrage: Steht in den nächsten Wochen etwas an, für das wir Kapazität einplanen sollten?",
            "Hätten Sie Zeit für ein kurzes Quartalsgespräch?",
        ],
    ),
    OUT_DISPREPLY: (
        [
            "We've reviewed invoice {inv} and attached a breakdown of the hours.",
            "Thanks for flagging invoice {inv}. We'll look into it and come back with a proposal.",
        ],
        [
            "Wir haben Rechnung {inv} geprüft und eine Aufstellung der Stunden beigefügt.",
            "Danke für den Hinweis zu Rechnung {inv}. Wir prüfen das und melden uns mit einem Vorschlag.",
        ],
    ),
    OUT_FAREWELL: (
        ["Thank you for letting us know. We'll wrap up the open jobs and send you the TM exports."],
        [
            "Danke für die Information. Wir schließen die offenen Aufträge ab und senden Ihnen die TM-Exporte."
        ],
    ),
}
NOTES: dict[int, tuple[list[str], list[str]]] = {
    IN_ROUTINE: (
        ["Call: went through open queries on {proj}."],
        ["Telefonat: offene Rückfragen zu {proj} besprochen."],
    ),
    IN_BUDGET: (
        ["Call: {sender} said budgets are frozen until next quarter."],
        ["Telefonat: {sender} sagt, Budgets sind bis nächstes Quartal eingefroren."],
    ),
    IN_MT: (
        ["Meeting notes: client asked a lot about MT post-editing and competitor pricing."],
        ["Gesprächsnotiz: Kunde fragt viel nach MT-Post-Editing und Preisen anderer Anbieter."],
    ),
    IN_QUALITY: (
        ["Call: {sender} very unhappy about the errors in {proj}."],
        ["Telefonat: {sender} sehr unzufrieden mit den Fehlern in {proj}."],
    ),
    IN_LATE: (
        ["Call: client chasing the delivery of {proj}."],
        ["Telefonat: Kunde fragt nach der Lieferung von {proj}."],
    ),
    IN_THANKS: (
        ["Call: positive feedback on {proj}."],
        ["Telefonat: positives Feedback zu {proj}."],
    ),
    IN_DISPUTE: (
        ["Call: {sender} disputes invoice {inv}, wants a breakdown."],
        ["Telefonat: {sender} widerspricht Rechnung {inv}, möchte eine Aufstellung."],
    ),
    OUT_CHECKIN: (
        ["QBR held, no issues raised.", "Check-in call, volumes steady."],
        ["Quartalsgespräch geführt, keine Themen.", "Kurzer Austausch, Volumen stabil."],
    ),
}
SURVEY_COMMENTS = {
    2: (
        ["Reliable and fast.", "Great team, great quality.", "Always a pleasure."],
        ["Zuverlässig und schnell.", "Tolles Team, tolle Qualität.", "Immer wieder gern."],
    ),
    1: (
        ["OK overall, sometimes slow to respond.", "Quality fine, prices are high."],
        ["Insgesamt ok, manchmal langsame Rückmeldung.", "Qualität passt, Preise sind hoch."],
    ),
    0: (
        ["Too many errors lately.", "Deadlines are not met.", "Not worth the price."],
        [
            "Zuletzt zu viele Fehler.",
            "Termine werden nicht eingehalten.",
            "Preis-Leistung stimmt nicht.",
        ],
    ),
}
GREET_EN = ["Hi {pm},\n\n", "Hello {pm},\n\n", "Dear {pm},\n", ""]
GREET_DE = ["Hallo {pm},\n\n", "Guten Tag,\n\n", "Guten Tag {pm},\n", ""]
SIGN_EN = ["\n\nBest regards,\n{sender}", "\n\nThanks,\n{sender}", "\n\n{sender}"]
SIGN_DE = ["\n\nViele Grüße\n{sender}", "\n\nBeste Grüße\n{sender}", "\n\nMfG\n{sender}"]

CHANNELS = ["email", "thread", "chat", "call", "meeting", "survey", "portal"]
_CH_IN = np.array([0.5, 0.08, 0.12, 0.1, 0.05, 0.0, 0.15])
_CH_W: dict[int, np.ndarray] = {
    IN_SURVEY: np.array([0, 0, 0, 0, 0, 1.0, 0]),
    OUT_SURVEY: np.array([0, 0, 0, 0, 0, 1.0, 0]),
    OUT_INVOICE: np.array([0.8, 0, 0, 0, 0, 0, 0.2]),
    OUT_REMINDER: np.array([0.9, 0, 0, 0.1, 0, 0, 0]),
    OUT_STATUS: np.array([0.5, 0.2, 0.0, 0, 0, 0, 0.3]),
    OUT_DELIVERY: np.array([0.5, 0.1, 0.0, 0, 0, 0, 0.4]),
    IN_DISPUTE: np.array([0.6, 0, 0, 0.15, 0, 0, 0.25]),
    IN_NOTICE: np.array([0.8, 0, 0, 0.1, 0.1, 0, 0]),
    IN_NOTICE_ACQ: np.array([0.8, 0, 0, 0.1, 0.1, 0, 0]),
    OUT_CHECKIN: np.array([0.6, 0, 0, 0.25, 0.15, 0, 0]),
    IN_CURT: np.array([0.5, 0.1, 0.4, 0, 0, 0, 0]),
    IN_INVQ: np.array([0.85, 0, 0, 0, 0, 0, 0.15]),
    IN_NEWJOB: np.array([0.7, 0.05, 0.05, 0.1, 0, 0, 0.1]),
}


# --------------------------------------------------------------------------- helpers


def _email(name: str) -> str:
    return fold_umlauts(name.lower().replace("'", "")).replace(" ", ".") + "@" + DOMAIN


def _contact(code: int, de: bool) -> str:
    if de:
        return f"{DE_FIRST[code // 20]} {DE_LAST[code % 20]}"
    return f"{EN_FIRST[code // 20]} {EN_LAST[code % 20]}"


def _calendar(months: int) -> dict[str, Any]:
    end = np.datetime64(
        (pd.Timestamp(str(START)) + pd.DateOffset(months=months)).strftime("%Y-%m-%d"), "D"
    )
    D = int((end - START) / np.timedelta64(1, "D"))
    T = BURN + D
    dates = START - np.timedelta64(BURN, "D") + np.arange(T).astype("timedelta64[D]")
    di = pd.DatetimeIndex(dates)
    year = di.year.to_numpy()
    month = di.month.to_numpy()
    dom = di.day.to_numpy()
    wd = di.day_of_week.to_numpy()
    hol = ((month == 1) & (dom == 1)) | ((month == 5) & (dom == 1)) | ((month == 10) & (dom == 3))
    hol |= (month == 12) & np.isin(dom, [24, 25, 26, 31])
    working = (wd < 5) & ~hol
    mid = year * 12 + month - 1
    bill = np.zeros(T, bool)
    survey = np.zeros(T, bool)
    seen: set[int] = set()
    seen_s: set[int] = set()
    for k in range(T):
        if working[k] and mid[k] not in seen:
            bill[k] = True
            seen.add(int(mid[k]))
        if working[k] and month[k] % 3 == 0 and dom[k] >= 10 and mid[k] not in seen_s:
            survey[k] = True
            seen_s.add(int(mid[k]))
    next_bill = np.zeros(T, np.int64)
    nb = T + 31
    for k in range(T - 1, -1, -1):
        next_bill[k] = nb
        if bill[k]:
            nb = k
    ef = np.datetime64(
        (pd.Timestamp(str(START)) - pd.DateOffset(months=1)).strftime("%Y-%m-%d"), "D"
    )
    export_from = BURN - int((START - ef) / np.timedelta64(1, "D"))
    price_days = [k for k in range(BURN + 1, T) if month[k] == 1 and dom[k] == 1]
    return {
        "D": D, "T": T, "dates": dates, "year": year, "month": month, "dom": dom, "wd": wd,
        "working": working, "bill": bill, "survey": survey, "next_bill": next_bill,
        "export_from": export_from, "price_days": price_days,
    }  # fmt: skip


class _Table:
    """Column arrays with a row count and room to grow."""

    def __init__(self, cap: int, spec: dict[str, tuple[Any, Any]]) -> None:
        self.n = 0
        self.cap = cap
        self.spec = spec
        self.cols: dict[str, np.ndarray] = {
            name: np.full(cap, fill, dt) for name, (dt, fill) in spec.items()
        }

    def add(self) -> int:
        if self.n >= self.cap:
            new = self.cap * 2
            for name, (dt, fill) in self.spec.items():
                arr = np.full(new, fill, dt)
                arr[: self.cap] = self.cols[name]
                self.cols[name] = arr
            self.cap = new
        self.n += 1
        return self.n - 1

    def __getitem__(self, name: str) -> np.ndarray:
        return self.cols[name]


# hazard pieces shared by the simulation and the oracle

DISP_B0 = -7.9


def _client_term(sat, bud, fsp, nit, prc, dvis, rd, mt):
    return (
        -0.9 * sat
        + 0.9 * bud
        + 1.0 * fsp
        + 0.6 * nit
        + 0.8 * prc
        + 1.0 * dvis
        + 0.45 * np.minimum(rd, 2.0)
        + 0.4 * mt
    )


def _inv_eta(surprise, rework, quality):
    return DISP_B0 + 1.9 * np.maximum(surprise, 0.0) + 0.8 * rework + 1.0 * quality


CHURN_C0 = -8.85
LAM_U = 4.5e-5


def _churn_eta(sat, mt, bud, fsp, rd, prc, newc, lsize, idle):
    return (
        CHURN_C0 - 1.25 * sat + 1.9 * mt + 0.9 * bud + 1.3 * fsp * np.clip(0.6 - sat, 0.0, 1.5)
        + 0.55 * np.minimum(rd, 2.0) + prc + 0.5 * newc - 0.3 * lsize + 0.8 * idle
    )  # fmt: skip


# decision-to-notice lags (days): foreshadowed mixture and a short one for sudden exits
_LAGS = np.arange(0, 400)
_PF = np.where((_LAGS >= 5) & (_LAGS <= 30), 0.45 / 26, 0.0) + np.where(
    (_LAGS >= 31) & (_LAGS <= 100), 0.55 / 70, 0.0
)
_PU = np.where(_LAGS <= 14, 1 / 15, 0.0)
CDF_F = np.cumsum(_PF)
CDF_U = np.cumsum(_PU)


def _cdf(table: np.ndarray, x: np.ndarray) -> np.ndarray:
    x = np.asarray(x)
    return np.where(x < 0, 0.0, table[np.clip(x, 0, len(table) - 1)])


def _horizon_avg(tau: float, horizon: float = 90.0) -> float:
    return tau / horizon * (1.0 - np.exp(-horizon / tau))


# --------------------------------------------------------------------------- simulation


def _simulate(clients: int, months: int, seed: int, record: bool) -> dict[str, Any]:
    cal = _calendar(months)
    T, D = cal["T"], cal["D"]
    working, dom, month, wd = cal["working"], cal["dom"], cal["month"], cal["wd"]
    bill, survey, next_bill = cal["bill"], cal["survey"], cal["next_bill"]
    ss = np.random.SeedSequence([int(seed), 6, 2024])
    s_dyn, s_txt = ss.spawn(2)
    rng = np.random.default_rng(s_dyn)
    n = int(np.ceil(clients * 1.05)) + 8

    # ---- static client traits
    de = rng.random(n) < 0.55
    ind = rng.choice(len(INDUSTRIES), size=n, p=IND_P)
    size = np.clip(rng.lognormal(0.0, 0.7, n), 0.25, 7.0)
    chat = rng.lognormal(0.0, 0.4, n)
    quiet = rng.random(n) < 0.15
    chat = np.where(quiet, chat * 0.3, chat)
    nit = (rng.random(n) < 0.12).astype(float)
    psens = rng.beta(2.0, 3.0, n)
    base = rng.normal(0.35, 0.45, n)
    sat = base + rng.normal(0.0, 0.3, n)
    pay_trait = rng.gamma(1.5, 2.5, n) - 2.0
    pay_trait = pay_trait + (rng.random(n) < 0.1) * rng.uniform(10.0, 25.0, n)
    terms = np.where(
        de, rng.choice([14, 30], n, p=[0.5, 0.5]), rng.choice([30, 45, 14], n, p=[0.6, 0.25, 0.15])
    )
    rf = rng.uniform(0.88, 1.12, n)
    existing = rng.random(n) < 0.74
    birth = np.where(existing, 0, BURN + rng.integers(0, max(D - 150, 30), n))
    since = np.where(existing, BURN - rng.integers(90, 3300, n), birth)
    lead = rng.integers(0, len(LEADS), n)
    cpm = rng.integers(0, len(PMS), n)
    pair = rng.integers(0, 5, n)
    sponsor = rng.integers(0, 400, n)
    team_lead = rng.integers(0, N_LING, n)
    team_rev = rng.integers(0, N_LING, n)
    has_ret = rng.random(n) < np.where(existing, 0.28, 0.12)
    mt_ind = IND_MT[ind]
    bud_ind = IND_BUD[ind]
    tmx_will = rng.random(n) < 0.45
    notice_msg = rng.random(n) < 0.85
    name_stem = rng.integers(0, 16, n)
    name_leg = rng.choice(4, n, p=[0.55, 0.25, 0.12, 0.08])
    price_plan = []
    for e in cal["price_days"]:
        chosen = rng.random(n) < 0.45
        inc = np.round(rng.uniform(0.04, 0.10, n), 3)
        ann = e - rng.integers(25, 56, n)
        price_plan.append((e, chosen, inc, ann))

    # ---- dynamic client state
    bud = np.zeros(n)
    bud_left = np.zeros(n, np.int64)
    mt = np.zeros(n)
    mt_left = np.zeros(n, np.int64)
    sp_age = rng.integers(200, 3000, n).astype(float)
    instab = np.zeros(n)
    decided = np.zeros(n, bool)
    fore = np.zeros(n, bool)
    dec_day = np.full(n, -1, np.int64)
    notice = np.full(n, NEVER, np.int64)
    churn_day = np.full(n, NEVER, np.int64)
    reason = np.full(n, -1, np.int64)
    rd = np.zeros(n)
    pmul = np.ones(n)
    pr_age = np.full(n, 10**6, np.int64)
    pr_inc = np.zeros(n)
    idle_days = np.zeros(n)
    tmx_done = np.zeros(n, bool)
    pend_cnt = np.zeros(n, np.int64)

    P = _Table(
        max(1024, n * 20),
        {
            "client": (np.int64, -1), "typ": (np.int8, 0), "kind": (np.int8, -1), "state": (np.int8, 0),
            "start": (np.int64, 0), "end": (np.int64, 0), "done": (np.int64, -1), "close": (np.int64, NEVER),
            "budget": (float, 0.0), "daily": (float, 0.0), "pwd": (float, 1.0), "cap": (float, 1.0),
            "m0": (float, 1.0), "creep_at": (float, 2.0), "creep_m": (float, 1.0), "prog": (float, 0.0),
            "dval": (float, 0.0), "value": (float, 0.0), "billed": (float, 0.0),
            "acc_cur": (float, 0.0), "acc_prev": (float, 0.0), "n_cur": (np.int64, 0), "n_prev": (np.int64, 0),
            "wd_cur": (np.int64, 0), "wd_prev": (np.int64, 0), "days_cur": (np.int64, 0), "days_prev": (np.int64, 0),
            "hrs_cur": (float, 0.0), "hrs_prev": (float, 0.0), "rwf_cur": (np.int8, 0), "rwf_prev": (np.int8, 0),
            "last_pend": (np.int64, -1), "rework": (float, 0.0), "rw_bill": (np.int8, 0), "last_inc": (np.int64, -9999),
            "ms_done": (np.int8, 0), "warn_chk": (np.int8, 0), "warned": (np.int8, 0), "force": (np.int64, NEVER),
            "mf": (float, 1.0), "incl": (float, 0.0), "fee": (float, 0.0), "rep_last": (float, 0.0),
            "pm": (np.int64, 0), "main": (np.int8, 0), "big": (np.int8, 0),
        },
    )  # fmt: skip
    p_names: list[str] = []
    pending: dict[int, list[int]] = {}

    I = _Table(
        max(1024, n * 40),
        {
            "client": (np.int64, -1), "proj": (np.int64, -1), "issue": (np.int64, 0), "due": (np.int64, 0),
            "amount": (float, 0.0), "eta": (float, 0.0), "paid": (np.int64, NEVER), "disp": (np.int64, -1),
            "pstart": (np.int64, 0), "pend": (np.int64, 0), "lines": (np.int64, 1), "kind": (np.int8, 0),
            "surp": (float, 0.0), "rw": (float, 0.0), "qual": (float, 0.0),
        },
    )  # fmt: skip
    inv_lo = 0

    # outputs collected along the way
    te: dict[str, list[np.ndarray]] = {
        k: [] for k in ("proj", "day", "hours", "bill", "amount", "role", "person")
    }
    prog_rows: list[tuple[int, int, float, str]] = []
    ev: list[
        tuple[int, int, int, int, int, int, float]
    ] = []  # client, day, cat, proj, param, author, score
    pm_arr: dict[str, list[np.ndarray]] = {
        k: [] for k in ("client", "day", "cat", "proj", "param", "author")
    }

    if record:
        orc_d = np.full((D, n), np.nan, np.float32)
        orc_c = np.full((D, n), np.nan, np.float32)
        s_idx = np.arange(1, 91)
        FF_cdf = _cdf(CDF_F, 90 - s_idx)
        FU_cdf = _cdf(CDF_U, 90 - s_idx)
        g_sat = _horizon_avg(90.0)
        g_bud = _horizon_avg(130.0)
        g_mt = _horizon_avg(75.0)
        g_sp = _horizon_avg(100.0)
        g_rd = _horizon_avg(150.0)

    def author_in(c: int) -> int:
        return int(sponsor[c]) if rng.random() < 0.8 else int(rng.integers(0, 400))

    def msg(
        c: int,
        day: int,
        cat: int,
        proj: int = -1,
        param: int = -1,
        author: int = -1,
        score: float = np.nan,
    ) -> None:
        if cat < 20 and author < 0:
            author = author_in(c)
        ev.append((c, day, cat, proj, param, author, score))

    def spawn(c: int, k: int, start: int, ret: bool = False) -> None:
        i = P.add()
        P["client"][i] = c
        P["pm"][i] = cpm[c] if rng.random() < 0.8 else rng.integers(0, len(PMS))
        y = int(cal["year"][min(max(start, 0), T - 1)])
        if ret:
            P["typ"][i] = RET
            incl = float(np.clip(rng.lognormal(np.log(35.0), 0.5) * size[c] ** 0.4, 8.0, 200.0))
            fee = round(incl * 76.0 * rf[c] * pmul[c], -1)
            P["incl"][i] = incl
            P["fee"][i] = fee
            P["budget"][i] = 12 * fee
            P["dval"][i] = fee / 21.0
            P["start"][i] = start
            P["end"][i] = start + 365
            P["main"][i] = 0
            P["mf"][i] = float(rng.lognormal(0.0, 0.3))
            p_names.append(
                f"Rahmenvertrag Übersetzungen {y}" if de[c] else f"Localisation retainer {y}"
            )
        else:
            kind = int(rng.choice(NK, p=KIND_W[ind[c]]))
            typ = TM if rng.random() < KIND_TM[kind] else FF
            P["typ"][i] = typ
            P["kind"][i] = kind
            if kind == INTERP:
                H = 8.0 * int(rng.integers(1, 4))
                pwd = H / 8.0
                main = 5
            else:
                H = float(rng.lognormal(np.log(45.0), 0.85) * size[c] ** 0.35 * KIND_H[kind])
                pwd = float(np.clip(round(H / rng.uniform(3.5, 7.0)), 3, 160))
                main = 0
            vph = ROLE_RATE[main] + EXTRA_VPH
            P["main"][i] = main
            P["pwd"][i] = pwd
            P["daily"][i] = H / pwd
            P["start"][i] = start
            P["end"][i] = start + int(np.ceil(pwd * 1.4)) + 1
            P["cap"][i] = float(np.clip(rng.normal(1.0, 0.09) - 0.2 * instab[c], 0.6, 1.15))
            fsp_c = np.exp(-sp_age[c] / 100.0) if sp_age[c] < 400 else 0.0
            p_creep = 0.18 + 0.25 * fsp_c + (0.08 if kind in (0, 1, 2, 6) else 0.0)
            if rng.random() < p_creep and kind != INTERP:
                P["creep_at"][i] = rng.uniform(0.15, 0.7)
                P["creep_m"][i] = 1.0 + rng.lognormal(np.log(0.35), 0.4)
                P["m0"][i] = 1.0
            else:
                P["m0"][i] = rng.lognormal(0.0, 0.06)
            value = H * vph * rf[c] * pmul[c]
            if typ == FF:
                P["budget"][i] = max(round(value * 1.08, -1) // 50 * 50, 300.0)
                P["dval"][i] = value / pwd
            else:
                P["budget"][i] = max(round(value, -2), 300.0)
                P["dval"][i] = P["budget"][i] / pwd
            P["big"][i] = int(P["budget"][i] > 9000 and typ == FF)
            en_name, de_name = KINDS[kind][0], KINDS[kind][1]
            q = int(rng.integers(0, 4))
            fields = {
                "v": f"{int(rng.integers(2, 10))}.{int(rng.integers(0, 10))}", "y": y, "y0": y - 1,
                "d": f"{'ABCDKMXZ'[int(rng.integers(0, 8))]}{int(rng.integers(100, 999))}",
                "s": SEASON_EN[q], "sd": SEASON_DE[q], "q": q + 1, "t": TOPICS_EN[q], "td": TOPICS_DE[q],
                "e": EVENTS_EN[q], "ed": EVENTS_DE[q],
            }  # fmt: skip
            p_names.append((de_name if de[c] else en_name).format(**fields))
        if start <= k:
            P["state"][i] = 1
        else:
            pending.setdefault(start, []).append(i)
            pend_cnt[c] += 1
        if not ret and start > k:
            msg(c, k, IN_NEWJOB, i)
            if rng.random() < 0.7:
                msg(c, k + int(rng.integers(0, 3)), OUT_QUOTE, i, author=int(P["pm"][i]))

    def invoice(
        c: int,
        p: int,
        k: int,
        amount: float,
        pstart: int,
        pend: int,
        lines: int,
        surprise: float,
        rework: float,
        kind: int,
    ) -> None:
        if amount < 1.0:
            return
        i = I.add()
        I["client"][i] = c
        I["proj"][i] = p
        I["issue"][i] = k
        I["due"][i] = k + terms[c]
        I["amount"][i] = round(amount, 2)
        quality = float(k - P["last_inc"][p] <= 40)
        I["eta"][i] = _inv_eta(surprise, rework, quality)
        I["surp"][i] = surprise
        I["rw"][i] = rework
        I["qual"][i] = quality
        late = (
            pay_trait[c]
            + 12.0 * bud[c]
            + 8.0 * float(decided[c] and fore[c])
            + rng.normal(0.0, 4.0)
        )
        I["paid"][i] = k + max(2, round(terms[c] + late))
        I["pstart"][i] = pstart
        I["pend"][i] = pend
        I["lines"][i] = max(1, lines)
        I["kind"][i] = kind
        P["billed"][p] += amount
        P["last_pend"][p] = pend
        if rng.random() < 0.35:
            msg(c, k, OUT_INVOICE, p, i, author=int(P["pm"][p]))
        if rng.random() < 0.03:
            msg(c, k + int(rng.integers(1, 10)), IN_INVQ, p, i)

    def complete(p: int, k: int, forced: bool) -> None:
        c = int(P["client"][p])
        typ = int(P["typ"][p])
        P["state"][p] = 2
        P["done"][p] = k
        pstart = int(P["last_pend"][p] + 1) if P["last_pend"][p] >= 0 else int(P["start"][p])
        if typ == RET:
            P["close"][p] = k
            return
        P["close"][p] = k + int(rng.integers(0, 12))
        if typ == FF:
            share = min(P["prog"][p], 1.0) if forced else 1.0
            invoice(c, p, k, P["budget"][p] * share - P["billed"][p], pstart, k, 1, 0.0, 0.0, 0)
            over = P["value"][p] / P["budget"][p] - 1.0
            if not forced and over > 0.12 and rng.random() < 0.65:
                cr = (P["value"][p] - P["budget"][p]) * rng.uniform(0.6, 1.0)
                invoice(
                    c,
                    p,
                    k,
                    round(cr, -1),
                    int(P["start"][p]),
                    k,
                    int(rng.integers(1, 4)),
                    0.35 if P["warned"][p] else 1.3,
                    0.0,
                    1,
                )
        else:
            amt = P["acc_prev"][p] + P["acc_cur"][p]
            wdays = int(P["wd_prev"][p] + P["wd_cur"][p])
            s = _tm_surprise(p, amt, wdays)
            invoice(
                c,
                p,
                k,
                amt,
                pstart,
                k,
                int(P["n_prev"][p] + P["n_cur"][p]),
                s,
                float(P["rwf_prev"][p] or P["rwf_cur"][p]),
                0,
            )
            P["acc_prev"][p] = P["acc_cur"][p] = 0.0
        prog_rows.append(
            (
                p,
                k,
                100.0 if not forced else float(np.floor(min(P["prog"][p], 1.0) * 100)),
                "Final delivery" if not forced else "",
            )
        )
        if forced:
            return
        late_days = k - int(P["end"][p])
        if late_days <= 0 and k - P["last_inc"][p] > 60:
            sat[c] += 0.06
            if rng.random() < 0.3 * min(chat[c], 1.5) / 1.5 * (sat[c] > 0.3):
                msg(c, k + int(rng.integers(1, 6)), IN_THANKS, p)
        if rng.random() < 0.8:
            msg(c, k, OUT_DELIVERY, p, author=int(P["pm"][p]))

    def _tm_surprise(p: int, amt: float, wdays: int) -> float:
        exp_amt = P["dval"][p] * max(wdays, 1)
        s = np.log(max(amt, 1.0) / exp_amt)
        over = (P["billed"][p] + amt) / P["budget"][p] - 1.0
        return float(max(s, 0.0) + 1.5 * min(max(over, 0.0), 0.6))

    # ---- initial book of work
    for c in range(n):
        if existing[c]:
            for _ in range(int(rng.poisson(0.8 * size[c] ** 0.5))):
                spawn(c, 0, int(rng.integers(0, 45)))
            if has_ret[c]:
                spawn(c, 0, -int(rng.integers(0, 330)), ret=True)

    # ================================================================ day loop
    for k in range(T):
        Pn = P.n
        # ---- calendar month roll-over of the billing buckets
        if dom[k] == 1 and Pn:
            for a in ("acc", "n", "wd", "days", "hrs"):
                P[f"{a}_prev"][:Pn] += P[f"{a}_cur"][:Pn]
                P[f"{a}_cur"][:Pn] = 0
            P["rwf_prev"][:Pn] |= P["rwf_cur"][:Pn]
            P["rwf_cur"][:Pn] = 0
            rets = np.flatnonzero((P["state"][:Pn] == 1) & (P["typ"][:Pn] == RET))
            if rets.size:
                cc = P["client"][rets]
                P["mf"][rets] = (
                    rng.lognormal(0.0, 0.3, rets.size)
                    * (1 - 0.45 * bud[cc])
                    * (1 - 0.4 * mt[cc])
                    * np.where(decided[cc] & fore[cc], 0.6, 1.0)
                )

        exists = birth <= k
        alive = exists & (churn_day > k)
        u = rng.random((8, n))

        # ---- client state: budget pressure, evaluation of alternatives, sponsor, team, mood
        season = 1.8 if month[k] in (10, 11, 12, 1) else 1.0
        bud_left = np.maximum(bud_left - 1, 0)
        bud = np.where(bud_left > 0, bud, 0.0)
        nb = alive & (bud_left == 0) & (u[0] < season * bud_ind / 1400.0)
        if nb.any():
            bud[nb] = rng.uniform(0.5, 1.0, nb.sum())
            bud_left[nb] = rng.geometric(1 / 130.0, nb.sum())
        ending = mt_left == 1
        if ending.any():
            shrink = ending & (rng.random(n) < 0.35)
            size = np.where(shrink, size * 0.6, size)
        mt_left = np.maximum(mt_left - 1, 0)
        mt = np.where(mt_left > 0, mt, 0.0)
        h_mt = mt_ind * (1 + 1.5 * psens) * (1 + bud) * (1 + 0.8 * np.maximum(-sat, 0)) / 3500.0
        nm = alive & (mt_left == 0) & (u[1] < h_mt)
        if nm.any():
            mt[nm] = 1.0
            mt_left[nm] = rng.geometric(1 / 75.0, nm.sum())
        sp_age += 1
        ns = alive & (u[2] < 1 / 1000.0)
        for c in np.flatnonzero(ns):
            old = int(sponsor[c])
            sponsor[c] = (old + int(rng.integers(1, 400))) % 400
            sp_age[c] = 0
            base[c] = 0.5 * base[c] + 0.5 * rng.normal(0.25, 0.45)
            if rng.random() < 0.65:
                msg(int(c), k + int(rng.integers(0, 21)), IN_SPONSOR, -1, old, int(sponsor[c]))
        fsp = np.where(sp_age < 400, np.exp(-sp_age / 100.0), 0.0)
        instab *= np.exp(-1 / 70.0)
        ni = alive & (u[3] < 1 / 900.0)
        if ni.any():
            instab[ni] = 1.0
            team_lead[ni] = rng.integers(0, N_LING, ni.sum())
        sat += (base - sat) / 90.0 + 0.025 * rng.standard_normal(n)
        rd *= np.exp(-1 / 150.0)
        pr_age += 1
        for e, chosen, inc, ann in price_plan:
            a_ = alive & chosen & (ann == k)
            for c in np.flatnonzero(a_):
                pct = round(inc[c] * 100)
                msg(int(c), k, OUT_PRICE, -1, pct, author=100 + int(lead[c]))
                if rng.random() < psens[c] * 0.8 * min(chat[c], 1.0):
                    msg(int(c), k + int(rng.integers(1, 10)), IN_PRICE, -1, pct)
            if e == k:
                hit = alive & chosen
                pmul = np.where(hit, pmul * (1 + inc), pmul)
                sat = np.where(hit, sat - inc * psens * 4.0, sat)
                pr_age = np.where(hit, 0, pr_age)
                pr_inc = np.where(hit, inc, pr_inc)
                act_r = np.flatnonzero((P["state"][: P.n] == 1) & (P["typ"][: P.n] == RET))
                cc = P["client"][act_r]
                P["fee"][act_r] = np.round(P["fee"][act_r] * np.where(hit[cc], 1 + inc[cc], 1.0), 2)
        prc = np.where(pr_age < 120, psens * pr_inc * 10.0, 0.0)

        # ---- decisions to leave, and notices
        idle = np.clip((idle_days - 30) / 120.0, 0.0, 1.2)
        newc = ((k - since) < 365).astype(float)
        lam_f = np.exp(_churn_eta(sat, mt, bud, fsp, rd, prc, newc, np.log(size), idle))
        can = alive & ~decided
        dec_f = can & (u[4] < lam_f)
        dec_u = can & ~dec_f & (u[4] < lam_f + LAM_U)
        for c in np.flatnonzero(dec_f | dec_u):
            decided[c] = True
            fore[c] = bool(dec_f[c])
            dec_day[c] = k
            if fore[c]:
                lag = (
                    int(rng.integers(5, 31)) if rng.random() < 0.45 else int(rng.integers(31, 101))
                )
                contrib = [
                    1.25 * max(0.35 - sat[c], 0.0), 1.9 * mt[c], 0.9 * bud[c], 1.3 * fsp[c] * max(0.6 - sat[c], 0.0),
                    0.55 * min(rd[c], 2.0), prc[c], 0.8 * idle[c],
                ]  # fmt: skip
                reason[c] = (
                    int(np.argmax(contrib)) if max(contrib) > 0.25 else int(rng.integers(0, 7))
                )
            else:
                lag = int(rng.integers(0, 15))
                reason[c] = 7
            notice[c] = k + lag
        nt = alive & (notice == k)
        for c in np.flatnonzero(nt):
            churn_day[c] = k
            if notice_msg[c]:
                msg(int(c), k, IN_NOTICE if fore[c] else IN_NOTICE_ACQ)
                if rng.random() < 0.6:
                    msg(
                        int(c), k + int(rng.integers(1, 4)), OUT_FAREWELL, author=100 + int(lead[c])
                    )
        if nt.any():
            Pn = P.n
            mine = nt[P["client"][:Pn]]
            a_ = np.flatnonzero(mine & (P["state"][:Pn] == 1))
            P["force"][a_] = k + rng.integers(5, 31, a_.size)
            r_ = a_[P["typ"][a_] == RET]
            P["end"][r_] = np.minimum(P["end"][r_], k + 30)
            q_ = np.flatnonzero(mine & (P["state"][:Pn] == 0))
            P["state"][q_] = 3
            np.subtract.at(pend_cnt, P["client"][q_], 1)
        alive = exists & (churn_day > k)
        dvis = decided & fore

        # ---- new work
        wf = 1.3 if wd[k] < 5 else 0.25
        lam_p = (
            0.01
            * size**0.6
            * (1 - 0.6 * bud)
            * (1 - 0.5 * mt)
            * np.where(dvis, 0.12, 1.0)
            * np.exp(0.3 * np.clip(sat, -2, 2))
            * wf
        )
        for c in np.flatnonzero(alive & (u[5] < lam_p)):
            spawn(int(c), k, k + int(rng.integers(3, 15)))
        for c in np.flatnonzero((birth == k) & ~existing):
            spawn(int(c), k, k + int(rng.integers(3, 15)))
            if has_ret[c]:
                spawn(int(c), k, k + int(rng.integers(10, 40)), ret=True)
        for p in pending.pop(k, []):
            if P["state"][p] == 0:
                P["state"][p] = 1
                pend_cnt[P["client"][p]] -= 1

        Pn = P.n
        act = np.flatnonzero(P["state"][:Pn] == 1)
        ac = P["client"][act]
        atyp = P["typ"][act]
        P["days_cur"][act] += 1

        # ---- the day's work
        if working[k] and act.size:
            P["wd_cur"][act] += 1
            is_ret = atyp == RET
            pw = np.where(is_ret, 0.55, 0.75)
            worked = rng.random(act.size) < pw
            ceff = P["cap"][act] * (1 - 0.25 * instab[ac])
            m = np.where(P["prog"][act] >= P["creep_at"][act], P["creep_m"][act], P["m0"][act])
            base_h = np.where(
                is_ret, P["incl"][act] / 21.0 * P["mf"][act], P["daily"][act] * ceff * m
            )
            noise = rng.gamma(6.0, 1 / 6.0, act.size)
            main_h = np.round(base_h * noise / pw * 4) / 4
            worked &= main_h >= 0.25
            inc_prog = np.where(
                is_ret, 0.0, ceff / (P["pwd"][act] * pw) * rng.gamma(10.0, 0.1, act.size)
            )
            P["prog"][act] += np.where(worked & ~is_ret, inc_prog, 0.0)
            w = np.flatnonzero(worked)
            wp = act[w]
            wc = ac[w]
            mh = main_h[w]
            role_main = P["main"][wp].astype(np.int64)
            pers_main = np.where(
                rng.random(w.size) < 0.6, team_lead[wc], rng.integers(0, N_LING, w.size)
            )
            pers_main = np.where(role_main == 5, rng.integers(0, N_LING, w.size), pers_main)
            # nobody logs more than a working day: long days are shared by several linguists
            pieces = np.maximum(np.ceil(mh / 8.0), 1).astype(np.int64)
            ri = np.repeat(np.arange(w.size), pieces)
            first = np.r_[True, ri[1:] != ri[:-1]] if ri.size else np.zeros(0, bool)
            e_p = [wp[ri]]
            e_h = [np.maximum(np.round(mh[ri] / pieces[ri] * 4) / 4, 0.25)]
            e_b = [np.ones(ri.size, bool)]
            e_r = [role_main[ri]]
            e_pe = [np.where(first, pers_main[ri], rng.integers(0, N_LING, ri.size))]
            r4 = rng.random((5, w.size))
            g4 = rng.gamma(4.0, 0.25, (4, w.size))
            for j, (prob, frac, role) in enumerate(
                ((0.35, 0.3, 1), (0.15, 0.15, 2), (0.06, 0.4, 3), (0.03, 0.2, 4))
            ):
                sel = r4[j] < prob
                if role == 3:
                    sel &= role_main != 5
                hh = np.clip(
                    np.round(mh[sel] * frac * g4[j][sel] * 4) / 4, 0.25, 5.0 if role == 2 else 8.0
                )
                e_p.append(wp[sel])
                e_h.append(hh)
                e_b.append(np.ones(sel.sum(), bool))
                e_r.append(np.full(sel.sum(), role))
                if role == 1:
                    pe = np.where(
                        rng.random(sel.sum()) < 0.7,
                        team_rev[wc[sel]],
                        rng.integers(0, N_LING, sel.sum()),
                    )
                elif role == 2:
                    pe = PM0 + P["pm"][wp[sel]]
                elif role == 3:
                    pe = DTP0 + rng.integers(0, len(DTPS), sel.sum())
                else:
                    pe = rng.integers(0, N_LING, sel.sum())
                e_pe.append(pe)
            sel = r4[4] < 0.08  # PM admin, not billable
            e_p.append(wp[sel])
            e_h.append(np.round(rng.uniform(0.25, 1.0, sel.sum()) * 4) / 4)
            e_b.append(np.zeros(sel.sum(), bool))
            e_r.append(np.full(sel.sum(), 2))
            e_pe.append(PM0 + P["pm"][wp[sel]])
            # rework after a quality incident
            rw = act[P["rework"][act] > 0]
            if rw.size:
                rh = np.minimum(P["rework"][rw], np.round(rng.uniform(1.0, 4.0, rw.size) * 4) / 4)
                P["rework"][rw] -= rh
                P["rework"][rw[P["rework"][rw] < 0.25]] = 0.0
                billed = (P["rw_bill"][rw] == 1) & (P["typ"][rw] == TM)
                P["rwf_cur"][rw[billed]] = 1
                e_p.append(rw)
                e_h.append(np.maximum(rh, 0.25))
                e_b.append(billed)
                e_r.append(np.where(rng.random(rw.size) < 0.6, 1, 0))
                e_pe.append(
                    np.where(
                        rng.random(rw.size) < 0.5,
                        team_rev[P["client"][rw]],
                        rng.integers(0, N_LING, rw.size),
                    )
                )
            ep = np.concatenate(e_p)
            eh = np.concatenate(e_h)
            eb = np.concatenate(e_b)
            er = np.concatenate(e_r).astype(np.int64)
            epe = np.concatenate(e_pe).astype(np.int64)
            ec = P["client"][ep]
            eamt = np.where(eb, np.round(eh * ROLE_RATE[er] * rf[ec] * pmul[ec], 2), 0.0)
            te["proj"].append(ep)
            te["day"].append(np.full(ep.size, k, np.int64))
            te["hours"].append(eh)
            te["bill"].append(eb)
            te["amount"].append(eamt)
            te["role"].append(er)
            te["person"].append(epe)
            np.add.at(P["value"], ep, eamt)
            np.add.at(P["acc_cur"], ep, eamt)
            np.add.at(P["n_cur"], ep, eb.astype(np.int64))
            np.add.at(P["hrs_cur"], ep, np.where(eb, eh, 0.0))

            # quality incidents
            q = 0.0022 * (1 + 3.0 * instab[ac]) * np.where(is_ret, 0.7, 1.0)
            inc_hit = rng.random(act.size) < q
            for j in np.flatnonzero(inc_hit):
                p = int(act[j])
                c = int(ac[j])
                sat[c] -= rng.uniform(0.15, 0.45)
                P["rework"][p] += rng.uniform(3.0, 14.0) * min(max(P["daily"][p], 2.0) / 6.0, 2.0)
                P["last_inc"][p] = k
                P["rw_bill"][p] = int(rng.random() < 0.35)
                if rng.random() < (0.85 if chat[c] > 0.6 else 0.4):
                    msg(c, k + int(rng.integers(0, 3)), IN_QUALITY, p)
                    if rng.random() < 0.7:
                        msg(c, k + int(rng.integers(1, 4)), OUT_APOLOGY, p, author=int(P["pm"][p]))

            # late work annoys
            late = (~is_ret) & (k > P["end"][act])
            if late.any():
                np.subtract.at(sat, ac[late], 0.004)
                lm = late & (rng.random(act.size) < 0.035 * np.minimum(chat[ac], 2.0))
                for j in np.flatnonzero(lm):
                    msg(int(ac[j]), k, IN_LATE, int(act[j]))

            # fixed fee: mid milestone and scope warnings
            ffa = act[(atyp == FF)]
            ms = ffa[(P["big"][ffa] == 1) & (P["ms_done"][ffa] == 0) & (P["prog"][ffa] >= 0.5)]
            for p in ms:
                c = int(P["client"][p])
                P["ms_done"][p] = 1
                pstart = (
                    int(P["last_pend"][p] + 1) if P["last_pend"][p] >= 0 else int(P["start"][p])
                )
                invoice(c, int(p), k, 0.5 * P["budget"][p], pstart, k, 1, 0.0, 0.0, 0)
                prog_rows.append(
                    (int(p), k, float(np.floor(P["prog"][p] * 100)), "Milestone 1 delivered")
                )
            wc_ = ffa[
                (P["warn_chk"][ffa] == 0)
                & (P["prog"][ffa] > 0.3)
                & (
                    P["value"][ffa]
                    > 1.15 * P["budget"][ffa] / 1.08 * np.maximum(P["prog"][ffa], 0.2)
                )
            ]
            for p in wc_:
                P["warn_chk"][p] = 1
                if rng.random() < 0.5:
                    P["warned"][p] = 1
                    msg(int(P["client"][p]), k, OUT_CRWARN, int(p), author=int(P["pm"][p]))

        # ---- completions, retainer renewals, wind-downs after notice
        if act.size:
            fin = act[(atyp != RET) & (P["prog"][act] >= 1.0)]
            for p in fin:
                complete(int(p), k, False)
            forced = act[(P["state"][act] == 1) & (P["force"][act] <= k) & (atyp != RET)]
            for p in forced:
                complete(int(p), k, True)
            rend = act[(atyp == RET) & (P["end"][act] <= k)]
            for p in rend:
                c = int(P["client"][p])
                complete(int(p), k, False)
                pr = np.clip(0.88 - 0.4 * bud[c] - 0.5 * mt[c] + 0.1 * sat[c], 0.2, 0.97)
                if alive[c] and not decided[c] and rng.random() < pr:
                    spawn(c, k, k + 1, ret=True)
                    j = P.n - 1
                    P["incl"][j] = P["incl"][p] * (1 - 0.3 * bud[c])
                    P["fee"][j] = round(P["fee"][p] * (1 - 0.3 * bud[c]), -1)
                    P["budget"][j] = 12 * P["fee"][j]
                    P["dval"][j] = P["fee"][j] / 21.0

        # ---- monthly billing
        if bill[k]:
            Pn = P.n
            prev_days = int(dom[k - dom[k]]) if k - dom[k] >= 0 else 30
            first_prev = k - dom[k] - prev_days + 1
            tmb = np.flatnonzero(
                (P["typ"][:Pn] == TM) & (P["state"][:Pn] == 1) & (P["acc_prev"][:Pn] > 0)
            )
            for p in tmb:
                c = int(P["client"][p])
                amt = float(P["acc_prev"][p])
                s = _tm_surprise(int(p), amt, int(P["wd_prev"][p]))
                pstart = (
                    int(P["last_pend"][p] + 1) if P["last_pend"][p] >= 0 else int(P["start"][p])
                )
                invoice(
                    c,
                    int(p),
                    k,
                    amt,
                    pstart,
                    k - dom[k],
                    int(P["n_prev"][p]),
                    s,
                    float(P["rwf_prev"][p]),
                    0,
                )
            rtb = np.flatnonzero((P["typ"][:Pn] == RET) & (P["days_prev"][:Pn] > 0))
            for p in rtb:
                c = int(P["client"][p])
                frac = min(P["days_prev"][p] / prev_days, 1.0)
                fee = P["fee"][p] * frac
                over_h = max(P["hrs_prev"][p] - P["incl"][p] * frac, 0.0)
                amt = fee + over_h * OVERAGE_RATE * rf[c] * pmul[c]
                pstart = max(first_prev, int(P["start"][p]))
                pend = k - dom[k] if P["done"][p] < 0 else min(int(P["done"][p]), k - dom[k])
                invoice(
                    c,
                    int(p),
                    k,
                    amt,
                    pstart,
                    pend,
                    1 + int(over_h > 0),
                    float(np.log(amt / max(fee, 1.0))),
                    0.0,
                    0,
                )
                if P["state"][p] == 1:
                    rep = min(
                        100.0, float(np.floor(P["value"][p] / max(P["budget"][p], 1.0) * 100))
                    )
                    prog_rows.append((int(p), k, rep, ""))
            for col in ("acc_prev", "hrs_prev"):
                P[col][:Pn] = 0.0
            for col in ("n_prev", "wd_prev", "days_prev"):
                P[col][:Pn] = 0
            P["rwf_prev"][:Pn] = 0

        # ---- invoices under review: disputes; overdue reminders
        ct = _client_term(sat, bud, fsp, nit, prc, dvis.astype(float), rd, mt)
        while inv_lo < I.n and I["issue"][inv_lo] < k - 130:
            inv_lo += 1
        if I.n > inv_lo:
            sl = slice(inv_lo, I.n)
            age = k - I["issue"][sl]
            ic = I["client"][sl]
            ok = (age >= 1) & (age <= 20) & (I["disp"][sl] < 0) & (I["paid"][sl] > k)
            h = np.exp(I["eta"][sl] + ct[ic])
            ur = rng.random(age.size)
            for j in np.flatnonzero(ok & (ur < h)):
                i = inv_lo + int(j)
                c = int(ic[j])
                I["disp"][i] = k
                I["paid"][i] = NEVER if rng.random() < 0.1 else k + int(rng.integers(12, 66))
                sat[c] -= 0.15
                rd[c] += 1.0
                p = int(I["proj"][i])
                if rng.random() < 0.8:
                    msg(c, k, IN_DISPUTE, p, i)
                if rng.random() < 0.85:
                    msg(c, k + int(rng.integers(1, 5)), OUT_DISPREPLY, p, i, author=int(P["pm"][p]))
            od = k - I["due"][sl]
            rem = ((od == 10) | (od == 30)) & (I["disp"][sl] < 0) & (I["paid"][sl] > k) & (ur > 0.3)
            for j in np.flatnonzero(rem):
                i = inv_lo + int(j)
                msg(
                    int(ic[j]), k, OUT_REMINDER, int(I["proj"][i]), i, author=100 + int(lead[ic[j]])
                )

        # ---- idle tracking
        n_act = np.bincount(P["client"][act], minlength=n) if act.size else np.zeros(n, np.int64)
        busy = (n_act > 0) | (pend_cnt > 0)
        idle_days = np.where(busy, 0, idle_days + 1)

        # ---- messages that flow every day
        if alive.any():
            wfm = 1.0 if working[k] else 0.1
            act_f = np.where(n_act > 0, 1.0, 0.3)
            cats = np.array(
                [
                    IN_ROUTINE,
                    IN_THANKS,
                    IN_NITPICK,
                    IN_QUALITY,
                    IN_BUDGET,
                    IN_MT,
                    IN_HOLD,
                    IN_CURT,
                    OUT_CHECKIN,
                ]
            )
            lam = np.stack(
                [
                    0.06 * chat * act_f * np.where(dvis, 0.5, 1.0),
                    0.006 * chat * act_f * np.clip(sat, 0.0, 1.5),
                    (0.02 * nit + 0.002) * chat * act_f,
                    0.006 * nit * chat * act_f,
                    (0.03 * bud + 0.0015) * chat,
                    (0.03 * mt + 0.001) * chat,
                    0.012 * dvis * chat,
                    0.012 * act_f * (1.0 + 2.0 * dvis),
                    np.full(n, 0.012),
                ]
            ) * (wfm * alive)
            cnt = rng.poisson(lam)
            ci, cl = np.nonzero(cnt)
            if ci.size:
                reps = cnt[ci, cl]
                ci = np.repeat(ci, reps)
                cl = np.repeat(cl, reps)
                cat = cats[ci]
                # a current project for each client
                cp = np.full(n, -1, np.int64)
                if act.size:
                    order = act[np.argsort(rng.random(act.size))]
                    cp[P["client"][order]] = order
                au = np.where(rng.random(cl.size) < 0.8, sponsor[cl], rng.integers(0, 400, cl.size))
                au = np.where(cat >= 20, 100 + lead[cl], au)
                pm_arr["client"].append(cl)
                pm_arr["day"].append(np.full(cl.size, k, np.int64))
                pm_arr["cat"].append(cat)
                pm_arr["proj"].append(
                    np.where(
                        np.isin(cat, [IN_ROUTINE, IN_THANKS, IN_NITPICK, IN_QUALITY]), cp[cl], -1
                    )
                )
                pm_arr["param"].append(rng.integers(5, 30, cl.size))
                pm_arr["author"].append(au)
            tx = alive & dvis & tmx_will & ~tmx_done & (u[6] < 0.04)
            for c in np.flatnonzero(tx):
                tmx_done[c] = True
                msg(int(c), k, IN_TMX)
            if working[k] and act.size:
                st = act[
                    (rng.random(act.size) < np.where(atyp == RET, 0.02, 0.045))
                    & (P["state"][act] == 1)
                ]
                if st.size:
                    pm_arr["client"].append(P["client"][st])
                    pm_arr["day"].append(np.full(st.size, k, np.int64))
                    pm_arr["cat"].append(np.full(st.size, OUT_STATUS))
                    pm_arr["proj"].append(st)
                    pm_arr["param"].append(
                        np.clip(
                            np.floor(
                                np.where(
                                    P["typ"][st] == RET,
                                    P["value"][st] / np.maximum(P["budget"][st], 1.0),
                                    P["prog"][st],
                                )
                                * 100
                            ),
                            1,
                            99,
                        ).astype(np.int64)
                    )
                    pm_arr["author"].append(P["pm"][st])
            if wd[k] == 4 and act.size:
                fr = act[(atyp != RET) & (P["state"][act] == 1) & (rng.random(act.size) < 0.8)]
                rep = np.maximum(
                    P["rep_last"][fr],
                    np.clip(np.floor(P["prog"][fr] * 100 + rng.normal(0, 2, fr.size)), 0, 99),
                )
                P["rep_last"][fr] = rep
                mst = rng.random(fr.size) < 0.12
                for j in range(fr.size):
                    prog_rows.append(
                        (
                            int(fr[j]),
                            k,
                            float(rep[j]),
                            f"Batch {1 + int(rep[j] // 25)} delivered" if mst[j] else "",
                        )
                    )
            if survey[k]:
                for c in np.flatnonzero(alive):
                    msg(int(c), k, OUT_SURVEY, author=100 + int(lead[c]))
                    pr = min(0.3 + 0.15 * abs(sat[c] - 0.3), 0.6) * (0.7 if quiet[c] else 1.0)
                    if rng.random() < pr:
                        sc = 7.3 + 1.9 * sat[c] + rng.normal(0, 1.2) - 1.5 * dvis[c] - 0.8 * bud[c]
                        msg(
                            int(c),
                            k + int(rng.integers(1, 12)),
                            IN_SURVEY,
                            -1,
                            -1,
                            -1,
                            float(np.clip(round(sc), 0, 10)),
                        )

        # ---- the oracle: risk as of the end of day k, from the state of day k only
        if record and k >= BURN:
            t = k - BURN
            alive_now = exists & (churn_day > k)
            ct = _client_term(sat, bud, fsp, nit, prc, dvis.astype(float), rd, mt)
            S = np.zeros(n)
            if I.n > inv_lo:
                sl = slice(inv_lo, I.n)
                age = k - I["issue"][sl]
                ok = (age >= 0) & (age <= 19) & (I["disp"][sl] < 0) & (I["paid"][sl] > k)
                S += np.bincount(
                    I["client"][sl][ok],
                    weights=np.exp(I["eta"][sl][ok]) * (20 - age[ok]) * 0.85,
                    minlength=n,
                )
            Pn = P.n
            act2 = np.flatnonzero(P["state"][:Pn] == 1)
            if act2.size:
                c2 = P["client"][act2]
                ty2 = P["typ"][act2]
                nbd = next_bill[k]
                rem = float(np.clip(k + 30 - nbd, 0, 20))
                qf = (nbd - P["last_inc"][act2] <= 40).astype(float)
                ceff2 = P["cap"][act2] * (1 - 0.25 * instab[c2])
                m2 = np.where(
                    P["prog"][act2] >= P["creep_at"][act2], P["creep_m"][act2], P["m0"][act2]
                )
                gap = max(nbd - k, 1) * 5 / 7
                proj_cum = (
                    P["billed"][act2]
                    + P["acc_prev"][act2]
                    + P["acc_cur"][act2]
                    + P["dval"][act2] * ceff2 * m2 * gap
                )
                s_tm = np.maximum(np.log(np.maximum(ceff2 * m2, 1e-3)), 0) + 1.5 * np.clip(
                    proj_cum / P["budget"][act2] - 1, 0, 0.6
                )
                rwk = ((P["rwf_cur"][act2] + P["rwf_prev"][act2]) > 0).astype(float) + (
                    P["rework"][act2] > 0
                ) * (P["rw_bill"][act2] == 1)
                # a running T&M project bills at the next month start and, when it finishes, once more
                t_fin = (1.0 - np.minimum(P["prog"][act2], 1.0)) / np.maximum(
                    ceff2 / P["pwd"][act2] * 5 / 7, 1e-6
                )
                rem_tm = rem * (t_fin > nbd - k) + np.clip(30 - t_fin, 0, 20) * (t_fin < 30)
                e_tm = np.exp(_inv_eta(s_tm, np.minimum(rwk, 1.0), qf)) * rem_tm
                fee2 = np.maximum(P["fee"][act2], 1.0)
                s_rt = np.log(
                    (
                        fee2
                        + np.maximum(P["mf"][act2] - 1, 0)
                        * P["incl"][act2]
                        * OVERAGE_RATE
                        * rf[c2]
                        * pmul[c2]
                    )
                    / fee2
                )
                e_rt = np.exp(_inv_eta(s_rt, 0.0, qf)) * rem
                pace = ceff2 / P["pwd"][act2] * 21.4
                thr = np.where((P["big"][act2] == 1) & (P["ms_done"][act2] == 0), 0.5, 1.0)
                need = np.maximum(thr - P["prog"][act2], 0.0)
                ratio = need / np.maximum(pace, 1e-6)
                p_cross = np.clip((1.25 - ratio) / 0.45, 0, 1)
                rem_ff = np.clip(30 - ratio * 30, 0, 20)
                over = (
                    P["value"][act2]
                    / np.maximum(P["budget"][act2] / 1.08 * np.maximum(P["prog"][act2], 0.05), 1.0)
                    - 1.0
                )
                cr = (
                    (thr == 1.0)
                    * (over > 0.12)
                    * 0.65
                    * np.exp(_inv_eta(np.where(P["warned"][act2] == 1, 0.35, 1.3), 0.0, 0.0))
                )
                e_ff = p_cross * rem_ff * (np.exp(_inv_eta(0.0, 0.0, qf)) + cr)
                contrib = np.where(ty2 == TM, e_tm, np.where(ty2 == RET, e_rt, e_ff))
                S += np.bincount(c2, weights=contrib, minlength=n)
            pdisp = 1.0 - np.exp(-np.exp(ct) * S)
            # churn: undecided clients, horizon-averaged state, then a decision and its lag
            sat_a = base + (sat - base) * g_sat
            pr_left = np.clip((120 - pr_age) / 90.0, 0.0, 1.0)
            eta_a = _churn_eta(
                sat_a,
                mt * g_mt,
                bud * g_bud,
                fsp * g_sp,
                rd * g_rd,
                prc * pr_left,
                newc,
                np.log(size),
                idle,
            )
            lf = np.exp(eta_a)
            Lam = np.minimum(lf + LAM_U, 0.5)
            surv = (1.0 - Lam)[:, None] ** (s_idx - 1)[None, :]
            pch = (surv * (lf[:, None] * FF_cdf[None, :] + LAM_U * FU_cdf[None, :])).sum(axis=1)
            dcl = np.flatnonzero(decided & alive_now)
            if dcl.size:
                el = k - dec_day[dcl]
                Fcur = np.where(fore[dcl], _cdf(CDF_F, el), _cdf(CDF_U, el))
                Fnext = np.where(fore[dcl], _cdf(CDF_F, el + 90), _cdf(CDF_U, el + 90))
                den = 1.0 - Fcur
                pch[dcl] = np.where(den > 1e-9, (Fnext - Fcur) / np.maximum(den, 1e-12), 1.0)
            orc_d[t] = np.where(alive_now, pdisp, np.nan)
            orc_c[t] = np.where(alive_now, np.clip(pch, 0, 1), np.nan)

    # ================================================================ assemble
    res: dict[str, Any] = {
        "cal": cal, "n": n, "clients": clients, "P": P, "p_names": p_names, "I": I, "te": te,
        "prog_rows": prog_rows, "ev": ev, "pm_arr": pm_arr, "rng_txt": np.random.default_rng(s_txt),
        "de": de, "ind": ind, "since": since, "lead": lead, "pair": pair, "churn_day": churn_day,
        "reason": reason, "name_stem": name_stem, "name_leg": name_leg, "birth": birth,
    }  # fmt: skip
    if record:
        res["orc_d"] = orc_d
        res["orc_c"] = orc_c
    return res


# --------------------------------------------------------------------------- export


def _iso(days: np.ndarray) -> np.ndarray:
    d = START - np.timedelta64(BURN, "D") + np.asarray(days).astype("timedelta64[D]")
    return np.datetime_as_string(d, unit="D")


def _tables(res: dict[str, Any]) -> tuple[dict[str, pd.DataFrame], np.ndarray]:
    cal = res["cal"]
    T = cal["T"]
    ef = cal["export_from"]
    n = res["n"]
    churn_day = res["churn_day"]
    keep_c = np.flatnonzero(churn_day >= BURN)[: res["clients"]]
    kmask = np.zeros(n, bool)
    kmask[keep_c] = True
    cid = np.full(n, "", object)
    cid[keep_c] = [f"LS-{10001 + j:05d}" for j in range(keep_c.size)]
    de = res["de"]
    rng = res["rng_txt"]

    # clients
    names = []
    for c in keep_c:
        ind = res["ind"][c]
        if de[c]:
            names.append(
                f"{STEM_DE[res['name_stem'][c]]} {IND_DE[ind]} {LEGAL_DE[res['name_leg'][c]]}"
            )
        else:
            names.append(
                f"{STEM_EN[res['name_stem'][c]]} {IND_EN[ind]} {LEGAL_EN[res['name_leg'][c]]}"
            )
    clients = pd.DataFrame(
        {
            "client_id": cid[keep_c],
            "name": names,
            "account_lead": [_email(LEADS[x]) for x in res["lead"][keep_c]],
            "client_since": _iso(res["since"][keep_c]),
            "industry": [INDUSTRIES[x] for x in res["ind"][keep_c]],
            "language": np.where(de[keep_c], "de", "en"),
        }
    )

    # time entries
    P = res["P"]
    Pn = P.n
    te = {k: np.concatenate(v) if v else np.zeros(0) for k, v in res["te"].items()}
    tclient = P["client"][te["proj"].astype(np.int64)] if te["proj"].size else np.zeros(0, np.int64)
    tm = (te["day"] >= ef) & kmask[tclient]
    te = {k: v[tm] for k, v in te.items()}
    te_proj = te["proj"].astype(np.int64)

    # invoices
    I = res["I"]
    In = I.n
    iv = np.arange(In)
    imask = (I["issue"][:In] >= BURN) & (I["issue"][:In] < T) & kmask[I["client"][:In]]
    iv = iv[imask]

    # progress
    pr = pd.DataFrame(res["prog_rows"], columns=["p", "day", "pct", "milestone"])
    pr = pr[(pr["day"] >= BURN) & (pr["day"] < T)]
    pr = pr[kmask[P["client"][pr["p"].to_numpy()]]]

    # messages
    ev = res["ev"]
    ma = res["pm_arr"]
    m_client = np.concatenate([np.array([e[0] for e in ev], np.int64), *ma["client"]])
    m_day = np.concatenate([np.array([e[1] for e in ev], np.int64), *ma["day"]])
    m_cat = np.concatenate([np.array([e[2] for e in ev], np.int64), *ma["cat"]])
    m_proj = np.concatenate([np.array([e[3] for e in ev], np.int64), *ma["proj"]])
    m_param = np.concatenate([np.array([e[4] for e in ev], np.int64), *ma["param"]])
    m_auth = np.concatenate([np.array([e[5] for e in ev], np.int64), *ma["author"]])
    m_score = np.concatenate(
        [np.array([e[6] for e in ev], float), np.full(sum(a.size for a in ma["client"]), np.nan)]
    )
    mm = (m_day >= BURN) & (m_day < T) & kmask[m_client]
    # nothing arrives from a client long after it left
    mm &= m_day <= churn_day[m_client] + 45

    # projects to export: open at the export start or referenced by an exported row
    used = np.zeros(Pn, bool)
    used[te_proj] = True
    used[I["proj"][iv]] = True
    used[pr["p"].to_numpy()] = True
    st = P["state"][:Pn]
    started = (st == 1) | (st == 2)
    open_at = started & (P["close"][:Pn] >= ef) & (P["start"][:Pn] < T)
    pmask = (used | open_at) & kmask[P["client"][:Pn]] & (st != 3) & (st != 0)
    pidx = np.flatnonzero(pmask)
    order = np.lexsort((pidx, P["start"][pidx]))
    pidx = pidx[order]
    pid = np.full(Pn, "", object)
    pid[pidx] = [f"P-{200001 + j}" for j in range(pidx.size)]
    close = P["close"][pidx]
    projects = pd.DataFrame(
        {
            "project_id": pid[pidx],
            "client_id": cid[P["client"][pidx]],
            "name": [res["p_names"][p] for p in pidx],
            "pm": [_email(PMS[x]) for x in P["pm"][pidx]],
            "billing_model": [BILLING[x] for x in P["typ"][pidx]],
            "budget": np.round(P["budget"][pidx], 2),
            "start_date": _iso(P["start"][pidx]),
            "end_date": _iso(P["end"][pidx]),
            "closed_at": np.where(close < T, _iso(np.minimum(close, T)), None),
        }
    )
    m_proj = np.where((m_proj >= 0) & pmask[np.maximum(m_proj, 0)], m_proj, -1)

    # invoices frame
    iall = np.lexsort((np.arange(In), I["issue"][:In]))
    inv_id = np.full(In, "", object)
    seq: dict[int, int] = {}
    ids = []
    for y in cal["year"][np.minimum(I["issue"][iall], T - 1)]:
        seq[int(y)] = seq.get(int(y), 0) + 1
        ids.append(f"RE-{int(y)}-{seq[int(y)]:05d}")
    inv_id[iall] = ids
    iord = iv[np.lexsort((iv, I["issue"][iv]))]
    paid = I["paid"][iord]
    disp = I["disp"][iord]
    invoices = pd.DataFrame(
        {
            "invoice_id": inv_id[iord],
            "client_id": cid[I["client"][iord]],
            "project_id": pid[I["proj"][iord]],
            "issued_at": _iso(I["issue"][iord]),
            "due_at": _iso(I["due"][iord]),
            "amount": np.round(I["amount"][iord], 2),
            "paid_at": np.where(paid < T, _iso(np.minimum(paid, T - 1)), None),
            "disputed_at": np.where((disp >= 0) & (disp < T), _iso(np.maximum(disp, 0)), None),
            "line_items": I["lines"][iord],
            "period_start": _iso(I["pstart"][iord]),
            "period_end": _iso(I["pend"][iord]),
            "currency": "EUR",
        }
    )

    # time entries frame, with the invoice that billed time-and-materials and retainer work
    torder = np.lexsort((te["role"], te_proj, te["day"]))
    for k in te:
        te[k] = te[k][torder]
    te_proj = te_proj[torder]
    tinv = np.full(te_proj.size, None, object)
    linkable = te["bill"].astype(bool) & (P["typ"][te_proj] != FF)
    it = iord[P["typ"][I["proj"][iord]] != FF]
    if it.size and linkable.any():
        left = pd.DataFrame(
            {
                "p": te_proj[linkable],
                "day": te["day"][linkable].astype(np.int64),
                "row": np.flatnonzero(linkable),
            }
        )
        right = pd.DataFrame(
            {
                "p": I["proj"][it],
                "day": I["pend"][it].astype(np.int64),
                "ps": I["pstart"][it],
                "inv": inv_id[it],
            }
        )
        left = left.sort_values("day", kind="stable")
        right = right.sort_values("day", kind="stable")
        mg = pd.merge_asof(left, right, on="day", by="p", direction="forward")
        good = mg["inv"].notna() & (mg["day"] >= mg["ps"])
        tinv[mg.loc[good, "row"].to_numpy()] = mg.loc[good, "inv"].to_numpy()
    time_entries = pd.DataFrame(
        {
            "entry_id": [f"TE{j + 1:08d}" for j in range(te_proj.size)],
            "project_id": pid[te_proj],
            "worked_on": _iso(te["day"].astype(np.int64)),
            "hours": np.round(te["hours"].astype(float), 2),
            "billable": np.where(te["bill"].astype(bool), "true", "false"),
            "amount": np.round(te["amount"].astype(float), 2),
            "person": [PERSONS[x] for x in te["person"].astype(np.int64)],
            "role": [ROLES[x] for x in te["role"].astype(np.int64)],
            "invoice_id": tinv,
        }
    )

    progress = pd.DataFrame(
        {
            "project_id": pid[pr["p"].to_numpy()],
            "reported_at": _iso(pr["day"].to_numpy()),
            "percent_complete": pr["pct"].to_numpy(),
            "milestone": np.where(
                pr["milestone"].to_numpy() == "", None, pr["milestone"].to_numpy()
            ),
        }
    )
    progress = progress[progress["project_id"] != ""]
    progress = progress.sort_values(["reported_at", "project_id"], kind="stable").drop_duplicates(
        ["project_id", "reported_at"], keep="first"
    )

    messages = _render_messages(
        m_client[mm], m_day[mm], m_cat[mm], m_proj[mm], m_param[mm], m_auth[mm], m_score[mm],
        res, cid, pid, inv_id, I, rng,
    )  # fmt: skip

    ch = keep_c[(churn_day[keep_c] >= BURN) & (churn_day[keep_c] < T)]
    reasons = []
    for c in ch:
        opts = REASONS[int(res["reason"][c])]
        reasons.append(opts[int(rng.integers(0, len(opts)))] if rng.random() < 0.6 else "")
    churn = pd.DataFrame(
        {"client_id": cid[ch], "churned_at": _iso(churn_day[ch]), "reason": reasons}
    )
    churn["reason"] = churn["reason"].replace("", None)
    churn = churn.sort_values(["churned_at", "client_id"], kind="stable")

    return {
        "clients": clients, "projects": projects, "progress": progress, "time_entries": time_entries,
        "invoices": invoices, "messages": messages, "churn": churn,
    }, keep_c  # fmt: skip


def _render_messages(
    client: np.ndarray, day: np.ndarray, cat: np.ndarray, proj: np.ndarray, param: np.ndarray,
    auth: np.ndarray, score: np.ndarray, res: dict[str, Any], cid: np.ndarray, pid: np.ndarray,
    inv_id: np.ndarray, inv_t: _Table, rng: np.random.Generator,
) -> pd.DataFrame:  # fmt: skip
    order = np.lexsort((cat, client, day))
    client, day, cat, proj, param, auth, score = (
        a[order] for a in (client, day, cat, proj, param, auth, score)
    )
    m = client.size
    de_c = res["de"][client]
    lang_de = de_c & ((rng.random(m) < 0.9) | (cat >= 20))
    u_var = rng.random(m)
    u_greet = rng.random(m)
    u_sign = rng.random(m)
    u_note = rng.random(m)
    u_cause = rng.random(m)
    hour = rng.integers(6, 18, m)
    minute = rng.integers(0, 60, m)
    u_fmt = rng.random(m)
    words = rng.integers(3, 120, m) * 100
    nsmall = rng.integers(2, 9, m)
    pct_r = rng.integers(8, 25, m)
    # channels
    chan = np.empty(m, np.int64)
    u_ch = rng.random(m)
    cum_in = np.cumsum(_CH_IN)
    cum_out = np.cumsum(np.array([0.7, 0.1, 0.05, 0.05, 0.0, 0.0, 0.1]))
    for cc in np.unique(cat):
        sel = cat == cc
        w = _CH_W.get(int(cc))
        cw = np.cumsum(w / w.sum()) if w is not None else (cum_in if cc < 20 else cum_out)
        chan[sel] = np.minimum(np.searchsorted(cw, u_ch[sel] * cw[-1], side="right"), 6)
    pnames = res["p_names"]
    P = res["P"]
    pair = res["pair"]
    dates = np.datetime_as_string(
        START - np.timedelta64(BURN, "D") + day.astype("timedelta64[D]"), unit="D"
    )
    month = res["cal"]["month"][day]
    texts: list[str] = []
    authors: list[str] = []
    stamps: list[str] = []
    dirs: list[str] = []
    for j in range(m):
        c = int(client[j])
        cc = int(cat[j])
        ld = bool(lang_de[j])
        inbound = cc < 20
        pj = int(proj[j])
        if inbound:
            sender = _contact(int(auth[j]), bool(de_c[j]))
        else:
            a = int(auth[j])
            sender = LEADS[a - 100] if a >= 100 else PMS[a]
        pm_name = PMS[int(P["pm"][pj])] if pj >= 0 else LEADS[int(res["lead"][c])]
        ch = CHANNELS[int(chan[j])]
        pj_name = (
            pnames[pj] if pj >= 0 else ("unser aktuelles Projekt" if ld else "our current project")
        )
        inv = (
            int(param[j])
            if cc in (IN_INVQ, IN_DISPUTE, OUT_INVOICE, OUT_REMINDER, OUT_DISPREPLY)
            else -1
        )
        if ch in ("call", "meeting"):
            nt = NOTES.get(cc)
            if nt is not None and u_note[j] < 0.75:
                lst = nt[1] if ld else nt[0]
                tpl = lst[int(u_var[j] * len(lst))]
            else:
                tpl = ""
        elif cc == IN_SURVEY:
            s = score[j]
            lst = SURVEY_COMMENTS[2 if s >= 9 else (1 if s >= 7 else 0)][1 if ld else 0]
            tpl = lst[int(u_var[j] * len(lst))] if u_note[j] < 0.4 else ""
        else:
            lst = TPL[cc][1 if ld else 0]
            tpl = lst[int(u_var[j] * len(lst))]
            if cc == IN_DISPUTE and u_note[j] < 0.8:
                # what the client writes fits what bothers it about the invoice
                w = np.exp(
                    [
                        1.9 * max(inv_t["surp"][inv], 0.0) * (inv_t["kind"][inv] == 0),
                        1.9 * max(inv_t["surp"][inv], 0.0) * (inv_t["kind"][inv] == 1),
                        2.0 * inv_t["rw"][inv],
                        2.0 * inv_t["qual"][inv],
                        0.3,
                    ]
                )
                cause = int(
                    np.searchsorted(np.cumsum(w) / w.sum(), u_cause[j] * 0.999999, side="right")
                )
                group = ([0, 3, 1], [1, 3, 4], [2], [5], [1, 4])[cause]
                tpl = lst[group[int(u_var[j] * len(group))]]
            if inbound and ch in ("email", "portal") and cc not in (IN_CURT, IN_SURVEY):
                g = (GREET_DE if ld else GREET_EN)[int(u_greet[j] * 4)]
                if u_sign[j] < 0.45:
                    sg = (SIGN_DE if ld else SIGN_EN)[int(u_sign[j] / 0.45 * 3) % 3]
                    tpl = g + tpl + sg
                else:
                    tpl = g + tpl
        if tpl:
            pair_s = (PAIRS_DE if de_c[j] else PAIRS_EN)[int(pair[c])]
            amt = amount_text(float(inv_t["amount"][inv]), "de" if ld else "en") if inv >= 0 else ""
            nn = int(nsmall[j])
            if cc == OUT_QUOTE and pj >= 0:
                amt = amount_text(float(P["budget"][pj]), "de" if ld else "en")
                nn = int(np.ceil(P["pwd"][pj]))
            pct = int(param[j]) if cc in (OUT_STATUS, OUT_PRICE, IN_PRICE) else int(pct_r[j])
            old = _contact(int(param[j]), bool(de_c[j])) if cc == IN_SPONSOR else ""
            text = tpl.format(
                proj=pj_name, inv=inv_id[inv] if inv >= 0 else "", amt=amt, words=f"{int(words[j]):,}".replace(",", "." if ld else ","),
                pair=pair_s, n=nn, pct=pct, old=old, sender=sender.split(" ")[0], pm=pm_name.split(" ")[0],
            )  # fmt: skip
        else:
            text = ""
        texts.append(text)
        authors.append(sender)
        dirs.append("inbound" if inbound else "outbound")
        h = int(hour[j])
        mi = int(minute[j])
        if u_fmt[j] < 0.6:
            stamps.append(f"{dates[j]}T{h:02d}:{mi:02d}:00Z")
        elif u_fmt[j] < 0.85:
            stamps.append(f"{dates[j]} {h:02d}:{mi:02d}")
        else:
            off = (
                (2 if 4 <= month[j] <= 10 else 1) if de_c[j] else (1 if 4 <= month[j] <= 10 else 0)
            )
            stamps.append(f"{dates[j]}T{h + off:02d}:{mi:02d}:00+{off:02d}:00")
    out = pd.DataFrame(
        {
            "message_id": [f"MSG-{j + 1:07d}" for j in range(m)],
            "client_id": cid[client],
            "project_id": np.where(proj >= 0, pid[np.maximum(proj, 0)], None),
            "sent_at": stamps,
            "channel": [CHANNELS[x] for x in chan],
            "direction": dirs,
            "text": texts,
            "author": authors,
            "score": np.where(cat == IN_SURVEY, score, np.nan),
        }
    )
    out["project_id"] = out["project_id"].replace("", None)
    return out


# --------------------------------------------------------------------------- public API


def make_bundle(out: pathlib.Path, clients: int = 1000, months: int = 24, seed: int = 0) -> None:
    """Write a complete export bundle for the simulated translation bureau to ``out``."""
    res = _simulate(clients, months, seed, record=False)
    tables, _ = _tables(res)
    write_bundle(tables, pathlib.Path(out))


def risk_oracle(
    out: pathlib.Path, clients: int = 1000, months: int = 24, seed: int = 0
) -> pd.DataFrame:
    """Write the same bundle as ``make_bundle`` and return the generator's point-in-time risk.

    One row per client and day from the later of the export start and ``client_since`` up to
    the day before its churn (or the end of the window): ``dispute_risk`` is the probability
    of a dispute in the next 30 days, ``churn_risk`` that of churn in the next 90 days, both
    from the hidden state of that day.
    """
    res = _simulate(clients, months, seed, record=True)
    tables, keep_c = _tables(res)
    write_bundle(tables, pathlib.Path(out))
    od = res["orc_d"][:, keep_c]
    oc = res["orc_c"][:, keep_c]
    ids = tables["clients"]["client_id"].to_numpy()
    tt, cc = np.nonzero(~np.isnan(od))
    days = START + tt.astype("timedelta64[D]")
    frame = pd.DataFrame(
        {
            "client_id": ids[cc].astype(str),
            "day": days.astype("datetime64[ns]"),
            "dispute_risk": od[tt, cc].astype(float),
            "churn_risk": oc[tt, cc].astype(float),
        }
    )
    return frame.sort_values(["client_id", "day"], kind="stable").reset_index(drop=True)


if __name__ == "__main__":
    main(make_bundle, __doc__)
