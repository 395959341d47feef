"""Does a client message put the engagement's future in doubt?

Clients rarely announce that they will leave; they say what is happening around
them. The reasons professional-services firms lose clients are few and well
known, and each has its phrases, in English and German:

1. money: a budget cut or freeze, cost cutting, a review of all external spend;
2. change at the client: a reorganisation, a sale, merger or takeover, new
   management, the sponsor leaving;
3. a look elsewhere: a vendor review, a tender, RFP or pitch for the work,
   other providers, a preferred-supplier list, moving the work in-house or to
   software;
4. winding down: pausing, shelving, stopping, cancelling, reducing the scope or
   hours, not renewing, not commissioning the next phase, terminating;
5. doubting the value: whether to continue, whether it is worth it, rethinking
   the partnership.

A message counts when one of these is said and it is not routine: a paused
call or weekend ad campaign, an expired domain, a tender the client wants the
firm's help with, new owners who want *more* of the work. Developed on
``tests/features/data/relationship_doubts.csv`` and measured on a holdout
written by someone else without sight of these rules
(``relationship_doubts_holdout.csv``; floors in
``tests/features/test_relationship_doubts.py``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

# German is often typed without umlauts ("gekuerzt", "verlaengern"): every [aä],
# [oö], [uü] and ß in a German pattern also matches ae, oe, ue and ss.
_TRANSLITERATED = {
    "[aä]": "(?:ä|ae|a)",
    "[oö]": "(?:ö|oe|o)",
    "[uü]": "(?:ü|ue|u)",
    "ß": "(?:ß|ss)",
}


def _any(*patterns: str, german: bool = False) -> re.Pattern[str]:
    """One regex matching any of ``patterns``, each from a word's start unless written
    with a leading ``~``: those may end a compound ("Marketingbudget", "Rahmenvertrag")."""
    anchored = (
        p[1:] if p.startswith("~") else p if p.startswith(r"\b") else r"\b" + p for p in patterns
    )
    joined = "|".join(f"(?:{p})" for p in anchored)
    if german:
        for umlaut, spelled in _TRANSLITERATED.items():
            joined = joined.replace(umlaut, spelled)
    return re.compile(joined, re.IGNORECASE)


class _Rule:
    """A language's patterns as two regexes: those anchored at a word's start, and
    those that may end a compound. One regex of both is twice as slow, since an
    unanchored branch makes the engine try every branch at every character."""

    def __init__(self, patterns: tuple[str, ...], german: bool) -> None:
        self.anchored = _any(*(p for p in patterns if not p.startswith("~")), german=german)
        compound = [p for p in patterns if p.startswith("~")]
        self.compound = _any(*compound, german=german) if compound else None

    def search(self, text: str) -> bool:
        if self.anchored.search(text):
            return True
        return self.compound is not None and self.compound.search(text) is not None


_WORK = (
    r"(?:work|project|projects|engagement|retainer|collaboration|partnership|contract|"
    r"agreement|sow|programme|program|services?|support|relationship|account|mandate)"
)
_ARBEIT = (
    r"(?:projekt|arbeiten|zusammenarbeit|entwicklung|retainer|auftrag|vertrag|mandat|"
    r"betreuung|vorhaben|leistungen|beauftragung|partnerschaft|programm)"
)

# 2. change at the client: news, not a threat, when the same message says the work goes on.
_CHANGE_PATTERNS: dict[str, tuple[str, ...]] = {
    "en": (
        r"\brestructur\w*\b(?! (?:the |our |of )?(?:folders?|files?|drives?|backlogs?|boards?|"
        r"repo\w*|code|docs?|documents?|pages?|site|navigation|slides|deck|data\w*|menus?|"
        r"content|sprints?|agenda))",
        r"\bre-?organi[sz]\w*\b(?! (?:the |our )?(?:folders?|files?|backlogs?|boards?|docs?))",
        r"\bre-?org\b",
        r"\bmerger\b",
        r"\bmerging with\b",
        r"\b(?:been|being|were|was|got|is|are) (?:acquired|bought|sold|taken over)\b",
        r"\btake-?over\b",
        r"\bacquisition (?:by|of (?:our|the) (?:company|group|business))\b",
        r"\bdue diligence\b",
        r"\blayoffs?\b",
        r"\bredundanc\w*",
        r"\bnew (?:ceo|cfo|cto|coo|cmo|owners?|management|leadership|parent company|"
        r"head of \w+|board of directors)\b",
        r"\b(?:i am|i'm|i will be|i'll be) leaving\b",
        r"\bmy last day\b",
        r"\b(?:has|have) resigned\b",
        r"\b(?:has|have) left (?:the |our )?(?:company|business|firm|organi[sz]ation|us)\b",
        r"\bleaving the company\b",
        r"\bsponsor\b[^.?!]{0,40}\b(?:left|leaving|moved|moving|resigned|gone)\b",
        r"\bchange of priorities\b",
        r"\bpriorities (?:have )?(?:changed|shifted)\b",
        r"\bthings have changed\b",
    ),
    "de": (
        r"~umstrukturier\w*",
        r"\breorgani[sz]\w*",
        r"\bneuausrichtung\b",
        r"\bfusion\b",
        r"[uü]bernommen (?:worden|wurden|werden)",
        r"\b[uü]bernahme durch\b",
        r"\bverkauft (?:wird|werden|wurde|worden)\b",
        r"\bdue diligence\b",
        r"~stellenabbau",
        r"\bentlassungen\b",
        r"neue(?:r|n)? (?:gesch[aä]ftsf[uü]hr\w*|gesch[aä]ftsleitung|vorstand|eigent[uü]mer|"
        r"leitung|chef\w*|mutterkonzern|management|\w{0,40}-?leiter\w{0,40}+)\b",
        r"(?:unternehmen|firma|haus) (?:\w+ ){0,5}verlasse\b",
        r"verlasse (?:\w+ ){0,2}(?:unternehmen|firma|haus)",
        r"(?:unternehmen|firma|haus) verlassen\b",
        r"mein(?:em)? letzte[nr]? (?:arbeits)?tag",
        r"priorit[aä]ten (?:haben sich )?(?:ge[aä]ndert|verschoben)",
        r"hat sich (?:bei uns )?(?:einiges|vieles|viel) ge[aä]ndert",
    ),
}
_CHANGE = {lang: _Rule(p, german=lang == "de") for lang, p in _CHANGE_PATTERNS.items()}
_GOES_ON = _any(
    r"\b(?:expand|extend|roll (?:it |this )?out|more of|additional|continue the|keep (?:you|the)|"
    r"nothing changes|same people|carry on with)",
    r"\b(?:weiterf[uü]hren|ausweiten|ausbauen|erweitern|einsetzen|[aä]ndert sich nichts|"
    r"bleibt alles|weitermachen wie)",
    german=True,
)

# 1, 3, 4 and 5: what says itself.
_DOUBT_PATTERNS: dict[str, tuple[str, ...]] = {
    "en": (
        # money
        r"\bbudgets?\b[^.?!]{0,50}\b(?:cut|cuts|frozen|slashed|reduced|halved|"
        r"under review|squeezed)\b",
        r"\bbudget (?:cuts?|freeze|reductions?|pressure|constraints?|squeeze)\b",
        r"\b(?:cut|cutting|reduce|reducing|trim|trimming|slash\w*) (?:\w+ ){0,3}"
        r"(?:budgets?|spend\w*|costs?|external \w+)\b",
        r"\bcost[- ]?(?:cutting|savings?|reduction)\b",
        r"\bspending (?:freeze|stop|cuts?)\b",
        r"\bfr(?:oze|ozen|eeze|eezing) (?:[\w-]+ ){0,3}(?:spend\w*|budgets?|hiring|projects?)\b",
        r"\bhiring freeze\b",
        r"\bsavings? (?:programme|program|plan|targets?)\b",
        r"\btighten\w* (?:our|the) belts?\b",
        r"\b(?:all|every|our) external (?:spend|vendors?|suppliers?|partners?|agencies)\b",
        # a look elsewhere
        r"\b(?:vendor|supplier|agency|partner|provider) (?:review|consolidation|selection)\b",
        r"\breview\w* (?:all |every |each |our |of )?(?:\w+ ){0,2}(?:vendors|suppliers|"
        r"agencies|providers|partners|contracts|engagements?|consultants|external spend)\b",
        r"\b(?:rfp|rfq|request for proposals?)\b",
        r"\bout to tender\b",
        r"\bre-?tender\w*",
        r"\b(?:a|an|open|public) tender\b",
        r"\b(?:run|running|hold|holding) a pitch\b",
        r"\bpitch for (?:the|our) (?:account|business|budget|work)\b",
        r"\b(?:other|another|alternative|cheaper|different) (?:agenc\w+|vendors?|providers?|"
        r"suppliers?|firms?|partners?|consultanc\w+|options)\b",
        r"\b(?:look\w*|explor\w*|consider\w*|evaluat\w*) (?:\w+ ){0,3}alternatives\b",
        r"\bpreferred (?:vendor|supplier|provider|partner)s?\b",
        r"\b(?:single|one|fewer) (?:vendor|provider|msp|agency|supplier|partner)s?\b",
        r"\b(?:comparing|compare|benchmark\w*) (?:\w+ ){0,2}(?:offers?|quotes?|proposals?|rates)\b",
        r"\bquotes? from (?:other|two|three|several)\b",
        r"\bin-?house\b",
        r"\bin house\b",
        r"\binsourc\w*",
        r"\b(?:handle|do|manage|run|take over) (?:\w+ ){0,2}ourselves\b",
        r"\b(?:our own|an internal|internal) team (?:will|to|could|can) (?:take|handle|do|run)\b",
        r"\b(?:take|bring|move) (?:this|it|the work|that|things) (?:back )?(?:in-?house|internal)",
        r"\b(?:could|can|would|to|might) replace (?:you|your|the (?:custom|agency|current))",
        r"\b(?:don't|do not|no longer|not sure we|whether we) (?:\w+ )?need (?:you|your|an? "
        r"(?:agency|consultan\w+|partner|vendor)|external)",
        r"\bneed (?:\w+ ){0,4}(?:anymore|any more|any longer)\b",
        # winding down
        r"\b(?:put|putting|place|placing|keep|keeping) (?:\w+ ){0,4}on (?:hold|ice)\b",
        r"\bon (?:hold|ice) (?:for now|until further notice|indefinitely)\b",
        r"\b" + _WORK + r"\w* (?:\w+ ){0,3}(?:frozen|on ice|on hold|paused|stopped|suspended|"
        r"shelved)\b",
        r"\bpaus(?:e|ing) (?:\w+ ){0,2}(?:work|project|engagement|retainer|collaboration|"
        r"everything|all)\b",
        r"\b(?:stop|stopping|halt|halting|freeze|freezing|suspend\w*|shelv\w*) (?:\w+ ){0,2}"
        r"(?:work|project|engagement|retainer|activities|development|roadmap|programme)\b",
        r"\bwind(?:ing)? (?:\w+ )?down\b",
        r"\bscal(?:e|ing) (?:\w+ )?back\b",
        r"\bpull\w* the plug\b",
        r"\bcancel\w* (?:\w+ ){0,2}(?:remaining|rest of|contract|retainer|engagement|agreement|"
        r"sow|collaboration|partnership|services|project|phase)\b",
        r"\breduc\w* (?:\w+ ){0,3}(?:scope|hours|retainer|engagement|involvement|package|"
        r"support|days)\b",
        r"\bonly need (?:you|your|us)\b",
        r"\bad[- ]hoc basis\b",
        r"\b(?:not|won't|will not|don't|do not|unable to) (?:to )?(?:be )?(?:renew|extend)\w*",
        r"\bnot (?:be )?(?:renewing|extending|continuing)\b",
        r"\bnot (?:be )?(?:proceed|going ahead|go ahead|commission|mov(?:e|ing) forward)\w*",
        r"\b(?:terminat|cancel)\w* (?:\w+ ){0,2}(?:contract|retainer|engagement|agreement|"
        r"sow|collaboration|partnership|services)\b",
        r"\btermination\b",
        r"\b(?:give|giving|serve|serving|formal|our) notice\b",
        r"\bnotice (?:period|of termination)\b",
        r"\b(?:to|will|would|must|going to|decided to|plan to|need to) end "
        r"(?:\w+ ){0,2}(?:engagement|contract|collaboration|partnership|relationship)\b",
        r"\bending (?:our|the|this) (?:engagement|contract|collaboration|partnership|relationship)",
        r"\bpart ways\b",
        r"\blast (?:project|engagement|phase) (?:with|together)\b",
        r"\bno (?:further|new|more) (?:work|projects?|budget)\b",
        # doubting the value
        r"\b(?:reconsider|re-?evaluat\w*|re-?assess\w*|rethink\w*)\b[^.?!]{0,50}"
        r"\b(?:partner\w*|engagement|collaboration|contract|retainer|relationship|spend|"
        r"investment|options|cooperation|working|work with|agenc\w+|vendors?|suppliers?|"
        r"providers?|whether)",
        r"\b(?:whether|if) (?:we|to) (?:should )?(?:continue|keep|carry on|stay|renew)\b",
        r"\bwhether we continue\b",
        r"\bnot sure (?:\w+ ){0,3}(?:will |would )?(?:keep|continue|renew)\b",
        r"\b(?:whether|if) (?:the|this|our) (?:\w+ )?" + _WORK + r" (?:still )?"
        r"(?:continues?|goes on|proceeds?|makes sense|is worth)",
        r"\bworth (?:it|the (?:money|cost|investment|spend))\b",
        r"\b(?:what|which) value\b",
        r"\bjustify (?:\w+ ){0,3}(?:spend|investment|budget|cost|retainer|fees?)\b",
    ),
    "de": (
        # money
        r"~budget\w{0,40}+\b[^.?!]{0,60}\b(?:gek[uü]rzt|gestrichen|zusammengestrichen|eingefroren|"
        r"reduziert|halbiert|auf dem pr[uü]fstand)",
        r"~budget(?:k[uü]rzung|stopp|druck|sperre|freeze)\w*",
        r"\bk[uü]rz\w* (?:\w+ ){0,3}(?:budget|ausgaben|kosten|mittel)\w*",
        r"~spar(?:ma[sß]nahmen|programm|kurs|zwang|vorgaben|runde)\w*",
        r"\beinsparungen\b",
        r"\bkosten (?:\w+ )?(?:senken|reduzieren|sparen)\b",
        r"~kostensenkung\w*",
        r"~ausgabenstopp\w*",
        r"~einstellungsstopp",
        r"wirtschaftlichen lage",
        r"(?:alle|s[aä]mtliche) externen (?:ausgaben|dienstleister|agenturen|partner|kosten)",
        # a look elsewhere
        r"~(?:dienstleister|lieferanten|agentur|anbieter|partner)(?:bewertung|auswahl|"
        r"konsolidierung|wechsel|pr[uü]fung|review)",
        r"(?:dienstleister|lieferanten|agenturen|anbieter|partner|vertr[aä]ge) "
        r"(?:\w+ ){0,2}(?:[uü]berpr[uü]f|pr[uü]f|bewert|wechseln|auf den pr[uü]fstand)\w*",
        r"\bpr[uü]f\w* (?:alle|s[aä]mtliche) \w*(?:mandate|vertr[aä]ge|dienstleister|ausgaben|"
        r"projekte|auftr[aä]ge)",
        r"zahl der (?:dienstleister|anbieter|partner|agenturen|lieferanten)",
        r"\bausschreib\w*",
        r"\bauszuschreiben\b",
        r"\bpitch\b[^.?!]{0,30}\b(?:etat|durchf[uü]hren|veranstalten)",
        r"\b(?:neue[nr]?|agentur)[- ]?pitch\b",
        r"\b(?:andere|anderen|weitere|g[uü]nstigere|alternative)n? (?:agentur|anbieter|"
        r"dienstleister|partner|beratung|optionen|angebote)\w*",
        r"alternativen (?:\w+ ){0,2}(?:pr[uü]f|anseh|anschau|such|umseh|evaluier)\w*",
        r"\b(?:nach|[uü]ber) alternativen\b",
        r"(?:pr[uü]f|anseh|anschau|such|evaluier)\w* (?:\w+ ){0,2}alternativen\b",
        r"\balternativen an\b",
        r"vergleichsangebot\w*",
        r"\bangebote (?:\w+ )?(?:einholen|vergleichen)\b",
        r"bevorzugte[rn]? (?:lieferanten|dienstleister|anbieter|partner)",
        r"nur noch (?:mit )?(?:einem|einer) (?:\w+ )?(?:systemhaus|dienstleister|anbieter|"
        r"partner|agentur|lieferanten)",
        r"\binhouse\b",
        r"\bin-house\b",
        r"\bintern (?:\w+ ){0,2}(?:[uü]bernehmen|umsetzen|abbilden|erledigen|machen|l[oö]sen)",
        r"eigene[snm]? [\w-]{0,40}(?:team|leute|mitarbeiter)\w{0,40}+ (?:\w+ ){0,3}"
        r"(?:[uü]bernehm|mach|k[uü]mmer|auf\b)\w*",
        r"selbst (?:\w+ ){0,2}(?:[uü]bernehmen|umsetzen|machen)",
        r"\b(?:machen|[uü]bernehmen|erledigen) wir (?:\w+ )?selbst\b",
        r"\bersetzen kann\b",
        r"(?:nicht mehr|[uü]berhaupt noch|kein\w* \w+ mehr) (?:\w+ ){0,3}(?:brauchen|ben[oö]tigen)",
        r"\bnur noch (?:bei bedarf|punktuell|sporadisch)\b",
        # winding down
        r"\bpausier\w*",
        r"\bauf eis\b",
        r"\bden stecker\b",
        r"\bvorerst (?:\w+ ){0,3}(?:stopp|einstell|anhalt|aussetz|ruhen)\w*",
        r"\b(?:auszusetzen|einzustellen|zu stoppen|abzubrechen)\b",
        "~"
        + _ARBEIT
        + r"\w{0,40}+[^.?!]{0,40}\b(?:stoppen|gestoppt|einstellen|eingestellt|anhalten|"
        r"aussetzen|ausgesetzt|ruhen lassen|beenden|absagen)\b",
        r"\b(?:stoppen|einstellen|beenden|aussetzen) (?:\w+ ){0,2}" + _ARBEIT + r"\w*",
        r"\b(?:restlichen|verbleibenden) (?:\w+ ){0,3}(?:absagen|stornieren|streichen)",
        r"zur[uü]ck(?:fahren|gefahren|schrauben)",
        r"herunterfahren",
        r"auf (?:ein )?minimum",
        r"~(?:stunden|kontingent|umfang|auftrag|budget|retainer|betreuung|leistungen)\w{0,40}+ "
        r"(?:\w+ ){0,4}(?:reduzieren|halbieren|verringern|k[uü]rzen)",
        r"beschr[aä]nken (?:\w+ ){0,2}(?:den |unseren )?(?:auftrag|umfang|vertrag)",
        r"nicht (?:mehr |weiter |zu )?verl[aä]nger\w*",
        r"nicht (?:weiter )?fortsetzen",
        r"nicht (?:\w+ ){0,2}beauftragen",
        r"~(?:vertrag|vertr[aä]ge|retainer|zusammenarbeit|mandat|auftrag)\w{0,40}+ "
        r"(?:\w+ ){0,3}(?:k[uü]ndigen|gek[uü]ndigt)\b",
        r"\bk[uü]ndigen (?:wir )?(?:den|unseren|die|das) \w*(?:vertrag|zusammenarbeit|mandat|"
        r"auftrag|retainer)",
        r"\bk[uü]ndigung (?:des|unseres|der|zum)\b",
        r"~k[uü]ndigungsfrist",
        r"~(?:vertrag|mandat|auftrag|retainer)\w{0,40}+ endet",
        r"zusammenarbeit[^.?!]{0,50}(?:beenden|[uü]berdenken|auslaufen)",
        r"\bauslaufen lassen\b",
        r"\bgetrennte wege\b",
        r"keine (?:weiteren|neuen) (?:auftr[aä]ge|projekte|budgets?)",
        r"letzte[ns]? (?:projekt|auftrag|phase) (?:mit|zusammen)",
        # doubting the value
        r"~(?:zusammenarbeit|engagement|vertrag|retainer|partnerschaft|budget|ausgaben|"
        r"strategie|auftrag)\w{0,40}+[^.?!]{0,50}(?:[uü]berdenken|neu (?:zu )?bewerten)",
        r"\bob (?:\w+ ){0,5}(?:weitergeht|weitermachen|fortf[uü]hren|fortsetzen|fortgesetzt|"
        r"weitergef[uü]hrt|weiterf[uü]hren|"
        r"verl[aä]ngern|sinn (?:ergibt|macht|hat)|lohnt|rechnet)",
        r"\b(?:welchen|wo (?:ist|bleibt) der|keinen|kaum|wenig) (?:echten )?mehrwert\b",
        r"\blohnt sich (?:\w+ ){0,5}(?:noch|[uü]berhaupt)",
        r"(?:intern|gegen[uü]ber|kosten|ausgaben|budget|honorar)\w* (?:\w+ ){0,3}rechtfertigen",
    ),
}
_DOUBT = {lang: _Rule(p, german=lang == "de") for lang, p in _DOUBT_PATTERNS.items()}
# The same words in routine work.
_ROUTINE = _any(
    # a call, a recording, an ad campaign over a weekend
    r"\b(?:call|meeting|video|recording|slides?|demo)\b[^.?!]{0,30}\b(?:pause|on hold)",
    r"\bpause (?:the )?(?:call|meeting|recording|video)\b",
    r"\b(?:ads?|anzeigen|kampagne\w*|campaigns?)\b[^.?!]{0,60}\b(?:weekend|wochenende)",
    r"\bkurze pause\b",
    # an invoice held for its purchase order
    r"\b(?:invoice|payment|rechnung|zahlung)\w* (?:\w+ ){0,3}(?:on hold|zur[uü]ckhalten)\b"
    r"[^.?!]{0,40}\b(?:po|purchase order|bestellnummer)\b",
    # a tender the client wants the firm's help with
    r"(?:rfp|tender|ausschreibung)\w*[^.?!]{0,80}(?:your help|your support|ihre unterst|"
    r"eure unterst|as (?:our|a) (?:technical )?partner|als (?:technische[mr]? )?partner|"
    r"mit ihnen|with you)",
    r"ausschreibungsunterlagen|tender documents",
    r"\bunser(?:e|em)? kunden?\b[^.?!]{0,30}ausschreib|\bour (?:customer|client)\b[^.?!]{0,30}"
    r"(?:tender|rfp)",
    # things, not the engagement
    r"\b(?:domain|domains|zertifikat\w*|certificate|ssl|lizenz\w*|licen[cs]es?)\b",
    german=True,
)


def is_relationship_doubt(
    texts: Sequence[str | None], languages: Sequence[str | None]
) -> np.ndarray:
    """One boolean per message; both languages' rules apply where the language is unknown."""
    out = np.zeros(len(texts), dtype=bool)
    for i, (text, language) in enumerate(zip(texts, languages, strict=True)):
        if not text:
            continue
        langs = (language,) if language in ("en", "de") else ("en", "de")
        said = any(_DOUBT[lang].search(text) for lang in langs) or (
            any(_CHANGE[lang].search(text) for lang in langs) and not _GOES_ON.search(text)
        )
        out[i] = said and not _ROUTINE.search(text)
    return out
