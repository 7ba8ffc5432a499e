"""Danish wording for generated enquiries, citizens and staff.

Subjects and descriptions carry the words citizens used (nøglekort,
adgangskode, netbank...), so full-text search on the demo data finds what a
user would type. All names and addresses are invented.
"""

# Support: per category code, what the citizen says (one is picked).
SUPPORT_SUBJECTS = {
    "ikke-modtaget": [
        "Har ikke modtaget den midlertidige adgangskode",
        "Mangler brev med midlertidig adgangskode",
    ],
    "udloebet": ["Midlertidig adgangskode er udløbet", "Koden er for gammel"],
    "foer-noeglekort": [
        "Adgangskoden kom før nøglekortet",
        "Fik adgangskode, men intet nøglekort",
    ],
    "virker-ikke": ["Midlertidig adgangskode virker ikke", "Koden bliver afvist"],
    "for-mange-forsoeg": ["Spærret efter for mange forsøg", "For mange forkerte forsøg"],
    "ny-adgangskode": ["Vil bestille ny midlertidig adgangskode", "Ny kode ønskes"],
    "hvad-er-nemid": ["Hvad er NemID?", "Forstår ikke hvad NemID skal bruges til"],
    "sikkerhed": ["Er NemID sikkert?", "Spørgsmål om sikkerheden i NemID"],
    "privatliv": ["Hvem kan se mine data?", "Spørgsmål om privatliv"],
    "skal-jeg": ["Skal jeg have NemID?", "Er NemID obligatorisk?"],
    "hvor-bruges": ["Hvor kan jeg bruge NemID?", "Kan NemID bruges på borger.dk?"],
    "udland": ["Bor i udlandet og vil have NemID", "NemID fra udlandet"],
    "via-netbank": ["Kan ikke aktivere NemID i netbanken", "Aktivering i netbank fejler"],
    "via-nemid-nu": ["Aktivering på nemid.nu lykkes ikke", "Hjælp til aktivering"],
    "kun-netbank": [
        "NemID virker kun i netbanken",
        "Kan ikke logge på det offentlige med NemID",
    ],
    "fejl": ["Fejl under aktivering", "Fejlbesked ved aktivering af NemID"],
    "bruger-id": ["Hvilket bruger-id skal jeg bruge?", "Bruger-id ved aktivering"],
    "egen-adgangskode": ["Kan ikke vælge egen adgangskode", "Krav til adgangskode"],
    "nemid-nu": ["Bestilling på nemid.nu", "Vil bestille NemID"],
    "borgerservice": ["Bestilling i borgerservice", "Kan jeg bestille i kommunen?"],
    "bank": ["Banken vil have mig til at bestille NemID", "Bestilling via banken"],
    "breve-ikke-modtaget": ["Brevene er ikke kommet", "Venter stadig på breve"],
    "digital-signatur": [
        "Bestilling med digital signatur fejler",
        "Har digital signatur, vil have NemID",
    ],
    "forkert-adresse": ["Brevet er sendt til forkert adresse", "Ny adresse"],
    "glemt-adgangskode": ["Har glemt min adgangskode", "Glemt adgangskode til NemID"],
    "glemt-bruger-id": ["Har glemt mit bruger-id", "Kan ikke huske bruger-id"],
    "skift-adgangskode": ["Vil skifte adgangskode", "Hvordan skifter jeg kode?"],
    "mistet": ["Har mistet mit nøglekort", "Nøglekortet er væk"],
    "opbrugt": ["Nøglekortet er næsten opbrugt", "Få nøgler tilbage på kortet"],
    "nyt": ["Vil bestille nyt nøglekort", "Nyt nøglekort ønskes"],
    "stor-skrift": ["Ønsker nøglekort med stor skrift", "Kan ikke læse nøglekortet"],
    "noegle-afvist": ["Nøglen bliver ikke accepteret", "Forkert nøgle fra nøglekortet"],
    "spaerring": ["Vil spærre mit NemID", "Spærring af NemID"],
    "misbrug": ["Mistanke om misbrug af mit NemID", "Nogen har brugt mit NemID"],
    "phishing": ["Mistænkelig e-mail om NemID", "Phishing-mail i NemIDs navn"],
    "java": ["Java-fejl ved log på", "NemID-vinduet vises ikke"],
    "mac": ["NemID virker ikke på min Mac", "Problemer med Safari på Mac"],
    "log-ud": ["Hvordan logger jeg sikkert ud?", "Log ud virker ikke"],
    "nedbrud": ["NemID er nede", "Kan ikke logge på i dag"],
    "fejlbesked": ["Forstår ikke fejlbeskeden", "Uforståelig fejlbesked"],
    "blinde": ["Løsning for blinde", "Er NemID tilgængeligt for blinde?"],
    "tegnsprog": ["Vejledning på tegnsprog", "E-læring med tegnsprog"],
    "aeldre": ["Min mor kan ikke finde ud af NemID", "Hjælp til ældre borger"],
    "ventetid": ["Lang ventetid i telefonen", "Kan ikke komme igennem til supporten"],
    "klage": ["Klage over NemID", "Utilfreds med NemID"],
    "andet": ["Andet spørgsmål om NemID", "Spørgsmål om NemID"],
}

