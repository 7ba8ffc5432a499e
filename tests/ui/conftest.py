from tests.ui.desk import desk  # noqa: F401  (a fixture)
