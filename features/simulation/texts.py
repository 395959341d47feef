"""Wording for the demo simulator's messages, in English and German.

A message is composed from an optional opener, a core sentence for its topic
and an optional closer, with slots filled from the account (the deliverable, an
invoice number, a month, a first name). Each topic has many cores, some with
negation or intensifiers, so no single phrase identifies a topic and a
sentiment scorer meets the kind of variety real client mail has.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

# Topic codes, shared with the simulator's ground truth.
PRAISE = "praise"
NEUTRAL = "neutral"
DELAY = "complaint_delay"
QUALITY = "complaint_quality"
BILLING_QUESTION = "billing_question"
NEW_CONTACT = "new_contact"
DISPUTE = "dispute"
SURVEY_GOOD = "survey_good"
SURVEY_MIXED = "survey_mixed"
SURVEY_BAD = "survey_bad"
STATUS = "status_update"
INVOICE_SENT = "invoice_sent"
REPLY = "reply"
BILLING_ANSWER = "billing_answer"

INBOUND_TOPICS = (
    PRAISE,
    NEUTRAL,
    DELAY,
    QUALITY,
    BILLING_QUESTION,
    NEW_CONTACT,
    DISPUTE,
    SURVEY_GOOD,
    SURVEY_MIXED,
    SURVEY_BAD,
)

_OPENERS = {
    "en": [
        "",
        "",
        "Hi {name}, ",
        "Hello {name}, ",
        "Hi team, ",
        "Dear {name}, ",
        "Quick note: ",
        "Morning {name}, ",
        "Following up: ",
    ],
    "de": [
        "",
        "",
        "Hallo {name}, ",
        "Hallo zusammen, ",
        "Guten Morgen {name}, ",
        "Kurze Rückmeldung: ",
        "Sehr geehrte Damen und Herren, ",
    ],
}
_CLOSERS = {
    "en": [
        "",
        "",
        " Thanks.",
        " Best regards.",
        " Cheers.",
        " Thanks in advance.",
        " Let me know.",
        " Speak soon.",
    ],
    "de": [
        "",
        "",
        " Danke.",
        " Viele Grüße.",
        " Beste Grüße.",
        " Vielen Dank vorab.",
        " Bis bald.",
        " Gruß.",
    ],
}

_CORES: dict[str, dict[str, list[str]]] = {
    PRAISE: {
        "en": [
            "Great work on {thing}, the team is really happy with it.",
            "The demo of {thing} went very well, everyone was impressed.",
            "We are very pleased with how {thing} is coming along.",
            "Thanks for the quick turnaround, that was excellent.",
            "Really appreciate the effort on {thing}. Well done!",
            "The new version of {thing} looks fantastic.",
            "Our board loved the results from {thing}, thank you!",
            "Smooth launch yesterday, good job everyone.",
            'Nice job on {thing}, we\'re "very" pleased.',
            "This is exactly what we needed, brilliant work.",
            "{thing} is a big step forward for us. Thank you for the great collaboration.",
            "Happy with the progress so far, keep it up.",
        ],
        "de": [
            "Super Arbeit im Projekt {thing}, das Team ist sehr zufrieden.",
            "Die Präsentation zum Projekt {thing} kam hervorragend an.",
            "Wir sind mit dem Fortschritt im Projekt {thing} sehr zufrieden.",
            "Danke für die schnelle Umsetzung, das war ausgezeichnet.",
            "Vielen Dank für den tollen Einsatz im Projekt {thing}!",
            "Die neue Version vom Projekt {thing} gefällt uns sehr gut.",
            "Unsere Geschäftsführung ist begeistert von den Ergebnissen.",
            "Der Go-live lief reibungslos, großartige Arbeit.",
            "Genau das haben wir gebraucht, wirklich klasse.",
            "Das Projekt {thing} bringt uns einen großen Schritt weiter. Danke für die gute Zusammenarbeit.",
            "Bisher läuft alles prima, weiter so.",
            "Sehr gute Qualität, wir freuen uns auf die nächste Phase.",
        ],
    },
    NEUTRAL: {
        "en": [
            "Noted, thanks.",
            "Can we move the weekly call for {thing} to Thursday?",
            "Please send the agenda for the steering meeting.",
            "Attached are the comments from our side on {thing}.",
            "Who is our contact while {name} is on holiday?",
            "We will review the draft of {thing} and come back to you next week.",
            "Could you share the access details for the test system?",
            "Received, we will look at it.",
            "FYI, our IT team will join the next session on {thing}.",
            "Is the workshop on {month} 12 still on?",
            "Please add our new colleague to the distribution list.",
            "Ok, let's discuss {thing} in the next meeting.",
            "We need the documentation for {thing} by end of {month}.",
        ],
        "de": [
            "Notiert, danke.",
            "Können wir den Jour fixe zum Projekt {thing} auf Donnerstag verschieben?",
            "Bitte schicken Sie uns die Agenda für den Lenkungskreis.",
            "Anbei unsere Anmerkungen zum Projekt {thing}.",
            "Wer ist unser Ansprechpartner, während {name} im Urlaub ist?",
            "Wir prüfen den Entwurf für das Projekt {thing} und melden uns nächste Woche.",
            "Könnten Sie uns die Zugangsdaten für das Testsystem schicken?",
            "Erhalten, wir schauen es uns an.",
            "Zur Info: unsere IT nimmt am nächsten Termin zum Projekt {thing} teil.",
            "Findet der Workshop am 12. {month} wie geplant statt?",
            "Bitte nehmen Sie unsere neue Kollegin in den Verteiler auf.",
            "Ok, lassen Sie uns {thing} im nächsten Termin besprechen.",
            "Wir brauchen die Dokumentation zum Projekt {thing} bis Ende {month}.",
        ],
    },
    DELAY: {
        "en": [
            "{thing} is late again and we are not happy about it.",
            "We were promised {thing} by {month} and it is still not delivered.",
            "The timeline keeps slipping, this is becoming a real problem for us.",
            "Honestly, we are very disappointed with the pace on {thing}.",
            "Another missed deadline. What is going on with {thing}?",
            "We cannot keep waiting, our own launch depends on {thing}.",
            "Progress on {thing} is far too slow.",
            "Still no update on {thing}? This is frustrating.",
            "The delays are unacceptable and our management is asking questions.",
            "We don't see the progress we were told about.",
        ],
        "de": [
            "Das Projekt {thing} ist schon wieder verspätet und wir sind nicht zufrieden.",
            "Uns wurde das Projekt {thing} für {month} zugesagt und es ist immer noch nicht geliefert.",
            "Der Zeitplan verschiebt sich ständig, das wird für uns zum echten Problem.",
            "Ehrlich gesagt sind wir sehr enttäuscht vom Tempo im Projekt {thing}.",
            "Schon wieder ein verpasster Termin. Was ist los im Projekt {thing}?",
            "Wir können nicht länger warten, unser eigener Start hängt am Projekt {thing}.",
            "Der Fortschritt im Projekt {thing} ist viel zu langsam.",
            "Immer noch kein Stand zum Projekt {thing}? Das ist ärgerlich.",
            "Die Verzögerungen sind inakzeptabel, unsere Geschäftsführung fragt schon nach.",
            "Wir sehen den Fortschritt nicht, von dem uns berichtet wurde.",
        ],
    },
    QUALITY: {
        "en": [
            "The latest delivery of {thing} has too many bugs.",
            "Quality is poor, we found several errors in {thing}.",
            "This is not what we agreed on, the result does not work for us.",
            "We are not satisfied with the quality of {thing} at all.",
            "The report was full of mistakes, very disappointing.",
            "Testing {thing} was a disaster, half of it is broken.",
            "We expected much better work than this.",
            "The latest release broke our reporting, this is a serious issue.",
            "{thing} still doesn't work properly, we are losing patience.",
        ],
        "de": [
            "Die letzte Lieferung zum Projekt {thing} hat zu viele Fehler.",
            "Die Qualität ist schlecht, wir haben mehrere Fehler im Projekt {thing} gefunden.",
            "Das ist nicht das, was wir vereinbart haben, so funktioniert es für uns nicht.",
            "Mit der Qualität im Projekt {thing} sind wir überhaupt nicht zufrieden.",
            "Der Bericht war voller Fehler, sehr enttäuschend.",
            "Der Test im Projekt {thing} war eine Katastrophe, die Hälfte ist kaputt.",
            "Wir haben deutlich bessere Arbeit erwartet.",
            "Das letzte Release hat unser Reporting beschädigt, ein ernstes Problem.",
            "Das Projekt {thing} funktioniert immer noch nicht richtig, unsere Geduld ist am Ende.",
        ],
    },
    BILLING_QUESTION: {
        "en": [
            "Can you explain the hours on invoice {invoice}?",
            "We don't understand invoice {invoice}, what exactly are these charges for?",
            "The amount on {invoice} is much higher than we expected. Can you break it down?",
            "Why were we billed for {hours} hours in {month}? That seems like a lot.",
            "Could you send us a breakdown of the time billed for {thing}?",
            "Our finance team has questions about the last invoice.",
            "What are we actually paying for on {invoice}?",
            "The invoice lists consulting days we can't match to any deliverable.",
            "I'm struggling to reconcile {invoice} with the progress we have seen.",
            "Before we approve {invoice}: which work does it cover?",
            "Is the charge of {amount} on the last invoice correct?",
        ],
        "de": [
            "Können Sie die Stunden auf Rechnung {invoice} erklären?",
            "Wir verstehen die Rechnung {invoice} nicht, wofür genau sind diese Positionen?",
            "Der Betrag auf {invoice} ist deutlich höher als erwartet. Bitte schlüsseln Sie ihn auf.",
            "Warum wurden im {month} {hours} Stunden berechnet? Das erscheint uns viel.",
            "Könnten Sie uns eine Aufstellung der abgerechneten Zeiten für das Projekt {thing} schicken?",
            "Unsere Buchhaltung hat Rückfragen zur letzten Rechnung.",
            "Wofür bezahlen wir bei {invoice} eigentlich?",
            "Auf der Rechnung stehen Beratertage, die wir keinem Ergebnis zuordnen können.",
            "Ich kann {invoice} nicht mit dem Fortschritt abgleichen, den wir sehen.",
            "Bevor wir {invoice} freigeben: welche Leistungen sind darin enthalten?",
            "Stimmt die Position über {amount} auf der letzten Rechnung?",
        ],
    },
    NEW_CONTACT: {
        "en": [
            "I have taken over this account from my colleague. Could you walk me through what "
            "we are paying for?",
            "I'm the new head of operations here. Can we set up a call to review the scope and "
            "the costs of {thing}?",
            "As the new budget owner I need to understand the current invoices and what they "
            "cover.",
            "I've just joined and I'm reviewing all our vendors. What exactly does your team "
            "deliver for us?",
        ],
        "de": [
            "Ich habe die Betreuung von meinem Kollegen übernommen. Können Sie mir erklären, "
            "wofür wir bezahlen?",
            "Ich bin die neue Bereichsleiterin. Können wir Umfang und Kosten vom Projekt {thing} "
            "durchgehen?",
            "Als neuer Budgetverantwortlicher muss ich die aktuellen Rechnungen nachvollziehen "
            "können.",
            "Ich bin neu im Unternehmen und prüfe alle Dienstleister. Was genau leistet Ihr "
            "Team für uns?",
        ],
    },
    DISPUTE: {
        "en": [
            "We dispute invoice {invoice} and will not pay it until it is corrected.",
            "Invoice {invoice} does not reflect the work delivered; we are putting payment on "
            "hold.",
            "We reject the charges on {invoice}. Please issue a credit note.",
        ],
        "de": [
            "Wir widersprechen der Rechnung {invoice} und zahlen erst nach Korrektur.",
            "Die Rechnung {invoice} entspricht nicht der erbrachten Leistung; wir halten die "
            "Zahlung zurück.",
            "Die Positionen auf {invoice} erkennen wir nicht an. Bitte stellen Sie eine "
            "Gutschrift aus.",
        ],
    },
    SURVEY_GOOD: {
        "en": [
            "",
            "",
            "Very good collaboration.",
            "Great team, very responsive.",
            "Excellent work this quarter.",
            "Happy overall.",
        ],
        "de": [
            "",
            "",
            "Sehr gute Zusammenarbeit.",
            "Tolles Team, sehr schnell.",
            "Hervorragende Arbeit in diesem Quartal.",
            "Insgesamt zufrieden.",
        ],
    },
    SURVEY_MIXED: {
        "en": [
            "",
            "",
            "ok",
            "Would like clearer reports.",
            "Good people, but communication could be better.",
            "Fine, nothing special.",
        ],
        "de": [
            "",
            "",
            "ok",
            "Wir wünschen uns klarere Berichte.",
            "Gute Leute, aber die Kommunikation könnte besser sein.",
            "Passt, nichts Besonderes.",
        ],
    },
    SURVEY_BAD: {
        "en": [
            "",
            "Not happy with the value for money.",
            "Too expensive for what we get.",
            "Deadlines are missed far too often.",
            "Poor communication, unclear invoices.",
        ],
        "de": [
            "",
            "Preis-Leistung stimmt nicht.",
            "Zu teuer für das, was wir bekommen.",
            "Termine werden viel zu oft verpasst.",
            "Schlechte Kommunikation, unklare Rechnungen.",
        ],
    },
    STATUS: {
        "en": [
            "Weekly status for {thing}: on track, next milestone in two weeks.",
            "Update on {thing}: testing has started, details attached.",
            "Status: {thing} is progressing, two open risks listed in the report.",
            "Sharing this week's progress report for {thing}.",
            "We completed the design review for {thing} today.",
        ],
        "de": [
            "Wochenstatus Projekt {thing}: im Plan, nächster Meilenstein in zwei Wochen.",
            "Update zum Projekt {thing}: die Tests haben begonnen, Details im Anhang.",
            "Status: Projekt {thing} läuft, zwei offene Risiken im Bericht.",
            "Anbei der Fortschrittsbericht dieser Woche zum Projekt {thing}.",
            "Heute haben wir das Design-Review im Projekt {thing} abgeschlossen.",
        ],
    },
    INVOICE_SENT: {
        "en": [
            "Please find attached invoice {invoice} for {month}.",
            "Invoice {invoice} for the work in {month} is attached.",
        ],
        "de": [
            "Anbei erhalten Sie die Rechnung {invoice} für {month}.",
            "Die Rechnung {invoice} für die Leistungen im {month} finden Sie im Anhang.",
        ],
    },
    REPLY: {
        "en": [
            "Thanks for your message, we will get back to you shortly.",
            "Thanks, noted. We'll include it in the next sprint.",
            "Understood, I'll call you tomorrow to discuss.",
            "Thank you, I have shared this with the team.",
        ],
        "de": [
            "Danke für Ihre Nachricht, wir melden uns in Kürze.",
            "Danke, notiert. Wir nehmen es in den nächsten Sprint auf.",
            "Verstanden, ich rufe Sie morgen an.",
            "Vielen Dank, ich habe es an das Team weitergegeben.",
        ],
    },
    BILLING_ANSWER: {
        "en": [
            "Here is the breakdown of {invoice} by person and week.",
            "Happy to walk you through {invoice}; the time sheets are attached.",
            "The hours on {invoice} cover the integration work in {month}, details attached.",
        ],
        "de": [
            "Anbei die Aufschlüsselung von {invoice} nach Person und Woche.",
            "Gerne erläutern wir {invoice}; die Stundenzettel sind im Anhang.",
            "Die Stunden auf {invoice} betreffen die Integrationsarbeiten im {month}, Details "
            "im Anhang.",
        ],
    },
}

MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "de": [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
}

DELIVERABLES = {
    "en": [
        "the data migration",
        "the CRM rollout",
        "the reporting module",
        "the website relaunch",
        "the integration",
        "the mobile app",
        "the ERP upgrade",
        "the dashboard",
        "the security audit",
        "the cloud migration",
        "the onboarding portal",
        "the API",
    ],
    # German cores say "im Projekt {thing}", so the deliverable needs no article.
    "de": [
        "Datenmigration",
        "CRM-Einführung",
        "Reporting",
        "Website-Relaunch",
        "Schnittstelle",
        "Mobile App",
        "ERP-Upgrade",
        "Dashboard",
        "Sicherheitsaudit",
        "Cloud-Migration",
        "Kundenportal",
        "API-Plattform",
    ],
}

FIRST_NAMES = {
    "en": [
        "James",
        "Mary",
        "Robert",
        "Linda",
        "Michael",
        "Sarah",
        "David",
        "Emily",
        "Chris",
        "Dana",
        "Kim",
        "Alex",
        "Olivia",
        "Noah",
        "Grace",
        "Ethan",
    ],
    "de": [
        "Anna",
        "Lukas",
        "Julia",
        "Felix",
        "Sophie",
        "Jonas",
        "Lena",
        "Paul",
        "Marie",
        "Ben",
        "Laura",
        "Tobias",
        "Katrin",
        "Stefan",
        "Ines",
        "Jan",
    ],
}
LAST_NAMES = {
    "en": [
        "Smith",
        "Johnson",
        "Brown",
        "Taylor",
        "Miller",
        "Wilson",
        "Moore",
        "Clark",
        "Walker",
        "Hall",
        "Young",
        "King",
    ],
    "de": [
        "Müller",
        "Schmidt",
        "Schneider",
        "Fischer",
        "Weber",
        "Meyer",
        "Wagner",
        "Becker",
        "Schulz",
        "Hoffmann",
        "Koch",
        "Richter",
    ],
}


def compose(
    topics: Sequence[str],
    languages: Sequence[str],
    slots: dict[str, Sequence[str]],
    rng: np.random.Generator,
) -> list[str]:
    """One text per message: opener + core for its topic + closer, slots filled.

    ``slots`` holds one value per message for each of ``thing``, ``invoice``,
    ``month``, ``name``, ``hours`` and ``amount``.
    """
    n = len(topics)
    picks = rng.random((n, 3))
    out: list[str] = []
    for i in range(n):
        topic, lang = topics[i], languages[i]
        cores = _CORES[topic][lang]
        core = cores[int(picks[i, 0] * len(cores))]
        if topic.startswith("survey") or (
            topic == NEUTRAL and core.startswith(("Noted", "Notiert"))
        ):
            text = core
        else:
            openers, closers = _OPENERS[lang], _CLOSERS[lang]
            opener = openers[int(picks[i, 1] * len(openers))]
            if opener.endswith(", ") and lang == "en" and core[1:2].islower():
                core = core[0].lower() + core[1:]  # "Hi Sam, the demo..." (German nouns keep case)
            text = opener + core + closers[int(picks[i, 2] * len(closers))]
        if "{" in text:
            thing = slots["thing"][i]
            if text.startswith("{thing}") or ". {thing}" in text:
                thing = thing[:1].upper() + thing[1:]
            text = text.format(
                thing=thing,
                invoice=slots["invoice"][i],
                month=slots["month"][i],
                name=slots["name"][i],
                hours=slots["hours"][i],
                amount=slots["amount"][i],
            )
        if text and text[0].islower():
            text = text[0].upper() + text[1:]
        out.append(text)
    return out
