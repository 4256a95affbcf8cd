"""The `luoshi` console script: Django's manage command for this project.

Commands may be spelt with hyphens (`luoshi audit-verify`) as well as with
underscores, because that is how the README and the office's runbooks write them.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "luoshi"
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
