"""Settings for the test suite: the production settings in test mode."""

import os

os.environ.setdefault("LUOSHI_MODE", "test")
os.environ["LUOSHI_MODE"] = "test"

from luoshi.settings import *  # noqa: E402,F403
