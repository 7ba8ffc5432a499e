"""Queues and their taxonomies, seeded from the taskforce's report.

The support queue has the report's 46 categories under broader topics; the
first five topics are the ones the report names with their shares. The
ministry and press queues are classified by topic (one category each).
Codes are stable identifiers: the loader updates names by code and never
deletes, so retiring a category is done by clearing `is_active`.
"""

from django.db import transaction

from enquiries.models import Category, Channel, Enquiry, Queue, SlaPolicy, Topic

# (code, Danish, English, [(code, Danish, English), ...])
SUPPORT_TOPICS = [
    (
        "midlertidig-adgangskode",
        "Midlertidig adgangskode",
        "Temporary password",
        [
            (
                "ikke-modtaget",
                "Midlertidig adgangskode ikke modtaget",
                "Temporary password not received",
            ),
            ("udloebet", "Midlertidig adgangskode udløbet", "Temporary password expired"),
            (
                "foer-noeglekort",
                "Adgangskode modtaget før nøglekort",
                "Password arrived before the key card",
            ),
            (
                "virker-ikke",
                "Midlertidig adgangskode virker ikke",
                "Temporary password does not work",
            ),
            (
                "for-mange-forsoeg",
                "For mange forsøg med midlertidig adgangskode",
                "Too many attempts with the temporary password",
            ),
            (
                "ny-adgangskode",
                "Bestilling af ny midlertidig adgangskode",
                "Ordering a new temporary password",
            ),
        ],
    ),
    (
        "generelle-spoergsmaal",
        "Generelle spørgsmål om NemID",
        "General questions about NemID",
        [
            ("hvad-er-nemid", "Hvad er NemID", "What NemID is"),
            ("sikkerhed", "Spørgsmål om sikkerhed", "Questions about security"),
            ("privatliv", "Spørgsmål om privatliv og data", "Questions about privacy and data"),
            ("skal-jeg", "Skal jeg have NemID?", "Do I have to get NemID?"),
            ("hvor-bruges", "Hvor kan NemID bruges", "Where NemID can be used"),
            ("udland", "NemID i udlandet", "NemID abroad"),
        ],
    ),
    (
        "aktivering",
        "Aktivering af NemID",
        "Activation of NemID",
        [
            ("via-netbank", "Aktivering via netbank", "Activation via a net bank"),
            ("via-nemid-nu", "Aktivering på nemid.nu", "Activation on nemid.nu"),
            ("kun-netbank", "Kun aktiveret til netbank", "Activated for the net bank only"),
            ("fejl", "Fejl ved aktivering", "Error during activation"),
            ("bruger-id", "Bruger-id ved aktivering", "User ID at activation"),
            ("egen-adgangskode", "Valg af egen adgangskode", "Choosing one's own password"),
        ],
    ),
    (
        "bestilling",
        "Bestilling af NemID",
        "Ordering NemID",
        [
            ("nemid-nu", "Bestilling på nemid.nu", "Ordering on nemid.nu"),
            ("borgerservice", "Bestilling i borgerservice", "Ordering at citizen service"),
            ("bank", "Bestilling via bank", "Ordering through a bank"),
            ("breve-ikke-modtaget", "Breve ikke modtaget", "Letters not received"),
            (
                "digital-signatur",
                "Bestilling med digital signatur",
                "Ordering with a digital signature",
            ),
            ("forkert-adresse", "Forkert adresse", "Wrong address"),
        ],
    ),
    (
        "glemt-adgangskode",
        "Glemt adgangskode",
        "Forgotten password",
        [
            ("glemt-adgangskode", "Glemt adgangskode", "Forgotten password"),
            ("glemt-bruger-id", "Glemt bruger-id", "Forgotten user ID"),
            ("skift-adgangskode", "Skift af adgangskode", "Changing the password"),
        ],
    ),
    (
        "noeglekort",
        "Nøglekort",
        "Key card",
        [
            ("mistet", "Mistet nøglekort", "Lost key card"),
            ("opbrugt", "Nøglekort næsten opbrugt", "Key card nearly used up"),
            ("nyt", "Bestilling af nyt nøglekort", "Ordering a new key card"),
            ("stor-skrift", "Nøglekort med stor skrift", "Large-print key card"),
            ("noegle-afvist", "Nøgle accepteres ikke", "Key not accepted"),
        ],
    ),
    (
        "spaerring",
        "Spærring og sikkerhedshændelser",
        "Revocation and security incidents",
        [
            ("spaerring", "Spærring af NemID", "Revoking NemID"),
            ("misbrug", "Mistanke om misbrug", "Suspected misuse"),
            ("phishing", "Phishing og falske e-mails", "Phishing and fake e-mails"),
        ],
    ),
    (
        "teknik",
        "Teknik og adgang",
        "Technology and access",
        [
            ("java", "Java og browser", "Java and the browser"),
            ("mac", "Problemer på Mac", "Problems on a Mac"),
            ("log-ud", "Log ud", "Logging out"),
            ("nedbrud", "Driftsforstyrrelser og nedbrud", "Outages and disruptions"),
            ("fejlbesked", "Uforståelig fejlbesked", "Unclear error message"),
        ],
    ),
    (
        "tilgaengelighed",
        "Tilgængelighed",
        "Accessibility",
        [
            ("blinde", "Løsning for blinde", "Solution for the blind"),
            ("tegnsprog", "Tegnsprog og e-læring", "Sign language and e-learning"),
            ("aeldre", "Hjælp til ældre og it-svage", "Help for the elderly and people new to IT"),
        ],
    ),
    (
        "support-og-klager",
        "Support og klager",
        "Support and complaints",
        [
            ("ventetid", "Ventetid i supporten", "Waiting time at support"),
            ("klage", "Klage over NemID", "Complaint about NemID"),
            ("andet", "Andet", "Other"),
        ],
    ),
]

