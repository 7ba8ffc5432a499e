"""The five roles and what each may do.

A role is a Django group of the same name. The groups are created by a
migration; their permissions are synchronised from ROLE_PERMISSIONS after
every `migrate`, so this table is the one place that says who may do what.
Row-level scoping (which queues a person sees) lives in each app's
`visible_to(user)` QuerySet methods.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    AGENT = "support_agent", _("Support agent")
    TEAM_LEAD = "team_lead", _("Team lead")
    SECRETARIAT = "secretariat", _("Secretariat")
    MANAGER = "manager", _("Manager")
    ADMINISTRATOR = "administrator", _("Administrator")


# Roles that see every queue; the others see their own team's queues.
ALL_QUEUE_ROLES = (Role.SECRETARIAT, Role.MANAGER, Role.ADMINISTRATOR)

_TAXONOMY_READ = [
    "enquiries.view_queue",
    "enquiries.view_topic",
    "enquiries.view_category",
]
_AGENT = [
    *_TAXONOMY_READ,
    "enquiries.view_enquiry",
    "enquiries.add_enquiry",
    "enquiries.change_enquiry",
    "enquiries.view_citizen",
    "enquiries.add_citizen",
    "enquiries.change_citizen",
    "enquiries.view_savedfilter",
    "enquiries.add_savedfilter",
    "enquiries.delete_savedfilter",
]

_STAKEHOLDER_MODELS = [
    "stakeholders.organisation",
    "stakeholders.contact",
    "stakeholders.workinggroup",
    "stakeholders.meeting",
    "stakeholders.meetingattachment",
    "stakeholders.recommendation",
    "stakeholders.followup",
]
_ACTION_MODELS = [
    "actions.theme",
    "actions.action",
    "actions.actionupdate",
    "actions.actionevent",
    "actions.kpi",
    "actions.kpireading",
]


def _perms(models: list[str], *verbs: str) -> list[str]:
    return [
        f"{model.split('.')[0]}.{verb}_{model.split('.')[1]}" for model in models for verb in verbs
    ]


# Support staff read the actions and recommendations on their queues' topics
# (scoped row by row in the apps' visible_to()).
_FOLLOW_ACTIONS = [
    "stakeholders.view_recommendation",
    *_perms(_ACTION_MODELS, "view"),
]

# Topic shares are read by everyone, scoped to their queues; pattern alerts
# are decided by the secretariat and read by managers.
_SHARES = ["analytics.view_topicshare"]
# Agents record a caller's rating; everyone who reads dashboards reads both
# ratings and survey results; the secretariat records surveys.
_RATE = ["feedback.view_enquiryrating", "feedback.add_enquiryrating"]
_SATISFACTION_READ = ["feedback.view_enquiryrating", "feedback.view_surveyresult"]
# The dashboards: oversight roles for every queue, team leads for their
# team's queues (dashboards/views.py); support agents have their lists.
_DASHBOARD = ["dashboards.view_dashboard"]
# Outage notices: every desk reads the incidents (the banner); the
# secretariat and managers publish them and keep the standard texts.
_NOTICES_READ = [
    "notices.view_incident",
    "notices.view_incidentupdate",
    "notices.view_standardtext",
]
# Enquiries caused by an incident are linked to it by the desks that handle
# them (agents, team leads) and by the secretariat; managers read the links.
_INCIDENT_LINKS_READ = ["notices.view_incidentlink"]
_INCIDENT_LINKS = [
    *_INCIDENT_LINKS_READ,
    "notices.add_incidentlink",
    "notices.delete_incidentlink",
]
_NOTICES_PUBLISH = [
    *_NOTICES_READ,
    "notices.publish_incident",
    "notices.add_standardtext",
    "notices.view_publicationdraft",
    "notices.view_draftevent",
]
# Managers also approve the drafts of those whose publications need it
# (APPROVAL_NEEDED below); never their own (four eyes).
_NOTICES_APPROVE = [*_NOTICES_PUBLISH, "notices.approve_publicationdraft"]
# A citizen's requests under the GDPR (access export, erasure) are handled
# by the secretariat; administrators also set the retention periods.
_DATA_REQUESTS = [
    "privacy.view_datarequest",
    "privacy.export_citizen_data",
    "privacy.erase_citizen",
]

# Known problems: everyone reads them; agents link enquiries to them; the
# secretariat and team leads record, edit and resolve them (all at once).
_PROBLEMS_READ = [
    "problems.view_knownproblem",
    "problems.view_knownproblemlink",
    "problems.view_knownproblemresolution",
]
_PROBLEMS_LINK = [
    *_PROBLEMS_READ,
    "problems.add_knownproblemlink",
    "problems.delete_knownproblemlink",
]
_PROBLEMS_MANAGE = [
    *_PROBLEMS_LINK,
    "problems.add_knownproblem",
    "problems.change_knownproblem",
    "problems.resolve_knownproblem",
]

# Replies and answer templates: every desk reads the templates and the
# replies (with their delivery log) on the enquiries it sees; agents and team
# leads reply; the secretariat and team leads publish template versions.
_ANSWERS_READ = [
    "answers.view_answertemplate",
    "answers.view_answertemplateversion",
    "answers.view_reply",
    "answers.view_outgoingmail",
    "answers.view_deliveryattempt",
]
_ANSWERS_REPLY = [*_ANSWERS_READ, "answers.add_reply"]
_ANSWERS_PUBLISH = ["answers.add_answertemplate", "answers.add_answertemplateversion"]

# Inbound e-mail: whoever sees an enquiry reads its mails and files;
# agents and team leads link the sender to a citizen; the secretariat
# reads the quarantine and the mailboxes' errors.
_MAIL_READ = [
    "mailroom.view_inboundmessage",
    "mailroom.view_inboundattachment",
    "mailroom.view_correspondent",
]
_MAIL_LINK = [*_MAIL_READ, "mailroom.change_correspondent"]
# Filing or discarding mail set aside: the secretariat for every mailbox,
# a team lead for the mailboxes of the team's queues (visible_to).
_MAIL_REFILE = ["mailroom.view_quarantine", "mailroom.refile_message"]
_MAIL_OVERSIGHT = [*_MAIL_READ, *_MAIL_REFILE, "mailroom.view_mailbox"]

# The knowledge base: every desk reads the articles; agents and team leads
# insert suggestions into replies (counted); the secretariat writes the
# articles and reads which categories lack one (administrators: all).
_KNOWLEDGE_READ = ["knowledge.view_article", "knowledge.view_articleversion"]
_KNOWLEDGE_USE = [*_KNOWLEDGE_READ, "knowledge.add_suggestionuse"]
_KNOWLEDGE_WRITE = [
    *_KNOWLEDGE_READ,
    "knowledge.add_article",
    "knowledge.change_article",
    "knowledge.add_articleversion",
    "knowledge.view_suggestionuse",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.AGENT: [
        *_AGENT,
        *_FOLLOW_ACTIONS,
        *_SHARES,
        *_RATE,
        *_PROBLEMS_LINK,
        *_NOTICES_READ,
        *_ANSWERS_REPLY,
        *_MAIL_LINK,
        *_INCIDENT_LINKS,
        *_KNOWLEDGE_USE,
    ],
    Role.TEAM_LEAD: [
        *_AGENT,
        *_FOLLOW_ACTIONS,
        *_SHARES,
        *_RATE,
        "enquiries.bulk_triage_enquiry",
        "enquiries.reveal_cpr",
        "enquiries.view_breaches",
        *_DASHBOARD,
        *_PROBLEMS_MANAGE,
        *_NOTICES_READ,
        *_ANSWERS_REPLY,
        *_ANSWERS_PUBLISH,
        *_MAIL_LINK,
        *_MAIL_REFILE,
        *_INCIDENT_LINKS,
        *_KNOWLEDGE_USE,
    ],
    Role.SECRETARIAT: [
        *_TAXONOMY_READ,
        "enquiries.view_enquiry",
        "enquiries.view_savedfilter",
        "enquiries.add_savedfilter",
        "enquiries.delete_savedfilter",
        *_perms(_STAKEHOLDER_MODELS, "view", "add", "change", "delete"),
        *_perms(_ACTION_MODELS, "view", "add", "change", "delete"),
        *_SHARES,
        "analytics.view_patternalert",
        "analytics.change_patternalert",
        *_SATISFACTION_READ,
        "feedback.add_surveyresult",
        "feedback.change_surveyresult",
        "reports.view_report",
        *_DASHBOARD,
        *_DATA_REQUESTS,
        *_PROBLEMS_MANAGE,
        *_NOTICES_PUBLISH,
        *_ANSWERS_READ,
        *_ANSWERS_PUBLISH,
        *_INCIDENT_LINKS,
        *_KNOWLEDGE_WRITE,
        # Webhook subscribers: registered, paused and their log read here.
        *_perms(["notices.webhooksubscription"], "view", "add", "change", "delete"),
        "notices.view_webhookdelivery",
        *_MAIL_OVERSIGHT,
    ],
    Role.MANAGER: [
        *_TAXONOMY_READ,
        "enquiries.view_enquiry",
        "enquiries.view_breaches",
        "enquiries.view_savedfilter",
        "enquiries.add_savedfilter",
        "enquiries.delete_savedfilter",
        *_perms(_STAKEHOLDER_MODELS, "view"),
        *_perms(_ACTION_MODELS, "view"),
        *_SHARES,
        "analytics.view_patternalert",
        *_SATISFACTION_READ,
        "reports.view_report",
        *_DASHBOARD,
        *_PROBLEMS_READ,
        *_ANSWERS_READ,
        *_NOTICES_APPROVE,
        *_INCIDENT_LINKS_READ,
        *_KNOWLEDGE_READ,
        "knowledge.view_suggestionuse",
        "notices.view_webhooksubscription",
        "notices.view_webhookdelivery",
        *_MAIL_READ,
        "mailroom.view_mailbox",
    ],
}


class Publication(models.TextChoices):
    """What a publisher of outage notices makes public."""

    INCIDENT = "incident", _("New incident")
    UPDATE = "update", _("Public update")
    STANDARD_TEXT = "standard_text", _("New standard text version")


# Which publications of each role wait for a second person's approval
# before they reach /status/, the feeds and the webhooks. Roles that do not
# publish need not be listed: a user without a listed role waits for
# approval of everything (the safe side); one with several roles publishes
# directly if any of them does.
APPROVAL_NEEDED: dict[str, frozenset[str]] = {
    Role.SECRETARIAT: frozenset({Publication.INCIDENT, Publication.STANDARD_TEXT}),
    Role.MANAGER: frozenset(),
    Role.ADMINISTRATOR: frozenset(),
}


def needs_approval(user, publication: str) -> bool:
    """True if `user`'s `publication` must be approved before it is public."""
    if user.is_superuser:
        return False
    listed = [
        APPROVAL_NEEDED[name]
        for name in user.groups.values_list("name", flat=True)
        if name in APPROVAL_NEEDED
    ]
    return not listed or all(publication in needed for needed in listed)