SUPPORT_OPENINGS = [
    "Borgeren ringer, fordi",
    "Borger oplyser, at",
    "Henvendelse: borgeren fortæller, at",
    "Borgeren skriver, at",
]
SUPPORT_DETAILS = {
    "midlertidig-adgangskode": [
        "den midlertidige adgangskode ikke er kommet med posten.",
        "den midlertidige adgangskode ikke virker ved aktivering.",
        "brevet med adgangskoden kom før brevet med nøglekortet.",
    ],
    "generelle-spoergsmaal": [
        "vedkommende ikke forstår, hvorfor NemID afløser den digitale signatur.",
        "vedkommende vil vide, hvor NemID kan bruges, og om det er sikkert.",
        "vedkommende er i tvivl om, hvorvidt NemID er nødvendigt.",
    ],
    "aktivering": [
        "aktiveringen i netbanken stopper med en fejlbesked.",
        "NemID kun er aktiveret til netbanken og ikke til det offentlige.",
        "vedkommende ikke kan finde bruger-id til aktiveringen.",
    ],
    "bestilling": [
        "brevene med nøglekort og adgangskode ikke er modtaget.",
        "bestillingen på nemid.nu ikke kan gennemføres.",
        "banken har bedt vedkommende bestille NemID.",
    ],
    "glemt-adgangskode": [
        "adgangskoden er glemt, og vedkommende vil have en ny.",
        "bruger-id eller adgangskode er glemt.",
    ],
    "noeglekort": [
        "nøglekortet er mistet eller næsten opbrugt.",
        "skriften på nøglekortet er for lille.",
    ],
    "spaerring": [
        "vedkommende frygter misbrug og vil spærre NemID.",
        "der er modtaget en mistænkelig e-mail i NemIDs navn.",
    ],
    "teknik": [
        "Java ikke starter, så log på med NemID mislykkes.",
        "NemID ikke virker på vedkommendes Mac.",
        "vedkommende ikke ved, hvordan man logger sikkert ud.",
    ],
    "tilgaengelighed": [
        "vedkommende er blind og har brug for en tilgængelig løsning.",
        "en ældre pårørende har brug for hjælp til at komme i gang.",
    ],
    "support-og-klager": [
        "ventetiden i supporten var over en halv time.",
        "vedkommende vil klage over NemID.",
    ],
}
SUPPORT_RESOLUTIONS = {
    "midlertidig-adgangskode": "Ny midlertidig adgangskode bestilt og sendt.",
    "generelle-spoergsmaal": "Borgeren er vejledt om NemID og henvist til nemid.nu.",
    "aktivering": "Borgeren er guidet gennem aktiveringen.",
    "bestilling": "Bestillingen er gennemført; brevene sendes inden for fem hverdage.",
    "glemt-adgangskode": "Borgeren er vejledt i at nulstille adgangskoden.",
    "noeglekort": "Nyt nøglekort er bestilt.",
    "spaerring": "NemID er spærret, og borgeren er vejledt om ny bestilling.",
    "teknik": "Borgeren er vejledt om browser, Java og sikker log ud.",
    "tilgaengelighed": "Borgeren er henvist til den tilgængelige løsning.",
    "support-og-klager": "Klagen er registreret og besvaret.",
}

