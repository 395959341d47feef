# ruff: noqa: E501, E741, N802, N806
"""Fifth benchmark firm: an engineering and architecture consultancy with English and German clients.

Writes an export bundle (see shared/DATA_CONTRACT.md) and, on request, the
generator's own point-in-time risk for every client and day (``risk_oracle``).

    python -m tests.bench.firms.fifth OUT --clients N --months M --seed S
"""

from __future__ import annotations

import pathlib

import numpy as np
import pandas as pd

from tests.bench.firms.toolkit import (
    MONTH_NAMES,
    UMLAUTS,
    WORKDAY_NAMES,
    amount_text,
    date_text,
    main,
    sigmoid,
    weekday,
    write_bundle,
)

FIRM = "Brandt & Okafor Ingenieure"
DOMAIN = "brandt-okafor.example"
END = np.datetime64("2026-03-01")  # export day (exclusive)
BURN = 150  # days simulated before the export window opens

# ----------------------------------------------------------------------------
# names
EN_PLACES = [
    "Ashford",
    "Harlow",
    "Redditch",
    "Kettering",
    "Bracknell",
    "Stockport",
    "Telford",
    "Dunstable",
    "Yeovil",
    "Crawley",
    "Woking",
    "Basildon",
    "Chester",
    "Durham",
    "Bolton",
    "Exeter",
    "Swindon",
    "Luton",
    "Carlisle",
    "Hereford",
    "Barnsley",
    "Reading",
    "Margate",
    "Ipswich",
    "Wigan",
    "Falkirk",
    "Newry",
    "Cardiff",
    "Galway",
    "Leeds",
]
DE_PLACES = [
    "Neuhausen",
    "Bielefeld",
    "Oberau",
    "Kirchheim",
    "Ludwigsburg",
    "Hameln",
    "Weiden",
    "Fulda",
    "Rosenheim",
    "Gießen",
    "Lüneburg",
    "Ingolstadt",
    "Passau",
    "Siegen",
    "Bamberg",
    "Göppingen",
    "Herford",
    "Unna",
    "Kempten",
    "Lörrach",
    "Wetzlar",
    "Celle",
    "Erding",
    "Landshut",
    "Offenburg",
    "Bautzen",
    "Görlitz",
    "Jena",
    "Worms",
    "Hanau",
]
EN_SUR = [
    "Ashworth",
    "Bennett",
    "Carter",
    "Doyle",
    "Ellis",
    "Fletcher",
    "Grant",
    "Hughes",
    "Irving",
    "Jennings",
    "Kerr",
    "Lawson",
    "Mitchell",
    "Norris",
    "Osborne",
    "Patel",
    "Quinn",
    "Reid",
    "Shaw",
    "Turner",
    "Underwood",
    "Vaughan",
    "Walsh",
    "Young",
    "Nguyen",
    "Kowalski",
    "Singh",
    "O'Brien",
    "Adeyemi",
    "Murphy",
]
DE_SUR = [
    "Becker",
    "Fischer",
    "Hoffmann",
    "Krüger",
    "Lehmann",
    "Maier",
    "Neumann",
    "Richter",
    "Schäfer",
    "Schulz",
    "Vogel",
    "Wagner",
    "Weber",
    "Zimmermann",
    "Hartmann",
    "Brandl",
    "Kaya",
    "Yılmaz",
    "Nowak",
    "Öztürk",
    "Lorenz",
    "Keller",
    "Seidel",
    "Franke",
    "Huber",
    "Graf",
    "Wolf",
    "Böhm",
    "Kühn",
    "Jäger",
]
EN_FIRST = [
    ("James", "m"),
    ("Olivia", "f"),
    ("Sam", "m"),
    ("Priya", "f"),
    ("Tom", "m"),
    ("Hannah", "f"),
    ("David", "m"),
    ("Grace", "f"),
    ("Ben", "m"),
    ("Chloe", "f"),
    ("Marcus", "m"),
    ("Aisha", "f"),
    ("Rob", "m"),
    ("Emma", "f"),
    ("Liam", "m"),
    ("Zoe", "f"),
    ("Daniel", "m"),
    ("Ruth", "f"),
    ("Kwame", "m"),
    ("Fiona", "f"),
    ("Gareth", "m"),
    ("Niamh", "f"),
    ("Raj", "m"),
    ("Megan", "f"),
]
DE_FIRST = [
    ("Anna", "f"),
    ("Thomas", "m"),
    ("Julia", "f"),
    ("Stefan", "m"),
    ("Katrin", "f"),
    ("Michael", "m"),
    ("Sabine", "f"),
    ("Jens", "m"),
    ("Laura", "f"),
    ("Markus", "m"),
    ("Petra", "f"),
    ("Tobias", "m"),
    ("Miriam", "f"),
    ("Florian", "m"),
    ("Ayşe", "f"),
    ("Jörg", "m"),
    ("Claudia", "f"),
    ("Uwe", "m"),
    ("Lena", "f"),
    ("Dirk", "m"),
    ("Birgit", "f"),
    ("Holger", "m"),
    ("Ines", "f"),
    ("Kai", "m"),
]

INDUSTRIES = [
    "Real estate development",
    "Public sector",
    "Manufacturing",
    "Healthcare",
    "Higher education",
    "Retail",
    "Logistics",
    "Energy & utilities",
    "Hospitality",
]
IND_P_EN = [0.22, 0.14, 0.14, 0.09, 0.09, 0.08, 0.10, 0.07, 0.07]
IND_P_DE = [0.18, 0.24, 0.17, 0.09, 0.07, 0.05, 0.09, 0.07, 0.04]
PUBLIC = 1

CLIENT_NAME = {
    "en": [
        ["{S} Developments Ltd", "{P} Estates plc", "{S} & {S2} Property Group", "{P} Living Ltd"],
        ["{P} Borough Council", "{P} County Council", "City of {P}", "{P} Fire and Rescue Service"],
        ["{S} Precision Ltd", "{P} Components Inc.", "{S} Engineering Works", "{S} Plastics Ltd"],
        ["{P} Health Partners", "{P} Hospitals NHS Trust", "{S} Care Homes Ltd"],
        ["University of {P}", "{P} Academy Trust", "{P} College"],
        ["{S} & Co Stores", "{S} Retail Group", "{P} Outlet Centre Ltd"],
        ["{P} Freight Ltd", "{S} Logistics plc", "{S} Distribution Ltd"],
        ["{P} Energy Ltd", "{P} Water plc", "{S} Renewables Ltd"],
        ["{S} Hotels Ltd", "{P} Leisure Ltd", "The {S} Hotel Group"],
    ],
    "de": [
        [
            "{S} Projektentwicklung GmbH",
            "Wohnbau {P} GmbH",
            "{S} & {S2} Immobilien GmbH & Co. KG",
            "{S} Bauträger GmbH",
        ],
        [
            "Stadt {P}",
            "Gemeinde {P}",
            "Landkreis {P}",
            "Stadtwerke {P}",
            "Zweckverband Abwasser {P}",
        ],
        [
            "{S} Maschinenbau GmbH",
            "{S} Metallwerke AG",
            "{S} Kunststofftechnik GmbH",
            "{S} Antriebstechnik GmbH",
        ],
        ["Klinikum {P}", "{P} Kliniken gGmbH", "Seniorenresidenz {S} GmbH"],
        ["Hochschule {P}", "Universität {P}", "Studierendenwerk {P}"],
        ["{S} Handels GmbH", "{S} Warenhaus KG", "Einkaufszentrum {P} GmbH"],
        ["{S} Logistik GmbH & Co. KG", "Spedition {S} GmbH", "{P} Logistikpark GmbH"],
        ["Energieversorgung {P} AG", "{S} Solar GmbH", "Netzgesellschaft {P} mbH"],
        ["Hotel {S} GmbH", "{S} Hotelbetriebe GmbH", "Kurhaus {P} GmbH"],
    ],
}

EN_SITES = [
    "Riverside Campus",
    "Harbour Point",
    "Northgate Depot",
    "Elm Street Clinic",
    "Kingsway Offices",
    "Mill Lane Lofts",
    "Westfield School",
    "Canal Wharf",
    "Station Quarter",
    "Orchard Park",
    "Bridge Road Lab",
    "Victoria Yard",
    "Hillside Care Home",
    "Eastbank Warehouse",
    "Meadow View Housing",
    "Market Hall",
    "Old Brewery",
    "Foundry Court",
    "Park Road Library",
    "Link Building",
    "Sports Centre",
    "Depot 3",
    "Cold Store",
    "Science Block",
    "Town Hall Annex",
    "Pumping Station",
    "Car Park B",
    "Ward Block",
    "Innovation Hub",
    "Student Residences",
]
DE_SITES = [
    "Quartier am Hafen",
    "Logistikzentrum Nord",
    "Klinikum Haus C",
    "Grundschule Lindenweg",
    "Bürohaus Kaiserstraße",
    "Werkhalle 4",
    "Rathaus",
    "Campus Ost",
    "Wohnanlage Am Mühlbach",
    "Parkhaus Bahnhof",
    "Technikum",
    "Feuerwache Süd",
    "Hochregallager",
    "Sporthalle Am Ring",
    "Seniorenzentrum Talblick",
    "Kita Sonnenhof",
    "Verwaltungsgebäude",
    "Lagerhalle West",
    "Kühlhaus",
    "Laborgebäude",
    "Stadtbibliothek",
    "Hallenbad",
    "Kläranlage",
    "Mensa",
    "Bettenhaus",
    "Gewerbehof",
    "Alte Spinnerei",
    "Busdepot",
    "Schulzentrum",
    "Wohnheim",
]

# key, en, de, billing (0 fixed fee, 1 T&M, 2 retainer), budget lo/hi, duration lo/hi (days), incident factor, change factor, milestone set
PTYPES = [
    ("feas", "Feasibility study", "Machbarkeitsstudie", 0, 12e3, 60e3, 50, 130, 0.6, 0.8, 1),
    ("struct", "Structural design", "Tragwerksplanung", 0, 40e3, 420e3, 120, 380, 1.25, 1.2, 0),
    ("mep", "Building services design", "TGA-Planung", 0, 50e3, 380e3, 140, 380, 1.3, 1.3, 0),
    ("permit", "Permit planning", "Genehmigungsplanung", 0, 15e3, 90e3, 60, 180, 1.1, 0.9, 1),
    ("fire", "Fire safety concept", "Brandschutzkonzept", 0, 9e3, 55e3, 40, 120, 1.0, 0.7, 2),
    ("energy", "Energy audit", "Energieaudit", 0, 6e3, 28e3, 25, 70, 0.5, 0.4, 2),
    ("super", "Site supervision", "Bauüberwachung", 1, 30e3, 260e3, 120, 480, 0.9, 1.0, -1),
    (
        "survey",
        "Condition survey and retrofit design",
        "Bestandsaufnahme und Sanierungsplanung",
        1,
        18e3,
        200e3,
        80,
        300,
        1.0,
        1.3,
        -1,
    ),
    ("bim", "BIM coordination", "BIM-Koordination", 1, 25e3, 160e3, 120, 360, 0.8, 1.1, -1),
    ("expert", "Expert opinion", "Gutachten", 1, 5e3, 30e3, 20, 70, 0.6, 0.5, -1),
    (
        "frame",
        "Framework agreement engineering services",
        "Rahmenvertrag Ingenieurleistungen",
        2,
        80e3,
        700e3,
        730,
        1095,
        0.5,
        0.0,
        -1,
    ),
]
NT = len(PTYPES)
RETAINER_T = NT - 1
# project-type weights per industry (last type, the framework, is handled apart)
TYPE_W = np.array(
    [
        [3, 8, 6, 6, 3, 1, 6, 2, 4, 1],
        [3, 3, 3, 4, 4, 4, 3, 5, 1, 3],
        [2, 6, 5, 2, 3, 3, 3, 4, 2, 3],
        [2, 4, 6, 3, 4, 2, 3, 4, 3, 2],
        [3, 3, 5, 3, 4, 3, 3, 4, 3, 2],
        [3, 4, 4, 3, 3, 2, 3, 4, 1, 2],
        [3, 6, 3, 4, 3, 2, 5, 2, 2, 2],
        [3, 5, 3, 3, 2, 3, 4, 3, 2, 3],
        [2, 4, 5, 3, 4, 2, 3, 5, 1, 2],
    ],
    dtype=float,
)
TYPE_W /= TYPE_W.sum(1, keepdims=True)
MILESTONES = [
    (
        [15, 35, 60, 85, 100],
        [
            "Concept design issued",
            "Design development issued",
            "Permit drawings submitted",
            "Construction drawings issued",
            "Final documentation handed over",
        ],
        [
            "LP 2 Vorplanung abgeschlossen",
            "LP 3 Entwurfsplanung abgeschlossen",
            "LP 4 Genehmigungsplanung eingereicht",
            "LP 5 Ausführungsplanung übergeben",
            "Dokumentation übergeben",
        ],
    ),
    (
        [50, 100],
        ["Draft report issued", "Final report issued"],
        ["Berichtsentwurf übergeben", "Endbericht übergeben"],
    ),
    ([100], ["Report delivered"], ["Bericht übergeben"]),
]

ROLES = [  # en, de, rate
    ("Partner", "Partner", 215.0),
    ("Senior Engineer", "Senior-Ingenieur", 168.0),
    ("Project Engineer", "Projektingenieur", 138.0),
    ("BIM Coordinator", "BIM-Koordinator", 128.0),
    ("CAD Technician", "Bauzeichner", 96.0),
    ("Site Supervisor", "Bauleiter", 118.0),
    ("Energy Consultant", "Energieberater", 132.0),
    ("Working Student", "Werkstudent", 62.0),
]
ROLE_P = [0.04, 0.18, 0.3, 0.1, 0.18, 0.1, 0.06, 0.04]


TOPICS = {
    "en": [
        "the load assumptions for the mezzanine",
        "the fire compartment boundaries on level 2",
        "the duct routing above the corridor",
        "the rebar detailing at grid line C",
        "the thermal bridge at the balcony connection",
        "the sprinkler tank location",
        "the façade anchor spacing",
        "the ground investigation results",
        "the escape route widths",
        "the U-values in the energy model",
        "the crane base foundation",
        "the roof drainage calculation",
        "the slab penetrations for the risers",
        "the steel connection at the atrium",
        "the ventilation rates for the lab",
        "the heat pump sizing",
        "the PV load on the roof",
        "the smoke extraction in the stair core",
        "the transfer beam over the entrance",
        "the cold bridge details at the parapet",
        "the sizing of the sewage lifting station",
        "the vibration criteria for the clean room",
        "the acoustic separation between units",
        'the "Option B" layout',
        "the lift shaft dimensions",
        "the basement waterproofing",
        "the cable tray coordination",
        "the sprinkler head spacing in the warehouse",
    ],
    "de": [
        "die Lastannahmen für die Zwischendecke",
        "die Brandabschnitte im 2. OG",
        "die Leitungsführung über dem Flur",
        "die Bewehrung in Achse C",
        "die Wärmebrücke am Balkonanschluss",
        "den Standort des Sprinklertanks",
        "die Verankerung der Fassade",
        "das Baugrundgutachten",
        "die Rettungswegbreiten",
        "die U-Werte im Energiemodell",
        "das Kranfundament",
        "die Dachentwässerung",
        "die Deckendurchbrüche für die Steigschächte",
        "den Stahlanschluss am Atrium",
        "die Luftwechselraten im Labor",
        "die Auslegung der Wärmepumpe",
        "die PV-Lasten auf dem Dach",
        "die Entrauchung im Treppenraum",
        "den Abfangträger über dem Eingang",
        "die Attika-Details",
        "die Hebeanlage",
        "die Schwingungsanforderungen im Reinraum",
        "den Schallschutz zwischen den Einheiten",
        'die Variante "B"',
        "die Maße des Aufzugsschachts",
        "die weiße Wanne im UG",
        "die Kabeltrassen",
        "die Sprinklerabstände in der Halle",
    ],
}
TOPICS_DAT = [
    "den Lastannahmen für die Zwischendecke",
    "den Brandabschnitten im 2. OG",
    "der Leitungsführung über dem Flur",
    "der Bewehrung in Achse C",
    "der Wärmebrücke am Balkonanschluss",
    "dem Standort des Sprinklertanks",
    "der Verankerung der Fassade",
    "dem Baugrundgutachten",
    "den Rettungswegbreiten",
    "den U-Werten im Energiemodell",
    "dem Kranfundament",
    "der Dachentwässerung",
    "den Deckendurchbrüchen für die Steigschächte",
    "dem Stahlanschluss am Atrium",
    "den Luftwechselraten im Labor",
    "der Auslegung der Wärmepumpe",
    "den PV-Lasten auf dem Dach",
    "der Entrauchung im Treppenraum",
    "dem Abfangträger über dem Eingang",
    "den Attika-Details",
    "der Hebeanlage",
    "den Schwingungsanforderungen im Reinraum",
    "dem Schallschutz zwischen den Einheiten",
    'der Variante "B"',
    "den Maßen des Aufzugsschachts",
    "der weißen Wanne im UG",
    "den Kabeltrassen",
    "den Sprinklerabständen in der Halle",
]
DOCS = {
    "en": [
        "general arrangement drawings",
        "structural calculations",
        "MEP layouts",
        "fire strategy report",
        "bill of quantities",
        "clash report",
        "BIM model",
        "design risk register",
        "tender package",
        "energy performance report",
        "site inspection report",
        "method statement review",
    ],
    "de": [
        "Übersichtspläne",
        "statische Berechnung",
        "TGA-Pläne",
        "Brandschutznachweis",
        "Leistungsverzeichnis",
        "Kollisionsbericht",
        "BIM-Modell",
        "Positionsplan",
        "Ausschreibungsunterlagen",
        "Energieausweis",
        "Baustellenbericht",
        "Prüfbericht",
    ],
}
CRS = {
    "en": [
        "a second stair core",
        "an additional cold store",
        "the timber façade option",
        "the car park extension",
        "a rooftop plant room",
        "two extra storeys in the study",
        "a mezzanine in hall 2",
        "EV charging in the basement",
        "a revised layout for the tenant",
        "the extra lab wing",
        "a sprinkler upgrade for high-bay storage",
        "an additional variant for the roof",
    ],
    "de": [
        "einen zweiten Treppenkern",
        "eine zusätzliche Kühlzelle",
        "die Holzfassade",
        "die Tiefgaragenerweiterung",
        "eine Technikzentrale auf dem Dach",
        "zwei zusätzliche Geschosse in der Studie",
        "eine Bühne in Halle 2",
        "Ladestationen in der Tiefgarage",
        "eine geänderte Mieteraufteilung",
        "den zusätzlichen Laborflügel",
        "die Sprinklerertüchtigung für das Hochregal",
        "eine weitere Dachvariante",
    ],
}

# ----------------------------------------------------------------------------
# message kinds
(
    K_ACK,
    K_TECHQ,
    K_REPLY,
    K_SCHED,
    K_PRAISE,
    K_GRIPE,
    K_STATUS,
    K_INVSENT,
    K_REMIND,
    K_PAYDELAY,
    K_COST,
    K_CR,
    K_CRCONF,
    K_HOURSQ,
    K_BUDWARN,
    K_BILLQ,
    K_DISPUTE,
    K_DISPREPLY,
    K_INCIDENT,
    K_INCFOLLOW,
    K_APOLOGY,
    K_DELAY,
    K_INTRO,
    K_COMPHINT,
    K_RETENDER,
    K_RATEANN,
    K_RATEPUSH,
    K_RATEOK,
    K_SURVEY,
    K_CSAT,
    K_OOO,
    K_CALL,
    K_MEET,
    K_FAREWELL,
    K_DELIVER,
    K_CRACK,
    K_PROCURE,
    K_NEWPROJ,
    K_DISPRES,
    K_LEFT,
) = range(40)
INBOUND = {
    K_ACK,
    K_TECHQ,
    K_PRAISE,
    K_GRIPE,
    K_PAYDELAY,
    K_COST,
    K_CR,
    K_HOURSQ,
    K_BILLQ,
    K_DISPUTE,
    K_INCIDENT,
    K_INCFOLLOW,
    K_DELAY,
    K_INTRO,
    K_COMPHINT,
    K_RATEPUSH,
    K_RATEOK,
    K_SURVEY,
    K_CSAT,
    K_OOO,
    K_FAREWELL,
    K_CRACK,
    K_PROCURE,
    K_NEWPROJ,
    K_LEFT,
}

