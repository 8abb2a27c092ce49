#!/usr/bin/env bash
# Periodic jobs, run by the systemd timer (or cron: `30 2 * * * /opt/autosales/deploy/nightly.sh`).
# Each command is idempotent, so running it twice or on two servers does no harm.
set -euo pipefail
AUTOSALES=${AUTOSALES:-/opt/autosales/.venv/bin/autosales}
"$AUTOSALES" reminders
SNAPSHOTS=${AUTOSALES_SNAPSHOT_DIR:-/var/lib/autosales/snapshots}
mkdir -p "$SNAPSHOTS"
"$AUTOSALES" keyaccounts export --output "$SNAPSHOTS/keyaccounts-$(date +%F).xlsx"
"$AUTOSALES" sales_expire_quotes
"$AUTOSALES" clearsessions
