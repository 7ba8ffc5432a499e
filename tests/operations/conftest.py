from tests.integration.fixtures import broker  # noqa: F401
