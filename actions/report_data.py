"""The actions the taskforce's report names, with owners, due dates and KPIs.

Themes and actions are keyed on stable codes; owners, recommendations and
meetings on the codes in REPORT_CODES.md, which
`stakeholders.report_data.load_stakeholder_data()` creates (run it first;
`manage.py load_report_data` runs both in one transaction). Enquiry topics
are (queue code, topic code) pairs from `enquiries.reference_data`.

Like the stakeholder loader, this one only creates what is missing: an
action that exists is left as the secretariat has changed it. Actions are
created through the services, so each starts its timeline. Due phrases are
the report's own words, read as if on the day the taskforce ended its work
(2010-11-26); an action the report calls implemented is done, and its
completed date is the date the report gives, else that day.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from actions import services
from actions.escalation import LEVELS
from actions.models import Action, Kpi, KpiReading, Theme
from enquiries.models import Category, Topic
from enquiries.reference_data import load_taxonomy
from stakeholders.models import Contact, Meeting, Organisation, Recommendation

Status = Action.Status
D = datetime.date
# The taskforce ended its work on this day; the report's phrases are read from it.
REPORT_DAY = D(2010, 11, 26)

# code: (Danish, English)
THEMES: dict[str, tuple[str, str]] = {
    "support": ("Support", "Support"),
    "communication": ("Kommunikation", "Communication"),
    "technical": ("Tekniske forbedringer", "Technical improvements"),
    "accessibility": ("Tilgængelighed", "Accessibility"),
    "log-out": ("Log ud", "Log-out"),
    "outage-information": ("Information om nedbrud", "Outage information"),
}

_SUPPORT_TOPICS = [("support", "support-og-klager"), ("ministry", "klage-over-support")]
_LOG_OUT = {
    "theme": "log-out",
    "topics": [("ministry", "log-ud"), ("ministry", "sikkerhed")],
    "categories": [("support", "teknik", "log-ud")],
}

# Each action: code, title, theme, owner, status, due (the report's phrase),
# and optionally completed_on, description, recommendations, meetings,
# topics, categories, follows_up (an earlier code), responsible (a contact
# name at the owner) and kpis [(metric, unit, baseline, target, readings)].
ACTIONS: list[dict[str, Any]] = [
    {
        "code": "support-medarbejdere",
        "title": "Øget antal medarbejdere i supporten",
        "theme": "support",
        "owner": "danid",
        "status": Status.DONE,
        "due": "november 2010",
        "completed_on": D(2010, 11, 26),
        "description": "Øget fra 60 i juli til 270 i november.",
        "recommendations": ["aeldremobiliseringen-tilgaengelighed"],
        "topics": _SUPPORT_TOPICS,
        "categories": [("support", "support-og-klager", "ventetid")],
        "responsible": "NemID-support",
        "kpis": [
            (
                "Medarbejdere i NemID-supporten",
                "medarbejdere",
                60,
                270,
                [(D(2010, 7, 1), 60, "juli 2010"), (D(2010, 11, 1), 270, "november 2010")],
            )
        ],
    },
    {
        "code": "support-telefonlinjer",
        "title": "Øget antal telefonlinjer i supporten",
        "theme": "support",
        "owner": "danid",
        "status": Status.DONE,
        "due": "november 2010",
        "completed_on": D(2010, 11, 26),
        "description": "Øget fra 60 i juli til 120 i november.",
        "recommendations": ["aeldremobiliseringen-tilgaengelighed"],
        "topics": _SUPPORT_TOPICS,
        "categories": [("support", "support-og-klager", "ventetid")],
        "kpis": [
            (
                "Telefonlinjer i NemID-supporten",
                "linjer",
                60,
                120,
                [(D(2010, 7, 1), 60, "juli 2010"), (D(2010, 11, 1), 120, "november 2010")],
            )
        ],
    },
    {
        "code": "support-ny-speak",
        "title": "Ny speak/forløb i support-telefonsystemet",
        "theme": "support",
        "owner": "danid",
        "status": Status.DONE,
        "due": "22. november 2010",
        "completed_on": D(2010, 11, 22),
        "description": (
            "Implementeret 22. november 2010. Afhjælper Ældremobiliseringens "
            "udfordring med supportens tilgængelighed."
        ),
        "recommendations": ["aeldremobiliseringen-tilgaengelighed"],
        "meetings": ["aeldremobiliseringen-2010-11-09"],
        "topics": _SUPPORT_TOPICS,
    },
    {
        "code": "support-vejledning-bank-borgerservice",
        "title": "Yderligere vejledning af bankernes support, NemID-support og borgerservice",
        "theme": "support",
        "owner": "danid",
        "status": Status.DONE,
        "due": "efteråret 2010",
        "topics": [("support", "generelle-spoergsmaal"), ("ministry", "brugerproblemer")],
    },
    {
        "code": "support-styrkelse-pengeinstitutter",
        "title": "Styrkelse af supportfunktionen i pengeinstitutterne",
        "theme": "support",
        "owner": "bankerne",
        "status": Status.IN_PROGRESS,
        "due": "",
        "description": "Initiativ efter gennemgangen af mediedækningen siden 1. juli 2010.",
        "topics": [("press", "banker"), ("press", "support")],
    },
    {
        "code": "kommunikation-vejledninger-nemid-nu",
        "title": "Yderligere vejledninger på www.nemid.nu",
        "theme": "communication",
        "owner": "danid",
        "status": Status.DONE,
        "due": "efteråret 2010",
        "recommendations": ["aeldre-sagen-stoette"],
        "topics": [("support", "aktivering"), ("support", "bestilling")],
    },
    {
        "code": "vejledning-aktivering-netbank",
        "title": "Særlig vejledning i aktivering via netbank",
        "theme": "communication",
        "owner": "itst",
        "status": Status.DONE,
        "due": "november 2010",
        "description": "Afhjælper Ældremobiliseringens udfordring med aktivering via netbank.",
        "recommendations": ["aeldremobiliseringen-aktivering"],
        "meetings": ["aeldremobiliseringen-2010-11-09"],
        "categories": [("support", "aktivering", "via-netbank")],
    },
    {
        "code": "kommunikation-hjaelp-boks",
        "title": "Boksen ”Hjælp til at komme i gang” på forsiden af www.nemid.nu",
        "theme": "communication",
        "owner": "danid",
        "status": Status.DONE,
        "due": "efteråret 2010",
        "recommendations": ["aeldre-sagen-stoette"],
        "topics": [("support", "aktivering")],
    },
    {
        "code": "kommunikation-driftstatus",
        "title": "Driftstatusområde på forsiden af nemid.nu",
        "theme": "outage-information",
        "owner": "danid",
        "status": Status.IN_PROGRESS,
        "due": "medio december 2010",
        "description": "Meddelelser kan publiceres omgående af driftsvagten pr. medio december.",
        "recommendations": ["aeldre-sagen-nedbrud", "dansk-it-transparens"],
        "topics": [("ministry", "nedbrud"), ("press", "nedbrud")],
        "categories": [("support", "teknik", "nedbrud")],
    },
    {
        "code": "kommunikation-presse",
        "title": "Løbende kommentarer og svar på problemstillinger i pressen",
        "theme": "communication",
        "owner": "itst",
        "status": Status.IN_PROGRESS,
        "due": "",
        "description": (
            "Der er løbende kommenteret og svaret på de problemstillinger, der har "
            "været fremme i pressedækningen af NemID, herunder om sikkerhed og "
            "privacy, på nemid.nu og itst.dk."
        ),
        "topics": [("press", "sikkerhed"), ("press", "brugervenlighed"), ("ministry", "privatliv")],
    },
    {
        "code": "kommunikation-velkomstbreve",
        "title": "Reviderede velkomstbreve med stort nøglekort og blindeløsningen",
        "theme": "communication",
        "owner": "danid",
        "status": Status.DONE,
        "due": "6. december 2010",
        "completed_on": D(2010, 12, 6),
        "description": (
            "Afsnittet ”Sådan gør du” beskriver kort og trinvist, hvad brugeren skal "
            "gøre; et afsnit om nøglekort med stor skrift og blindeløsningen. De nye "
            "brevversioner blev implementeret den 6. december 2010."
        ),
        "recommendations": ["aeldre-sagen-sprog", "aeldre-sagen-stort-noeglekort"],
        "meetings": ["aeldre-sagen-2010-11-25"],
        "topics": [("ministry", "velkomstbreve")],
        "categories": [
            ("support", "noeglekort", "stor-skrift"),
            ("support", "tilgaengelighed", "blinde"),
        ],
    },
    {
        "code": "kommunikation-faktaark-finansraadet",
        "title": "Faktaark om NemID til bankmedarbejdere",
        "theme": "communication",
        "owner": "finansraadet",
        "status": Status.DONE,
        "due": "1. december 2010",
        "completed_on": D(2010, 12, 1),
        "description": (
            "Informerer den bankansatte om finanssektorens ansvar og ejerskab, dens "
            "rolle i sikkerheden og udformningen af NemID og bankernes "
            "supportforpligtelse over for egne brugere."
        ),
        "topics": [("ministry", "banktvang"), ("press", "banker")],
    },
    {
        "code": "kommunikation-faktaark-handicap",
        "title": "Information til bankansatte om specielle løsninger for handicappede",
        "theme": "accessibility",
        "owner": "danid",
        "status": Status.PROPOSED,
        "due": "",
        "description": (
            "I forlængelse af faktaarket opfordres DanID og Finansrådet til at sikre, "
            "at der er tilgængelig information til de bankansatte om faktuelle forhold."
        ),
        "follows_up": "kommunikation-faktaark-finansraadet",
        "topics": [("ministry", "tilgaengelighed")],
    },
    {
        "code": "kommunikation-krisekommunikation",
        "title": "Styrket krisekommunikationsberedskab mellem ITST og DanID",
        "theme": "outage-information",
        "owner": "itst",
        "status": Status.DONE,
        "due": "primo november 2010",
        "completed_on": D(2010, 11, 10),
        "description": (
            "Skal fremme hurtigere og bedre kommunikation i tilfælde af kritiske hændelser."
        ),
        "recommendations": ["dansk-it-transparens", "aeldre-sagen-nedbrud"],
        "meetings": ["dansk-it-2010-11-19"],
        "topics": [("ministry", "nedbrud")],
    },
    {
        "code": "tilgaengelighed-tegnsprog",
        "title": "Tegnsprogsudgaver af samtlige e-læringsfilm om NemID",
        "theme": "accessibility",
        "owner": "danid",
        "status": Status.DONE,
        "due": "efteråret 2010",
        "recommendations": ["dh-tilgaengelighed"],
        "categories": [("support", "tilgaengelighed", "tegnsprog")],
    },
    {
        "code": "kommunikation-pjece-aeldre",
        "title": "Pjece om NemID målrettet de ældre",
        "theme": "communication",
        "owner": "itst",
        "status": Status.IN_PROGRESS,
        "due": "foråret 2011",
        "description": (
            "Forventes udgivet i foråret 2011 blandt andet via Ældre Sagens "
            "medlemsblad ”Ældre Sagen Nu”; igangsat på baggrund af "
            "Ældremobiliseringens første feedback."
        ),
        "recommendations": ["aeldre-sagen-stoette"],
        "meetings": ["aeldremobiliseringen-2010-11-09", "aeldre-sagen-2010-11-25"],
        "topics": [("press", "aeldre")],
        "categories": [("support", "tilgaengelighed", "aeldre")],
    },
    {
        "code": "kursus-aeldre-biblioteker",
        "title": "Kursus- og informationstilbud til ældre og it-svage på biblioteker og datastuer",
        "theme": "accessibility",
        "owner": "bibliotekerne",
        "status": Status.IN_PROGRESS,
        "due": "",
        "topics": [("press", "aeldre")],
        "categories": [("support", "tilgaengelighed", "aeldre")],
    },
    {
        "code": "tilgaengelighed-arbejdsgruppe",
        "title": "Løsning for yderligere grupper af handicappede (særlig arbejdsgruppe)",
        "theme": "accessibility",
        "owner": "itst",
        "status": Status.IN_PROGRESS,
        "due": "",
        "description": (
            "Arbejdsgruppen af DanID, bankerne og IT- og Telestyrelsen skal finde den "
            "bedst mulige løsning under hensyn til både kort- og langsigtede "
            "målsætninger; DH indbydes til at deltage."
        ),
        "recommendations": ["dh-tilgaengelighed"],
        "meetings": ["dh-arbejdsgruppe-2010-11-30"],
        "topics": [("ministry", "tilgaengelighed"), ("press", "tilgaengelighed")],
        "categories": [("support", "tilgaengelighed", "blinde")],
    },
    {
        "code": "peak-forebyggelse",
        "title": "Forebyggende indsats ved peak-situationer",
        "theme": "support",
        "owner": "danid",
        "status": Status.IN_PROGRESS,
        "due": "",
        "description": (
            "Situationer, hvor særligt mange danskere forventes at bestille eller "
            "aktivere NemID til offentlige tjenester."
        ),
        "topics": [("support", "bestilling"), ("support", "aktivering")],
    },
    {
        "code": "teknik-danid-hos-printleverandoer",
        "title": "DanID-medarbejder udstationeret hos printleverandøren",
        "theme": "technical",
        "owner": "danid",
        "status": Status.DONE,
        "due": "7. oktober 2010",
        "completed_on": D(2010, 10, 7),
        "responsible": "DanID-medarbejder hos printleverandøren",
        "categories": [
            ("support", "midlertidig-adgangskode", "foer-noeglekort"),
            ("support", "bestilling", "breve-ikke-modtaget"),
        ],
    },
    {
        "code": "teknik-printraekkefoelge",
        "title": "Midlertidig adgangskode printes først, når brevet med nøglekort er printet",
        "theme": "technical",
        "owner": "danid",
        "status": Status.DONE,
        "due": "17. november 2010",
        "completed_on": D(2010, 11, 17),
        "description": (
            "Teknisk løsning implementeret pr. 17. november 2010 mod den samtidige "
            "udsendelse af de to breve ved bestilling af NemID."
        ),
        "topics": [("support", "midlertidig-adgangskode")],
        "categories": [("support", "midlertidig-adgangskode", "foer-noeglekort")],
        "insufficient": (
            "Det har efterfølgende vist ikke at være tilstrækkeligt, hvorfor der er "
            "igangsat et arbejde med at finde en alternativ løsning."
        ),
    },
    {
        "code": "teknik-alternativ-loesning-breve",
        "title": "Alternativ løsning for de to breve færdigbeskrevet",
        "theme": "technical",
        "owner": "danid",
        "status": Status.IN_PROGRESS,
        "due": "medio januar 2011",
        "description": "Løsningen vil være færdigbeskrevet medio januar 2011.",
        "follows_up": "teknik-printraekkefoelge",
        "topics": [("support", "midlertidig-adgangskode")],
        "categories": [("support", "midlertidig-adgangskode", "foer-noeglekort")],
    },
    {
        "code": "teknik-tre-aktiveringsforsoeg",
        "title": "Tre aktiveringsforsøg med den midlertidige adgangskode",
        "theme": "technical",
        "owner": "danid",
        "status": Status.PLANNED,
        "due": "snarest muligt",
        "description": (
            "Systemet tilrettes snarest muligt, så der er tre aktiveringsforsøg med "
            "den midlertidige adgangskode uanset bestillings- og aktiveringsproces."
        ),
        "categories": [
            ("support", "midlertidig-adgangskode", "for-mange-forsoeg"),
            ("support", "midlertidig-adgangskode", "virker-ikke"),
        ],
    },
    {
        "code": "teknik-kun-netbank-manuel",
        "title": "Manuel rettelse for borgere, der kun kunne aktivere NemID til netbank",
        "theme": "technical",
        "owner": "danid",
        "status": Status.IN_PROGRESS,
        "due": "primo 2011",
        "description": (
            "Fejlen er løst manuelt for de cirka 415 berørte borgere og løses på "
            "tilsvarende vis for eventuelt nye brugere, indtil den endelige "
            "fejlretning er på plads primo 2011."
        ),
        "categories": [("support", "aktivering", "kun-netbank")],
        "kpis": [
            (
                "Borgere rettet manuelt",
                "borgere",
                0,
                None,
                [(D(2010, 11, 26), 415, "cirka 415 berørte borgere")],
            )
        ],
    },
    {
        "code": "teknik-kun-netbank-endelig",
        "title": "Endelig fejlretning: aktivering kun til netbank",
        "theme": "technical",
        "owner": "danid",
        "status": Status.PLANNED,
        "due": "primo 2011",
        "follows_up": "teknik-kun-netbank-manuel",
        "categories": [("support", "aktivering", "kun-netbank")],
    },
    {
        "code": "teknik-digital-signatur",
        "title": "Fejlretning: bestilling af NemID med digital signatur",
        "theme": "technical",
        "owner": "danid",
        "status": Status.DONE,
        "due": "efteråret 2010",
        "categories": [("support", "bestilling", "digital-signatur")],
    },
    {
        "code": "teknik-mac",
        "title": "Fejlretning: NemID på bestemte Mac-computere",
        "theme": "technical",
        "owner": "danid",
        "status": Status.DONE,
        "due": "efteråret 2010",
        "categories": [("support", "teknik", "mac")],
    },
    {
        "code": "forebyg-nedbrud-gentagelser",
        "title": "Forebyggende indsats mod gentagelser efter driftsproblemer og nedbrud",
        "theme": "outage-information",
        "owner": "danid",
        "status": Status.IN_PROGRESS,
        "due": "",
        "topics": [("ministry", "nedbrud"), ("press", "nedbrud")],
    },
    {
        "code": "teknik-noeglegenerator",
        "title": "Elektronisk nøglegenerator, der kan afløse det fysiske nøglekort",
        "theme": "technical",
        "owner": "danid",
        "status": Status.PLANNED,
        "due": "2011",
        "description": "En del af NemIDs udviklingsplan for 2011.",
        "recommendations": ["dansk-it-digitalt-noeglekort"],
        "meetings": ["dansk-it-2010-11-19"],
        "topics": [("support", "noeglekort"), ("ministry", "noeglekort")],
    },
    {
        "code": "teknik-smartphones",
        "title": "Vurdering af NemID på mobile platforme som smartphones",
        "theme": "technical",
        "owner": "danid",
        "status": Status.PROPOSED,
        "due": "snarest muligt",
        "description": (
            "Under overvejelse i DanID; vurderes med henblik på at indgå i "
            "udviklingsplanen for NemID snarest muligt, og der arbejdes på at "
            "fremskynde udviklingen."
        ),
        "recommendations": ["dansk-it-smartphone"],
        "meetings": ["dansk-it-2010-11-19"],
        "topics": [("press", "brugervenlighed")],
    },
    {
        **_LOG_OUT,
        "code": "logud-nemid-nu-tekst",
        "title": "Tekst om sikkert log ud på www.nemid.nu opdateret og fremhævet",
        "owner": "itst",
        "status": Status.DONE,
        "due": "november 2010",
    },
    {
        **_LOG_OUT,
        "code": "logud-nemid-nu-nyhed",
        "title": "Nyhed om sikkert log ud på forsiden af www.nemid.nu",
        "owner": "itst",
        "status": Status.DONE,
        "due": "november 2010",
    },
    {
        **_LOG_OUT,
        "code": "logud-itst-dk",
        "title": "Nyhed om sikkert log ud gengivet på www.itst.dk",
        "owner": "itst",
        "status": Status.DONE,
        "due": "november 2010",
    },
    {
        **_LOG_OUT,
        "code": "logud-borger-dk-min-side",
        "title": "Min side på borger.dk fremhæver, hvordan man logger korrekt ud",
        "owner": "borger-dk",
        "status": Status.DONE,
        "due": "november 2010",
    },
    {
        **_LOG_OUT,
        "code": "logud-borger-dk-nyhedsbrev",
        "title": "Vejledning om korrekt log ud genudsendt i borger.dk’s nyhedsbrev",
        "owner": "borger-dk",
        "status": Status.DONE,
        "due": "november 2010",
        "description": (
            "Både til borgere og til myndigheder; nyheden fremhæves i en periode på "
            "forsiden af borger.dk."
        ),
    },
    {
        **_LOG_OUT,
        "code": "logud-kl-digitale-ambassadoerer",
        "title": "Information om korrekt log ud til KL’s digitale ambassadører og "
        "bibliotekernes digitale kontaktpersoner",
        "owner": "itst",
        "status": Status.DONE,
        "due": "november 2010",
        "description": "I samarbejde med KL, på webfora og på kurser.",
    },
    {
        **_LOG_OUT,
        "code": "logud-storskaerme-biblioteker",
        "title": "Nyheden om korrekt log ud på storskærme på 12 biblioteker",
        "owner": "bibliotekerne",
        "status": Status.IN_PROGRESS,
        "due": "",
        "description": "Kører i en periode på storskærme på 12 biblioteker landet over.",
    },
    {
        **_LOG_OUT,
        "code": "logud-laer-mere-om-it",
        "title": "Korrekt log ud gentaget i Lær Mere om it-netværkets forum på it-formidler.dk",
        "owner": "itst",
        "status": Status.DONE,
        "due": "november 2010",
    },
    {
        **_LOG_OUT,
        "code": "logud-anbefaling-myndigheder",
        "title": "Anbefaling til myndigheder om sikkert log ud",
        "owner": "itst",
        "status": Status.DONE,
        "due": "uge 47 2010",
        "completed_on": D(2010, 11, 26),
        "description": (
            "Udsendt i uge 47. Virk.dk og NemLog-in følger anbefalingen og har "
            "offentliggjort en tekst om at lukke alle browservinduer."
        ),
    },
    {
        **_LOG_OUT,
        "code": "logud-borger-dk-justering",
        "title": "Justeringer af borger.dk i henhold til anbefalingen om sikkert log ud",
        "owner": "borger-dk",
        "status": Status.DONE,
        "due": "18. december 2010",
        "completed_on": D(2010, 12, 18),
        "follows_up": "logud-anbefaling-myndigheder",
    },
    {
        **_LOG_OUT,
        "code": "logud-anbefaling-finansraadet",
        "title": "Anbefalingen om sikkert log ud videregivet til Finansrådet for bankerne",
        "owner": "itst",
        "status": Status.PLANNED,
        "due": "",
        "description": "Til videre foranstaltning i forhold til bankernes log ud-implementering.",
        "follows_up": "logud-anbefaling-myndigheder",
    },
    {
        "code": "nedbrud-standardtekster",
        "title": "Standardtekster om driftsinformation til tjenesteudbydere og netbanker",
        "theme": "outage-information",
        "owner": "danid",
        "status": Status.DONE,
        "due": "november 2010",
        "recommendations": ["forbrugerraadet-fejltekster"],
        "meetings": ["forbrugerraadet"],
        "categories": [("support", "teknik", "nedbrud"), ("support", "teknik", "fejlbesked")],
    },
    {
        "code": "nedbrud-opfordre-banker",
        "title": "Opfordre bankerne til forklarende fejltekster i egne løsninger",
        "theme": "outage-information",
        "owner": "danid",
        "status": Status.IN_PROGRESS,
        "due": "",
        "description": (
            "Generelle retningslinjer er ikke mulige, da håndteringen er helt "
            "bankspecifik; DanID anmoder bankerne om at prioritere det."
        ),
        "recommendations": ["forbrugerraadet-fejltekster"],
        "categories": [("support", "teknik", "fejlbesked")],
    },
    {
        "code": "nedbrud-proces-forbrugerraadet",
        "title": "Proces for information til Forbrugerrådet ved problemer med NemID",
        "theme": "outage-information",
        "owner": "itst",
        "status": Status.DONE,
        "due": "november 2010",
        "recommendations": ["forbrugerraadet-kommunikation"],
        "meetings": ["forbrugerraadet"],
    },
    {
        "code": "nedbrud-automatisk-information",
        "title": "Automatisk information om nedbrud til netbanker og offentlige tjenesteudbydere",
        "theme": "outage-information",
        "owner": "itst",
        "status": Status.PROPOSED,
        "due": "",
        "description": (
            "IT- og Telestyrelsen er i dialog med DanID om en teknisk løsning; "
            "tjenesteudbyderne skal fortsat selv sikre visningen på deres sider."
        ),
        "recommendations": [
            "forbrugerraadet-fejltekster",
            "aeldre-sagen-nedbrud",
            "dansk-it-transparens",
        ],
        "topics": [("ministry", "nedbrud"), ("press", "nedbrud")],
        "categories": [("support", "teknik", "nedbrud")],
    },
]


class MissingReferenceData(LookupError):
    """The stakeholder or taxonomy rows an action points at are not loaded."""


def _by_code(model, codes: list[str]) -> list:
    rows = {row.code: row for row in model.objects.filter(code__in=codes)}
    missing = [code for code in codes if code not in rows]
    if missing:
        raise MissingReferenceData(
            f"{model._meta.verbose_name_plural} not loaded: {', '.join(missing)}; "
            "run load_stakeholder_data() first."
        )
    return [rows[code] for code in codes]


def _topics(pairs: list[tuple[str, str]]) -> list[Topic]:
    found = []
    for queue, code in pairs:
        topic = Topic.objects.filter(queue__code=queue, code=code).first()
        if topic is None:
            raise MissingReferenceData(f"enquiry topic not loaded: {queue}/{code}")
        found.append(topic)
    return found


def _categories(triples: list[tuple[str, str, str]]) -> list[Category]:
    found = []
    for queue, topic, code in triples:
        category = Category.objects.filter(
            topic__queue__code=queue, topic__code=topic, code=code
        ).first()
        if category is None:
            raise MissingReferenceData(f"enquiry category not loaded: {queue}/{topic}/{code}")
        found.append(category)
    return found


def _create(data: dict[str, Any], themes: dict[str, Theme]) -> Action:
    (owner,) = _by_code(Organisation, [data["owner"]])
    earlier = Action.objects.get(code=data["follows_up"]) if data.get("follows_up") else None
    responsible = None
    if data.get("responsible"):
        responsible = Contact.objects.filter(organisation=owner, name=data["responsible"]).first()
    action = services.create_action(
        owner,
        by=None,
        code=data["code"],
        title=data["title"],
        theme=themes[data["theme"]],
        due_phrase=data["due"],
        description=data.get("description", ""),
        responsible=responsible,
        status=data["status"],
        completed_on=data.get("completed_on"),
        origin_recommendations=_by_code(Recommendation, data.get("recommendations", [])),
        origin_meetings=_by_code(Meeting, data.get("meetings", [])),
        origin_topics=_topics(data.get("topics", [])),
        origin_categories=_categories(data.get("categories", [])),
        follows_up=earlier,
        today=REPORT_DAY,
    )
    for position, (metric, unit, baseline, target, readings) in enumerate(data.get("kpis", [])):
        kpi = Kpi.objects.create(
            action=action,
            metric=metric,
            unit=unit,
            baseline=Decimal(baseline),
            target=None if target is None else Decimal(target),
            position=position,
        )
        KpiReading.objects.bulk_create(
            KpiReading(kpi=kpi, measured_on=day, value=Decimal(value), note=note)
            for day, value, note in readings
        )
    return action


@transaction.atomic
def load_action_data(
    *, as_history: bool = False, today: datetime.date | None = None
) -> dict[str, int]:
    """Create the report's themes and actions that are missing; idempotent.

    Existing rows (matched by code) are never changed. An action the report
    found insufficient is marked so once its follow-up exists. `as_history`
    settles the escalation of the new actions already overdue `today`.
    Returns how many themes and actions were created.
    """
    if not Topic.objects.filter(queue__code="support").exists():
        load_taxonomy()
    created = {"themes": 0, "actions": 0}
    themes: dict[str, Theme] = {}
    for position, (code, (name_da, name_en)) in enumerate(THEMES.items()):
        themes[code], new = Theme.objects.get_or_create(
            code=code, defaults={"name_da": name_da, "name_en": name_en, "position": position}
        )
        created["themes"] += new
    fresh: set[str] = set()
    for data in ACTIONS:
        if Action.objects.filter(code=data["code"]).exists():
            continue
        _create(data, themes)
        fresh.add(data["code"])
        created["actions"] += 1
    for data in ACTIONS:
        if data["code"] in fresh and data.get("insufficient"):
            action = Action.objects.get(code=data["code"])
            follow_up = action.follow_ups.order_by("pk").first()
            services.change_action_status(
                action,
                to=Status.INSUFFICIENT,
                by=None,
                note=data["insufficient"],
                follow_up=follow_up,
                today=REPORT_DAY,
            )
    if as_history:
        # Their deadlines passed in the taskforce's time, which followed them
        # up: a new installation's first sweep must not e-mail about 2011.
        # A later change of due date or a reopening sets the level back to 0.
        Action.objects.filter(code__in=fresh).overdue(today or timezone.localdate()).update(
            escalation_level=max(LEVELS)
        )
    return created
