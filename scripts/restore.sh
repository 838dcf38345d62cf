#!/bin/sh
# Restore a dump made by scripts/backup.sh into the database at DATABASE_URL.
#
#   restore.sh /backups/tarmoa-20261130T021500Z.dump --yes
#
# It REPLACES what the target database holds: every table in the dump is dropped and
# re-created from it, in one transaction (on any error nothing changes). Stop the web,
# worker and beat services first (README, "Running in production"). The target database
# must exist; it may be empty. The pgvector, pg_trgm and unaccent extensions must be
# installable there (the pgvector/pgvector image has them).
set -eu

usage() { echo "usage: restore.sh DUMPFILE --yes   (restores into DATABASE_URL, replacing its data)" >&2; exit 2; }
[ $# -ge 1 ] || usage
dump=$1
[ "${2:-}" = "--yes" ] || [ "${RESTORE_CONFIRM:-}" = "yes" ] || usage
: "${DATABASE_URL:?restore: set DATABASE_URL to the target database}"
[ -f "$dump" ] || { echo "restore: no such file: $dump" >&2; exit 2; }
pg_restore --list "$dump" >/dev/null || { echo "restore: $dump is not a pg_dump custom-format archive" >&2; exit 2; }

pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error \
    --dbname="$DATABASE_URL" "$dump"
echo "restore: $dump restored"