T: dict[str, dict[str, list[str]]] = {
    "ack_pos": {
        "en": [
            "Thanks {pm}, that's great.",
            "Perfect, thank you!",
            "Received with thanks – looks good.",
            "Thanks for the quick turnaround, much appreciated.",
            "Brilliant, that's exactly what we needed.",
            "Great, thanks. We'll pass it on to the contractor.",
            "Lovely, thank you all.",
            "Cheers, that works for us.",
        ],
        "de": [
            "Danke {pm}, super!",
            "Perfekt, vielen Dank!",
            "Vielen Dank, sieht gut aus.",
            "Danke für die schnelle Bearbeitung!",
            "Top, genau das haben wir gebraucht.",
            "Prima, geben wir so an die Baufirma weiter.",
            "Herzlichen Dank an das ganze Team.",
            "Passt, danke!",
        ],
    },
    "ack_neu": {
        "en": [
            "Noted, thanks.",
            "Thanks, received.",
            "Got it – will pass it on to the site team.",
            "OK.",
            "Received.",
            "Will review and revert by Friday.",
            "Understood, we'll wait for the revised set.",
            "Thanks. Forwarded to our architect.",
            "ok thanks",
            "Noted. Let's discuss at the next jour fixe.",
            "Thanks – can you also copy {cfirst} next time?",
            "Received, will check with facilities.",
        ],
        "de": [
            "Danke, erhalten.",
            "Vielen Dank, ist angekommen.",
            "Ok, geben wir an die Bauleitung weiter.",
            "Alles klar.",
            "Besten Dank für die Unterlagen.",
            "Habe ich weitergeleitet.",
            "Verstanden, wir warten auf den überarbeiteten Plansatz.",
            "Wir schauen es uns an und melden uns bis Freitag.",
            "ok danke",
            "Zur Kenntnis genommen. Besprechen wir im Jour fixe.",
            "Danke. Bitte künftig auch {cfirst} in CC setzen.",
            "Erhalten, kläre ich mit der Haustechnik.",
        ],
    },
    "ack_neg": {
        "en": [
            "Finally.",
            "About time.",
            "ok",
            "Received. Took long enough.",
            "Noted. Please don't let it slip again.",
            "Fine.",
            "Hm, OK. We'll see.",
            "Thanks, though this should have come last week.",
        ],
        "de": [
            "Na endlich.",
            "Wurde auch Zeit.",
            "ok",
            "Erhalten. Hat ja gedauert.",
            "Zur Kenntnis. Bitte nicht wieder so knapp.",
            "Gut.",
            "Hm, ok. Mal sehen.",
            "Danke, hätte aber schon letzte Woche kommen sollen.",
        ],
    },
    "techq": {
        "en": [
            "Quick question on {topic}: can you confirm the assumptions you used?",
            "The contractor is asking about {topic}. Could you send a clarification by {day}?",
            "Can we get the latest {doc} for {site}? Our architect needs them for Thursday.",
            "Is {topic} already reflected in the latest revision?",
            "RFI from site: {topic} – please advise.",
            "We're getting conflicting info on {topic}. Which drawing is current?",
            "Could you have a look at {topic} before the planning meeting?",
            "Our facilities manager has questions about {topic}. Can someone call him?",
            "Does the current design for {site} allow for {topic}?",
            "Sorry to bother you again – any update on {topic}?",
        ],
        "de": [
            "Kurze Frage zu {topic_dat}: Welche Annahmen habt ihr da angesetzt?",
            "Die ausführende Firma fragt nach {topic_dat}. Können Sie bis {day} eine Klarstellung schicken?",
            "Können wir die aktuellen Unterlagen ({doc}) für {site} bekommen?",
            "Habt ihr {topic} im letzten Planstand schon berücksichtigt?",
            "Rückfrage von der Baustelle zu {topic_dat} – bitte um kurze Info.",
            "Zu {topic_dat} haben wir widersprüchliche Angaben. Welcher Plan gilt?",
            "Könnt ihr euch {topic} vor der Planungsbesprechung noch anschauen?",
            "Unser Haustechniker hat Fragen zu {topic_dat}, kann ihn jemand anrufen?",
            "Berücksichtigt die aktuelle Planung für {site} {topic}?",
            "Gibt es schon etwas Neues zu {topic_dat}?",
        ],
    },
    "reply": {
        "en": [
            "Please find attached the revised {doc} for {site}.",
            "We've uploaded rev {rev} of the {doc} to the portal.",
            "Regarding {topic}: we used the values from the ground investigation report; details in the attached note.",
            "Thanks for the question – our structural team will come back to you tomorrow.",
            "Site visit confirmed for {day} at 9:00.",
            "Minutes of today's coordination meeting attached.",
            "Updated {doc} are on the portal, changes clouded in red.",
            "We'll check {topic} and send a marked-up drawing.",
            "Short answer: yes, the design allows for it. Long answer in the attached memo.",
            "Attached the comments from our checking engineer.",
        ],
        "de": [
            "Anbei die überarbeiteten Unterlagen ({doc}) für {site}.",
            "Index {rev} der Pläne liegt im Projektraum.",
            "Zu {topic_dat}: Wir haben die Werte aus dem Baugrundgutachten angesetzt, Details in der Anlage.",
            "Danke für die Frage – unsere Statik meldet sich morgen.",
            "Ortstermin am {day} um 9:00 Uhr ist bestätigt.",
            "Anbei das Protokoll der heutigen Planungsbesprechung.",
            "Die aktualisierten Pläne sind im Projektraum, Änderungen rot gewolkt.",
            "Wir prüfen {topic} und schicken einen Rotstift-Plan.",
            "Kurz: ja, das ist berücksichtigt. Ausführlich in der Anlage.",
            "Anbei die Anmerkungen unseres Prüfingenieurs.",
        ],
    },
    "sched": {
        "en": [
            "Can we move Thursday's jour fixe to 2pm?",
            "Are you available for a site walk on {day}?",
            "Could we schedule a call this week about {site}?",
            "Please send an invite for the design review.",
            "Next coordination meeting: {day}, 10:00, site office.",
            "Can we do the handover meeting on Teams instead?",
        ],
        "de": [
            "Können wir den Jour fixe am Donnerstag auf 14 Uhr schieben?",
            "Habt ihr am {day} Zeit für eine Baustellenbegehung?",
            "Können wir diese Woche kurz zu {site} telefonieren?",
            "Bitte eine Einladung für die Planungsbesprechung schicken.",
            "Nächste Baubesprechung: {day}, 10 Uhr, Baucontainer.",
            "Können wir die Übergabe per Teams machen?",
        ],
    },
    "praise": {
        "en": [
            "Great work on {site} – the authority accepted the submission without comments.",
            "Thanks to {pm} and the team, the coordination meeting went really well.",
            "Very happy with how quickly you turned the revisions around.",
            "The contractor said your drawings are the clearest they've had in years. Well done.",
            "Just wanted to say thank you – the handover was seamless.",
            "Impressed with the solution for {topic}. Saved us a lot of money.",
            "Good job on the tender package, we had very few bidder questions.",
        ],
        "de": [
            "Großes Lob an {pm}, die Genehmigung kam ohne Nachforderungen.",
            "Super Zusammenarbeit bei {site}, danke!",
            "Sehr zufrieden, wie schnell die Änderungen eingearbeitet wurden.",
            "Die Baufirma meinte, so saubere Pläne hätte sie lange nicht gesehen. Danke!",
            "Wollte mich einfach mal bedanken – die Übergabe lief reibungslos.",
            "Die Lösung für {topic} hat uns viel Geld gespart. Danke!",
            "Sehr gutes LV, kaum Bieterfragen.",
        ],
    },
    "gripe": {
        "en": [
            "Could you please make sure the drawings are sent before 10 next time.",
            "Again the file names don't follow our convention.",
            "We had to chase this twice.",
            "The title blocks still show the old revision.",
            "Please stop sending 40 MB attachments, use the portal.",
            "Why does nobody answer the phone after 4pm?",
            "The minutes are missing half of what we discussed.",
            "This is the third reminder about the door schedule.",
        ],
        "de": [
            "Bitte die Pläne künftig vor 10 Uhr schicken.",
            "Schon wieder entsprechen die Dateinamen nicht unserer Konvention.",
            "Wir mussten zweimal nachfragen.",
            "Im Planschriftfeld steht immer noch der alte Index.",
            "Bitte keine 40-MB-Anhänge mehr, dafür gibt es den Projektraum.",
            "Warum geht ab 16 Uhr keiner mehr ans Telefon?",
            "Im Protokoll fehlt die Hälfte.",
            "Das ist die dritte Erinnerung wegen der Türliste.",
        ],
    },
    "status": {
        "en": [
            "Status update {site}: {ptype} at about {pct}%. Next: {next}.",
            "Weekly update for {site} – we're at roughly {pct}% of the scope. {mood_en}",
            "{site}: progress {pct}%. Open points list attached.",
            "Quick status: {ptype} for {site} is progressing, around {pct}% done. {mood_en}",
            "Progress report {site} (week {wk}): {pct}% complete.",
            "Update: {next} planned for next week. Overall {pct}%.",
            "Status {site}: on track.",
            "Status {site}: {mood_en}",
        ],
        "de": [
            "Statusbericht {site}: {ptype} bei ca. {pct} %. Nächster Schritt: {next}.",
            "Wochenbericht {site} – wir stehen bei rund {pct} % des Leistungsumfangs. {mood_de}",
            "{site}: Fortschritt {pct} %. OP-Liste anbei.",
            "Kurzer Stand: {ptype} für {site} läuft, ca. {pct} % erledigt. {mood_de}",
            "Projektstand {site} (KW {wk}): {pct} % erbracht.",
            "Update: Nächste Woche ist {next} geplant. Gesamt {pct} %.",
            "Stand {site}: im Plan.",
            "Stand {site}: {mood_de}",
        ],
    },
    "invsent": {
        "en": [
            "Please find attached invoice {inv} for {month} ({amt}).",
            "Invoice {inv} for {site} attached – payable within {terms} days.",
            "Attached: invoice {inv}, {amt}.",
            "Our invoice {inv} for services in {month} is attached. Please quote the invoice number with your payment.",
            "Invoice {inv} ({site}) has been uploaded to your supplier portal.",
        ],
        "de": [
            "Anbei erhalten Sie unsere Rechnung {inv} über {amt}.",
            "Rechnung {inv} ({site}) – zahlbar innerhalb von {terms} Tagen ohne Abzug.",
            "Anbei: Rechnung {inv}, {amt}.",
            "Unsere Rechnung {inv} für Leistungen im {month} finden Sie im Anhang.",
            "Die Rechnung {inv} wurde in Ihr Lieferantenportal hochgeladen.",
        ],
    },
    "invsent_ms": {
        "en": [
            'Please find attached invoice {inv} for the milestone "{ms}" on {site} ({amt}).',
            "Invoice {inv}: stage payment for {site}, {amt}.",
            "Milestone invoice {inv} attached.",
        ],
        "de": [
            'Anbei unsere Abschlagsrechnung {inv} für "{ms}" ({site}) über {amt}.',
            "Abschlagsrechnung {inv} für {site}: {amt}.",
            "Anbei die Abschlagsrechnung {inv}.",
        ],
    },
    "invsent_co": {
        "en": [
            "Invoice {inv} covers the additional services on {site} (change order), {amt}.",
            "Attached: invoice {inv} for extra services beyond the original scope.",
            "Please find attached invoice {inv} for the agreed variations.",
        ],
        "de": [
            "Nachtragsrechnung {inv} für zusätzliche Leistungen bei {site} über {amt}.",
            "Anbei die Rechnung {inv} für die Zusatzleistungen außerhalb des Auftrags.",
            "Anbei unsere Rechnung {inv} für die Nachträge.",
        ],
    },
    "remind": {
        "en": [
            "Friendly reminder: invoice {inv} was due on {date}.",
            "Our records show invoice {inv} ({amt}) is still open. Could you check?",
            "Payment reminder – invoice {inv}, due {date}.",
            "Second reminder: invoice {inv} is now overdue.",
        ],
        "de": [
            "Zahlungserinnerung: Rechnung {inv} war am {date} fällig.",
            "Laut unserer Buchhaltung ist Rechnung {inv} ({amt}) noch offen. Könnten Sie das prüfen?",
            "Freundliche Erinnerung an Rechnung {inv}, fällig am {date}.",
            "1. Mahnung: Rechnung {inv} ist überfällig.",
        ],
    },
    "paydelay": {
        "en": [
            "Our payment run slipped to next week, sorry.",
            "Invoice {inv} is waiting for approval from our finance director.",
            "We're holding payments until the end of the quarter.",
            "AP is short-staffed, payments will be a bit late this month.",
            "We'll pay {inv} once the client pays us.",
            "The new ERP system is delaying all supplier payments.",
        ],
        "de": [
            "Unser Zahlungslauf verschiebt sich leider um eine Woche.",
            "Die Freigabe für {inv} liegt noch beim Controlling.",
            "Wir halten Zahlungen bis Quartalsende zurück.",
            "Die Kreditorenbuchhaltung ist unterbesetzt, es dauert diesen Monat etwas.",
            "{inv} zahlen wir, sobald unser Auftraggeber gezahlt hat.",
            "Wegen der ERP-Umstellung verzögern sich alle Zahlungen.",
        ],
    },
    "cost": {
        "en": [
            "We've been asked to cut external consultancy spend this year.",
            "Budget for {site} is under review – please don't start any additional work without written approval.",
            "Our board has frozen capex for now.",
            "We need to find savings on {site}. Can we talk about reducing the scope?",
            "Funding for phase 2 isn't confirmed yet.",
            "Please send us a cost-to-complete estimate for {site}; finance is asking.",
            "Everything above budget needs sign-off by our CFO from now on.",
        ],
        "de": [
            "Wir müssen die Kosten für externe Planer deutlich reduzieren.",
            "Das Budget für {site} wird überprüft – bitte keine Zusatzleistungen ohne schriftliche Freigabe.",
            "Der Vorstand hat die Investitionen vorerst eingefroren.",
            "Haushaltssperre bis auf Weiteres.",
            "Wir müssen bei {site} sparen. Können wir über eine Reduzierung des Umfangs sprechen?",
            "Die Finanzierung für den 2. Bauabschnitt steht noch nicht.",
            "Bitte eine Kostenprognose bis Fertigstellung für {site}, die Kämmerei fragt.",
        ],
    },
    "cr": {
        "en": [
            "Could you also look at {cr}?",
            "The tenant now wants {cr} – can you include it in the design?",
            "Change of plan: we'd like {cr} after all.",
            "Please also cover {cr} in this phase.",
            "Can you quickly check {cr}? Should be a small thing.",
            "We need {cr} added before the permit submission.",
        ],
        "de": [
            "Könnten Sie bitte noch {cr} prüfen?",
            "Der Mieter möchte jetzt {cr} – bitte mit einplanen.",
            "Planänderung: wir möchten doch {cr}.",
            "Bitte in dieser Phase auch {cr} mit abdecken.",
            "Können Sie kurz {cr} anschauen? Sollte nur eine Kleinigkeit sein.",
            "Vor dem Bauantrag brauchen wir noch {cr}.",
        ],
    },
    "crconf": {
        "en": [
            "As discussed, {cr} is outside the agreed scope. We'll treat it as a change order of approx. {amt}. Please confirm in writing.",
            "Change request noted for {site}: {cr}. Estimated additional fee {amt}; we'll proceed once confirmed.",
            "Following our call: additional services for {cr}, approx. {amt}. Quote attached.",
        ],
        "de": [
            "Wie besprochen sind die Leistungen für {cr} nicht Teil des Auftrags; wir bieten sie als Nachtrag über ca. {amt} an. Bitte um schriftliche Bestätigung.",
            "Änderungswunsch {site} aufgenommen: {cr}. Geschätztes Zusatzhonorar {amt}, wir starten nach Freigabe.",
            "Wie telefonisch besprochen: Nachtragsangebot für {cr}, ca. {amt}, anbei.",
        ],
    },
    "crack": {
        "en": [
            "Confirmed, please go ahead.",
            "OK for the change order.",
            "Approved – PO to follow.",
            "Fine, go ahead but keep it within the estimate.",
        ],
        "de": [
            "Bestätigt, bitte umsetzen.",
            "Nachtrag ist freigegeben.",
            "Freigabe erteilt, Bestellung folgt.",
            "Ok, aber bitte im Rahmen der Schätzung bleiben.",
        ],
    },
    "hoursq": {
        "en": [
            "The hours on {site} seem higher than expected – can you send a breakdown?",
            "Why were there {h} hours of CAD time last week?",
            "Could you explain the site supervision hours in {month}?",
            "We're getting close to the budget on {site}. How many hours are left?",
            "Can we have a timesheet report for {site} before the next invoice?",
            "The monthly cost is creeping up. What's driving it?",
            "Who approved the extra hours on {site}?",
        ],
        "de": [
            "Die Stunden für {site} erscheinen uns hoch – bitte um Aufschlüsselung.",
            "Warum {h} Stunden Zeichenarbeit letzte Woche?",
            "Können Sie uns die Bauleitungsstunden im {month} erläutern?",
            "Wir nähern uns dem Budget für {site}. Wie viele Stunden sind noch übrig?",
            "Bitte vor der nächsten Rechnung einen Stundennachweis für {site}.",
            "Die monatlichen Kosten steigen stetig. Woran liegt das?",
            "Wer hat die Mehrstunden bei {site} freigegeben?",
        ],
    },
    "budwarn": {
        "en": [
            "Heads-up: we've used about {pct}% of the agreed budget for {site}.",
            "Budget notice for {site}: {pct}% consumed, remaining work estimated at {h} hours.",
            "FYI, {site} has reached {pct}% of budget. Let's discuss the remaining scope.",
            "To keep you informed: the budget for {site} will be exceeded; we estimate another {h} hours.",
        ],
        "de": [
            "Kurze Info: Für {site} sind ca. {pct} % des Budgets verbraucht.",
            "Budgethinweis {site}: {pct} % verbraucht, Restaufwand geschätzt {h} Stunden.",
            "Zur Info: {site} hat {pct} % des Budgets erreicht. Lassen Sie uns über den Restumfang sprechen.",
            "Vorsorglicher Hinweis: das Budget für {site} wird überschritten, wir schätzen weitere {h} Stunden.",
        ],
    },
    "billq": {
        "en": [
            "Could you add our PO number {po} to invoice {inv}?",
            "Please send invoices to accounts.payable@{cdom} from now on.",
            "Can you split the invoice by cost centre?",
            "We need the invoice as an e-invoice (PDF/A with XML).",
            "Could you resend {inv}? It seems to have gone missing.",
            "What's your VAT number? Our system needs it.",
            "Please reference contract {po} on all invoices.",
            "Quick one: is {inv} net or gross?",
            "Our bank details changed, the invoice address stays the same.",
            "Can we get {inv} addressed to our subsidiary instead?",
        ],
        "de": [
            "Bitte die Bestellnummer {po} auf der Rechnung {inv} ergänzen.",
            "Rechnungen bitte ab sofort an rechnungseingang@{cdom}.",
            "Bitte die Rechnung nach Kostenstellen aufteilen.",
            "Bitte künftig als XRechnung schicken.",
            "Können Sie {inv} noch einmal senden? Ist bei uns nicht angekommen.",
            "Wie lautet Ihre USt-IdNr.?",
            "Bitte auf allen Rechnungen die Vertragsnummer {po} angeben.",
            "Kurze Frage: ist {inv} netto oder brutto?",
            "Bitte {inv} an unsere Tochtergesellschaft adressieren.",
            "Für die Rechnung {inv} brauchen wir noch den Leistungsnachweis.",
        ],
    },
    "dispute_hours": {
        "en": [
            "We can't approve invoice {inv}: the hours are well above what was agreed for {site}.",
            "Invoice {inv} exceeds the budget we signed off. We will not pay the overrun without a change order.",
            "We dispute invoice {inv}. Nobody told us the budget would be exceeded.",
            "Invoice {inv} – {h} hours in one month? Please explain before we release anything.",
            "We're rejecting {inv}. The estimate was {budget}, we're now far beyond it.",
        ],
        "de": [
            "Rechnung {inv} können wir so nicht freigeben: die Stunden liegen weit über dem Vereinbarten.",
            "Die Rechnung {inv} überschreitet das freigegebene Budget. Ohne Nachtrag zahlen wir die Mehrkosten nicht.",
            "Wir widersprechen der Rechnung {inv}. Über eine Budgetüberschreitung wurden wir nie informiert.",
            "Rechnung {inv} – {h} Stunden in einem Monat? Bitte erläutern, vorher geben wir nichts frei.",
            "Wir weisen {inv} zurück. Geschätzt waren {budget}, davon sind wir weit entfernt.",
        ],
    },
    "dispute_rework": {
        "en": [
            "We won't pay for correcting your own errors – invoice {inv} includes rework on {site}.",
            "Invoice {inv} bills the redesign after your clash. That's not acceptable.",
            "Please credit the hours for fixing the drawings, they're your mistake.",
        ],
        "de": [
            "Die Korrektur Ihrer eigenen Fehler bezahlen wir nicht – {inv} enthält Nacharbeit bei {site}.",
            "In {inv} ist die Umplanung nach der Kollision abgerechnet. Das akzeptieren wir nicht.",
            "Bitte die Stunden für die Planberichtigung gutschreiben, das war Ihr Fehler.",
        ],
    },
    "dispute_co": {
        "en": [
            "We never agreed to this change order. Please withdraw invoice {inv}.",
            "Invoice {inv}: these 'additional services' were part of the original scope as far as we're concerned.",
            "We have no signed variation for {inv}. Not paying this.",
            "The extra fee in {inv} was never quoted to us.",
        ],
        "de": [
            "Diesen Nachtrag haben wir nie beauftragt. Bitte ziehen Sie die Rechnung {inv} zurück.",
            "Rechnung {inv}: die angeblichen Zusatzleistungen gehören aus unserer Sicht zum Grundauftrag.",
            "Für {inv} liegt kein unterschriebener Nachtrag vor. Wir zahlen nicht.",
            "Das Zusatzhonorar in {inv} wurde uns nie angeboten.",
        ],
    },
    "dispute_ms": {
        "en": [
            "The milestone billed in {inv} isn't complete from our perspective.",
            "Invoice {inv} is premature – the permit drawings still have open comments.",
            "We'll hold {inv} until the issues on {site} are fixed.",
        ],
        "de": [
            "Die mit {inv} abgerechnete Leistungsphase ist aus unserer Sicht nicht abgeschlossen.",
            "Rechnung {inv} ist verfrüht – zu den Genehmigungsplänen gibt es noch offene Punkte.",
            "Wir halten {inv} zurück, bis die Mängel bei {site} behoben sind.",
        ],
    },
    "dispute_ret": {
        "en": [
            "Invoice {inv}: honestly, we don't see what we're paying the retainer for at the moment.",
            "We dispute {inv}. Hardly any work was done under the framework last month.",
            "Please justify {inv}; the service level has dropped.",
        ],
        "de": [
            "Rechnung {inv}: wir sehen ehrlich gesagt nicht, wofür wir die Pauschale derzeit zahlen.",
            "Wir widersprechen {inv}. Im letzten Monat wurde im Rahmenvertrag kaum etwas geleistet.",
            "Bitte begründen Sie {inv}, die Leistung hat deutlich nachgelassen.",
        ],
    },
    "dispute_rate": {
        "en": [
            "Invoice {inv} uses the new rates, which we haven't accepted.",
            "We dispute the rate increase applied in {inv}.",
            "The hourly rates on {inv} don't match our contract.",
        ],
        "de": [
            "In {inv} sind die neuen Stundensätze abgerechnet, die wir nicht akzeptiert haben.",
            "Wir widersprechen der Preiserhöhung in {inv}.",
            "Die Stundensätze in {inv} entsprechen nicht unserem Vertrag.",
        ],
    },
    "dispute_err": {
        "en": [
            "Invoice {inv} seems to contain some hours twice.",
            "The total on {inv} doesn't match the timesheets you sent.",
            "There's an error in {inv}, please correct and reissue.",
        ],
        "de": [
            "In Rechnung {inv} sind anscheinend Stunden doppelt enthalten.",
            "Die Summe in {inv} passt nicht zu den Stundennachweisen.",
            "In {inv} ist ein Fehler, bitte korrigieren und neu stellen.",
        ],
    },
    "dispute_gen": {
        "en": [
            "We dispute invoice {inv}. Please call me.",
            "Invoice {inv} is on hold pending clarification.",
            "Please check invoice {inv} again, something isn't right.",
            "We won't be paying {inv} in its current form.",
            "Could you look at {inv} again? Our controller flagged it.",
        ],
        "de": [
            "Wir widersprechen der Rechnung {inv}. Bitte rufen Sie mich an.",
            "Rechnung {inv} ist bis zur Klärung gesperrt.",
            "Bitte Rechnung {inv} nochmal prüfen, da passt was nicht.",
            "{inv} werden wir in dieser Form nicht bezahlen.",
            "Können Sie sich {inv} nochmal anschauen? Unser Controlling hat sie beanstandet.",
        ],
    },
    "dispreply": {
        "en": [
            "Thanks for flagging – we're reviewing invoice {inv} and will come back to you.",
            "We've received your comments on {inv}; {pm} will call you this week.",
            "Sorry for the trouble with {inv}. We're checking the timesheets.",
        ],
        "de": [
            "Danke für den Hinweis – wir prüfen die Rechnung {inv} und melden uns.",
            "Ihre Anmerkungen zu {inv} haben wir erhalten; {pm} ruft Sie diese Woche an.",
            "Entschuldigung für die Umstände mit {inv}. Wir prüfen die Stundennachweise.",
        ],
    },
    "dispres": {
        "en": [
            "As agreed, we'll issue a credit note for part of {inv}.",
            "Following our call, invoice {inv} stands as issued; breakdown attached.",
            "Corrected invoice for {inv} to follow.",
        ],
        "de": [
            "Wie vereinbart erhalten Sie eine Teilgutschrift zu {inv}.",
            "Nach unserem Telefonat bleibt {inv} wie gestellt; Aufschlüsselung anbei.",
            "Die korrigierte Rechnung zu {inv} folgt.",
        ],
    },
    "incident": {
        "en": [
            "The structural drawings don't match the architect's latest layout – the contractor has stopped work on level 3.",
            "The building authority returned the permit application with a long list of comments. This is not acceptable.",
            "Clash between the ducts and the downstand beams on level 2 – who pays for this?",
            "Your calculation used the wrong snow load zone. We need this fixed immediately.",
            "The fire brigade rejected the fire safety concept. We're losing weeks.",
            "We found several errors in the bill of quantities. The bids are useless now.",
            "The rebar schedules for {site} are wrong, the steel fixer is standing idle.",
            "Why were the openings for the risers not on the formwork drawings?",
            "The heat load calculation for {site} is off by a mile, the plant is undersized.",
            "The checking engineer sent back your calculations for {site}. Very disappointing.",
        ],
        "de": [
            "Die Tragwerksplanung passt nicht zur aktuellen Architektenplanung – die Baufirma steht im 3. OG.",
            "Das Bauamt hat den Bauantrag mit einer langen Mängelliste zurückgeschickt. So geht das nicht.",
            "Kollision zwischen Lüftungskanal und Unterzug im 2. OG – wer bezahlt das?",
            "In der Statik ist die falsche Schneelastzone angesetzt. Das muss sofort korrigiert werden.",
            "Die Feuerwehr hat das Brandschutzkonzept abgelehnt. Wir verlieren Wochen.",
            "Im Leistungsverzeichnis sind mehrere Fehler, die Angebote sind so nicht vergleichbar.",
            "Die Biegelisten für {site} sind falsch, der Eisenflechter steht.",
            "Warum waren die Durchbrüche für die Steigschächte nicht im Schalplan?",
            "Die Heizlastberechnung für {site} stimmt hinten und vorne nicht.",
            "Der Prüfstatiker hat Ihre Berechnung für {site} zurückgewiesen. Sehr enttäuschend.",
        ],
    },
    "incfollow": {
        "en": [
            "Still waiting for the corrected drawings.",
            "Any news? The site is still on hold.",
            "We need a date for the fix on {site}, today please.",
            "This is costing us money every day.",
        ],
        "de": [
            "Wir warten immer noch auf die korrigierten Pläne.",
            "Gibt es etwas Neues? Die Baustelle steht weiterhin.",
            "Wir brauchen heute noch einen Termin für die Korrektur bei {site}.",
            "Das kostet uns jeden Tag Geld.",
        ],
    },
    "apology": {
        "en": [
            "Apologies for the error on {site} – corrected drawings will follow by {day}.",
            "We're sorry about the issue with {topic}. Our senior engineer is on it.",
            "Our mistake, no question. Revised calculation by end of week.",
            "We've reviewed what went wrong on {site}; summary and corrective actions attached.",
        ],
        "de": [
            "Entschuldigung für den Fehler bei {site} – korrigierte Pläne folgen bis {day}.",
            "Der Fehler bei {topic_dat} tut uns leid, unser Senior-Ingenieur kümmert sich.",
            "Unser Fehler, keine Frage. Überarbeitete Statik bis Ende der Woche.",
            "Wir haben die Ursache bei {site} analysiert; Zusammenfassung und Maßnahmen anbei.",
        ],
    },
    "delay": {
        "en": [
            "We're now several weeks behind the agreed programme for {site}.",
            "When will the {ptype} finally be finished?",
            "The contractor is waiting on your drawings again.",
            "We were promised the package for {site} last Friday.",
            "Our programme can't absorb any more slippage.",
        ],
        "de": [
            "Wir liegen bei {site} jetzt mehrere Wochen hinter dem Terminplan.",
            "Wann sind die Unterlagen ({ptype}) endlich fertig?",
            "Die Baufirma wartet schon wieder auf Pläne.",
            "Die Unterlagen für {site} waren für letzten Freitag zugesagt.",
            "Unser Terminplan verträgt keine weiteren Verzögerungen.",
        ],
    },
    "intro": {
        "en": [
            "Hello, I've taken over {site} from {old}, who has left the company. Could we set up an introduction call?",
            "Hi all, I'm the new head of estates at {client}. I'd like to get to know your team.",
            "Please note I'm now your main contact; {old} has moved to another role.",
            "Hello, I joined {client} last month as capital projects director. I'll be reviewing all external appointments over the next weeks.",
        ],
        "de": [
            "Guten Tag, ich habe die Projektleitung von {old} übernommen, {old_rel} das Unternehmen verlassen hat. Können wir ein Kennenlerngespräch vereinbaren?",
            "Hallo zusammen, ich bin neu als {leiter} Bau bei {client} und möchte mir einen Überblick verschaffen.",
            "Bitte beachten: ich bin ab sofort Ihr Ansprechpartner, {old} hat intern gewechselt.",
            "Guten Tag, ich bin seit letztem Monat {techl} bei {client} und werde in den nächsten Wochen alle externen Verträge prüfen.",
        ],
    },
    "left": {
        "en": [
            "FYI {old} is no longer with us. Please direct questions to me for now.",
            "{old} has left {client}; I'm covering until a successor is appointed.",
        ],
        "de": [
            "Zur Info: {old} ist nicht mehr bei uns. Fragen bitte vorerst an mich.",
            "{old} hat {client} verlassen; ich übernehme bis zur Nachbesetzung.",
        ],
    },
    "comphint": {
        "en": [
            "We're benchmarking our engineering partners this year.",
            "To be transparent: another consultancy has offered us a framework at lower rates.",
            "We've been approached by a firm with an in-house BIM team. Interesting offer.",
            "We'd like to review your rates before we award the next phase.",
            "Management wants to consolidate consultants across all sites.",
        ],
        "de": [
            "Wir vergleichen dieses Jahr unsere Planungspartner.",
            "Ganz offen: ein anderes Büro hat uns einen Rahmenvertrag zu günstigeren Sätzen angeboten.",
            "Ein Büro mit eigener BIM-Abteilung ist auf uns zugekommen. Interessantes Angebot.",
            "Vor der Vergabe der nächsten Phase möchten wir über Ihre Stundensätze sprechen.",
            "Die Geschäftsführung will die Zahl der Planungsbüros reduzieren.",
        ],
    },
    "procure": {
        "en": [
            "Procurement needs three quotes for the next package, please send yours by {day}.",
            "Our purchasing rules require a competitive quote above £25k – nothing personal.",
            "Please submit your fee proposal via the e-tendering portal.",
        ],
        "de": [
            "Der Einkauf braucht für das nächste Paket drei Angebote, bitte Ihres bis {day}.",
            "Laut Vergaberichtlinie brauchen wir ab 25.000 € Vergleichsangebote – nichts Persönliches.",
            "Bitte das Honorarangebot über die Vergabeplattform einreichen.",
        ],
    },
    "retender": {
        "en": [
            "The framework agreement expires on {date}. The re-tender will be published on the procurement portal.",
            "Reminder: tender documents for the new engineering framework are out, deadline {date}.",
            "We're preparing our bid for the framework renewal; a few questions on the lot structure attached.",
        ],
        "de": [
            "Der Rahmenvertrag läuft am {date} aus; die Neuausschreibung erfolgt über die Vergabeplattform.",
            "Zur Erinnerung: die Vergabeunterlagen für den neuen Rahmenvertrag sind veröffentlicht, Abgabe bis {date}.",
            "Wir bereiten unser Angebot für die Verlängerung des Rahmenvertrags vor; Bieterfragen anbei.",
        ],
    },
    "rateann": {
        "en": [
            "Please note our hourly rates will be adjusted by {pct}% from 1 January, in line with the engineering salary index.",
            "Annual rate review: from 1 January our rates increase by {pct}%. The updated rate card is attached.",
            "As every year, we'll adjust our rates on 1 January ({pct}%).",
        ],
        "de": [
            "Zum 1. Januar passen wir unsere Stundensätze entsprechend der Tarifentwicklung um {pct} % an.",
            "Jährliche Preisanpassung: ab 1. Januar erhöhen sich unsere Sätze um {pct} %. Die neue Honorarliste liegt bei.",
            "Wie jedes Jahr passen wir zum 1. Januar unsere Sätze an ({pct} %).",
        ],
    },
    "ratepush": {
        "en": [
            "We can't accept a rate increase this year.",
            "{pct}% is far too much given the current market. Let's talk.",
            "Our contract doesn't allow for unilateral rate changes.",
            "We'll need to check the increase with procurement before accepting it.",
        ],
        "de": [
            "Eine Preiserhöhung können wir dieses Jahr nicht akzeptieren.",
            "{pct} % ist bei der aktuellen Marktlage deutlich zu viel. Wir sollten reden.",
            "Unser Vertrag sieht keine einseitige Preisanpassung vor.",
            "Die Erhöhung müssen wir erst mit dem Einkauf abstimmen.",
        ],
    },
    "rateok": {
        "en": [
            "Noted, thanks for letting us know.",
            "Understood. Please send the new rate card to procurement.",
            "Thanks, noted for next year's budget.",
        ],
        "de": [
            "Zur Kenntnis genommen, danke.",
            "Verstanden. Bitte die neue Honorarliste an den Einkauf.",
            "Danke, nehmen wir so in die Budgetplanung auf.",
        ],
    },
    "survey_lo": {
        "en": [
            "Communication could be better.",
            "Too many revisions.",
            "Deadlines keep slipping.",
            "Expensive for what we get.",
            "Responsiveness has dropped.",
            "",
            "Drawings full of errors lately.",
        ],
        "de": [
            "Kommunikation verbesserungswürdig.",
            "Zu viele Planrevisionen.",
            "Termine werden nicht gehalten.",
            "Preis-Leistung stimmt nicht.",
            "Reaktionszeiten zu lang.",
            "",
            "In letzter Zeit viele Fehler in den Plänen.",
        ],
    },
    "survey_mid": {
        "en": [
            "ok",
            "",
            "Fine overall.",
            "Good technical work, admin could be smoother.",
            "Would like clearer cost reporting.",
            "Solid.",
        ],
        "de": [
            "ok",
            "",
            "Im Großen und Ganzen in Ordnung.",
            "Fachlich gut, Organisation ausbaufähig.",
            "Wünschen uns transparentere Kostenberichte.",
            "Solide.",
        ],
    },
    "survey_hi": {
        "en": [
            "Great team.",
            "Very responsive, thank you.",
            "",
            "Excellent engineering.",
            "{pm} is fantastic.",
            "Always reliable.",
        ],
        "de": [
            "Tolles Team.",
            "Sehr schnelle Reaktion, danke.",
            "",
            "Hervorragende Planung.",
            "{pm} ist top.",
            "Immer zuverlässig.",
        ],
    },
    "ooo": {
        "en": [
            "Out of office until {date}. For urgent matters please contact reception.",
            "I'm on annual leave until {date} with limited access to email.",
            "Automatic reply: I am currently away and will respond on my return.",
        ],
        "de": [
            "Ich bin bis einschließlich {date} nicht im Büro. In dringenden Fällen wenden Sie sich bitte an das Sekretariat.",
            "Abwesenheitsnotiz: Ich bin bis {date} im Urlaub.",
            "Automatische Antwort: Ich bin derzeit nicht erreichbar.",
        ],
    },
    "call": {
        "en": [
            "Call with {cname} re {topic}. Agreed next steps.",
            "Jour fixe: open points list reviewed, {n} items closed.",
            "Call: {cname} asked about the programme for {site}. Sent updated schedule afterwards.",
            "Phone call re {topic}, resolved.",
            "Site walk with {cname}, no major issues.",
            "Discussed {topic} with client; they will confirm by {day}.",
            "Coordination meeting with architect and client. Minutes to follow.",
            "Weekly call, nothing special.",
        ],
        "de": [
            "Telefonat mit {cname} zu {topic_dat}; weiteres Vorgehen abgestimmt.",
            "Jour fixe: OP-Liste besprochen, {n} Punkte erledigt.",
            "Telefonat: {cname} fragte nach dem Terminplan für {site}. Aktualisierten Plan nachgeschickt.",
            "Telefonat zu {topic_dat}, geklärt.",
            "Begehung mit {cname}, keine größeren Mängel.",
            "{topic} mit AG besprochen, Rückmeldung bis {day}.",
            "Planungsbesprechung mit Architekt und AG, Protokoll folgt.",
            "Wöchentlicher Call, nichts Besonderes.",
        ],
    },
    "meet": {
        "en": [
            "Jour fixe: open points list reviewed, {n} items closed.",
            "Design review for {site} with architect and client. Minutes to follow.",
            "Site meeting {site}: progress discussed, next steps agreed.",
            "Kick-off meeting for the next package.",
            "Meeting with {cname} on {topic}. Client to confirm by {day}.",
            "Coordination meeting, {n} clashes resolved.",
            "Progress meeting – programme reviewed, no changes.",
        ],
        "de": [
            "Jour fixe: OP-Liste besprochen, {n} Punkte erledigt.",
            "Planungsbesprechung {site} mit Architekt und AG, Protokoll folgt.",
            "Baubesprechung {site}: Stand besprochen, nächste Schritte abgestimmt.",
            "Auftaktbesprechung für das nächste Paket.",
            "Besprechung mit {cname} zu {topic_dat}. AG meldet sich bis {day}.",
            "Koordinationsbesprechung, {n} Kollisionen gelöst.",
            "Baubesprechung – Terminplan geprüft, keine Änderungen.",
        ],
    },
    "call_neg": {
        "en": [
            "Call with {cname}: client sounded frustrated about the delays.",
            "Tense meeting – client unhappy with communication on {site}.",
            "{cname} complained about response times again.",
            "Difficult call. Client questions the fee level.",
            "Client mentioned other firms are 'much quicker'.",
        ],
        "de": [
            "Telefonat mit {cname}: Kunde wegen der Verzögerungen verärgert.",
            "Angespannte Besprechung – AG unzufrieden mit der Kommunikation bei {site}.",
            "{cname} hat sich wieder über Reaktionszeiten beschwert.",
            "Schwieriges Gespräch, AG stellt Honorarhöhe infrage.",
            "Kunde meinte, andere Büros seien 'deutlich schneller'.",
        ],
    },
    "call_comp": {
        "en": [
            "Call with {cname}: mentioned they're talking to other firms about the next project.",
            "Heard from {cname} that procurement invited two other consultancies to pitch.",
            "Client asked for our rate card 'for comparison'.",
        ],
        "de": [
            "Telefonat mit {cname}: sprechen für das nächste Projekt auch mit anderen Büros.",
            "Von {cname} erfahren, dass der Einkauf zwei andere Büros zur Präsentation eingeladen hat.",
            "AG hat unsere Honorarliste 'zum Vergleich' angefordert.",
        ],
    },
    "farewell": {
        "en": [
            "We've decided to go with another consultancy for upcoming projects. Thank you for your work.",
            "Following the tender, the framework has been awarded to another firm.",
            "We'll be bringing engineering in-house from next year.",
            "Please treat this as notice: we will not continue after the current phase.",
            "Our group has a central engineering contract now, so we will wind down our work with you.",
        ],
        "de": [
            "Wir haben uns entschieden, künftige Projekte mit einem anderen Büro umzusetzen. Danke für die Zusammenarbeit.",
            "Nach Abschluss der Ausschreibung wurde der Rahmenvertrag an ein anderes Büro vergeben.",
            "Ab nächstem Jahr übernehmen wir die Planung intern.",
            "Hiermit kündigen wir die Zusammenarbeit nach Abschluss der aktuellen Phase.",
            "Unsere Gruppe hat jetzt einen zentralen Rahmenvertrag, daher beenden wir die Zusammenarbeit.",
        ],
    },
    "deliver": {
        "en": [
            "{ms} for {site}.",
            "{site}: {ms}. Documents are on the portal.",
            "We're pleased to confirm: {ms} ({site}).",
        ],
        "de": [
            "{ms} ({site}).",
            "{site}: {ms}. Unterlagen liegen im Projektraum.",
            "Wir freuen uns mitzuteilen: {ms} ({site}).",
        ],
    },
    "newproj": {
        "en": [
            "We'd like to appoint you for the {ptype} on {site}. PO to follow.",
            "Good news: you've been awarded {site}.",
            "Can you start on {site} next month? Scope as per your proposal.",
        ],
        "de": [
            "Wir möchten Sie für {site} beauftragen ({ptype}). Bestellung folgt.",
            "Gute Nachricht: Sie haben den Zuschlag für {site}.",
            "Können Sie nächsten Monat mit {site} starten? Umfang gemäß Angebot.",
        ],
    },
}
MOOD_EN = [
    "All on track.",
    "Slightly behind on coordination, catching up next week.",
    "No issues.",
    "Waiting on architect input.",
    "Permit comments being addressed.",
    "Minor delay due to late survey data.",
    "",
    "Good progress this week.",
]
MOOD_DE = [
    "Alles im Plan.",
    "Bei der Koordination leicht im Verzug, holen wir nächste Woche auf.",
    "Keine Probleme.",
    "Warten auf Zuarbeit Architekt.",
    "Anmerkungen aus der Genehmigung werden eingearbeitet.",
    "Kleine Verzögerung wegen später Bestandsdaten.",
    "",
    "Gute Fortschritte diese Woche.",
]
NEXT_EN = [
    "design review",
    "submission to the authority",
    "clash detection run",
    "tender package",
    "site inspection",
    "coordination workshop",
    "revision of the GA drawings",
    "client sign-off",
]
NEXT_DE = [
    "Planungsbesprechung",
    "Einreichung beim Bauamt",
    "Kollisionsprüfung",
    "LV-Erstellung",
    "Baustellenbegehung",
    "Koordinationsworkshop",
    "Überarbeitung der Übersichtspläne",
    "Freigabe durch den AG",
]
GREET_IN = {
    "en": [
        "Hi {pm},",
        "Hello {pm},",
        "Dear {pm},",
        "{pm},",
        "Good morning,",
        "",
        "Hi all,",
        "Hi team,",
        "Hi {pm}",
        "",
    ],
    "de": [
        "Hallo {pm},",
        "Guten Tag,",
        "Sehr geehrte Damen und Herren,",
        "Hallo zusammen,",
        "Moin,",
        "",
        "Hallo {pm}",
        "Liebe Kolleginnen und Kollegen,",
        "Servus {pm},",
        "",
    ],
}
CLOSE_IN = {
    "en": [
        "Thanks,\n{me}",
        "Best regards,\n{me}",
        "Cheers,\n{me}",
        "Kind regards\n{me}",
        "{me}",
        "",
        "Regards, {me}",
        "Sent from my iPhone",
        "Thanks",
        "Best,\n{me}\n{client}",
    ],
    "de": [
        "Viele Grüße\n{me}",
        "Mit freundlichen Grüßen\n{me}",
        "Beste Grüße, {me}",
        "VG {me}",
        "Gruß\n{me}",
        "",
        "LG",
        "Von meinem iPhone gesendet",
        "Danke und Gruß",
        "Freundliche Grüße\n{me}\n{client}",
    ],
}
GREET_OUT = {
    "en": [
        "Dear {cfirst},",
        "Hi {cfirst},",
        "Hello {cfirst},",
        "Dear {cfirst} {clast},",
        "Good afternoon,",
        "",
    ],
    "de": [
        "{sal},",
        "Hallo {cfirst},",
        "Guten Tag {salshort},",
        "Sehr geehrte Damen und Herren,",
        "Hallo zusammen,",
        "",
    ],
}
CLOSE_OUT = {
    "en": [
        "Best regards,\n{me}\n" + FIRM,
        "Kind regards,\n{me}",
        "Thanks,\n{me}",
        "Best,\n{me}",
        "{me}",
    ],
    "de": [
        "Mit freundlichen Grüßen\n{me}\n" + FIRM,
        "Viele Grüße\n{me}",
        "Beste Grüße\n{me}",
        "Gruß, {me}",
        "{me}",
    ],
}
EMOJI = [" :)", " 👍", "!", " :-)", " 🙂", "", "", ""]


