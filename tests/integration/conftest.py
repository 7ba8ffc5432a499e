from tests.integration.fixtures import (  # noqa: F401
    _module_worker,
    broker,
    celery_worker_process,
    worker_broker,
)
from tests.sla.fixtures import lead, policies, support  # noqa: F401
