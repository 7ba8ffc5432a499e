"""The report's fixed Danish wording.

The report is a Danish document, so this is Danish source text, not UI
text: it does not change with the user's language. Sentences take their
figures as named placeholders; the pages' own chrome is translated as usual.
"""

from __future__ import annotations

from dataclasses import dataclass

from actions.models import Action
from analytics.models import Basis
from stakeholders.models import Recommendation

TITLE = "Brugeranalyse"
SUBTITLE = "Redegørelse fra taskforce til kvalitetssikring af NemID"


@dataclass(frozen=True)
class QueueWording:
    heading: str
    # Placeholders: {period}, {total}, {categories}, {name}.
    intro: str
    basis: str


QUEUES: dict[str, QueueWording] = {
    "support": QueueWording(
        heading="Supporthenvendelser til NemID-supporten",
        intro=(
            "I alt er der i perioden {period} modtaget {total} henvendelser omkring "
            "NemID til NemID-support. Henvendelserne er kategoriseret i {categories} "
            "kategorier, som er samlet i mere overordnede emner. De hyppigst "
            "forekommende emner er:"
        ),
        basis=Basis.ENQUIRY,
    ),
    "ministry": QueueWording(
        heading="Borgerhenvendelser til Videnskabsministeriet og IT- og Telestyrelsen",
        intro=(
            "Der har i perioden {period} samlet været {total} borgerhenvendelser til "
            "IT- og Telestyrelsen og Videnskabsministeriet om NemID. Herunder følger "
            "opsummering over de hyppigste emner."
        ),
        basis=Basis.MENTION,
    ),
    "press": QueueWording(
        heading="Presseomtale",
        intro=(
            "I perioden {period} er der registreret {total} presseomtaler af NemID. "
            "De hyppigst omtalte emner er:"
        ),
        basis=Basis.MENTION,
    ),
}


def queue_wording(code: str, name: str) -> QueueWording:
    """The report's wording for a queue; a queue the report lacks gets a plain one."""
    if code in QUEUES:
        return QUEUES[code]
    return QueueWording(
        heading=name,
        intro=(
            "I perioden {period} er der modtaget {total} henvendelser i køen {name}. "
            "De hyppigst forekommende emner er:"
        ),
        basis=Basis.ENQUIRY,
    )


GRAND_TOTAL = (
    "Det samlede antal henvendelser og presseomtaler i perioden {period} har været {total}."
)
TABLE_HEADINGS = ("Emner", "Samlet andel")
BASIS_ENQUIRY = (
    "Andelene er af alle {total} henvendelser i perioden; hver henvendelse tælles én gang "
    "under sit primære emne."
)
BASIS_MENTION = (
    "Andelene er af {mentions} emneangivelser i de {total} henvendelser: en henvendelse kan "
    "nævne flere emner, og hvert emne tælles én gang pr. henvendelse."
)
UNCLASSIFIED = "Heraf er {count} henvendelser ({share}) endnu ikke klassificeret."
REST = "De øvrige emner udgør tilsammen {share}."
SOURCE_SNAPSHOT = "Beregnet fra statistikkens dagstal."
SOURCE_DIRECT = "Beregnet direkte fra henvendelserne (statistikkens dagstal var ikke ajour)."

ACTION_STATUS = {
    Action.Status.PROPOSED: "Foreslået",
    Action.Status.PLANNED: "Planlagt",
    Action.Status.IN_PROGRESS: "I gang",
    Action.Status.DONE: "Gennemført",
    Action.Status.INSUFFICIENT: "Utilstrækkelig",
    Action.Status.CANCELLED: "Annulleret",
}
RECOMMENDATION_STATUS = {
    Recommendation.Status.NEW: "Ikke behandlet",
    Recommendation.Status.ACCEPTED: "Accepteret",
    Recommendation.Status.ALREADY_ADDRESSED: "Adresseres allerede",
    Recommendation.Status.IN_PROGRESS: "Under behandling",
    Recommendation.Status.DECLINED: "Afvist",
}