# The ministry's letters and the press are classified by topic: each topic
# has one category of the same name. (code, Danish, English)
MINISTRY_TOPICS = [
    ("sikkerhed", "Sikkerhed", "Security"),
    ("brugerproblemer", "Brugerproblemer", "User problems"),
    ("noeglekort", "Nøglekort", "Key card"),
    ("banktvang", "Banktvang", "Compulsion by banks"),
    ("klage-over-support", "Klage over support", "Complaint about support"),
    ("tilgaengelighed", "Tilgængelighed", "Accessibility"),
    ("privatliv", "Privatliv", "Privacy"),
    ("log-ud", "Log ud", "Logging out"),
    ("velkomstbreve", "Velkomstbreve", "Welcome letters"),
    ("nedbrud", "Nedbrud", "Outages"),
    ("andet", "Andet", "Other"),
]

PRESS_TOPICS = [
    ("sikkerhed", "Sikkerhed", "Security"),
    ("brugervenlighed", "Brugervenlighed", "Usability"),
    ("nedbrud", "Nedbrud", "Outages"),
    ("support", "Support og ventetid", "Support and waiting time"),
    ("tilgaengelighed", "Tilgængelighed og handicap", "Accessibility and disability"),
    ("aeldre", "Ældre og it-svage", "The elderly and people new to IT"),
    ("banker", "Banker og netbank", "Banks and net banks"),
]

QUEUES = [
    # code, prefix, Danish, English, default channel, topics
    (
        "support",
        "NID",
        "NemID-support (DanID)",
        "NemID support (DanID)",
        Channel.PHONE,
        SUPPORT_TOPICS,
    ),
    (
        "ministry",
        "MIN",
        "Videnskabsministeriet/ITST brevkontor",
        "Ministry/ITST letter desk",
        Channel.LETTER,
        [(c, da, en, [(c, da, en)]) for c, da, en in MINISTRY_TOPICS],
    ),
    (
        "press",
        "PRS",
        "Presseovervågning",
        "Press monitoring",
        Channel.PRESS,
        [(c, da, en, [(c, da, en)]) for c, da, en in PRESS_TOPICS],
    ),
]


