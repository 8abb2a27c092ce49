"""The ``autosales`` console command: Django's management commands under a short name.

autosales migrate
autosales seed --customers 500 --years 3
autosales runserver
"""

import os
import sys


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "autosales.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    execute_from_command_line(["autosales", *argv[1:]])


if __name__ == "__main__":
    main()
