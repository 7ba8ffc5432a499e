from tests.integration.fixtures import broker  # noqa: F401
from tests.sla.fixtures import (  # noqa: F401
    category,
    lead,
    policies,
    queue_manager,
    support,
)