@transaction.atomic
def load_taxonomy() -> dict[str, int]:
    """Create or update the queues, topics and categories; idempotent.

    Upserts level by level (a handful of queries), so tests can afford to
    load the real taxonomy.
    """
    Queue.objects.bulk_create(
        [
            Queue(
                code=code,
                reference_prefix=prefix,
                name_da=name_da,
                name_en=name_en,
                default_channel=channel,
                position=position,
            )
            for position, (code, prefix, name_da, name_en, channel, _) in enumerate(QUEUES)
        ],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["reference_prefix", "name_da", "name_en", "default_channel", "position"],
    )
    queues = dict(Queue.objects.values_list("code", "pk"))
    Topic.objects.bulk_create(
        [
            Topic(queue_id=queues[q_code], code=code, name_da=da, name_en=en, position=position)
            for q_code, *_, topics in QUEUES
            for position, (code, da, en, _) in enumerate(topics)
        ],
        update_conflicts=True,
        unique_fields=["queue", "code"],
        update_fields=["name_da", "name_en", "position"],
    )
    topics = {
        (q_code, code): pk
        for q_code, code, pk in Topic.objects.values_list("queue__code", "code", "pk")
    }
    categories = [
        Category(topic_id=topics[q_code, t_code], code=code, name_da=da, name_en=en, position=pos)
        for q_code, *_, q_topics in QUEUES
        for t_code, _, _, t_categories in q_topics
        for pos, (code, da, en) in enumerate(t_categories)
    ]
    Category.objects.bulk_create(
        categories,
        update_conflicts=True,
        unique_fields=["topic", "code"],
        update_fields=["name_da", "name_en", "position"],
    )
    return {
        "queues": len(QUEUES),
        "topics": sum(len(topics) for *_, topics in QUEUES),
        "categories": len(categories),
    }


# Default deadlines in business minutes (a working day is 480): queue code ->
# priority -> (first response, resolution, level 2 after). Phone calls are
# answered when taken; letters get an acknowledgement within days and an
# answer within two weeks; the press expects an answer the same day.
_DAY = 480
SLA_POLICIES = {
    "support": {
        Enquiry.Priority.URGENT: (30, 240, 60),
        Enquiry.Priority.HIGH: (60, _DAY, 120),
        Enquiry.Priority.NORMAL: (240, 3 * _DAY, 240),
        Enquiry.Priority.LOW: (_DAY, 5 * _DAY, _DAY),
    },
    "ministry": {
        Enquiry.Priority.URGENT: (_DAY, 3 * _DAY, 240),
        Enquiry.Priority.HIGH: (_DAY, 5 * _DAY, _DAY),
        Enquiry.Priority.NORMAL: (2 * _DAY, 10 * _DAY, 2 * _DAY),
        Enquiry.Priority.LOW: (3 * _DAY, 15 * _DAY, 3 * _DAY),
    },
    "press": {
        Enquiry.Priority.URGENT: (30, 120, 30),
        Enquiry.Priority.HIGH: (60, 240, 60),
        Enquiry.Priority.NORMAL: (120, _DAY, 120),
        Enquiry.Priority.LOW: (240, 2 * _DAY, 240),
    },
}


@transaction.atomic
def load_sla_policies() -> int:
    """Create the default queue-wide SLA policies that are missing.

    Existing policies are left as an administrator set them; returns the
    number created.
    """
    created = 0
    for queue in Queue.objects.filter(code__in=SLA_POLICIES):
        for priority, (first, resolution, manager) in SLA_POLICIES[queue.code].items():
            _policy, is_new = SlaPolicy.objects.get_or_create(
                queue=queue,
                priority=priority,
                category=None,
                defaults={
                    "first_response_minutes": first,
                    "resolution_minutes": resolution,
                    "manager_delay_minutes": manager,
                },
            )
            created += is_new
    return created
