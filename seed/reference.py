"""The reference data a fresh installation needs: queues, their taxonomies
and default SLA policies (seed/data/taxonomy.json, sla_policies.json).

Neither has a service: queues and taxonomy are reference rows an
administrator edits in the admin, so the loaders write them directly,
idempotently and by stable code.
"""

from django.db import transaction

from enquiries.models import Category, Enquiry, Queue, SlaPolicy, Topic
from seed.files import read

QUEUES = read("taxonomy.json")["queues"]

# queue code -> priority -> (first response, resolution, level 2 after), in
# business minutes.
SLA_POLICIES = {
    queue: {Enquiry.Priority[name]: tuple(minutes) for name, minutes in by_priority.items()}
    for queue, by_priority in read("sla_policies.json")["policies"].items()
}


@transaction.atomic
def load_taxonomy() -> dict[str, int]:
    """Create or update the queues, topics and categories; idempotent.

    Upserts level by level (a handful of queries), so tests can afford to
    load the real taxonomy. Names are updated by code; nothing is deleted.
    """
    Queue.objects.bulk_create(
        [
            Queue(
                code=queue["code"],
                reference_prefix=queue["reference_prefix"],
                name_da=queue["name_da"],
                name_en=queue["name_en"],
                default_channel=queue["default_channel"],
                position=position,
            )
            for position, queue in enumerate(QUEUES)
        ],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["reference_prefix", "name_da", "name_en", "default_channel", "position"],
    )
    queues = dict(Queue.objects.values_list("code", "pk"))
    Topic.objects.bulk_create(
        [
            Topic(
                queue_id=queues[queue["code"]],
                code=topic["code"],
                name_da=topic["name_da"],
                name_en=topic["name_en"],
                position=position,
            )
            for queue in QUEUES
            for position, topic in enumerate(queue["topics"])
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
        Category(
            topic_id=topics[queue["code"], topic["code"]],
            code=category["code"],
            name_da=category["name_da"],
            name_en=category["name_en"],
            position=position,
        )
        for queue in QUEUES
        for topic in queue["topics"]
        for position, category in enumerate(topic["categories"])
    ]
    Category.objects.bulk_create(
        categories,
        update_conflicts=True,
        unique_fields=["topic", "code"],
        update_fields=["name_da", "name_en", "position"],
    )
    return {
        "queues": len(QUEUES),
        "topics": sum(len(queue["topics"]) for queue in QUEUES),
        "categories": len(categories),
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
