#!/usr/bin/env bash
# Periodic jobs, run by the systemd timer (or cron: `30 2 * * * /opt/autosales/deploy/nightly.sh`).
# Each command is idempotent, so running it twice or on two servers does no harm.
set -euo pipefail
AUTOSALES=${AUTOSALES:-/opt/autosales/.venv/bin/autosales}
"$AUTOSALES" reminders
"$AUTOSALES" keyaccounts snapshot
"$AUTOSALES" clearsessions