# ----------------------------------------------------------------------------
# helpers
_TR = str.maketrans(
    {
        **UMLAUTS,
        "ı": "i",
        "ş": "s",
        "Ş": "S",
        "ç": "c",
        "ğ": "g",
        "'": "",
        "&": "",
        ".": "",
    }
)


def _slug(s: str) -> str:
    return (
        "".join(ch for ch in s.translate(_TR).lower() if ch.isalnum() or ch in " -")
        .strip()
        .replace(" ", "-")
        .replace("--", "-")
    )


def _g2cdf(x, theta):
    """CDF of a Gamma(shape 2, scale theta) variable."""
    y = np.maximum(np.asarray(x, float), 0.0) / theta
    return 1.0 - np.exp(-y) * (1.0 + y)


L_THETA = 5.0  # dispute delay: 2 + floor(Gamma(2, L_THETA)) days after issue
ERR_P, ERR_Z = 0.015, 2.7  # firm-side billing slips and their effect on the client's reaction


def _F_L(x):
    """P(dispute delay <= x days)."""
    x = np.asarray(x, float)
    return np.where(x >= 2, _g2cdf(x - 1, L_THETA), 0.0)


def _S_pay(a, terms, theta):
    """P(paid later than a days after issue | not disputed)."""
    a = np.asarray(a, float)
    return np.where(a < 2, 1.0, 1.0 - _g2cdf(a - terms + 7, theta))


