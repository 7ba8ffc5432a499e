"""The taskforce's stakeholder world of autumn 2010, from its report.

Organisations, the units the report names, the DH working group, the
meetings with who was present, every recommendation with the project's
response, and the follow-ups that wait on others. Rows are keyed on the
stable codes in REPORT_CODES.md (contacts on organisation and name).

The loader only creates what is missing: a row that exists is left as it
is, so re-running it (every `make run` does) never overwrites a status,
a response or a resolved follow-up that the secretariat has changed.
Texts are Danish, as the report writes them.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models, transaction

from enquiries.models import Topic
from enquiries.reference_data import load_taxonomy
from stakeholders.models import (
    Contact,
    FollowUp,
    Meeting,
    Organisation,
    Recommendation,
    RecommendationEvent,
    WorkingGroup,
)

Kind = Organisation.Kind
Status = Recommendation.Status
D = datetime.date

# code: (name, short name, kind, taskforce member, website, notes)
ORGANISATIONS: dict[str, tuple[str, str, str, bool, str, str]] = {
    "videnskabsministeriet": (
        "Videnskabsministeriet",
        "",
        Kind.AUTHORITY,
        False,
        "",
        "Videnskabsministeren nedsatte taskforcen den 6. oktober 2010 for at "
        "sikre kvalitet i udrulningen af NemID. Ministeriet modtager "
        "borgerhenvendelser om NemID.",
    ),
    "itst": (
        "IT- og Telestyrelsen",
        "ITST",
        Kind.AUTHORITY,
        True,
        "https://www.itst.dk",
        "Medlem af taskforcen. IT- og Telestyrelsen vil følge op på de "
        "igangsatte initiativer samt sikre en brugerorienteret håndtering af "
        "disse og et fortsat fokus på kvalitetssikring af NemID både i forhold "
        "til sikkerhed og brugeroplevelse.",
    ),
    "danid": (
        "DanID",
        "",
        Kind.OPERATOR,
        True,
        "https://www.danid.dk",
        "Medlem af taskforcen. Driver NemID og NemID-supporten.",
    ),
    "finansraadet": (
        "Finansrådet",
        "",
        Kind.FINANCIAL,
        True,
        "",
        "Medlem af taskforcen. Har pr. 1. december 2010 udsendt faktaark om "
        "NemID-projektet til bankerne.",
    ),
    "bankerne": (
        "Bankerne",
        "",
        Kind.FINANCIAL,
        False,
        "",
        "Pengeinstitutterne og deres netbanker; repræsenteret i den særlige "
        "arbejdsgruppe om tilgængelighed.",
    ),
    "aeldremobiliseringen": (
        "Ældremobiliseringen",
        "",
        Kind.INTEREST,
        False,
        "",
        "Har afholdt en række temamøder i november og december 2010.",
    ),
    "aeldre-sagen": (
        "Ældre Sagen",
        "",
        Kind.INTEREST,
        False,
        "",
        "Medlemsbladet ”Ældre Sagen Nu”.",
    ),
    "dansk-it": (
        "Dansk IT",
        "",
        Kind.INTEREST,
        False,
        "",
        "Dansk IT støtter generelt NemID og ser det som et godt eksempel på "
        "offentligt privat samarbejde.",
    ),
    "dh": (
        "Danske Handicaporganisationer",
        "DH",
        Kind.INTEREST,
        False,
        "",
        "IT- og Telestyrelsen har allerede indledt en møderække med DH.",
    ),
    "forbrugerraadet": ("Forbrugerrådet", "", Kind.INTEREST, False, "", ""),
    "kl": (
        "KL",
        "",
        Kind.AUTHORITY,
        False,
        "",
        "Netværket af ’digitale ambassadører’ i kommunerne.",
    ),
    "borger-dk": ("borger.dk", "", Kind.AUTHORITY, False, "https://www.borger.dk", ""),
    "virk-dk": ("Virk.dk", "", Kind.AUTHORITY, False, "https://www.virk.dk", ""),
    "nemlog-in": ("NemLog-in", "", Kind.AUTHORITY, False, "", ""),
    "bibliotekerne": (
        "Bibliotekerne",
        "",
        Kind.AUTHORITY,
        False,
        "",
        "Bibliotekernes netværk af ’digitale kontaktpersoner’.",
    ),
    "printleverandoeren": (
        "Printleverandøren",
        "",
        Kind.SUPPLIER,
        False,
        "",
        "Printer brevene med nøglekort og midlertidig adgangskode.",
    ),
    "kommunen": (
        "Avisen ”kommunen”",
        "",
        Kind.MEDIA,
        False,
        "",
        "A&B Analyse har for avisen gennemført en undersøgelse blandt 1.426 "
        "respondenter: 77 % tilfredse.",
    ),
    "ab-analyse": ("A&B Analyse", "", Kind.SURVEY, False, "", ""),
    "m3": (
        "Analyseinstituttet M3",
        "M3",
        Kind.SURVEY,
        False,
        "",
        "Har i samarbejde med MEC for DanID gennemført en undersøgelse blandt "
        "1.500 respondenter, hvoraf 713 har NemID: 81 procent positive.",
    ),
    "mec": ("MEC", "", Kind.SURVEY, False, "", ""),
}

# (organisation code, name, title or unit): the units and representatives
# the report names; the report names no individuals.
CONTACTS: list[tuple[str, str, str]] = [
    ("itst", "Center for Digital Signatur", "Enhed i IT- og Telestyrelsen"),
    (
        "itst",
        "Kontoret for it-kompetencer og tilgængelighed",
        "Enhed i IT- og Telestyrelsen",
    ),
    ("itst", "Repræsentant i taskforcen", "IT- og Telestyrelsen"),
    ("danid", "Repræsentant i taskforcen", "DanID"),
    ("finansraadet", "Repræsentant i taskforcen", "Finansrådet"),
    ("danid", "NemID-support", "DanIDs support til borgerne"),
    (
        "danid",
        "DanID-medarbejder hos printleverandøren",
        "Udstationeret hos printleverandøren pr. 7. oktober 2010",
    ),
    ("dansk-it", "Repræsentant fra Dansk IT", "Dansk IT"),
    ("kl", "Digitale ambassadører", "Netværk i kommunerne"),
    ("bibliotekerne", "Digitale kontaktpersoner", "Bibliotekernes netværk"),
]

WORKING_GROUPS: dict[str, dict[str, Any]] = {
    "dh-arbejdsgruppe": {
        "name": "Særlig arbejdsgruppe om tilgængelighed (DH)",
        "purpose": (
            "Nedsat med det formål at muliggøre, at NemID kan anvendes "
            "tilfredsstillende af yderligere grupper af handicappede. "
            "Arbejdsgruppen skal finde den bedst mulige løsning på baggrund af "
            "den hidtidige dialog med DH og under hensyntagen til både kort- og "
            "langsigtede målsætninger. Det skal aftales nærmere, hvordan og i "
            "hvilket omfang DH kan inddrages i arbejdet."
        ),
        "members": ["danid", "bankerne", "itst"],
        # The report gives no founding date; the group began with its first
        # meeting.
        "established_on": D(2010, 11, 30),
    },
}

TASKFORCE = [
    ("finansraadet", "Repræsentant i taskforcen"),
    ("danid", "Repræsentant i taskforcen"),
    ("itst", "Repræsentant i taskforcen"),
]

MEETINGS: dict[str, dict[str, Any]] = {
    "taskforce-2010-10-29": {
        "title": "Taskforcens første møde",
        "held_on": D(2010, 10, 29),
        "organisations": ["finansraadet", "danid", "itst"],
        "attendees": TASKFORCE,
        "agenda": (
            "Taskforcens opdrag: at identificere og vurdere den kritik, der er "
            "fremkommet af NemID, og vurdere, om der er et mønster i kritikken, "
            "som giver grundlag for yderligere systemmæssige justeringer og/eller "
            "øget og bedre information."
        ),
        "minutes": (
            "Taskforcen blev nedsat den 6. oktober 2010 med repræsentanter fra "
            "Finansrådet, DanID og IT- og Telestyrelsen og holdt sit første møde "
            "den 29. oktober 2010. Der har i alt været afholdt fire møder, og "
            "taskforcen har afsluttet sit arbejde fredag den 26. november 2010."
        ),
        "outcome": (
            "Taskforcen har gennemgået og bearbejdet den kritik af NemID, der er "
            "modtaget gennem supportsystemet, fra borgere, fra "
            "interesseorganisationer og gennem pressen."
        ),
    },
    "aeldremobiliseringen-2010-11-09": {
        "title": "Møde med Ældremobiliseringen",
        "held_on": D(2010, 11, 9),
        "organisations": ["itst", "danid", "aeldre-sagen", "aeldremobiliseringen"],
        "attendees": [
            ("itst", "Center for Digital Signatur"),
            ("itst", "Kontoret for it-kompetencer og tilgængelighed"),
        ],
        "minutes": (
            "Mødet blev afholdt den 9. november 2010 med deltagelse fra IT- og "
            "Telestyrelsens Center for Digital Signatur samt Kontoret for "
            "it-kompetencer og tilgængelighed, DanID, Ældre Sagen og "
            "Ældremobiliseringen.\n\n"
            "Ældremobiliseringen gav på mødet udtryk for et generelt positivt "
            "billede af NemID. Der har været en række konkrete udfordringer "
            "(hjælp til aktivering via netbank samt supportens tilgængelighed)."
        ),
        "outcome": (
            "Første udfordring er afhjulpet med en særlig vejledning fra ITST; "
            "anden udfordring er afhjulpet med et nyt telefonsystem/speak fra "
            "DanID. ITST har fremsendt spørgsmål om NemID, som taskforcen gerne "
            "vil have Ældremobiliseringens feedback på. På baggrund af den "
            "første feedback igangsættes udarbejdelse af en pjece om NemID "
            "målrettet de ældre."
        ),
    },
    "dansk-it-2010-11-19": {
        "title": "Møde med Dansk IT",
        "held_on": D(2010, 11, 19),
        "organisations": ["dansk-it", "finansraadet", "danid", "itst"],
        "attendees": [("dansk-it", "Repræsentant fra Dansk IT"), *TASKFORCE],
        "minutes": (
            "Mødet blev afholdt fredag den 19. november 2010 med deltagelse af "
            "repræsentant fra Dansk IT og taskforcen ved Finansrådet, DanID og "
            "IT- og Telestyrelsen.\n\n"
            "Dansk IT støtter generelt NemID. Særligt ideen om samarbejdet mellem "
            "den offentlige og den private sektor vægter Dansk IT højt. NemID ses "
            "af Dansk IT således som et godt eksempel på offentligt privat "
            "samarbejde.\n\n"
            "Hovedbudskabet var, at NemID-projektet er en type projekt, hvor der "
            "stadig kommer til at være kritik, driftsnedbrud og lignende. Dansk "
            "IT havde derudover to ønsker til fremtiden: en digital version af "
            "nøglekortet og NemID på smartphones."
        ),
        "outcome": (
            "En elektronisk nøglegenerator, der kan afløse det fysiske "
            "nøglekort, er allerede en del af udviklingsplanen for NemID. "
            "Anvendelsen af NemID på mobile platforme, som smartphones, vil også "
            "blive vurderet med henblik på at indgå i udviklingsplanen for NemID "
            "snarest muligt."
        ),
    },
    "aeldre-sagen-2010-11-25": {
        "title": "Møde med Ældre Sagen",
        "held_on": D(2010, 11, 25),
        "organisations": ["aeldre-sagen", "itst"],
        "attendees": [],
        "minutes": (
            "Der blev afholdt møde med Ældre Sagen den 25. november 2010.\n\n"
            "Ældre Sagen er generelt bekymret for, om der i forbindelse med de "
            "mange digitaliseringsinitiativer tages tilstrækkeligt hensyn til "
            "ældre."
        ),
        "outcome": (
            "I NemID-projektet adresseres de nævnte anbefalinger allerede.\n\n"
            "Ældre Sagen gav positivt tilsagn om et fortsat samarbejde med blandt "
            "andet IT- og Telestyrelsen for at styrke informationsindsatsen over "
            "for ældre om NemID. Ældre Sagen og IT- og Telestyrelsen vil "
            "fortsætte dialogen om, hvorledes man bedst og mest effektivt kan "
            "gennemføre dette."
        ),
    },
    "forbrugerraadet": {
        "title": "Møde med Forbrugerrådet",
        "held_on": None,
        "organisations": ["forbrugerraadet", "finansraadet", "danid", "itst"],
        "attendees": TASKFORCE,
        "minutes": (
            "Parterne bag taskforcen har haft et møde med Forbrugerrådet og har "
            "efterfølgende haft en dialog med Forbrugerrådet omkring NemID. "
            "Rapporten angiver ikke mødets dato."
        ),
        "outcome": (
            "Forbrugerrådets anbefalinger er videregivet til taskforcen, der har "
            "behandlet henvendelsen som afspejlet i redegørelsen. IT- og "
            "Telestyrelsen har aftalt en proces for information til "
            "Forbrugerrådet ved problemer med NemID."
        ),
    },
    "dh-arbejdsgruppe-2010-11-30": {
        "title": "Første møde i den særlige arbejdsgruppe om tilgængelighed",
        "held_on": D(2010, 11, 30),
        "working_group": "dh-arbejdsgruppe",
        "organisations": ["danid", "bankerne", "itst"],
        "attendees": [],
        "minutes": (
            "Det første møde i den særlige arbejdsgruppe blev afholdt den 30. "
            "november 2010. Arbejdsgruppen består af repræsentanter fra DanID, "
            "bankerne og IT- og Telestyrelsen."
        ),
        "outcome": (
            "DH vil blive orienteret om den særlige arbejdsgruppe og dens formål "
            "og vil blive indbudt til at deltage."
        ),
    },
}

_AELDRE_SAGEN_RESPONSE = "I NemID-projektet adresseres de nævnte anbefalinger allerede."

# Topics as (queue code, topic code) from enquiries.reference_data.
RECOMMENDATIONS: dict[str, dict[str, Any]] = {
    "aeldre-sagen-sprog": {
        "organisation": "aeldre-sagen",
        "meeting": "aeldre-sagen-2010-11-25",
        "text": "Der arbejdes med sproget i velkomstbreve mv.",
        "response": _AELDRE_SAGEN_RESPONSE,
        "status": Status.ALREADY_ADDRESSED,
        "rationale": (
            "Velkomstbrevene er generelt revideret, og der er indføjet et afsnit "
            "med overskriften ”Sådan gør du”, som kort og trinvist beskriver, "
            "hvad brugeren helt konkret skal gøre for at tage NemID i anvendelse. "
            "De nye brevversioner blev implementeret den 6. december 2010."
        ),
        "topics": [("support", "aktivering"), ("ministry", "velkomstbreve")],
    },
    "aeldre-sagen-stoette": {
        "organisation": "aeldre-sagen",
        "meeting": "aeldre-sagen-2010-11-25",
        "text": (
            "Der tilbydes ekstra støtte og vejledning i oprettelses- og "
            "startfasen, hvor mange ellers står af."
        ),
        "response": _AELDRE_SAGEN_RESPONSE,
        "status": Status.ALREADY_ADDRESSED,
        "rationale": (
            "Der er tilføjet yderligere vejledninger på www.nemid.nu, og forsiden "
            "er tilføjet boksen ”Hjælp til at komme i gang”. Antallet af "
            "medarbejdere i supporten er øget fra 60 i juli til 270 i november."
        ),
        "topics": [
            ("support", "aktivering"),
            ("support", "bestilling"),
            ("support", "tilgaengelighed"),
            ("ministry", "brugerproblemer"),
            ("press", "aeldre"),
        ],
    },
    "aeldre-sagen-stort-noeglekort": {
        "organisation": "aeldre-sagen",
        "meeting": "aeldre-sagen-2010-11-25",
        "text": (
            "Der reklameres mere for muligheden for nøglekort i stor størrelse "
            "samt blindeløsningen."
        ),
        "response": _AELDRE_SAGEN_RESPONSE,
        "status": Status.ALREADY_ADDRESSED,
        "rationale": (
            "I velkomstbrevet er der indføjet et afsnit om mulighed for at få et "
            "nøglekort med stor skrift eller skifte til blindeløsningen, hvor "
            "brugeren ringes op på sin telefon. De nye brevversioner blev "
            "implementeret den 6. december 2010."
        ),
        "topics": [
            ("support", "noeglekort"),
            ("support", "tilgaengelighed"),
            ("ministry", "noeglekort"),
            ("ministry", "tilgaengelighed"),
        ],
    },
    "aeldre-sagen-nedbrud": {
        "organisation": "aeldre-sagen",
        "meeting": "aeldre-sagen-2010-11-25",
        "text": (
            "Der informeres mere klart om nedbrud, så borgerne fortsat har tiltro "
            "til driftssikkerheden af NemID."
        ),
        "response": _AELDRE_SAGEN_RESPONSE,
        "status": Status.ALREADY_ADDRESSED,
        "rationale": (
            "Der er primo november 2010 etableret et styrket "
            "krisekommunikationsberedskab mellem ITST og DanID, og der er "
            "etableret et driftstatusområde på forsiden af nemid.nu, hvor "
            "meddelelser kan publiceres omgående af driftsvagten pr. medio "
            "december."
        ),
        "topics": [("support", "teknik"), ("ministry", "nedbrud"), ("press", "nedbrud")],
    },
    "dansk-it-transparens": {
        "organisation": "dansk-it",
        "meeting": "dansk-it-2010-11-19",
        "text": (
            "Mest mulig transparens i kommunikationen ved at oplyse om hændelser "
            "så åbent så muligt, når der er kritik, driftsnedbrud og lignende."
        ),
        "response": (
            "NemID-projektet er opmærksomme på denne relevante problemstilling og "
            "har blandt andet oprettet et styrket krisekommunikationsberedskab "
            "for at sikre hurtigt og korrekt oplysning ved nedbrud."
        ),
        "status": Status.ALREADY_ADDRESSED,
        "rationale": (
            "Krisekommunikationsberedskabet mellem ITST og DanID blev etableret "
            "primo november 2010."
        ),
        "topics": [("support", "teknik"), ("ministry", "nedbrud"), ("press", "nedbrud")],
    },
    "dansk-it-digitalt-noeglekort": {
        "organisation": "dansk-it",
        "meeting": "dansk-it-2010-11-19",
        "text": (
            "Der bør udvikles en digital version af nøglekortet, så NemID bliver fuldt digitalt."
        ),
        "response": (
            "En elektronisk nøglegenerator, der kan afløse det fysiske nøglekort, "
            "er allerede en del af udviklingsplanen for NemID."
        ),
        "status": Status.ACCEPTED,
        "rationale": "En elektronisk nøgle-generator er en del af NemIDs udviklingsplan for 2011.",
        "topics": [("support", "noeglekort"), ("ministry", "noeglekort")],
    },
    "dansk-it-smartphone": {
        "organisation": "dansk-it",
        "meeting": "dansk-it-2010-11-19",
        "text": "NemID-infrastrukturen bør udvides til at omfatte smartphones.",
        "response": (
            "Anvendelsen af NemID på mobile platforme, som smartphones, vil også "
            "blive vurderet med henblik på at indgå i udviklingsplanen for NemID "
            "snarest muligt."
        ),
        "status": Status.IN_PROGRESS,
        "rationale": (
            "Anvendelse af NemID på mobile platforme er i forvejen under "
            "overvejelse i DanID, og der arbejdes på at fremskynde udviklingen "
            "heraf."
        ),
        "topics": [("support", "teknik"), ("press", "brugervenlighed")],
    },
    "aeldremobiliseringen-aktivering": {
        "organisation": "aeldremobiliseringen",
        "meeting": "aeldremobiliseringen-2010-11-09",
        "text": "Hjælp til aktivering via netbank.",
        "response": "Udfordringen er afhjulpet med en særlig vejledning fra ITST.",
        "status": Status.ALREADY_ADDRESSED,
        "rationale": (
            "Ældremobiliseringen gav på mødet udtryk for et generelt positivt "
            "billede af NemID; hjælp til aktivering via netbank var en af de "
            "konkrete udfordringer."
        ),
        "topics": [("support", "aktivering"), ("press", "aeldre")],
    },
    "aeldremobiliseringen-tilgaengelighed": {
        "organisation": "aeldremobiliseringen",
        "meeting": "aeldremobiliseringen-2010-11-09",
        "text": "Supportens tilgængelighed.",
        "response": "Udfordringen er afhjulpet med et nyt telefonsystem/speak fra DanID.",
        "status": Status.ALREADY_ADDRESSED,
        "rationale": (
            "Ny speak/forløb i support-telefonsystemet blev implementeret 22. "
            "november 2010, og antallet af telefonlinier er øget fra 60 i juli "
            "til 120 i november."
        ),
        "topics": [
            ("support", "support-og-klager"),
            ("ministry", "klage-over-support"),
            ("press", "support"),
        ],
    },
    "forbrugerraadet-kommunikation": {
        "organisation": "forbrugerraadet",
        "meeting": "forbrugerraadet",
        "text": "En øget og mere målrettet kommunikationsindsats.",
        "response": (
            "Anbefalingen er videregivet til taskforcen, der har behandlet "
            "henvendelsen som afspejlet i redegørelsen. IT- og Telestyrelsen har "
            "aftalt en proces for information til Forbrugerrådet ved problemer "
            "med NemID."
        ),
        "status": Status.ACCEPTED,
        "rationale": (
            "Taskforcen har blandt andet iværksat nye velkomstbreve, et faktaark "
            "til de bankansatte, en pjece målrettet de ældre og bred vejledning "
            "om korrekt log ud."
        ),
        "topics": [("support", "generelle-spoergsmaal"), ("ministry", "brugerproblemer")],
    },
    "forbrugerraadet-fejltekster": {
        "organisation": "forbrugerraadet",
        "meeting": "forbrugerraadet",
        "text": (
            "Udarbejdelse af forklarende fejltekster i tilfælde af nedbrud i NemID infrastrukturen."
        ),
        "response": (
            "DanID har udarbejdet en lang række standardtekster, så "
            "tjenesteudbydere, herunder netbanker hurtigere og lettere kan "
            "videreformidle driftsinformation i tilfælde af nedbrud i NemID. "
            "Taskforcen har desuden anmodet DanID om at opfordre bankerne til at "
            "være opmærksomme på at anvende forklarende fejltekster i deres egne "
            "løsninger."
        ),
        "status": Status.IN_PROGRESS,
        "rationale": (
            "Det er de enkelte tjenesteudbyderes ansvar at informere deres "
            "brugere om fejl. IT- og Telestyrelsen er i dialog med DanID om at "
            "udvikle en teknisk løsning, så netbanker og offentlige "
            "tjenesteudbydere tilbydes automatisk at få information om nedbrud "
            "til deres hjemmesider. Det er ikke muligt at udarbejde generelle "
            "vejledende retningslinjer for bankernes anvendelse af fejlbeskeder, "
            "da håndteringen heraf er helt bankspecifik."
        ),
        "topics": [("support", "teknik"), ("ministry", "nedbrud"), ("press", "nedbrud")],
    },
    "dh-tilgaengelighed": {
        "organisation": "dh",
        "meeting": None,
        "text": (
            "Kritik af tilgængeligheden: NemID skal kunne anvendes "
            "tilfredsstillende af yderligere grupper af handicappede."
        ),
        "response": (
            "På baggrund af DH’s rejste kritik besluttede taskforcen at nedsætte "
            "en særlig arbejdsgruppe på området."
        ),
        "status": Status.IN_PROGRESS,
        "rationale": (
            "Arbejdsgruppen består af repræsentanter fra DanID, bankerne og IT- "
            "og Telestyrelsen og holdt sit første møde den 30. november 2010. DH "
            "vil blive orienteret om den særlige arbejdsgruppe og dens formål og "
            "vil blive indbudt til at deltage."
        ),
        "topics": [
            ("support", "tilgaengelighed"),
            ("ministry", "tilgaengelighed"),
            ("press", "tilgaengelighed"),
        ],
    },
}

# The report dates none of these requests; each counts from the meeting
# that gave rise to it.
FOLLOW_UPS: dict[str, dict[str, Any]] = {
    "aeldremobiliseringen-feedback": {
        "subject": "Ældremobiliseringens feedback på ITST’s spørgsmål om NemID",
        "waiting_organisation": "itst",
        "awaited_organisation": "aeldremobiliseringen",
        "since_on": D(2010, 11, 9),
        "meeting": "aeldremobiliseringen-2010-11-09",
        "recommendation": None,
        "notes": (
            "ITST har fremsendt spørgsmål om NemID, som taskforcen gerne vil have "
            "Ældremobiliseringens feedback på. På baggrund af den første feedback "
            "igangsættes udarbejdelse af en pjece om NemID målrettet de ældre."
        ),
    },
    "dh-indbydelse": {
        "subject": "DH’s deltagelse i den særlige arbejdsgruppe om tilgængelighed",
        "waiting_organisation": "itst",
        "awaited_organisation": "dh",
        "since_on": D(2010, 11, 30),
        "meeting": "dh-arbejdsgruppe-2010-11-30",
        "recommendation": "dh-tilgaengelighed",
        "notes": (
            "DH vil blive orienteret om den særlige arbejdsgruppe og dens formål "
            "og vil blive indbudt til at deltage. Det skal aftales nærmere, "
            "hvordan og i hvilket omfang DH kan inddrages i arbejdet."
        ),
    },
    "aeldre-sagen-pjece": {
        "subject": "Fortsat dialog med Ældre Sagen om informationsindsatsen over for ældre (pjece)",
        "waiting_organisation": "itst",
        "awaited_organisation": "aeldre-sagen",
        "since_on": D(2010, 11, 25),
        "meeting": "aeldre-sagen-2010-11-25",
        "recommendation": None,
        "notes": (
            "Ældre Sagen gav positivt tilsagn om et fortsat samarbejde med blandt "
            "andet IT- og Telestyrelsen for at styrke informationsindsatsen over "
            "for ældre om NemID, blandt andet ved at beskrive fordelene ved at "
            "anvende NemID og give konkret vejledning eksempelvis i form af "
            "pjece. Ældre Sagen og IT- og Telestyrelsen vil fortsætte dialogen "
            "om, hvorledes man bedst og mest effektivt kan gennemføre dette. "
            "Pjecen forventes udgivet i foråret 2011 blandt andet via Ældre "
            "Sagens medlemsblad ”Ældre Sagen Nu”."
        ),
    },
}


# Loaded as history (load_report_data), the waits the report leaves open end
# with the taskforce's year: the report is their last record, and a newcomer's
# "Waiting on others" must not count sixteen years of waiting.
HISTORY_ENDS_ON = D(2010, 12, 31)
HISTORY_NOTE = "Indlæst som historik: redegørelsen er den sidste oplysning om denne opfølgning."


def _create_missing(model: type[models.Model], code: str, fields: dict[str, Any]):
    """Create the row with `code` unless it exists; return (row, created)."""
    row = model.objects.filter(code=code).first()
    if row is not None:
        return row, False
    return model.objects.create(code=code, **fields), True


def _topics() -> dict[tuple[str, str], Topic]:
    wanted = {pair for rec in RECOMMENDATIONS.values() for pair in rec["topics"]}
    found = {(t.queue.code, t.code): t for t in Topic.objects.select_related("queue")}
    if not wanted <= found.keys():
        load_taxonomy()
        found = {(t.queue.code, t.code): t for t in Topic.objects.select_related("queue")}
    return found


@transaction.atomic
def load_stakeholder_data(*, as_history: bool = False) -> dict[str, int]:
    """Create the report's stakeholder records that are missing; idempotent.

    Existing rows (matched by code) are never changed. `as_history` creates
    the follow-ups the report leaves open as received at HISTORY_ENDS_ON.
    Returns how many rows of each kind were created.
    """
    created = dict.fromkeys(
        [
            "organisations",
            "contacts",
            "working_groups",
            "meetings",
            "recommendations",
            "follow_ups",
        ],
        0,
    )
    orgs: dict[str, Organisation] = {}
    for code, (name, short, kind, member, website, notes) in ORGANISATIONS.items():
        # An organisation someone entered by hand before the loader ran is
        # adopted rather than duplicated (names are unique).
        Organisation.objects.filter(name=name, code="").update(code=code)
        orgs[code], new = _create_missing(
            Organisation,
            code,
            {
                "name": name,
                "short_name": short,
                "kind": kind,
                "is_taskforce_member": member,
                "website": website,
                "notes": notes,
            },
        )
        created["organisations"] += new

    contacts: dict[tuple[str, str], Contact] = {}
    for org_code, name, title in CONTACTS:
        contacts[org_code, name], new = Contact.objects.get_or_create(
            organisation=orgs[org_code], name=name, defaults={"title": title}
        )
        created["contacts"] += new

    groups: dict[str, WorkingGroup] = {}
    for code, data in WORKING_GROUPS.items():
        fields = {k: v for k, v in data.items() if k != "members"}
        groups[code], new = _create_missing(WorkingGroup, code, fields)
        if new:
            groups[code].members.set([orgs[c] for c in data["members"]])
        created["working_groups"] += new

    meetings: dict[str, Meeting] = {}
    for code, data in MEETINGS.items():
        fields = {k: v for k, v in data.items() if k not in ("organisations", "attendees")}
        if "working_group" in fields:
            fields["working_group"] = groups[fields["working_group"]]
        meetings[code], new = _create_missing(Meeting, code, fields)
        if new:
            meetings[code].organisations.set([orgs[c] for c in data["organisations"]])
            meetings[code].attendees.set([contacts[key] for key in data["attendees"]])
        created["meetings"] += new

    topics = _topics()
    recommendations: dict[str, Recommendation] = {}
    for code, data in RECOMMENDATIONS.items():
        meeting = meetings[data["meeting"]] if data["meeting"] else None
        fields = {
            "organisation": orgs[data["organisation"]],
            "meeting": meeting,
            "received_on": meeting.held_on if meeting else None,
            "text": data["text"],
            "response": data["response"],
            "status": data["status"],
            "rationale": data["rationale"],
        }
        recommendations[code], new = _create_missing(Recommendation, code, fields)
        if new:
            recommendations[code].topics.set([topics[pair] for pair in data["topics"]])
            RecommendationEvent.record_event(
                recommendations[code],
                RecommendationEvent.Kind.CREATED,
                by=None,
                text=data["rationale"],
                new_status=data["status"],
            )
        created["recommendations"] += new

    for code, data in FOLLOW_UPS.items():
        fields = {
            **data,
            "waiting_organisation": orgs[data["waiting_organisation"]],
            "awaited_organisation": orgs[data["awaited_organisation"]],
            "meeting": meetings[data["meeting"]] if data["meeting"] else None,
            "recommendation": (
                recommendations[data["recommendation"]] if data["recommendation"] else None
            ),
        }
        if as_history:
            fields["resolved_on"] = HISTORY_ENDS_ON
            fields["notes"] = f"{fields['notes']}\n\n{HISTORY_NOTE}"
        _row, new = _create_missing(FollowUp, code, fields)
        created["follow_ups"] += new
    return created