MINISTRY_SUBJECTS = {
    "sikkerhed": ["Bekymring for sikkerheden i NemID", "Er NemID sikkert nok?"],
    "brugerproblemer": ["NemID er for besværligt", "Problemer med at bruge NemID"],
    "noeglekort": ["Nøglekortet er upraktisk", "Ønske om digitalt nøglekort"],
    "banktvang": ["Banken tvinger mig til NemID", "Tvang til at bruge NemID i banken"],
    "klage-over-support": ["Klage over NemID-supporten", "Ventetid og dårlig hjælp"],
    "tilgaengelighed": ["NemID er ikke tilgængeligt for blinde", "Handicap og NemID"],
    "privatliv": ["Hvem registrerer mine oplysninger?", "Privatliv og NemID"],
    "log-ud": ["Man bliver ikke logget ud", "Sikker log ud"],
    "velkomstbreve": ["Velkomstbrevet er uforståeligt", "Forvirrende breve"],
    "nedbrud": ["NemID var nede", "Nedbrud i NemID"],
    "andet": ["Henvendelse om NemID", "Brev om NemID"],
}
MINISTRY_RESOLUTION = "Brevet er besvaret af IT- og Telestyrelsen."

PRESS_SUBJECTS = {
    "sikkerhed": ["Eksperter kritiserer NemIDs sikkerhed", "Phishing rammer NemID-brugere"],
    "brugervenlighed": ["Borgere opgiver NemID", "NemID for besværligt, siger brugerne"],
    "support": ["Lange køer i NemID-supporten", "Timelang ventetid hos DanID"],
    "nedbrud": ["NemID ramt af nedbrud", "Netbanker lukket ned af NemID-fejl"],
    "banker": ["Bankerne presser kunder over på NemID", "Netbank kræver NemID"],
    "aeldre": ["Ældre har svært ved NemID", "Ældre Sagen: NemID skal være lettere"],
    "tilgaengelighed": ["Blinde kan ikke bruge NemID", "Handicaporganisationer kritiserer NemID"],
}
PRESS_MEDIA = ["Politiken", "Berlingske", "Jyllands-Posten", "DR", "TV 2", "Computerworld"]
PRESS_RESOLUTION = "Kommenteret på nemid.nu og itst.dk."

FIRST_NAMES = [
    "Anne", "Kirsten", "Hanne", "Mette", "Anna", "Helle", "Susanne", "Lene", "Maria",
    "Marianne", "Inge", "Karen", "Lone", "Bente", "Camilla", "Pia", "Louise", "Charlotte",
    "Jette", "Tina", "Peter", "Jens", "Lars", "Michael", "Henrik", "Thomas", "Søren", "Jan",
    "Niels", "Christian", "Martin", "Anders", "Morten", "Jesper", "Ole", "Per", "Erik",
    "Hans", "Poul", "Mads", "Aisha", "Mohammed", "Ali", "Fatima", "Piotr", "Agnieszka",
]  # fmt: skip
LAST_NAMES = [
    "Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen",
    "Sørensen", "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen",
    "Thomsen", "Christiansen", "Poulsen", "Johansen", "Møller", "Mortensen", "Knudsen",
    "Jakobsen", "Mikkelsen", "Olesen", "Frederiksen", "Laursen", "Henriksen", "Lund",
    "Holm", "Schmidt", "Eriksen", "Kristiansen", "Nielsen Bach", "Ahmed", "Kowalski",
]  # fmt: skip
STREETS = [
    "Vestergade", "Østergade", "Nørregade", "Søndergade", "Kirkevej", "Skovvej",
    "Parkvej", "Strandvejen", "Møllevej", "Bakkevej", "Engvej", "Stationsvej",
]  # fmt: skip
TOWNS = [
    "1150 København K", "8000 Aarhus C", "5000 Odense C", "9000 Aalborg", "6700 Esbjerg",
    "7100 Vejle", "4000 Roskilde", "8900 Randers", "6000 Kolding", "3400 Hillerød",
]  # fmt: skip