def _p_eff(z):
    """Dispute probability marginalised over a possible billing slip."""
    return (1 - ERR_P) * sigmoid(z) + ERR_P * sigmoid(z + ERR_Z)


# invoice kinds
IK_TM, IK_RET, IK_MS, IK_CO, IK_TERM = range(5)
# dispute causes (for the client's wording)
DC_GEN, DC_HOURS, DC_REWORK, DC_CO, DC_MS, DC_RET, DC_RATE, DC_ERR = range(8)
DC_KEY = [
    "dispute_gen",
    "dispute_hours",
    "dispute_rework",
    "dispute_co",
    "dispute_ms",
    "dispute_ret",
    "dispute_rate",
    "dispute_err",
]


def _inv_z(kind, lit, bpos, s, over, spike, warned, rw, inc, behind, undoc, ud, ratebump):
    """Logit of the client disputing an invoice, and the dominating cause."""
    kind = np.asarray(kind)
    n = kind.shape[0]
    parts = np.zeros((n, 8))
    parts[:, DC_HOURS] = np.where(
        kind == IK_TM, 4.2 * np.clip(over, 0, 0.6) * (1 - 0.5 * warned) + 0.8 * (spike > 1.8), 0.0
    )
    parts[:, DC_REWORK] = 1.7 * rw
    parts[:, DC_CO] = np.where(kind == IK_CO, 0.9 + 1.7 * undoc, 0.0) + np.where(
        kind == IK_TERM, 1.3, 0.0
    )
    parts[:, DC_MS] = np.where(
        (kind == IK_MS) | (kind == IK_TERM), 1.1 * inc + 0.7 * behind, 0.0
    ) + np.where(kind != IK_MS, 1.0 * inc, 0.0)
    parts[:, DC_RET] = np.where(kind == IK_RET, 1.6 * ud, 0.0)
    parts[:, DC_RATE] = np.where((kind == IK_TM) | (kind == IK_RET), 1.2 * ratebump, 0.0)
    z = -4.45 + lit + 0.9 * bpos - 0.45 * s + parts.sum(1) + np.where(kind == IK_RET, -0.5, 0.0)
    cause = np.where(parts.max(1) > 0.6, parts.argmax(1), DC_GEN)
    return z, cause


# churn hazard
B_S, B_B, B_CH, B_COMP, B_RT, B_IDLE, B_D, B_UD = 1.15, 0.9, 1.3, 1.7, 2.4, 0.9, 0.45, 0.8
S_KAPPA, S_SIG = 1 / 70, 0.025
B_KAPPA = 1 / 120
CH_TAU = 150.0
COMP_RATE = 1 / (4 * 365)
LAM_SUDDEN = 0.028 / 365


def _eta(s, bpos, ch, comp, rt, idle, disp, ud, grumpy):
    return (
        -B_S * s
        + B_B * bpos
        + B_CH * ch
        + B_COMP * comp
        + B_RT * rt
        + B_IDLE * np.clip((idle - 30) / 150, 0, 1.5)
        + B_D * np.minimum(disp, 3)
        + B_UD * ud
        + 0.1 * grumpy
    )


class _Arr:
    """A growable struct of arrays."""

    def __init__(self, spec: dict, cap: int):
        self.spec, self.cap, self.m = spec, cap, 0
        for k, (dt, fill, w) in spec.items():
            setattr(self, k, np.full((cap, w) if w > 1 else cap, fill, dtype=dt))

    def add(self, k: int) -> np.ndarray:
        if self.m + k > self.cap:
            new = max(2 * self.cap, self.m + k)
            for key, (dt, fill, w) in self.spec.items():
                old = getattr(self, key)
                arr = np.full((new, w) if w > 1 else new, fill, dtype=dt)
                arr[: self.m] = old[: self.m]
                setattr(self, key, arr)
            self.cap = new
        idx = np.arange(self.m, self.m + k)
        self.m += k
        return idx


PSPEC = {
    "cl": (np.int32, -1, 1),
    "typ": (np.int16, 0, 1),
    "bm": (np.int8, 0, 1),
    "budget": (float, 0.0, 1),
    "start": (np.int32, 0, 1),
    "end": (np.int32, 0, 1),
    "closed": (np.int32, -1, 1),
    "close_at": (np.int32, -1, 1),
    "done": (np.int32, -1, 1),
    "prog": (float, 0.0, 1),
    "vel": (float, 0.0, 1),
    "hpp": (float, 0.0, 1),
    "c_doc": (float, 0.0, 1),
    "c_und": (float, 0.0, 1),
    "claim": (float, 0.0, 1),
    "claim_und": (float, 0.0, 1),
    "cr_rate": (float, 0.0, 1),
    "pm": (np.int32, 0, 1),
    "rate": (float, 0.0, 1),
    "team": (np.int32, 0, 5),
    "tsize": (np.int16, 1, 1),
    "paused": (np.int32, -1, 1),
    "inc_last": (np.int32, -(10**6), 1),
    "rw_left": (float, 0.0, 1),
    "rw_rate": (float, 0.0, 1),
    "rw_bill": (bool, False, 1),
    "billed": (float, 0.0, 1),
    "accr": (float, 0.0, 1),
    "accr_rw": (float, 0.0, 1),
    "ema_val": (float, 0.0, 1),
    "last_amt": (float, 0.0, 1),
    "n_inv": (np.int32, 0, 1),
    "ms_i": (np.int16, 0, 1),
    "ms_set": (np.int16, -1, 1),
    "ms_prev": (float, 0.0, 1),
    "ret_fee": (float, 0.0, 1),
    "ret_h": (float, 0.0, 1),
    "act": (float, 1.0, 1),
    "h_ema": (float, 0.0, 1),
    "next_rep": (np.int32, 0, 1),
    "last_rep": (float, -1.0, 1),
    "warn80": (bool, False, 1),
    "warn100": (bool, False, 1),
    "links": (bool, False, 1),
    "site": (np.int32, 0, 1),
    "per_start": (np.int32, 0, 1),
    "active": (bool, False, 1),
}
ISPEC = {
    "cl": (np.int32, -1, 1),
    "pr": (np.int32, -1, 1),
    "iss": (np.int32, 0, 1),
    "kind": (np.int8, 0, 1),
    "amt": (float, 0.0, 1),
    "p": (float, 0.0, 1),
    "err": (bool, False, 1),
    "disp": (np.int32, -1, 1),
    "paid": (np.int32, -1, 1),
    "terms": (np.int32, 30, 1),
    "theta": (float, 2.0, 1),
    "ps": (np.int32, -1, 1),
    "pe": (np.int32, -1, 1),
    "cause": (np.int8, 0, 1),
    "ms": (np.int16, -1, 1),
    "errf": (float, 1.0, 1),
}
MSPEC = {
    "cl": (np.int32, 0, 1),
    "pr": (np.int32, -1, 1),
    "day": (np.int32, 0, 1),
    "kind": (np.int16, 0, 1),
    "aux": (np.int32, -1, 1),
    "val": (float, np.nan, 1),
    "sub": (np.int16, 0, 1),
    "tone": (float, 0.0, 1),
}

MS_THR = np.full((len(MILESTONES), 6), 999.0)
for _i, (_thr, _e, _d) in enumerate(MILESTONES):
    MS_THR[_i, : len(_thr)] = _thr
PT_BM = np.array([p[3] for p in PTYPES])
PT_LO = np.array([p[4] for p in PTYPES])
PT_HI = np.array([p[5] for p in PTYPES])
PT_DLO = np.array([p[6] for p in PTYPES])
PT_DHI = np.array([p[7] for p in PTYPES])
PT_INC = np.array([p[8] for p in PTYPES])
PT_CR = np.array([p[9] for p in PTYPES])
PT_MS = np.array([p[10] for p in PTYPES])
ROLE_RATE = np.array([r[2] for r in ROLES])


