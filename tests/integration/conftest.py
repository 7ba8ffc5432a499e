from tests.integration.fixtures import (  # noqa: F401
    broker,
    celery_worker_process,
    worker_broker,
)
from tests.sla.fixtures import lead, policies, support  # noqa: F401
