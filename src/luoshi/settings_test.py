"""Settings for the test suite: the production settings in test mode, data in a temp dir."""

import os
import tempfile

os.environ["LUOSHI_MODE"] = "test"
if not os.environ.get("LUOSHI_TEST_DATA_DIR"):
    os.environ["LUOSHI_TEST_DATA_DIR"] = tempfile.mkdtemp(prefix="luoshi-test-")
os.environ["LUOSHI_DATA_DIR"] = os.environ["LUOSHI_TEST_DATA_DIR"]

from luoshi.settings import *  # noqa: E402,F403
