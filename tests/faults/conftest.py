from tests.dashboards.conftest import current  # noqa: F401
from tests.integration.fixtures import broker  # noqa: F401
from tests.sla.fixtures import lead, policies, queue_manager, support  # noqa: F401