# The administrator holds every permission of these apps.
ADMINISTRATOR_APPS = (
    "accounts",
    "auth",
    "authtoken",
    # Unlocking a locked-out login: deleting its access attempts.
    "axes",
    "enquiries",
    "stakeholders",
    "actions",
    "analytics",
    "feedback",
    "reports",
    "dashboards",
    "privacy",
    # The background processes' heartbeats (the banner, the admin).
    "operations",
    # Outage notices: standard texts, incidents, webhook subscribers.
    "notices",
    "problems",
    "answers",
    # Mailboxes (IMAP passwords), inbound mail, its quarantine and push.
    "mailroom",
    "knowledge",
)


def sync_role_permissions(sender=None, using="default", **kwargs) -> None:
    """Give each role group exactly the permissions in ROLE_PERMISSIONS.

    Idempotent; raises LookupError for a permission that does not exist, so
    a typo in the table fails `migrate` rather than silently granting less.
    """
    from django.contrib.auth.models import Group, Permission

    all_perms = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.using(using).select_related("content_type")
    }
    for role in Role:
        group, _created = Group.objects.using(using).get_or_create(name=role.value)
        if role == Role.ADMINISTRATOR:
            wanted = [p for key, p in all_perms.items() if key.split(".")[0] in ADMINISTRATOR_APPS]
        else:
            missing = [k for k in ROLE_PERMISSIONS[role] if k not in all_perms]
            if missing:
                raise LookupError(f"Unknown permissions for {role}: {missing}")
            wanted = [all_perms[key] for key in ROLE_PERMISSIONS[role]]
        group.permissions.set(wanted)
