from tests.supervision.conftest import clock, people  # noqa: F401
