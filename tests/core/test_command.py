from __future__ import annotations

import subprocess
import sys


def test_the_luoshi_command_accepts_hyphenated_command_names(tmp_path):
    env = {"LUOSHI_MODE": "test", "LUOSHI_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from luoshi.manage import main; main(['luoshi', 'audit-verify', '--help'])",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "audit" in result.stdout.lower()
