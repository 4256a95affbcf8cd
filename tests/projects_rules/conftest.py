import pytest


@pytest.fixture(autouse=True)
def _english(english_ui):
    """These tests assert the English wording."""