def _simulate(n: int, months: int, seed: int) -> dict:
    ss = np.random.SeedSequence([int(seed), 5505])
    r, rtx = (np.random.default_rng(x) for x in ss.spawn(2))
    start = (np.datetime64("2026-03", "M") - int(months)).astype("datetime64[D]")
    sim0 = start - BURN
    D = int((END - sim0) / np.timedelta64(1, "D"))
    k0 = BURN
    W = D - k0
    dates = sim0 + np.arange(D)
    dnum = dates.astype(np.int64)
    dow = weekday(dnum)
    mon = dates.astype("datetime64[M]").astype(np.int64) % 12 + 1
    dom = (dates - dates.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
    year = dates.astype("datetime64[Y]").astype(np.int64) + 1970
    hol = (
        ((mon == 1) & (dom == 1))
        | ((mon == 5) & (dom == 1))
        | ((mon == 10) & (dom == 3))
        | ((mon == 12) & np.isin(dom, [24, 25, 26, 31]))
    )
    work = (dow < 5) & ~hol
    mkey = year * 12 + mon
    bill = np.zeros(D, bool)
    seen = set()
    for t in range(D):
        if work[t] and mkey[t] not in seen:
            seen.add(mkey[t])
            bill[t] = t > 0
    next_bill = np.full(D, D + 60)
    nxt = D + 60
    for t in range(D - 1, -1, -1):
        next_bill[t] = nxt
        if bill[t]:
            nxt = t
    yf = 1.05 ** (year - year[0])
    ann = np.zeros(D, bool)
    survey_day = np.zeros(D, bool)
    for y in np.unique(year):
        c = np.nonzero((year == y) & (mon == 11) & (dom >= 12) & work)[0]
        if len(c):
            ann[c[0]] = True
        for mm in (3, 6, 9, 12):
            c = np.nonzero((year == y) & (mon == mm) & (dom >= 15) & work)[0]
            if len(c):
                survey_day[c[0]] = True
    t_rec0 = max(0, k0 - 70)

    # ---------------------------------------------------------------- staff and PMs
    n_pm = max(8, n // 25)
    n_staff = max(30, n // 6)
    st_de = r.random(n_staff) < 0.5
    st_role = r.choice(len(ROLES), n_staff, p=ROLE_P)
    st_first = np.where(
        st_de, r.integers(0, len(DE_FIRST), n_staff), r.integers(0, len(EN_FIRST), n_staff)
    )
    st_last = np.where(
        st_de, r.integers(0, len(DE_SUR), n_staff), r.integers(0, len(EN_SUR), n_staff)
    )
    st_name = [
        (DE_FIRST if d else EN_FIRST)[f][0] + " " + (DE_SUR if d else EN_SUR)[s]
        for d, f, s in zip(st_de, st_first, st_last, strict=True)
    ]
    pm_staff = r.choice(n_staff, n_pm, replace=False)
    st_role[pm_staff] = np.where(r.random(n_pm) < 0.2, 0, 1)
    pm_de = st_de[pm_staff]
    pm_name = [st_name[i] for i in pm_staff]
    pm_email = []
    for i, nm in enumerate(pm_name):
        f, l = nm.split(" ", 1)
        pm_email.append(f"{_slug(f)}.{_slug(l)}{'' if i < 60 else i}@{DOMAIN}")
    pm_cad = r.choice([7, 7, 14, 14, 14, 21, 30, 30], n_pm)
    pm_skip = r.uniform(0.0, 0.4, n_pm)
    pm_opt = np.where(r.random(n_pm) < 0.35, 0.0, r.uniform(2, 16, n_pm))
    pm_q = r.lognormal(0, 0.45, n_pm)
    pm_warn = r.random(n_pm) < 0.5
    pm_doc = r.uniform(0.2, 0.95, n_pm)
    pm_round = r.choice([1.0, 5.0, 5.0, 10.0, 0.1], n_pm)
    pm_retrep = r.random(n_pm) < 0.4
    pm_status = r.uniform(0.2, 0.9, n_pm)
    de_pms = np.nonzero(pm_de)[0]
    en_pms = np.nonzero(~pm_de)[0]
    if len(de_pms) == 0:
        de_pms = np.arange(n_pm)
    if len(en_pms) == 0:
        en_pms = np.arange(n_pm)
    de_staff = np.nonzero(st_de)[0]
    en_staff = np.nonzero(~st_de)[0]
    leads = [
        f"{_slug(f)}.{_slug(l)}@{DOMAIN}"
        for f, l in [
            ("Helga", "Brandt"),
            ("Chidi", "Okafor"),
            ("Martin", "Vogt"),
            ("Sarah", "Lindley"),
            ("Peter", "Ostermann"),
            ("Rachel", "Hughes"),
            ("Andreas", "Kühne"),
            ("Imogen", "Price"),
            ("Frank", "Dietrich"),
            ("Tariq", "Hussain"),
            ("Ulrike", "Sommer"),
            ("Neil", "Cartwright"),
        ]
    ]

    # ---------------------------------------------------------------- clients
    de = r.random(n) < 0.45
    ind = np.where(de, r.choice(9, n, p=IND_P_DE), r.choice(9, n, p=IND_P_EN))
    public = ind == PUBLIC
    size = r.lognormal(0, 0.7, n)
    framework = (public & (r.random(n) < 0.45)) | (
        np.isin(ind, [2, 3, 4, 7]) & (r.random(n) < 0.15)
    )
    new_share = min(0.3, 0.16 * months / 24)
    arrive = r.random(n) < new_share
    since = np.where(
        arrive,
        r.integers(k0, max(k0 + 1, D - 45), n),
        -(30 + np.minimum(r.gamma(1.3, 900, n), 15 * 365)).astype(np.int64),
    )
    s0 = r.normal(0.3, 0.45, n)
    s = s0 + r.normal(0, 0.15, n)
    b0 = r.normal(-0.05, 0.25, n)
    b = b0 + r.normal(0, 0.1, n)
    lit = r.normal(0, 0.55, n)
    grumpy = r.random(n) < 0.14
    querier = r.lognormal(-0.3, 0.8, n)
    rate_sens = r.random(n) < 0.22
    slow = r.lognormal(0, 0.5, n)
    terms = np.where(
        public, 30, np.where(de, r.choice([14, 30, 30], n), r.choice([30, 30, 45, 60], n))
    )
    consolidated = r.random(n) < 0.07
    changey = r.lognormal(0, 0.55, n)
    survey_opt = r.random(n) < 0.6
    ind_f = np.array([1.1, 0.7, 1.0, 0.9, 0.8, 1.35, 1.1, 0.9, 1.3])
    lam0 = 0.085 / 365 * ind_f[ind] * r.lognormal(0, 0.3, n)
    prate = 1.8 / 365 * size**0.6
    main_pm = np.where(
        de, de_pms[r.integers(0, len(de_pms), n)], en_pms[r.integers(0, len(en_pms), n)]
    )
    cont_first = np.where(
        de[:, None], r.integers(0, len(DE_FIRST), (n, 3)), r.integers(0, len(EN_FIRST), (n, 3))
    )
    cont_last = np.where(
        de[:, None], r.integers(0, len(DE_SUR), (n, 3)), r.integers(0, len(EN_SUR), (n, 3))
    )
    first0, last0 = cont_first[:, 0].copy(), cont_last[:, 0].copy()
    chist: dict[int, list] = {}  # client -> [(day, first, last)] changes of the main contact
    alive = np.ones(n, bool)
    churn_day = np.full(n, -1)
    churn_drv = np.full(n, -1)
    comp_end = np.full(n, -1)
    ch_last = np.full(n, -(10**6))
    disp_dec = np.zeros(n)
    idle = np.zeros(n)
    frame_end = np.full(n, -1)
    ud_c = np.zeros(n)
    disp_sched: list[list] = [[] for _ in range(D + 400)]

    P = _Arr(PSPEC, n * 8)
    I = _Arr(ISPEC, n * 30)
    M = _Arr(MSPEC, n * 300)
    prog_rows: list[tuple] = []
    rec: list[tuple] = []
    parts: list[tuple] = []  # (invoice, project) for T&M invoices

    def msg(cl, pr, day, kind, aux=-1, val=np.nan, sub=0, tone=0.0):
        cl = np.atleast_1d(cl)
        k = cl.shape[0]
        if k == 0:
            return
        idx = M.add(k)
        M.cl[idx] = cl
        M.pr[idx] = pr
        M.day[idx] = day
        M.kind[idx] = kind
        M.aux[idx] = aux
        M.val[idx] = val
        M.sub[idx] = sub
        M.tone[idx] = tone

    def new_projects(cls, t0, typ, t_now, init=False):
        k = len(cls)
        if k == 0:
            return np.zeros(0, int)
        idx = P.add(k)
        bm = PT_BM[typ]
        P.cl[idx] = cls
        P.typ[idx] = typ
        P.bm[idx] = bm
        bud = 0.75 * np.exp(r.uniform(np.log(PT_LO[typ]), np.log(PT_HI[typ]))) * size[cls] ** 0.3
        bud = np.maximum(500.0, np.round(bud / 500) * 500)
        P.budget[idx] = bud
        dur = r.uniform(PT_DLO[typ], PT_DHI[typ]).astype(int)
        P.start[idx] = t0
        P.end[idx] = t0 + dur
        pde = de[cls] ^ (r.random(k) < 0.12)
        pm = np.where(
            r.random(k) < 0.7,
            main_pm[cls],
            np.where(
                pde, de_pms[r.integers(0, len(de_pms), k)], en_pms[r.integers(0, len(en_pms), k)]
            ),
        )
        P.pm[idx] = pm
        ts = r.integers(2, 6, k)
        team = np.where(
            pde[:, None],
            de_staff[r.integers(0, len(de_staff), (k, 5))],
            en_staff[r.integers(0, len(en_staff), (k, 5))],
        )
        team[:, 0] = pm_staff[pm]
        P.team[idx] = team
        P.tsize[idx] = ts
        rates = ROLE_RATE[st_role[team]]
        mask = np.arange(5)[None, :] < ts[:, None]
        rate = (rates * mask).sum(1) / ts
        P.rate[idx] = rate
        eff = r.lognormal(-0.02, 0.18, k)
        P.hpp[idx] = bud / rate / 100 * eff
        P.vel[idx] = 100 / (dur * 5 / 7 * 0.96) * r.lognormal(-0.06, 0.2, k)
        P.c_und[idx] = np.where(bm == 1, r.lognormal(-2.3, 0.9, k), 0.0)
        P.cr_rate[idx] = 1 / 110 * changey[cls] * PT_CR[typ]
        P.ms_set[idx] = PT_MS[typ]
        P.ret_fee[idx] = np.where(bm == 2, bud / (dur / 30.44), 0.0)
        P.ret_h[idx] = np.where(bm == 2, bud / (dur / 30.44) / rate / 21 * 0.95, 0.0)
        P.links[idx] = r.random(k) < 0.7
        P.site[idx] = r.integers(0, 30, k)
        P.next_rep[idx] = t0 + r.integers(2, 12, k)
        P.per_start[idx] = np.maximum(t0, 0)
        P.active[idx] = True
        if init:
            off = np.minimum((r.uniform(0, 0.9, k) * dur).astype(int), t0 - since[cls])
            P.start[idx] = t0 - off
            P.end[idx] = t0 - off + dur
            pr0 = np.minimum(95.0, off / dur * 100 * r.uniform(0.7, 1.05, k))
            P.prog[idx] = np.where(bm == 2, 0.0, pr0)
            msi = np.zeros(k, int)
            for j in range(k):
                if P.ms_set[idx[j]] >= 0:
                    thr = MS_THR[P.ms_set[idx[j]]]
                    msi[j] = int((thr <= pr0[j]).sum())
            P.ms_i[idx] = msi
            P.ms_prev[idx] = np.where(
                msi > 0, MS_THR[np.maximum(P.ms_set[idx], 0), np.maximum(msi - 1, 0)], 0.0
            )
            P.billed[idx] = np.where(
                bm == 1, P.hpp[idx] * pr0 * P.rate[idx] * (1 + P.c_und[idx]) * 0.93 * 0.9, 0.0
            )
            P.last_amt[idx] = P.hpp[idx] * P.vel[idx] * 21 * P.rate[idx]
            P.n_inv[idx] = np.where(off > 60, 2, 0)
            P.h_ema[idx] = P.ret_h[idx]
            P.next_rep[idx] = t0 + r.integers(0, 14, k)
        fr = bm == 2
        if fr.any():
            frame_end[cls[fr]] = P.end[idx[fr]]
        return idx

    # initial book of work
    ex = np.nonzero(since <= 0)[0]
    k_init = r.poisson(prate[ex] * 210)
    cl_init = np.repeat(ex, k_init)
    typ_init = np.array([r.choice(NT - 1, p=TYPE_W[ind[c]]) for c in cl_init], dtype=int)
    new_projects(cl_init, 0, typ_init, 0, init=True)
    fr_ex = ex[framework[ex]]
    new_projects(fr_ex, 0, np.full(len(fr_ex), RETAINER_T), 0, init=True)

    fut_log = np.zeros((n, W), np.float32)
    churn_p = np.zeros((n, W), np.float32)
    U_H = np.arange(5.0, 95.0, 10.0)  # horizons (days) for the churn integral, 10-day steps

    def issue(t, cls, prs, kind, amt, z, cause, ps, pe, ms=-1):
        k = len(cls)
        if k == 0:
            return np.zeros(0, int)
        idx = I.add(k)
        err = r.random(k) < ERR_P
        z = z + ERR_Z * err
        p = sigmoid(z)
        dsp = r.random(k) < p
        L = 2 + np.floor(r.gamma(2.0, L_THETA, k)).astype(int)
        bpos = np.maximum(b[cls], 0)
        theta = 2.0 + 7.0 * bpos + 1.5 * slow[cls] + 3.0 * public[cls] * (mon[t] in (12, 1))
        pay_age = np.maximum(2, terms[cls] - 6 + np.floor(r.gamma(2.0, theta)).astype(int))
        after = t + L + 5 + np.floor(r.gamma(2.0, 10.0, k)).astype(int)
        never = r.random(k) < 0.15
        paid = np.where(dsp, np.where(never, -1, after), t + pay_age)
        I.cl[idx] = cls
        I.pr[idx] = prs
        I.iss[idx] = t
        I.kind[idx] = kind
        I.errf[idx] = np.where(err, r.uniform(1.08, 1.3, k), 1.0)
        I.amt[idx] = np.round(amt * I.errf[idx], 2)
        I.p[idx] = p
        I.err[idx] = err
        I.disp[idx] = np.where(dsp, t + L, -1)
        I.paid[idx] = paid
        I.terms[idx] = terms[cls]
        I.theta[idx] = theta
        I.ps[idx] = ps
        I.pe[idx] = pe
        I.cause[idx] = np.where(err, DC_ERR, cause)
        I.ms[idx] = ms
        for j in np.nonzero(dsp)[0]:
            if t + L[j] < len(disp_sched):
                disp_sched[t + L[j]].append(cls[j])
        if t >= k0 - 40:
            m_in = r.random(k)
            sel = m_in < 0.85
            msg(cls[sel], prs[sel], t, K_INVSENT, idx[sel], sub=kind)
            d = np.nonzero(dsp)[0]
            say = d[r.random(len(d)) < 0.85]
            msg(cls[say], prs[say], I.disp[idx[say]], K_DISPUTE, idx[say], sub=I.cause[idx[say]])
            rep = d[r.random(len(d)) < 0.7]
            msg(
                cls[rep],
                prs[rep],
                I.disp[idx[rep]] + r.integers(0, 5, len(rep)),
                K_DISPREPLY,
                idx[rep],
            )
            res = d[(r.random(len(d)) < 0.5) & (paid[d] > 0)]
            msg(
                cls[res],
                prs[res],
                np.maximum(I.disp[idx[res]] + 1, paid[res] - r.integers(0, 4, len(res))),
                K_DISPRES,
                idx[res],
            )
            due = t + terms[cls]
            late = ((paid < 0) | (paid > due + 10)) & (r.random(k) < 0.8)
            msg(cls[late], prs[late], due[late] + 10, K_REMIND, idx[late])
            exc = (paid > due + 10) & ~dsp & (r.random(k) < 0.25 + 0.3 * np.minimum(bpos, 1))
            msg(cls[exc], prs[exc], due[exc] + r.integers(0, 10, k)[exc], K_PAYDELAY, idx[exc])
            bq = r.random(k) < 0.035 * querier[cls]
            msg(cls[bq], prs[bq], t + r.integers(1, 14, k)[bq], K_BILLQ, idx[bq])
        return idx

    def features(pi, t):
        """Per-project inputs of the dispute logit as of day t."""
        c = P.cl[pi]
        over = (P.billed[pi] + P.accr[pi]) / (P.budget[pi] * (1 + P.c_doc[pi])) - 0.95
        spike = np.where(P.n_inv[pi] >= 2, P.accr[pi] / np.maximum(P.last_amt[pi], 1.0), 1.0)
        warned = (P.warn80[pi] & pm_warn[P.pm[pi]]).astype(float)
        rw = (P.accr_rw[pi] > 0.05 * np.maximum(P.accr[pi], 1.0)).astype(float)
        inc = (t - P.inc_last[pi] <= 50).astype(float)
        plan = np.clip((t - P.start[pi]) / np.maximum(P.end[pi] - P.start[pi], 1) * 100, 0, 100)
        behind = (plan - P.prog[pi] > 15).astype(float)
        ud = (P.h_ema[pi] < 0.6 * P.ret_h[pi]).astype(float)
        rb = (rate_sens[c] & (mon[t] in (1, 2))).astype(float)
        return c, over, spike, warned, rw, inc, behind, ud, rb

    for t in range(D):
        wd = bool(work[t])
        in_win = t >= k0
        m = P.m
        # ------------------------------------------------ new clients
        nc = np.nonzero(since == t)[0]
        if len(nc):
            new_projects(
                nc, t, np.array([r.choice(NT - 1, p=TYPE_W[ind[c]]) for c in nc], dtype=int), t
            )
            fr = nc[framework[nc]]
            new_projects(fr, t, np.full(len(fr), RETAINER_T), t)
            sel = r.random(len(nc)) < 0.5
            msg(nc[sel], -1, t, K_NEWPROJ)
        exists = since <= t
        live = alive & exists
        # ------------------------------------------------ client latent state
        s += (s0 - s) * S_KAPPA + S_SIG * r.normal(size=n)
        b += (b0 - b) * B_KAPPA + 0.02 * r.normal(size=n)
        np.maximum(b, -0.4, out=b)
        shock = (r.random(n) < 1 / (5 * 365)) & live
        b[shock] += r.uniform(0.6, 1.6, shock.sum())
        chg = (r.random(n) < 1 / (3.5 * 365)) & live & (t - ch_last > 200)
        if chg.any():
            ci = np.nonzero(chg)[0]
            ch_last[ci] = t
            s[ci] += r.normal(-0.25, 0.35, len(ci))
            s0[ci] += r.normal(-0.1, 0.3, len(ci))
            cont_first[ci, 0] = np.where(
                de[ci], r.integers(0, len(DE_FIRST), len(ci)), r.integers(0, len(EN_FIRST), len(ci))
            )
            cont_last[ci, 0] = np.where(
                de[ci], r.integers(0, len(DE_SUR), len(ci)), r.integers(0, len(EN_SUR), len(ci))
            )
            for c in ci:
                chist.setdefault(int(c), []).append(
                    (t, int(cont_first[c, 0]), int(cont_last[c, 0]))
                )
            a = r.random(len(ci))
            msg(ci[a < 0.55], -1, t + r.integers(0, 25, len(ci))[a < 0.55], K_INTRO, ci[a < 0.55])
            a2 = r.random(len(ci)) < 0.2
            msg(ci[a2], -1, t + r.integers(0, 10, len(ci))[a2], K_LEFT, ci[a2])
        cs = (comp_end < t) & live & (r.random(n) < COMP_RATE * np.exp(-0.8 * s))
        if cs.any():
            comp_end[cs] = t + r.integers(45, 160, cs.sum())
        comp = comp_end >= t
        # competitor hints, cost talk, procurement noise, holidays
        if wd:
            u = r.random((5, n))
            msg(np.nonzero(comp & live & (u[0] < 0.009))[0], -1, t, K_COMPHINT)
            cc = np.nonzero(comp & live & (u[1] < 0.006))[0]
            msg(cc, -1, t, K_CALL, sub=2)
            msg(
                np.nonzero(live & (u[2] < 0.006 * np.clip(b - 0.3, 0, 2) + 0.0004))[0],
                -1,
                t,
                K_COST,
            )
            msg(
                np.nonzero(live & (u[3] < 0.0025 * (public | (ind == 5) | (ind == 2))))[0],
                -1,
                t,
                K_PROCURE,
            )
            msg(
                np.nonzero(live & (u[4] < 0.004 * (2.5 if mon[t] in (7, 8, 12) else 1.0)))[0],
                -1,
                t,
                K_OOO,
            )

        # ------------------------------------------------ invoicing (first workday of the month)
        act_all = np.nonzero(P.active[:m] | (P.accr[:m] > 0))[0]
        if bill[t]:
            tm = act_all[(P.bm[act_all] == 1) & (P.accr[act_all] >= 150) & (P.start[act_all] < t)]
            if len(tm):
                c, over, spike, warned, rw, inc, behind, ud, rb = features(tm, t)
                z, cause = _inv_z(
                    np.full(len(tm), IK_TM),
                    lit[c],
                    np.maximum(b[c], 0),
                    s[c],
                    over,
                    spike,
                    warned,
                    rw,
                    inc,
                    behind,
                    0.0,
                    ud,
                    rb,
                )
                single = ~consolidated[c]
                ii = issue(
                    t,
                    c[single],
                    tm[single],
                    IK_TM,
                    P.accr[tm[single]],
                    z[single],
                    cause[single],
                    P.per_start[tm[single]],
                    np.full(single.sum(), t - 1),
                )
                parts.extend(zip(ii.tolist(), tm[single].tolist(), strict=True))
                cons = tm[~single]
                if len(cons):
                    cc = P.cl[cons]
                    uc, inv_ = np.unique(cc, return_inverse=True)
                    amt = np.bincount(inv_, P.accr[cons], len(uc))
                    zc = np.full(len(uc), -50.0)
                    np.maximum.at(zc, inv_, z[~single])
                    cause_c = np.zeros(len(uc), int)
                    cause_c[inv_] = cause[~single]
                    psc = np.full(len(uc), 10**9)
                    np.minimum.at(psc, inv_, P.per_start[cons])
                    ii = issue(
                        t,
                        uc,
                        np.full(len(uc), -1),
                        IK_TM,
                        amt,
                        zc,
                        cause_c,
                        psc,
                        np.full(len(uc), t - 1),
                    )
                    parts.extend(zip(ii[inv_].tolist(), cons.tolist(), strict=True))
                P.billed[tm] += P.accr[tm]
                P.last_amt[tm] = P.accr[tm]
                P.n_inv[tm] += 1
                P.accr[tm] = 0
                P.accr_rw[tm] = 0
                P.per_start[tm] = t
            rt = act_all[(P.bm[act_all] == 2) & P.active[act_all] & (P.start[act_all] < t)]
            if len(rt):
                c, over, spike, warned, rw, inc, behind, ud, rb = features(rt, t)
                z, cause = _inv_z(
                    np.full(len(rt), IK_RET),
                    lit[c],
                    np.maximum(b[c], 0),
                    s[c],
                    over,
                    spike,
                    warned,
                    rw,
                    inc,
                    behind,
                    0.0,
                    ud,
                    rb,
                )
                ps = np.maximum(P.per_start[rt], P.start[rt])
                amt = (
                    P.ret_fee[rt]
                    * yf[t]
                    / yf[np.clip(P.start[rt], 0, D - 1)]
                    * np.minimum(1.0, (t - ps) / 30.44)
                )
                issue(t, c, rt, IK_RET, np.round(amt, 2), z, cause, ps, np.full(len(rt), t - 1))
                P.per_start[rt] = t
                P.n_inv[rt] += 1
        # change orders on Mondays
        if dow[t] == 0 and wd:
            co = act_all[
                (P.bm[act_all] == 0)
                & P.active[act_all]
                & (P.claim[act_all] >= 0.1 * P.budget[act_all])
            ]
            co = co[r.random(len(co)) < 0.6]
            if len(co):
                c, over, spike, warned, rw, inc, behind, ud, rb = features(co, t)
                undoc = P.claim_und[co] / P.claim[co]
                z, cause = _inv_z(
                    np.full(len(co), IK_CO),
                    lit[c],
                    np.maximum(b[c], 0),
                    s[c],
                    over,
                    spike,
                    warned,
                    rw,
                    inc,
                    behind,
                    undoc,
                    ud,
                    rb,
                )
                issue(t, c, co, IK_CO, np.round(P.claim[co], -1), z, cause, -1, -1)
                P.claim[co] = 0
                P.claim_und[co] = 0

        # ------------------------------------------------ project work
        ap = act_all[P.active[act_all] & (P.start[act_all] <= t)]
        cl_ap = P.cl[ap]
        # closures due today
        cz = ap[P.close_at[ap] == t]
        if len(cz):
            P.active[cz] = False
            P.closed[cz] = t
            term = cz[(P.bm[cz] == 0) & (P.prog[cz] - P.ms_prev[cz] > 2) & (P.done[cz] < 0)]
            if len(term):
                c, over, spike, warned, rw, inc, behind, ud, rb = features(term, t)
                z, cause = _inv_z(
                    np.full(len(term), IK_TERM),
                    lit[c],
                    np.maximum(b[c], 0),
                    s[c],
                    over,
                    spike,
                    warned,
                    rw,
                    inc,
                    behind,
                    0.0,
                    ud,
                    rb,
                )
                issue(
                    t,
                    c,
                    term,
                    IK_TERM,
                    np.round((P.prog[term] - P.ms_prev[term]) / 100 * P.budget[term], 2),
                    z,
                    cause,
                    -1,
                    -1,
                )
            fin = cz[(P.done[cz] >= 0) & (r.random(len(cz)) < 0.8)]
            for p_ in fin:
                if t >= k0:
                    prog_rows.append((p_, t, 100.0, ""))
            cs_ = cz[(P.bm[cz] == 0) & (P.done[cz] >= 0) & (r.random(len(cz)) < 0.25)]
            sc = np.clip(
                np.round(
                    3.6 + 1.0 * s[P.cl[cs_]] - 0.5 * grumpy[P.cl[cs_]] + r.normal(0, 0.8, len(cs_))
                ),
                1,
                5,
            )
            msg(P.cl[cs_], cs_, t + r.integers(1, 10, len(cs_)), K_CSAT, val=sc)
        # retainer ends and renewals
        re_ = ap[(P.bm[ap] == 2) & (P.end[ap] == t)]
        if len(re_):
            P.active[re_] = False
            P.closed[re_] = t
            ren = re_[alive[P.cl[re_]]]
            if len(ren):
                ni = new_projects(P.cl[ren], t + 1, np.full(len(ren), RETAINER_T), t)
                P.budget[ni] = np.round(P.budget[ren] * r.uniform(0.9, 1.3, len(ren)) / 500) * 500
                P.ret_fee[ni] = P.budget[ni] / ((P.end[ni] - P.start[ni]) / 30.44)
            dead = re_[~alive[P.cl[re_]]]
            frame_end[P.cl[dead]] = -1
        ap = ap[P.active[ap]]
        cl_ap = P.cl[ap]
        if wd and len(ap):
            k = len(ap)
            u = r.random((8, k))
            bmv = P.bm[ap]
            run = (bmv != 2) & (P.done[ap] < 0)
            paused = P.paused[ap] > t
            slow_f = np.where(P.close_at[ap] >= 0, 0.5, 1.0)
            dprog = np.where(run & ~paused, P.vel[ap] * (0.4 + 1.2 * u[0]) * slow_f, 0.0)
            newp = np.minimum(100.0, P.prog[ap] + dprog)
            hrs = P.hpp[ap] * (1 + P.c_doc[ap] + P.c_und[ap]) * (newp - P.prog[ap]) + np.where(
                run & paused, P.hpp[ap] * P.vel[ap] * 0.25, 0.0
            )
            P.act[ap] += np.where(bmv == 2, (1 - P.act[ap]) / 60 + 0.05 * (u[1] - 0.5), 0.0)
            drop = (bmv == 2) & (u[2] < 1 / 350)
            P.act[ap[drop]] *= 0.35
            hrs = np.where(
                bmv == 2,
                P.ret_h[ap] * np.maximum(P.act[ap], 0.05) * (0.2 + 1.6 * u[3]) * slow_f,
                hrs,
            )
            rw = np.minimum(P.rw_left[ap], P.rw_rate[ap])
            P.rw_left[ap] -= rw
            rwb = np.where(P.rw_bill[ap] & (bmv == 1), rw, 0.0)
            hb = hrs * 0.93 + rwb
            hn = hrs * 0.07 + (rw - rwb)
            if t >= t_rec0:
                keep = (hb + hn) > 0.1
                rec.append((ap[keep], np.full(keep.sum(), t, np.int32), hb[keep], hn[keep]))
            val = hb * P.rate[ap] * yf[t]
            is_tm = bmv == 1
            P.accr[ap] += np.where(is_tm, val, 0.0)
            P.accr_rw[ap] += np.where(is_tm, rwb * P.rate[ap] * yf[t], 0.0)
            P.ema_val[ap] = 0.95 * P.ema_val[ap] + 0.05 * val
            P.h_ema[ap] = np.where(bmv == 2, P.h_ema[ap] + (hrs - P.h_ema[ap]) / 45, P.h_ema[ap])
            P.prog[ap] = newp
            # milestones
            msk = run & (P.ms_set[ap] >= 0)
            thr = MS_THR[np.maximum(P.ms_set[ap], 0), np.minimum(P.ms_i[ap], 5)]
            crossed = ap[msk & (newp >= thr)]
            if len(crossed):
                thr_c = MS_THR[P.ms_set[crossed], P.ms_i[crossed]]
                c, over, spike, warned, rw_, inc, behind, ud, rb = features(crossed, t)
                z, cause = _inv_z(
                    np.full(len(crossed), IK_MS),
                    lit[c],
                    np.maximum(b[c], 0),
                    s[c],
                    over,
                    spike,
                    warned,
                    rw_,
                    inc,
                    behind,
                    0.0,
                    ud,
                    rb,
                )
                amt = (thr_c - P.ms_prev[crossed]) / 100 * P.budget[crossed]
                issue(t, c, crossed, IK_MS, np.round(amt, 2), z, cause, -1, -1, ms=P.ms_i[crossed])
                s[c] += 0.04 * (1 - behind)
                uu = r.random((2, len(crossed)))
                if in_win:
                    for j in np.nonzero(uu[0] < 0.75)[0]:
                        p_ = crossed[j]
                        ms_name = MILESTONES[P.ms_set[p_]][2 if de[P.cl[p_]] else 1][P.ms_i[p_]]
                        prog_rows.append(
                            (p_, t, float(min(100.0, max(thr_c[j], P.last_rep[p_]))), ms_name)
                        )
                        P.last_rep[p_] = max(thr_c[j], P.last_rep[p_])
                    dl = uu[1] < 0.6
                    msg(c[dl], crossed[dl], t, K_DELIVER, P.ms_i[crossed[dl]])
                P.ms_prev[crossed] = thr_c
                P.ms_i[crossed] += 1
            # completion
            fin = ap[run & (newp >= 100)]
            if len(fin):
                P.done[fin] = t
                P.close_at[fin] = np.where(
                    P.close_at[fin] >= 0,
                    np.minimum(P.close_at[fin], t + 14),
                    t + r.integers(1, 21, len(fin)),
                )
                cof = fin[(P.bm[fin] == 0) & (P.claim[fin] > 0) & (r.random(len(fin)) < 0.8)]
                if len(cof):
                    c, over, spike, warned, rw_, inc, behind, ud, rb = features(cof, t)
                    undoc = P.claim_und[cof] / P.claim[cof]
                    z, cause = _inv_z(
                        np.full(len(cof), IK_CO),
                        lit[c],
                        np.maximum(b[c], 0),
                        s[c],
                        over,
                        spike,
                        warned,
                        rw_,
                        inc,
                        behind,
                        undoc,
                        ud,
                        rb,
                    )
                    issue(t, c, cof, IK_CO, np.round(P.claim[cof], -1), z, cause, -1, -1)
                    P.claim[cof] = 0
                    P.claim_und[cof] = 0
            # change requests
            crm = run & (bmv != 2) & (P.close_at[ap] < 0) & (u[4] < P.cr_rate[ap])
            cr = ap[crm]
            if len(cr):
                dc = r.uniform(0.03, 0.12, len(cr))
                doc = r.random(len(cr)) < pm_doc[P.pm[cr]]
                P.c_doc[cr] += np.where(doc, dc, 0.0)
                P.c_und[cr] += np.where(doc, 0.0, dc)
                ff = P.bm[cr] == 0
                cl_v = dc * P.budget[cr] * r.uniform(0.7, 1.0, len(cr)) * ff
                P.claim[cr] += cl_v
                P.claim_und[cr] += np.where(doc, 0.0, cl_v)
                cc = P.cl[cr]
                how = r.random(len(cr))
                msg(cc[how < 0.85], cr[how < 0.85], t, K_CR, val=(dc * P.budget[cr])[how < 0.85])
                msg(cc[how >= 0.85], cr[how >= 0.85], t, K_CALL, sub=3)
                dd = np.nonzero(doc)[0]
                d1 = t + r.integers(1, 6, len(dd))
                msg(cc[dd], cr[dd], d1, K_CRCONF, val=(dc * P.budget[cr])[dd])
                ok = r.random(len(dd)) < 0.6
                msg(cc[dd[ok]], cr[dd[ok]], d1[ok] + r.integers(1, 10, ok.sum()), K_CRACK)
            # incidents
            plan = np.clip((t - P.start[ap]) / np.maximum(P.end[ap] - P.start[ap], 1) * 100, 0, 100)
            behind = plan - P.prog[ap]
            ih = 1 / 330 * pm_q[P.pm[ap]] * PT_INC[P.typ[ap]] * (1 + 1.5 * (behind > 12))
            inc = ap[run & ~paused & (u[5] < ih)]
            if len(inc):
                k2 = len(inc)
                P.paused[inc] = t + r.integers(3, 13, k2)
                P.rw_left[inc] += P.hpp[inc] * 100 * r.uniform(0.02, 0.08, k2)
                P.rw_rate[inc] = P.rw_left[inc] / r.integers(5, 21, k2)
                P.rw_bill[inc] = (P.bm[inc] == 1) & (r.random(k2) < 0.35)
                P.inc_last[inc] = t
                ci = P.cl[inc]
                np.subtract.at(s, ci, r.uniform(0.25, 0.55, k2))
                uu = r.random((4, k2))
                msg(
                    ci[uu[0] < 0.8],
                    inc[uu[0] < 0.8],
                    t + r.integers(0, 4, k2)[uu[0] < 0.8],
                    K_INCIDENT,
                )
                msg(
                    ci[uu[1] < 0.45],
                    inc[uu[1] < 0.45],
                    t + r.integers(4, 15, k2)[uu[1] < 0.45],
                    K_INCFOLLOW,
                )
                msg(
                    ci[uu[2] < 0.6],
                    inc[uu[2] < 0.6],
                    t + r.integers(1, 5, k2)[uu[2] < 0.6],
                    K_APOLOGY,
                )
                msg(
                    ci[uu[3] < 0.2],
                    inc[uu[3] < 0.2],
                    t + r.integers(0, 6, k2)[uu[3] < 0.2],
                    K_CALL,
                    sub=1,
                )
            # delay complaints
            dl = ap[run & (behind > 15) & (u[6] < 0.012)]
            if len(dl):
                msg(P.cl[dl], dl, t, K_DELAY)
                np.subtract.at(s, P.cl[dl], 0.015)
            # T&M budget consumption: warnings and questions
            tmm = ap[bmv == 1]
            if len(tmm):
                cons = (P.billed[tmm] + P.accr[tmm]) / P.budget[tmm]
                w8 = tmm[(cons >= 0.8) & ~P.warn80[tmm]]
                P.warn80[w8] = True
                w8 = w8[pm_warn[P.pm[w8]]]
                msg(P.cl[w8], w8, t, K_BUDWARN, val=80.0 + r.integers(0, 8, len(w8)))
                w1 = tmm[(cons >= 1.0) & ~P.warn100[tmm]]
                P.warn100[w1] = True
                w1 = w1[pm_warn[P.pm[w1]] & (r.random(len(w1)) < 0.8)]
                msg(
                    P.cl[w1],
                    w1,
                    t,
                    K_BUDWARN,
                    val=np.round(100 * (P.billed[w1] + P.accr[w1]) / P.budget[w1]),
                )
                ratio = (P.billed[tmm] + P.accr[tmm]) / (P.budget[tmm] * (1 + P.c_doc[tmm]))
                hq = tmm[
                    r.random(len(tmm))
                    < 0.0012 * querier[P.cl[tmm]] + 0.05 * np.clip(ratio - 0.9, 0, 0.5)
                ]
                msg(P.cl[hq], hq, t, K_HOURSQ)
            # under-delivery on retainers
            rp = ap[bmv == 2]
            ud_c[:] = 0
            if len(rp):
                udp = rp[P.h_ema[rp] < 0.6 * P.ret_h[rp]]
                ud_c[P.cl[udp]] = 1
                s[P.cl[udp]] -= 0.004
        # ------------------------------------------------ disputes raised today
        if disp_sched[t]:
            dc_ = np.array(disp_sched[t])
            np.subtract.at(s, dc_, 0.12)
            np.add.at(disp_dec, dc_, 1.0)
        disp_dec *= np.exp(-1 / 90)
        # ------------------------------------------------ routine messages
        if len(ap):
            eng = np.exp(0.3 * s[cl_ap] - 0.4 * comp[cl_ap]) * np.where(
                P.close_at[ap] >= 0, 0.4, 1.0
            )
            lamr = 0.23 * eng * (1.0 if wd else 0.05)
            cnt = r.poisson(lamr)
            pi = np.repeat(ap, cnt)
            if len(pi):
                ci = P.cl[pi]
                tone = s[ci] + r.normal(0, 0.5, len(pi)) - 0.9 * grumpy[ci]
                kk = r.choice(
                    [K_ACK, K_TECHQ, K_REPLY, K_SCHED, -1, K_CALL, K_MEET, K_STATUS],
                    len(pi),
                    p=[0.24, 0.22, 0.2, 0.08, 0.12, 0.07, 0.04, 0.03],
                )
                sent = kk == -1
                kk[sent] = np.where(
                    tone[sent] > 0.35, K_PRAISE, np.where(tone[sent] < -0.1, K_GRIPE, K_ACK)
                )
                sub = np.where((kk == K_CALL) & (tone < -0.4) & (r.random(len(pi)) < 0.5), 1, 0)
                msg(ci, pi, t, kk, sub=sub, tone=tone)
        lc = np.nonzero(live)[0]
        cnt = r.poisson(0.03 * (1.0 if wd else 0.1), len(lc))
        ci = np.repeat(lc, cnt)
        if len(ci):
            tone = s[ci] + r.normal(0, 0.5, len(ci)) - 0.9 * grumpy[ci]
            kk = r.choice([K_ACK, K_SCHED, K_CALL, K_TECHQ], len(ci), p=[0.4, 0.2, 0.2, 0.2])
            msg(ci, -1, t, kk, tone=tone)
        # rate announcement and reactions
        if ann[t]:
            has = np.zeros(n, bool)
            has[cl_ap[np.isin(P.bm[ap], [1, 2])]] = True
            ac = np.nonzero(has & live)[0]
            msg(ac, -1, t, K_RATEANN)
            u = r.random(len(ac))
            ps_ = ac[rate_sens[ac] & (u < 0.6)]
            msg(ps_, -1, t + r.integers(1, 25, len(ps_)), K_RATEPUSH)
            ok_ = ac[~rate_sens[ac] & (u < 0.12)]
            msg(ok_, -1, t + r.integers(1, 25, len(ok_)), K_RATEOK)
        if survey_day[t]:
            sc_ = np.nonzero(live & survey_opt & (r.random(n) < 0.35))[0]
            nps = np.clip(
                np.round(7.2 + 2.2 * s[sc_] - 1.2 * grumpy[sc_] + r.normal(0, 1.5, len(sc_))), 0, 10
            )
            msg(sc_, -1, t + r.integers(0, 15, len(sc_)), K_SURVEY, val=nps)
        # re-tender notices
        rtn = np.nonzero(live & (frame_end - t == 75))[0]
        if len(rtn):
            u = r.random(len(rtn))
            msg(rtn[u < 0.7], -1, t + r.integers(0, 15, len(rtn))[u < 0.7], K_RETENDER, sub=0)
            msg(rtn[u > 0.7], -1, t + r.integers(0, 30, len(rtn))[u > 0.7], K_RETENDER, sub=1)
        # ------------------------------------------------ activity and idleness
        nact = np.bincount(cl_ap, minlength=n)
        idle = np.where(nact > 0, 0.0, idle + 1)
        # ------------------------------------------------ churn
        rt_w = ((frame_end - t) <= 80) & ((frame_end - t) >= 0)
        ch = np.exp(-(t - ch_last) / CH_TAU)
        if in_win:
            bpos = np.maximum(b, 0)
            eta = _eta(s, bpos, ch, comp, rt_w, idle, disp_dec, ud_c, grumpy)
            lam = lam0 * np.exp(eta) + LAM_SUDDEN
            go = live & (r.random(n) < 1 - np.exp(-lam))
            if go.any():
                gi = np.nonzero(go)[0]
                alive[gi] = False
                churn_day[gi] = t
                terms_ = np.stack(
                    [
                        -B_S * (s[gi] - 0.3),
                        B_B * bpos[gi],
                        B_CH * ch[gi],
                        B_COMP * comp[gi],
                        B_RT * rt_w[gi],
                        B_IDLE * np.clip((idle[gi] - 30) / 150, 0, 1.5),
                        B_D * np.minimum(disp_dec[gi], 3),
                        B_UD * ud_c[gi],
                    ],
                    1,
                )
                sudden = r.random(len(gi)) < LAM_SUDDEN / lam[gi]
                churn_drv[gi] = np.where(sudden | (terms_.max(1) < 0.3), 8, terms_.argmax(1))
                own = np.isin(P.cl[ap], gi) & (P.close_at[ap] < 0)
                P.close_at[ap[own]] = t + r.integers(7, 46, own.sum())
                fut = act_all[
                    np.isin(P.cl[act_all], gi) & (P.start[act_all] > t) & P.active[act_all]
                ]
                P.active[fut] = False
                P.closed[fut] = -2  # awarded but never started
                fw = gi[r.random(len(gi)) < np.where(churn_drv[gi] == 5, 0.1, 0.45)]
                msg(fw, -1, t, K_FAREWELL)
        # ------------------------------------------------ new work
        if wd:
            lamp = (
                prate
                * 7
                / 5
                * np.exp(0.35 * s - 0.5 * np.maximum(b, 0))
                * np.where(comp, 0.35, 1.0)
            )
            nw = np.nonzero(live & (r.random(n) < lamp) & (since < t))[0]
            if len(nw):
                typ = np.array([r.choice(NT - 1, p=TYPE_W[ind[c]]) for c in nw], dtype=int)
                st = t + r.integers(3, 26, len(nw))
                new_projects(nw, st, typ, t)
                sel = r.random(len(nw)) < 0.35
                msg(nw[sel], -1, t, K_NEWPROJ)
        # ------------------------------------------------ progress reports
        if wd and len(ap) and in_win:
            due_ = ap[(P.next_rep[ap] <= t)]
            if len(due_):
                pmv = P.pm[due_]
                P.next_rep[due_] = t + pm_cad[pmv] + r.integers(-2, 4, len(due_))
                u = r.random((4, len(due_)))
                ok = (u[0] > pm_skip[pmv]) & ((P.bm[due_] != 2) | pm_retrep[pmv])
                for j in np.nonzero(ok)[0]:
                    p_ = due_[j]
                    pm_ = pmv[j]
                    if P.bm[p_] == 2:
                        tv = 100.0 * (t - P.start[p_]) / max(1, P.end[p_] - P.start[p_])
                    else:
                        x = P.prog[p_] / 100
                        tv = P.prog[p_] + pm_opt[pm_] * 4 * x * (1 - x) + r.normal(0, 1.5)
                    rv = np.round(tv / pm_round[pm_]) * pm_round[pm_]
                    if u[1, j] < 0.12 and P.last_rep[p_] >= 0:
                        rv = P.last_rep[p_]
                    elif u[2, j] > 0.04:
                        rv = max(rv, P.last_rep[p_])
                    rv = float(np.clip(rv, 0, 100 if P.done[p_] >= 0 else 99))
                    note = ""
                    if u[3, j] < 0.05:
                        note = (
                            ("Baubesprechung" if de[P.cl[p_]] else "Site meeting")
                            if u[3, j] < 0.025
                            else ("Zwischenstand" if de[P.cl[p_]] else "interim")
                        )
                    prog_rows.append((p_, t, round(rv, 1), note))
                    P.last_rep[p_] = rv
                st_ = due_[ok & (u[3] > 1 - pm_status[pmv])]
                msg(P.cl[st_], st_, t, K_STATUS, val=P.last_rep[st_])
        # ------------------------------------------------ oracle, end of day t
        if in_win:
            w = t - k0
            lv = alive & exists
            # invoices to come within 30 days
            if len(ap):
                apl = ap[lv[P.cl[ap]]]
                if len(apl):
                    c, over, spike, warned, rw_, inc, behind, ud, rb = features(apl, t)
                    bmv = P.bm[apl]
                    q = np.zeros(len(apl))
                    ub = next_bill[t] - t
                    if ub < 30:
                        # projected accrual at the next billing day
                        accr_p = P.accr[apl] + P.ema_val[apl] * ub * 5 / 7
                        over_p = (P.billed[apl] + accr_p) / (
                            P.budget[apl] * (1 + P.c_doc[apl])
                        ) - 0.95
                        spike_p = np.where(
                            P.n_inv[apl] >= 2, accr_p / np.maximum(P.last_amt[apl], 1.0), 1.0
                        )
                        rb_p = (rate_sens[c] & (mon[min(next_bill[t], D - 1)] in (1, 2))).astype(
                            float
                        )
                        for kind in (IK_TM, IK_RET):
                            sel = bmv == (1 if kind == IK_TM else 2)
                            if sel.any():
                                z, _ = _inv_z(
                                    np.full(sel.sum(), kind),
                                    lit[c[sel]],
                                    np.maximum(b[c[sel]], 0),
                                    s[c[sel]],
                                    over_p[sel],
                                    spike_p[sel],
                                    warned[sel],
                                    rw_[sel],
                                    inc[sel],
                                    behind[sel],
                                    0.0,
                                    ud[sel],
                                    rb_p[sel],
                                )
                                q[sel] = (
                                    _p_eff(z)
                                    * _F_L(30 - ub)
                                    * np.where((kind == IK_TM) & (accr_p[sel] < 150), 0.0, 1.0)
                                )
                    ffm = (bmv == 0) & (P.ms_set[apl] >= 0) & (P.done[apl] < 0)
                    if ffm.any():
                        fi = apl[ffm]
                        thr = MS_THR[P.ms_set[fi], np.minimum(P.ms_i[fi], 5)]
                        days = (thr - P.prog[fi]) / np.maximum(
                            P.vel[fi], 1e-6
                        ) * 7 / 5 + np.maximum(P.paused[fi] - t, 0)
                        days = days * np.where(P.close_at[fi] >= 0, 2.0, 1.0)
                        z, _ = _inv_z(
                            np.full(len(fi), IK_MS),
                            lit[c[ffm]],
                            np.maximum(b[c[ffm]], 0),
                            s[c[ffm]],
                            over[ffm],
                            spike[ffm],
                            warned[ffm],
                            rw_[ffm],
                            inc[ffm],
                            behind[ffm],
                            0.0,
                            ud[ffm],
                            rb[ffm],
                        )
                        q[ffm] = np.where(days < 29, _p_eff(z) * _F_L(30 - np.ceil(days)), 0.0)
                        cl_m = P.claim[fi] >= 0.1 * P.budget[fi]
                        if cl_m.any():
                            undoc = P.claim_und[fi] / np.maximum(P.claim[fi], 1.0)
                            z2, _ = _inv_z(
                                np.full(len(fi), IK_CO),
                                lit[c[ffm]],
                                np.maximum(b[c[ffm]], 0),
                                s[c[ffm]],
                                over[ffm],
                                spike[ffm],
                                warned[ffm],
                                rw_[ffm],
                                inc[ffm],
                                behind[ffm],
                                undoc,
                                ud[ffm],
                                rb[ffm],
                            )
                            dm = (7 - dow[t]) % 7
                            dm = 7 if dm == 0 else dm
                            pco = sum(0.6 * 0.4**j * _F_L(30 - dm - 7 * j) for j in range(4))
                            qc = np.where(cl_m, _p_eff(z2) * pco, 0.0)
                            q[ffm] = 1 - (1 - q[ffm]) * (1 - qc)
                    fut_log[:, w] = np.bincount(c, np.log1p(-np.minimum(q, 0.999)), n)
            # churn within 90 days
            li = np.nonzero(lv)[0]
            if len(li):
                uh = U_H[None, :]
                s_u = s0[li, None] + (s[li, None] - s0[li, None]) * np.exp(-S_KAPPA * uh)
                var_u = S_SIG**2 / (2 * S_KAPPA) * (1 - np.exp(-2 * S_KAPPA * uh))
                b_u = b0[li, None] + (b[li, None] - b0[li, None]) * np.exp(-B_KAPPA * uh)
                ch_u = np.exp(-(t + uh - ch_last[li, None]) / CH_TAU)
                comp_u = (comp_end[li, None] >= t + uh).astype(float)
                fe = frame_end[li, None]
                rt_u = ((fe - t - uh) <= 80) & ((fe - t - uh) >= 0)
                disp_u = disp_dec[li, None] * np.exp(-uh / 90)
                # idle path: time until all current work is done, then no new work
                rem = np.zeros(n)
                if len(ap):
                    rr = np.where(
                        P.bm[ap] == 2,
                        1e4,
                        (100 - P.prog[ap]) / np.maximum(P.vel[ap], 1e-6) * 7 / 5
                        + np.maximum(P.paused[ap] - t, 0),
                    )
                    rr = np.where(P.close_at[ap] >= 0, np.minimum(rr, P.close_at[ap] - t), rr)
                    np.maximum.at(rem, P.cl[ap], rr)
                remc = rem[li, None]
                idle_u = np.where(nact[li, None] > 0, np.maximum(0, uh - remc), idle[li, None] + uh)
                lamp_c = prate[li, None] * np.exp(
                    0.35 * s[li, None] - 0.5 * np.maximum(b[li, None], 0)
                )
                p_none = np.exp(-lamp_c * np.minimum(uh, idle_u))
                eta0 = (
                    _eta(
                        s_u,
                        np.maximum(b_u, 0),
                        ch_u,
                        comp_u,
                        rt_u,
                        0.0,
                        disp_u,
                        ud_c[li, None],
                        grumpy[li, None],
                    )
                    + B_S**2 * var_u / 2
                )
                idle_term = B_IDLE * np.clip((idle_u - 30) / 150, 0, 1.5)
                mix_idle = p_none * np.exp(idle_term) + (1 - p_none)
                pc = 1 - np.exp(-COMP_RATE * np.exp(-0.8 * s[li, None]) * uh)
                mix_comp = np.where(comp_u > 0, 1.0, (1 - pc) + pc * np.exp(B_COMP))
                lam_u = lam0[li, None] * np.exp(eta0) * mix_idle * mix_comp + LAM_SUDDEN
                churn_p[li, w] = 1 - np.exp(-10.0 * lam_u.sum(1))

    return dict(
        D=D,
        k0=k0,
        W=W,
        sim0=sim0,
        dates=dates,
        dow=dow,
        yf=yf,
        n=n,
        P=P,
        I=I,
        M=M,
        rec=rec,
        parts=parts,
        prog_rows=prog_rows,
        de=de,
        ind=ind,
        since=since,
        size=size,
        churn_day=churn_day,
        churn_drv=churn_drv,
        fut_log=fut_log,
        churn_p=churn_p,
        main_pm=main_pm,
        pm_name=pm_name,
        pm_email=pm_email,
        pm_staff=pm_staff,
        st_name=st_name,
        st_role=st_role,
        st_de=st_de,
        leads=leads,
        cont_first=cont_first,
        cont_last=cont_last,
        first0=first0,
        last0=last0,
        chist=chist,
        grumpy=grumpy,
        public=public,
        rng_text=rtx,
        terms=terms,
        consolidated=consolidated,
        framework=framework,
        mon=mon,
    )


# ----------------------------------------------------------------------------
# export
REASONS = [
    (
        ["Unhappy with quality and communication", "Dissatisfied after design errors"],
        ["Unzufrieden mit Qualität", "Kommunikation und Termintreue"],
    ),
    (["Budget cuts", "Capex freeze"], ["Sparmaßnahmen", "Investitionsstopp"]),
    (
        ["New management, supplier review", "New head of estates"],
        ["Neue Geschäftsführung", "Neuer Ansprechpartner, Lieferantenprüfung"],
    ),
    (
        ["Moved to competitor", "Lower-priced competitor"],
        ["Wechsel zum Wettbewerb", "Günstigeres Büro"],
    ),
    (
        ["Framework re-tendered, not awarded", "Lost re-tender"],
        ["Rahmenvertrag neu ausgeschrieben, nicht erhalten", "Ausschreibung verloren"],
    ),
    (["No follow-up projects", "Relationship lapsed"], ["Keine Folgeprojekte", "Eingeschlafen"]),
    (["Billing disputes", "Fee disagreements"], ["Streit um Rechnungen", "Honorarstreit"]),
    (["Low service level on framework"], ["Leistung im Rahmenvertrag ungenügend"]),
    (
        [
            "Acquired by a group with central procurement",
            "Engineering brought in-house",
            "Insolvency",
            "Strategic decision",
        ],
        [
            "Übernahme durch Konzern",
            "Planung wird intern erbracht",
            "Insolvenz",
            "Strategische Entscheidung",
        ],
    ),
]


class _Fmt(dict):
    def __missing__(self, key):
        return ""


def _money(x: float, lang: str) -> str:
    return amount_text(x, lang) + " €" if lang == "de" else "€" + amount_text(x, lang)


def _typo(s: str, rng) -> str:
    words = s.split(" ")
    cand = [i for i, w in enumerate(words) if len(w) > 4 and w.isalpha()]
    if not cand:
        return s
    i = cand[int(rng.integers(len(cand)))]
    w = words[i]
    j = int(rng.integers(1, len(w) - 2))
    words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    return " ".join(words)


def _export(sim: dict) -> dict[str, pd.DataFrame]:
    rng = sim["rng_text"]
    D, k0, n, sim0, dates = sim["D"], sim["k0"], sim["n"], sim["sim0"], sim["dates"]
    P, I, M = sim["P"], sim["I"], sim["M"]
    de, since = sim["de"], sim["since"]
    yf = sim["yf"]
    pm_, I_m, M_m = P.m, I.m, M.m
    dstr = [str(d) for d in dates]

    def dd(t):
        t = np.asarray(t)
        out = np.empty(t.shape, dtype=object)
        ok = (t >= 0) & (t < D)
        out[ok] = [dstr[x] for x in t[ok]]
        out[~ok] = None
        return out

    # ---------------- clients
    langs = np.where(de, "de", "en")
    ind = sim["ind"]
    names = []
    for i in range(n):
        lg = langs[i]
        tmpl = CLIENT_NAME[lg][ind[i]][int(rng.integers(len(CLIENT_NAME[lg][ind[i]])))]
        sur = DE_SUR if lg == "de" else EN_SUR
        pl = DE_PLACES if lg == "de" else EN_PLACES
        names.append(
            tmpl.format(
                S=sur[int(rng.integers(len(sur)))],
                S2=sur[int(rng.integers(len(sur)))],
                P=pl[int(rng.integers(len(pl)))],
            )
        )
    legal = {"gmbh", "ltd", "plc", "ag", "kg", "co", "inc", "mbh", "ggmbh", "the", "of", "und"}
    cdom = [
        "-".join(w for w in _slug(nm).split("-") if w and w not in legal)[:28].strip("-")
        + f"{i % 7 if i % 3 == 0 else ''}.example"
        for i, nm in enumerate(names)
    ]
    cid = np.array([f"{'KD' if de[i] else 'CL'}-{20000 + i}" for i in range(n)], dtype=object)
    lead_i = rng.integers(0, len(sim["leads"]), n)
    industry = np.array(INDUSTRIES, dtype=object)[ind]
    industry[rng.random(n) < 0.05] = None
    seg = np.where(sim["size"] > 1.8, "A", np.where(sim["size"] > 0.7, "B", "C"))
    clients = pd.DataFrame(
        {
            "client_id": cid,
            "name": names,
            "account_lead": [sim["leads"][i] for i in lead_i],
            "client_since": [str(sim0 + int(x)) for x in since],
            "industry": industry,
            "language": langs,
            "segment": seg,
        }
    )

    # ---------------- time entries (expanded from project-day hours)
    if sim["rec"]:
        rp = np.concatenate([x[0] for x in sim["rec"]])
        rt = np.concatenate([x[1] for x in sim["rec"]])
        hb = np.concatenate([x[2] for x in sim["rec"]])
        hn = np.concatenate([x[3] for x in sim["rec"]])
    else:
        rp = rt = np.zeros(0, int)
        hb = hn = np.zeros(0)
    ep, et, eh, eb, emem = [], [], [], [], []
    for h, billable in ((hb, True), (hn, False)):
        sel = h >= 0.125
        p_, t_, h_ = rp[sel], rt[sel], h[sel]
        ts = P.tsize[p_].astype(int)
        k = np.clip(np.ceil(h_ / rng.uniform(2.5, 7.5, len(h_))), 1, ts).astype(int)
        g = np.repeat(np.arange(len(h_)), k)
        j = np.arange(len(g)) - np.repeat(np.cumsum(k) - k, k)
        w = rng.uniform(0.5, 1.5, len(g))
        wsum = np.bincount(g, w, len(h_))
        hrs = np.maximum(0.25, np.round(h_[g] * w / wsum[g] * 4) / 4)
        off = rng.integers(0, 5, len(h_))
        mem = P.team[p_[g], (off[g] + j) % ts[g]]
        ep.append(p_[g])
        et.append(t_[g])
        eh.append(hrs)
        eb.append(np.full(len(g), billable))
        emem.append(mem)
    ep, et, eh, eb, emem = (np.concatenate(x) for x in (ep, et, eh, eb, emem))
    order = np.lexsort((emem, ep, et))
    ep, et, eh, eb, emem = ep[order], et[order], eh[order], eb[order], emem[order]
    erole = sim["st_role"][emem]
    eamt = np.where(eb, np.round(eh * ROLE_RATE[erole] * yf[et], 2), 0.0)
    einv = np.full(len(ep), -1)

    # ---------------- invoices: T&M amounts from the billed time
    if sim["parts"]:
        pa = np.array(sim["parts"], dtype=np.int64)
        pinv, pproj = pa[:, 0], pa[:, 1]
    else:
        pinv = pproj = np.zeros(0, np.int64)
    bsel = np.nonzero(eb & (P.bm[ep] == 1))[0]
    key = ep[bsel].astype(np.int64) * (D + 1) + et[bsel]
    o2 = np.argsort(key, kind="stable")
    bsel, key = bsel[o2], key[o2]
    cs = np.concatenate([[0.0], np.cumsum(eamt[bsel])])
    lo = np.searchsorted(key, pproj * (D + 1) + I.ps[pinv], "left")
    hi = np.searchsorted(key, pproj * (D + 1) + I.pe[pinv], "right")
    amt_tm = np.bincount(pinv, cs[hi] - cs[lo], I_m)
    cnt_tm = np.bincount(pinv, hi - lo, I_m)
    linked = P.links[pproj] | (I.pr[pinv] < 0)
    ln = hi - lo
    ln = np.where(linked, ln, 0)
    gi = np.repeat(np.arange(len(pinv)), ln)
    ji = np.arange(len(gi)) - np.repeat(np.cumsum(ln) - ln, ln)
    einv[bsel[lo[gi] + ji]] = pinv[gi]
    amt = I.amt[:I_m].copy()
    is_tm = I.kind[:I_m] == IK_TM
    good = is_tm & (amt_tm > 1.0)
    amt[good] = np.round(amt_tm[good] * I.errf[:I_m][good], 2)
    amt = np.maximum(amt, 1.0)
    line_items = np.where(is_tm, np.maximum(cnt_tm, 1), rng.integers(1, 4, I_m)).astype(np.int64)
    # invoice ids in issue order
    iorder = np.lexsort((np.arange(I_m), I.iss[:I_m]))
    iyear = dates[np.clip(I.iss[:I_m], 0, D - 1)].astype("datetime64[Y]").astype(int) + 1970
    inv_id = np.empty(I_m, dtype=object)
    seq: dict[int, int] = {}
    for i in iorder:
        y = int(iyear[i])
        seq[y] = seq.get(y, 0) + 1
        inv_id[i] = f"RE{y % 100:02d}-{seq[y]:05d}"
    iex = np.nonzero((I.iss[:I_m] >= k0) & (I.iss[:I_m] < D))[0]
    iex = iex[np.lexsort((iex, I.iss[iex]))]

    # ---------------- projects to export
    exp_e = et >= k0
    used = np.zeros(pm_, bool)
    used[ep[exp_e]] = True
    used[I.pr[iex][I.pr[iex] >= 0]] = True
    prow = sim["prog_rows"]
    pr_p = np.array([x[0] for x in prow], dtype=int)
    used[pr_p] = True
    mk = np.nonzero((M.day[:M_m] >= k0) & (M.day[:M_m] < D) & (M.day[:M_m] >= since[M.cl[:M_m]]))[0]
    mp = M.pr[mk]
    used[mp[mp >= 0]] = True
    st = P.start[:pm_]
    keep_p = (
        (used | (((P.closed[:pm_] < 0) | (P.closed[:pm_] >= k0)) & (st < D)))
        & (P.closed[:pm_] != -2)
        & (st < D)
    )
    pidx = np.nonzero(keep_p)[0]
    pidx = pidx[np.lexsort((pidx, st[pidx]))]
    pid = np.empty(pm_, dtype=object)
    pyear = (sim0 + st[pidx]).astype("datetime64[Y]").astype(int) + 1970
    for j, (p_, y) in enumerate(zip(pidx, pyear, strict=True)):
        pid[p_] = f"P{y % 100:02d}-{j + 1:05d}"
    site_names = [(DE_SITES if de[P.cl[p_]] else EN_SITES)[P.site[p_]] for p_ in range(pm_)]
    ptype_name = [PTYPES[P.typ[p_]][2 if de[P.cl[p_]] else 1] for p_ in range(pm_)]
    bm_name = np.array(["fixed_fee", "time_and_materials", "retainer"], dtype=object)
    closed = P.closed[:pm_]
    projects = pd.DataFrame(
        {
            "project_id": pid[pidx],
            "client_id": cid[P.cl[pidx]],
            "name": [
                f"{ptype_name[p_]} {str(sim0 + int(st[p_]))[:4]}–{str(sim0 + int(P.end[p_]))[:4]}"
                if P.bm[p_] == 2
                else (
                    f"{site_names[p_]} – {ptype_name[p_]}"
                    if rng.random() < 0.8
                    else f"{ptype_name[p_]} {site_names[p_]}"
                )
                for p_ in pidx
            ],
            "pm": [sim["pm_email"][P.pm[p_]] for p_ in pidx],
            "billing_model": bm_name[P.bm[pidx]],
            "budget": np.round(P.budget[pidx], 2),
            "start_date": [str(sim0 + int(x)) for x in st[pidx]],
            "end_date": [str(sim0 + int(x)) for x in P.end[pidx]],
            "closed_at": dd(np.where((closed[pidx] >= 0) & (closed[pidx] < D), closed[pidx], -1)),
        }
    )

    # ---------------- time entries export
    te_sel = np.nonzero(exp_e & keep_p[ep])[0]
    person = np.array(sim["st_name"], dtype=object)
    role_txt = np.array([[r_[0], r_[1]] for r_ in ROLES], dtype=object)
    time_entries = pd.DataFrame(
        {
            "entry_id": [f"{i + 1:08d}" for i in range(len(te_sel))],
            "project_id": pid[ep[te_sel]],
            "worked_on": dd(et[te_sel]),
            "hours": eh[te_sel],
            "billable": np.where(eb[te_sel], "true", "false"),
            "amount": eamt[te_sel],
            "person": person[emem[te_sel]],
            "role": role_txt[erole[te_sel], sim["st_de"][emem[te_sel]].astype(int)],
            "invoice_id": np.where(
                (einv[te_sel] >= 0) & (I.iss[np.maximum(einv[te_sel], 0)] < D),
                inv_id[np.maximum(einv[te_sel], 0)],
                None,
            ),
        }
    )

    # ---------------- invoices export
    disp = I.disp[iex]
    paid = I.paid[iex]
    invoices = pd.DataFrame(
        {
            "invoice_id": inv_id[iex],
            "client_id": cid[I.cl[iex]],
            "project_id": np.where(I.pr[iex] >= 0, pid[np.maximum(I.pr[iex], 0)], None),
            "issued_at": dd(I.iss[iex]),
            "due_at": [str(sim0 + int(x)) for x in I.iss[iex] + I.terms[iex]],
            "amount": amt[iex],
            "paid_at": dd(np.where((paid >= 0) & (paid < D), paid, -1)),
            "disputed_at": dd(np.where((disp >= 0) & (disp < D), disp, -1)),
            "line_items": line_items[iex],
            "period_start": dd(np.where(I.ps[iex] >= 0, I.ps[iex], -1)),
            "period_end": dd(np.where(I.pe[iex] >= 0, I.pe[iex], -1)),
        }
    )

    # ---------------- progress
    prog = pd.DataFrame(
        {
            "project_id": pid[pr_p] if len(prow) else np.zeros(0, object),
            "reported_at": (sim0 + np.array([x[1] for x in prow], dtype=int)).astype(
                "datetime64[D]"
            )
            if len(prow)
            else np.zeros(0, "datetime64[D]"),
            "percent_complete": np.array([x[2] for x in prow], dtype=float),
            "milestone": [x[3] or None for x in prow],
        }
    )
    prog = prog[keep_p[pr_p]] if len(prow) else prog
    prog = prog.sort_values(["reported_at", "project_id"], kind="stable").reset_index(drop=True)
    prog["milestone"] = prog["milestone"].astype("string")
    prog["reported_at"] = prog["reported_at"].dt.date

    # ---------------- churn
    cd = sim["churn_day"]
    ci = np.nonzero((cd >= k0) & (cd < D))[0]
    reasons = []
    for c in ci:
        if rng.random() < 0.25:
            reasons.append(None)
            continue
        en_r, de_r = REASONS[sim["churn_drv"][c]]
        pool = de_r if (de[c] and rng.random() < 0.5) else en_r
        reasons.append(pool[int(rng.integers(len(pool)))])
    churn = (
        pd.DataFrame({"client_id": cid[ci], "churned_at": dd(cd[ci]), "reason": reasons})
        .sort_values("churned_at", kind="stable")
        .reset_index(drop=True)
    )

    # ---------------- messages
    messages = _render_messages(
        sim, rng, mk, cid, names, cdom, pid, inv_id, amt, site_names, ptype_name, dstr
    )
    return {
        "clients": clients,
        "projects": projects,
        "progress": prog,
        "time_entries": time_entries,
        "invoices": invoices,
        "messages": messages,
        "churn": churn,
    }


def _render_messages(
    sim, rng, mk, cid, names, cdom, pid, inv_id, amt, site_names, ptype_name, dstr
) -> pd.DataFrame:
    P, I, M = sim["P"], sim["I"], sim["M"]
    de, D, sim0 = sim["de"], sim["D"], sim["sim0"]
    order = mk[np.lexsort((mk, M.day[mk]))]
    k = len(order)
    cl_ = M.cl[order]
    pr_ = M.pr[order]
    day_ = M.day[order]
    kind_ = M.kind[order]
    aux_ = M.aux[order]
    val_ = M.val[order]
    sub_ = M.sub[order]
    tone_ = M.tone[order]
    n = sim["n"]
    chat_user = rng.random(n) < 0.35
    portal_user = rng.random(n) < 0.3
    mail_style = rng.random(n)
    cf, cl = sim["cont_first"], sim["cont_last"]
    main_pm = sim["main_pm"]
    pm_name = sim["pm_name"]
    chist = sim["chist"]
    u = rng.random((8, k))
    mins = rng.integers(0, 60, k)
    hrs_in = rng.integers(6, 18, k)
    hrs_chat = rng.integers(6, 21, k)
    ids = rng.integers(0, 2**63 - 1, (k, 2), dtype=np.int64)
    # daylight-saving offset of German local time, per day
    dts = sim["dates"]
    mon = sim["mon"]
    dom_ = (dts - dts.astype("datetime64[M]").astype("datetime64[D]")).astype(int) + 1
    dow = sim["dow"]
    last_week = dom_ > 24  # the last Sunday of March/October falls on the 25th or later
    passed = last_week & (dom_ - (dow + 1) % 7 >= 25)
    dst = ((mon > 3) & (mon < 10)) | ((mon == 3) & passed) | ((mon == 10) & ~passed)
    texts, chans, dirs, authors, stamps, scores = [], [], [], [], [], []
    langs = ["de" if x else "en" for x in de]
    FIRSTS = {"en": EN_FIRST, "de": DE_FIRST}
    SURS = {"en": EN_SUR, "de": DE_SUR}
    for i in range(k):
        c = int(cl_[i])
        kd = int(kind_[i])
        p = int(pr_[i])
        t = int(day_[i])
        clang = langs[c]
        inbound = kd in INBOUND
        if kd in (K_CALL, K_MEET):
            inbound = u[0, i] < 0.35
        if kd == K_RETENDER:
            inbound = sub_[i] == 1
        lang = clang
        if clang == "de" and u[1, i] < (0.07 if inbound else 0.05):
            lang = "en"
        elif clang == "en" and u[1, i] < 0.01:
            lang = "de"
        # people: the client's main contact as of that day
        f_i, l_i = int(sim["first0"][c]), int(sim["last0"][c])
        of_i = -1
        for d_, ff, ll in chist.get(c, ()):
            if d_ <= t:
                of_i, ol_i = f_i, l_i
                f_i, l_i = ff, ll
        cfirst_t = FIRSTS[clang][f_i]
        clast = SURS[clang][l_i]
        cname = f"{cfirst_t[0]} {clast}"
        sal = ("Sehr geehrte Frau " if cfirst_t[1] == "f" else "Sehr geehrter Herr ") + clast
        salshort = ("Frau " if cfirst_t[1] == "f" else "Herr ") + clast
        pmi = int(P.pm[p]) if p >= 0 else int(main_pm[c])
        pmn = pm_name[pmi]
        pm_first = pmn.split(" ")[0]
        old = f"{FIRSTS[clang][of_i][0]} {SURS[clang][ol_i]}" if of_i >= 0 else ""
        old_f = of_i >= 0 and FIRSTS[clang][of_i][1] == "f"
        new_f = cfirst_t[1] == "f"
        site = (
            site_names[p] if p >= 0 else (DE_SITES if de[c] else EN_SITES)[(c * 7 + t // 90) % 30]
        )
        ptn = ptype_name[p] if p >= 0 else (PTYPES[1][2] if de[c] else PTYPES[1][1])
        a = int(aux_[i])
        f = _Fmt(
            site=site,
            ptype=ptn
            if lang == clang
            else PTYPES[int(P.typ[p]) if p >= 0 else 1][2 if lang == "de" else 1],
            pm=pm_first,
            cfirst=cfirst_t[0],
            clast=clast,
            sal=sal,
            salshort=salshort,
            cname=cname,
            client=names[c],
            cdom=cdom[c],
            old=old or ("mein Vorgänger" if lang == "de" else "my predecessor"),
            topic=TOPICS[lang][int(u[2, i] * len(TOPICS[lang]))],
            topic_dat=(TOPICS_DAT if lang == "de" else TOPICS["en"])[
                int(u[2, i] * len(TOPICS[lang]))
            ],
            doc=DOCS[lang][int(u[3, i] * len(DOCS[lang]))],
            cr=CRS[lang][int(u[4, i] * len(CRS[lang]))],
            rev=chr(65 + int(u[5, i] * 8)),
            n=str(1 + int(u[5, i] * 6)),
            day=WORKDAY_NAMES[lang][int(u[6, i] * 5)],
            wk=str(int(dts[min(t, D - 1)].astype("datetime64[W]").astype(int) % 52 + 1)),
            mood_en=MOOD_EN[int(u[7, i] * len(MOOD_EN))],
            mood_de=MOOD_DE[int(u[7, i] * len(MOOD_DE))],
            next=(NEXT_DE if lang == "de" else NEXT_EN)[int(u[6, i] * 8)],
            po=f"{4500000000 + (c * 7919 + a * 104729) % 99999999}",
            h=str(int(20 + u[5, i] * 140)),
            terms=str(int(sim["terms"][c])),
            me=cfirst_t[0] if u[7, i] < 0.5 else cname,
            old_rel="die" if old_f else "der",
            leiter="Leiterin" if new_f else "Leiter",
            techl="technische Leiterin" if new_f else "technischer Leiter",
        )
        if a >= 0 and kd in (
            K_INVSENT,
            K_REMIND,
            K_PAYDELAY,
            K_BILLQ,
            K_DISPUTE,
            K_DISPREPLY,
            K_DISPRES,
        ):
            f["inv"] = inv_id[a]
            f["amt"] = _money(float(amt[a]), lang)
            f["date"] = date_text(sim0 + int(I.iss[a]) + int(I.terms[a]), lang)
            mi = int(I.iss[a])
            mm = int(str(sim0 + mi - 15)[5:7]) - 1
            f["month"] = MONTH_NAMES[lang][mm]
            if I.ms[a] >= 0 and I.pr[a] >= 0:
                f["ms"] = MILESTONES[max(0, int(P.ms_set[I.pr[a]]))][2 if lang == "de" else 1][
                    int(I.ms[a])
                ]
            if I.pr[a] >= 0:
                f["budget"] = _money(float(P.budget[I.pr[a]]), lang)
        else:
            mm = int(dstr[min(t, D - 1)][5:7]) - 1
            f["month"] = MONTH_NAMES[lang][(mm - 1) % 12]
            f["date"] = date_text(sim0 + t + 14 + int(u[5, i] * 20), lang)
        if kd == K_RETENDER:
            f["date"] = date_text(sim0 + t + 60 + int(u[5, i] * 20), lang)
        v = val_[i]
        if kd in (K_CR, K_CRCONF) and v == v:
            f["amt"] = _money(round(float(v), -2), lang)
        if kd == K_BUDWARN and v == v:
            f["pct"] = str(int(v))
        if kd == K_STATUS:
            pv = v if (v == v and v >= 0) else float(P.prog[p]) if p >= 0 else 50.0
            f["pct"] = f"{pv:.0f}"
        if kd in (K_RATEANN, K_RATEPUSH):
            f["pct"] = "5"
        if kd == K_DELIVER and a >= 0 and p >= 0:
            f["ms"] = MILESTONES[max(0, int(P.ms_set[p]))][2 if lang == "de" else 1][
                min(a, len(MILESTONES[max(0, int(P.ms_set[p]))][1]) - 1)
            ]
        # choose the template bank
        score = None
        if kd == K_ACK:
            tn = tone_[i]
            key = "ack_pos" if tn > 0.6 else ("ack_neg" if tn < -0.3 else "ack_neu")
        elif kd == K_CALL:
            key = {0: "call", 1: "call_neg", 2: "call_comp", 3: "call"}[int(sub_[i])]
        elif kd == K_MEET:
            key = "meet"
        elif kd == K_SURVEY:
            score = float(v)
            key = "survey_lo" if score <= 6 else ("survey_mid" if score <= 8 else "survey_hi")
        elif kd == K_CSAT:
            score = float(v)
            key = "survey_lo" if score <= 2 else ("survey_mid" if score <= 3 else "survey_hi")
        elif kd == K_DISPUTE:
            key = DC_KEY[int(sub_[i])] if u[6, i] > 0.2 else "dispute_gen"
        elif kd == K_INVSENT:
            key = {IK_MS: "invsent_ms", IK_CO: "invsent_co"}.get(
                int(I.kind[a]) if a >= 0 else 0, "invsent"
            )
            if key == "invsent_ms" and "ms" not in f:
                key = "invsent"
        else:
            key = {
                K_TECHQ: "techq",
                K_REPLY: "reply",
                K_SCHED: "sched",
                K_PRAISE: "praise",
                K_GRIPE: "gripe",
                K_STATUS: "status",
                K_REMIND: "remind",
                K_PAYDELAY: "paydelay",
                K_COST: "cost",
                K_CR: "cr",
                K_CRCONF: "crconf",
                K_HOURSQ: "hoursq",
                K_BUDWARN: "budwarn",
                K_BILLQ: "billq",
                K_DISPREPLY: "dispreply",
                K_INCIDENT: "incident",
                K_INCFOLLOW: "incfollow",
                K_APOLOGY: "apology",
                K_DELAY: "delay",
                K_INTRO: "intro",
                K_COMPHINT: "comphint",
                K_RETENDER: "retender",
                K_RATEANN: "rateann",
                K_RATEPUSH: "ratepush",
                K_RATEOK: "rateok",
                K_OOO: "ooo",
                K_FAREWELL: "farewell",
                K_DELIVER: "deliver",
                K_CRACK: "crack",
                K_PROCURE: "procure",
                K_NEWPROJ: "newproj",
                K_DISPRES: "dispres",
                K_LEFT: "left",
            }[kd]
        bank = T[key][lang]
        body = bank[int(rng.integers(len(bank)))].format_map(f)
        if kd == K_CALL and int(sub_[i]) == 3:
            body = (
                f"Telefonat mit {cname}: AG wünscht zusätzlich {f['cr']}. Honorarauswirkung prüfen."
                if lang == "de"
                else f"Call with {cname}: client asks for {f['cr']} on top. Check fee impact."
            )
        # channel
        x = u[0, i] if not inbound else u[7, i]
        if kd in (K_CALL,):
            chan = "call"
        elif kd == K_MEET:
            chan = "meeting"
        elif kd in (K_SURVEY, K_CSAT):
            chan = "survey"
        elif kd in (K_INVSENT, K_REMIND, K_DISPRES, K_RATEANN):
            chan = "portal" if (portal_user[c] and x < 0.35) else "email"
        elif kd == K_DISPUTE:
            chan = (
                "email"
                if x < 0.6
                else ("portal" if x < 0.75 else ("thread" if x < 0.88 else "call"))
            )
        elif kd in (K_INCIDENT, K_CR, K_COMPHINT, K_FAREWELL):
            chan = (
                "email"
                if x < 0.55
                else (
                    "thread"
                    if x < 0.7
                    else (
                        "chat"
                        if (x < 0.85 and chat_user[c])
                        else ("call" if kd != K_CR else "meeting")
                    )
                )
            )
        elif kd == K_OOO:
            chan = "email"
        elif kd == K_STATUS:
            chan = "email" if x < 0.6 else ("portal" if x < 0.85 else "thread")
        else:
            chan = (
                "chat"
                if (chat_user[c] and x < 0.4)
                else (
                    "portal"
                    if (portal_user[c] and x < 0.6)
                    else ("thread" if x < 0.72 else "email")
                )
            )
        if chan in ("call", "meeting") and kd in (
            K_DISPUTE,
            K_INCIDENT,
            K_COMPHINT,
            K_FAREWELL,
            K_CR,
        ):
            if chan == "call":
                body = (f"Anruf von {cname}: " if lang == "de" else f"{cname} called: ") + body
            else:
                body = (
                    f"Besprechung mit {cname}: " if lang == "de" else f"Meeting with {cname}: "
                ) + body
            inbound = True
        # author
        if inbound:
            y = u[2, i]
            if kd == K_LEFT:
                a2 = (FIRSTS[clang][int(cf[c, 1])][0], SURS[clang][int(cl[c, 1])])
                author = f"{a2[0]} {a2[1]}"
                f["me"] = author
            elif y < 0.55:
                author = cname
            elif y < 0.85:
                author = f"{_slug(cfirst_t[0])}.{_slug(clast)}@{cdom[c]}"
            elif y < 0.95:
                j = 1 + int(u[4, i] * 2)
                author = f"{FIRSTS[clang][int(cf[c, j])][0]} {SURS[clang][int(cl[c, j])]}"
                f["me"] = author if u[7, i] >= 0.5 else author.split(" ")[0]
            else:
                author = None
            if chan in ("call", "meeting"):
                author = pmn
        else:
            if kd in (K_INVSENT, K_REMIND, K_DISPRES):
                author = (
                    ("Buchhaltung" if clang == "de" else "Accounts Receivable")
                    if u[2, i] < 0.6
                    else f"billing@{DOMAIN}"
                )
            elif kd == K_RATEANN:
                author = sim["leads"][c % len(sim["leads"])]
            else:
                author = pmn
        # shape the text by channel
        if chan == "email" and kd not in (K_OOO,):
            if inbound and mail_style[c] < 0.75:
                g = GREET_IN[lang][int(rng.integers(len(GREET_IN[lang])))].format_map(f)
                cl_txt = CLOSE_IN[lang][int(rng.integers(len(CLOSE_IN[lang])))].format_map(f)
                body = "\n\n".join(x_ for x_ in (g, body, cl_txt) if x_)
            elif not inbound and u[5, i] < 0.85:
                f["me"] = (
                    pm_first
                    if kd not in (K_INVSENT, K_REMIND)
                    else ("Buchhaltung" if lang == "de" else "Accounts team")
                )
                g = GREET_OUT[lang][int(rng.integers(len(GREET_OUT[lang])))].format_map(f)
                cl_txt = CLOSE_OUT[lang][int(rng.integers(len(CLOSE_OUT[lang])))].format_map(f)
                body = "\n\n".join(x_ for x_ in (g, body, cl_txt) if x_)
        elif chan == "chat":
            if u[6, i] < 0.45:
                body = body[:1].lower() + body[1:]
            if body.endswith(".") and u[5, i] < 0.5:
                body = body[:-1]
            if lang == "en" and inbound and u[4, i] < 0.25:
                body += EMOJI[int(rng.integers(len(EMOJI)))]
        if inbound and chan != "survey" and u[3, i] < 0.03:
            body = _typo(body, rng)
        if kd in (K_CALL, K_MEET) and u[4, i] < 0.15:
            body = ""
        # timestamp (UTC day is the simulated day)
        hh = int(hrs_chat[i] if chan == "chat" else hrs_in[i])
        mi_ = int(mins[i])
        ds = dstr[t]
        if chan == "email":
            stamp = f"{ds}T{hh:02d}:{mi_:02d}:00Z"
        elif chan == "chat" and clang == "de":
            off = 2 if dst[t] else 1
            stamp = f"{ds}T{hh + off:02d}:{mi_:02d}:00+0{off}:00"
        elif chan == "chat":
            stamp = f"{ds}T{hh:02d}:{mi_:02d}:00Z"
        elif chan == "thread":
            stamp = f"{ds}T{hh:02d}:{mi_:02d}:{int(u[1, i] * 60):02d}"
        elif chan == "survey":
            stamp = f"{ds}T{hh:02d}:{mi_:02d}:00+00:00"
        else:
            stamp = f"{ds} {hh:02d}:{mi_:02d}"
        texts.append(body)
        chans.append(chan)
        dirs.append("inbound" if inbound else "outbound")
        authors.append(author)
        stamps.append(stamp)
        scores.append(score)
    mid = [
        f"{(a_ >> 32) & 0xFFFFFFFF:08x}-{(a_ >> 16) & 0xFFFF:04x}-4{a_ & 0xFFF:03x}-{8 | ((b_ >> 60) & 3):x}{(b_ >> 48) & 0xFFF:03x}-{b_ & 0xFFFFFFFFFFFF:012x}"
        for a_, b_ in ids
    ]
    return pd.DataFrame(
        {
            "message_id": mid,
            "client_id": cid[cl_],
            "project_id": np.where(pr_ >= 0, pid[np.maximum(pr_, 0)], None),
            "sent_at": stamps,
            "channel": chans,
            "direction": dirs,
            "text": texts,
            "author": authors,
            "score": pd.array([None if x is None else round(x) for x in scores], dtype="Int64"),
        }
    )


def _oracle(sim: dict, cid: np.ndarray) -> pd.DataFrame:
    I = sim["I"]
    D, k0, W, n = sim["D"], sim["k0"], sim["W"], sim["n"]
    log_s = sim["fut_log"].astype(np.float64)
    iex = np.nonzero((I.iss[: I.m] >= k0) & (I.iss[: I.m] < D))[0]
    iss = I.iss[iex]
    disp = np.where(I.disp[iex] >= 0, I.disp[iex], 10**7)
    paid = np.where(I.paid[iex] >= 0, I.paid[iex], 10**7)
    stop = np.minimum(np.minimum(disp, paid), np.minimum(D, iss + 150))
    ln = np.maximum(stop - iss, 0)
    g = np.repeat(np.arange(len(iex)), ln)
    a = np.arange(len(g)) - np.repeat(np.cumsum(ln) - ln, ln)
    p = I.p[iex][g]
    num = p * (_F_L(a + 30) - _F_L(a))
    den = (1 - p) * _S_pay(a, I.terms[iex][g], I.theta[iex][g]) + p * (1 - _F_L(a))
    q = np.clip(num / np.maximum(den, 1e-12), 0, 0.999)
    t = iss[g] + a
    flat = I.cl[iex][g].astype(np.int64) * W + (t - k0)
    log_s += np.bincount(flat, np.log1p(-q), n * W).reshape(n, W)
    disp_r = 1 - np.exp(log_s)
    days = np.arange(W) + k0
    since, cd = sim["since"], sim["churn_day"]
    endc = np.where(cd >= 0, cd, D)
    mask = (days[None, :] >= since[:, None]) & (days[None, :] < endc[:, None])
    ci, wi = np.nonzero(mask)
    return pd.DataFrame(
        {
            "client_id": cid[ci],
            "day": (sim["sim0"] + k0 + wi).astype("datetime64[D]"),
            "dispute_risk": disp_r[ci, wi],
            "churn_risk": sim["churn_p"][ci, wi].astype(np.float64),
        }
    )


def _write(tables: dict[str, pd.DataFrame], out: pathlib.Path) -> None:
    # The firm's project tool exports progress as Parquet (the contract takes either);
    # its other tools write amounts with two decimals.
    out = pathlib.Path(out)
    write_bundle({k: v for k, v in tables.items() if k != "progress"}, out, float_format="%.2f")
    tables["progress"].to_parquet(out / "progress.parquet", index=False)
    (out / "progress.csv").unlink(missing_ok=True)


def make_bundle(out: pathlib.Path, clients: int = 1000, months: int = 24, seed: int = 0) -> None:
    """Write an export bundle of the firm to folder ``out``."""
    sim = _simulate(clients, months, seed)
    _write(_export(sim), out)


def risk_oracle(
    out: pathlib.Path, clients: int = 1000, months: int = 24, seed: int = 0
) -> pd.DataFrame:
    """Re-run the generation (writing the same bundle to ``out``) and return the generator's own risk per client and day."""
    sim = _simulate(clients, months, seed)
    tables = _export(sim)
    _write(tables, out)
    n = sim["n"]
    cid = np.array(
        [f"{'KD' if sim['de'][i] else 'CL'}-{20000 + i}" for i in range(n)], dtype=object
    )
    return _oracle(sim, cid)


if __name__ == "__main__":
    main(make_bundle, __doc__)
