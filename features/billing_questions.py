"""Does a client message question an invoice, a charge, hours or what is being paid for?

A rule in English and German with three parts:

1. the message names something billed: an invoice, a charge, hours or days,
   rates, fees, a price or discount, an amount, what "we pay for";
2. it questions it: a doubt ("doesn't add up", "zu hoch", "stimmt nicht"), a
   request to explain or justify ("breakdown", "time sheets", "Nachweis"), a
   refusal ("we won't pay for those hours") or, more weakly, a question mark;
3. and it is not routine: paying, sending or re-addressing an invoice, or
   asking a price for future work ("how much would SSO cost?") only counts when
   a strong doubt is there too.

Measured on hand-written labelled sets in ``tests/features/data/`` (see
``tests/features/test_billing_questions.py`` for the floors).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


_BILLED = {
    "en": _any(
        r"\binvoic\w*",
        r"\bbill(?:s|ed|ing)?\b",
        r"\bcharg\w*",
        r"\bhours?\b",
        r"\bhrs\b",
        r"\b(?:on-?site |consulting |extra )?days?\b",
        r"\bfees?\b",
        r"\brates?\b",
        r"\bcosts?\b",
        r"\bprice\w*",
        r"\bdiscount\w*",
        r"\bamount\b",
        r"\bline items?\b",
        r"\bitems?\b",
        r"\bstatement\b",
        r"\btime ?sheets?\b",
        r"\btime records\b",
        r"\bcredit note\b",
        r"\bpay(?:ing|s)?\b",
        r"\bpaid\b",
        r"\bowe\b",
        r"\bspend\b",
        r"\boverrun\b",
        r"\bexpenses?\b",
        r"\b\d+(?:[.,]\d+)?\s?k\b",
        r"[$€£]\s?\d",
        r"\d\s?(?:eur|usd|gbp|€|\$)",
    ),
    "de": _any(
        r"rechnung\w*",
        r"abrechnung\w*",
        r"abgerechnet\w*",
        r"berechnet\w*",
        r"verrechnet\w*",
        r"stunden\w*",
        r"\btage?n?\b",
        r"beratertag\w*",
        r"personentag\w*",
        r"tagess[aä]tz\w*",
        r"stundens[aä]tz\w*",
        r"kosten\w*",
        r"betr[aä]g\w*",
        r"honorar\w*",
        r"geb[uü]hr\w*",
        r"\bposten\b",
        r"position\w*",
        r"leistungsnachweis\w*",
        r"stundenzettel\w*",
        r"gutschrift\w*",
        r"\bbezahl\w*",
        r"\bzahlen wir\b",
        r"nachtr[aä]g\w*",
        r"\bpreis\w*",
        r"festpreis\w*",
        r"rabatt\w*",
        r"aufwand\w*",
        r"aufw[aä]nd\w*",
        r"\d\s?(?:eur|euro|€)",
        r"€\s?\d",
        r"\b\d+(?:[.,]\d+)?\s?k\b",
    ),
}
_STRONG_DOUBT = {
    "en": _any(
        r"\bexplain\w*",
        r"\bclarif\w*",
        r"\bbreak ?(?:it |this |that |them )?down\b",
        r"\bbreakdown\b",
        r"\bunderstand\w*",
        r"\bnot sure\b",
        r"\bunsure\b",
        r"\bconfus\w*",
        r"\bwhy\b",
        r"\bhow come\b",
        r"\bwhat (?:exactly )?(?:is|are|were|was|did)\b.{0,200}\bfor\b",
        r"\bwere for\b",
        r"\bcame from\b",
        r"\bhigher than\b",
        r"\bmore than (?:expected|agreed|quoted|planned|estimated)\b",
        r"\btoo (?:high|much|many|steep)\b",
        r"\b(?:seems?|looks?) (?:very |a bit |rather )?"
        r"(?:high|steep|excessive|off|wrong|a lot)\b",
        r"\bexcessive\b",
        r"\breconcil\w*",
        r"\bquestions? (?:about|on|regarding)\b",
        r"\bquer(?:y|ies)\b",
        r"\bdisput\w*",
        r"\bjustif\w*",
        r"\b(?:doesn't|does not|don't|do not|can't|cannot|couldn't) "
        r"(?:match|add up|see|tie|map|find|follow|recall|remember)\b",
        r"\badd up\b",
        r"\bincorrect\b",
        r"\bwrong\b",
        r"\bmistake\w*",
        r"\berror\w*",
        r"\bdiscrepanc\w*",
        r"\bwalk (?:me|us) through\b",
        r"\bline by line\b",
        r"\bdouble[- ]?(?:charg|bill)\w*",
        r"\b(?:before|until) (?:we|i) (?:can )?(?:approve|pay|sign)\b",
        r"\breject\w*",
        r"\b(?:won't|will not|not going to|refuse to|can't|cannot) (?:be )?(?:pay|approve)\w*",
        r"\bconcern\w*",
        r"\bsurpris\w*",
        r"\bunexpected\b",
        r"\bovercharg\w*",
        r"\bexceed\w*",
        r"\bagreed\b",
        r"\bcontract (?:says|states)\b",
        r"\bour (?:contract|agreement|sow)\b",
        r"\bquoted\b",
        r"\bonly (?:here|there|on-?site|worked)\b",
        r"\bnever (?:signed|agreed|approved|asked)\b",
        r"\bfree of charge\b",
        r"\bproof\b",
        r"\btime ?sheets?\b",
        r"\btime records\b",
        r"\bsupporting (?:documents?|details?)\b",
        r"\bdoesn't seem right\b",
        r"\bnot right\b",
        r"\bon hold\b",
        r"\btwice\b",
        r"\bnever (?:\w+ )?(?:ordered|requested|booked)\b",
        r"\bplease (?:check|review)\b",
    ),
    "de": _any(
        r"erkl[aä]r\w*",
        r"erl[aä]uter\w*",
        r"aufschl[uü]ssel\w*",
        r"aufstellung",
        r"nachvollzieh\w*",
        r"versteh\w*",
        r"unklar\w*",
        r"\bwarum\b",
        r"\bwieso\b",
        r"\bweshalb\b",
        r"\bwof[uü]r\b",
        r"\bwoher\b",
        r"\bwie kommt\b",
        r"\bzu hoch\b",
        r"\bzu viel\w*",
        r"\bviel vor\b",
        r"h[oö]her als",
        r"mehr als (?:vereinbart|erwartet|"
        r"angeboten|geplant|besprochen)",
        r"r[uü]ckfrage\w*",
        r"\bfragen? zu\b",
        r"\bstimm\w* (?:\w+ )?nicht\b",
        r"\bstimmt das\b",
        r"\bpasst (?:\w+ )?nicht\b",
        r"abgleich\w*",
        r"zuordnen",
        r"widersp\w*",
        r"beanstand\w*",
        r"korrigier\w*",
        r"korrektur\w*",
        r"\bfalsch\w*",
        r"\bfehler\w*",
        r"\birrtum\b",
        r"zur[uü]ckhalten",
        r"zur[uü]ckgewiesen",
        r"nicht einverstanden",
        r"akzeptieren (?:wir )?(?:\w+ )?nicht",
        r"(?:be)?zahlen wir (?:\w+ )?nicht",
        r"\bnicht (?:be)?zahlen\b",
        r"vereinbart",
        r"laut (?:vertrag|angebot)",
        r"\blt\.",
        r"nachweis\w*",
        r"stundenzettel\w*",
        r"\bnur (?:\w+ )?(?:tage?|stunden|zwei|drei|vier|\d+)\b",
        r"sehe ich (?:davon )?nichts",
        r"[uü]berrascht",
        r"unerwartet",
        r"\bkl[aä]ren\b",
        r"einspruch",
        r"\bsollen\?",
        r"nicht (?:nachvollziehbar|abgesprochen|freigegeben|beauftragt)",
        r"\bdoppelt\b",
        r"\bnie (?:\w+ )?(?:bestellt|beauftragt|vereinbart|angefordert)\b",
        r"\b(?:erscheint|erscheinen|wirkt|wirken|scheint|scheinen) (?:uns |mir )?(?:\w+ ){0,6}?"
        r"(?:sehr |zu |recht )?hoch\b",
        r"\bbitte (?:\w+ )?pr[uü]fen\b",
    ),
}
# Moving an invoice along, planning future spend, or closing a question.
_ROUTINE = {
    "en": _any(
        r"please find (?:attached|enclosed)",
        r"\battached (?:is|please find)\b",
        r"\b(?:has been|was|were|is being) paid\b",
        r"\bwe(?:'ve| have)? paid\b",
        r"\bpayment (?:has been |was |will be )?(?:sent|made|released|scheduled|processed)\b",
        r"\bsend (?:the |your |all )?invoices? to\b",
        r"\baddress\b",
        r"\bpo number\b",
        r"\bpurchase order\b",
        r"\bvat\b",
        r"\bquote\b",
        r"\bestimat\w*",
        r"\b(?:how much|what) would\b",
        r"\bwould (?:it )?cost\b",
        r"\bgoing forward\b",
        r"\bin (?:the )?future\b",
        r"\bstarting next\b",
        r"\bswitch to\b",
        r"\bsplit\b",
        r"\bresend\b",
        r"\bpdf\b",
        r"\bpayment run\b",
        r"\ball clear\b",
        r"\bmakes sense now\b",
        r"\bthanks for (?:walking|explaining|the explanation|clarifying)\b",
        r"\b(?:received|recieved|got)\b.{0,200}\bthank",
        r"\bplan(?:ning)?\b",
    ),
    "de": _any(
        r"anbei (?:die|unsere|erhalten)",
        r"wurde (?:heute |gestern )?(?:bezahlt|[uü]berwiesen|"
        r"angewiesen)",
        r"haben (?:\w+ )?(?:bezahlt|[uü]berwiesen)",
        r"wird (?:\w+ )?(?:bezahlt|[uü]berwiesen)",
        r"rechnungsadresse",
        r"bestellnummer",
        r"ust-?id",
        r"angebot f[uü]r",
        r"zahlung (?:ist )?(?:raus|veranlasst|angewiesen)",
        r"sch[aä]tz\w*",
        r"\bw[uü]rde\b.{0,200}\bkosten\b",
        r"\bwas w[uü]rde\b",
        r"k[uü]nftig",
        r"zuk[uü]nftig",
        r"ab n[aä]chstem",
        r"umstellen",
        r"aufteilen",
        r"\bpdf\b",
        r"nochmal (?:\w+ )?schicken",
        r"erneut (?:\w+ )?senden",
        r"zahllauf",
        r"alles klar",
        r"danke f[uü]r (?:die|ihre|deine) erkl[aä]rung",
        r"\bplan(?:en|ung)\b",
        r"(?:angekommen|erhalten)\b.{0,200}\bdank",
    ),
}


_REFUSAL = _any(
    r"\bwon't (?:be )?pay",
    r"\bdispute",
    r"\bzahlen wir (?:\w+ )?nicht",
    r"\bwidersp",
    r"\bnot right\b",
    r"\bstimmt (?:\w+ )?nicht",
)


def is_billing_question(texts: Sequence[str | None], languages: Sequence[str | None]) -> np.ndarray:
    """One boolean per message; both languages' rules apply where the language is unknown."""
    out = np.zeros(len(texts), dtype=bool)
    for i, (text, language) in enumerate(zip(texts, languages, strict=True)):
        if not text:
            continue
        langs = (language,) if language in ("en", "de") else ("en", "de")
        if not any(_BILLED[lang].search(text) for lang in langs):
            continue
        doubt = "?" in text or any(_STRONG_DOUBT[lang].search(text) for lang in langs)
        routine = any(_ROUTINE[lang].search(text) for lang in langs)
        out[i] = doubt and (not routine or bool(_REFUSAL.search(text)))
    return out
