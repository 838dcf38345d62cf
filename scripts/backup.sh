#!/bin/sh
# Tarmoa database backups: pg_dump in PostgreSQL's custom format, on a schedule, with retention.
#
#   backup.sh once    one dump now, then delete dumps older than the retention
#   backup.sh loop    the same every BACKUP_INTERVAL_SECONDS (the compose `backup` service)
#   backup.sh check   exit 0 when the newest dump is younger than two intervals (healthcheck)
#
# Environment: DATABASE_URL (postgres://user:pass@host:port/db), BACKUP_DIR (/backups),
# BACKUP_RETENTION_DAYS (14; 0 keeps every dump), BACKUP_INTERVAL_SECONDS (86400).
# A dump is written under a temporary name, read back with pg_restore --list and only then
# renamed to tarmoa-YYYYMMDDTHHMMSSZ.dump, so a file with that name is always complete.
# Old dumps are deleted only after a good new one exists. Restore with scripts/restore.sh.
set -eu

BACKUP_DIR=${BACKUP_DIR:-/backups}
BACKUP_RETENTION_DAYS=${BACKUP_RETENTION_DAYS:-14}
BACKUP_INTERVAL_SECONDS=${BACKUP_INTERVAL_SECONDS:-86400}

fail() { echo "backup: $*" >&2; exit 2; }
case $BACKUP_RETENTION_DAYS in '' | *[!0-9]*) fail "BACKUP_RETENTION_DAYS must be a whole number of days, not '$BACKUP_RETENTION_DAYS'" ;; esac
case $BACKUP_INTERVAL_SECONDS in '' | *[!0-9]*) fail "BACKUP_INTERVAL_SECONDS must be a whole number, not '$BACKUP_INTERVAL_SECONDS'" ;; esac
[ "$BACKUP_INTERVAL_SECONDS" -ge 60 ] || fail "BACKUP_INTERVAL_SECONDS must be at least 60"

# Dumps hold personal data (users, error reports, search logs): readable by their owner only.
umask 077

backup_once() {
    : "${DATABASE_URL:?backup: set DATABASE_URL}"
    mkdir -p "$BACKUP_DIR"
    stamp=$(date -u +%Y%m%dT%H%M%SZ)
    final="$BACKUP_DIR/tarmoa-$stamp.dump"
    partial="$BACKUP_DIR/.tarmoa-$stamp.dump.partial"
    rm -f "$partial"
    if ! pg_dump --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$partial"; then
        rm -f "$partial"
        echo "backup: pg_dump failed; older dumps are kept" >&2
        return 1
    fi
    if ! pg_restore --list "$partial" >/dev/null; then
        rm -f "$partial"
        echo "backup: the new dump does not read back; older dumps are kept" >&2
        return 1
    fi
    mv "$partial" "$final"
    echo "backup: wrote $final ($(wc -c <"$final") bytes)"
    if [ "$BACKUP_RETENTION_DAYS" -gt 0 ]; then
        find "$BACKUP_DIR" -maxdepth 1 -type f -name 'tarmoa-*.dump' ! -name "tarmoa-$stamp.dump" \
            -mmin +$((BACKUP_RETENTION_DAYS * 1440)) -print -delete | sed 's/^/backup: deleted /'
    fi
}

case ${1:-once} in
once)
    backup_once
    ;;
loop)
    echo "backup: every $BACKUP_INTERVAL_SECONDS s into $BACKUP_DIR, keeping $BACKUP_RETENTION_DAYS days"
    while :; do
        backup_once || echo "backup: this run failed; trying again at the next interval" >&2
        sleep "$BACKUP_INTERVAL_SECONDS"
    done
    ;;
check)
    minutes=$((2 * BACKUP_INTERVAL_SECONDS / 60))
    recent=$(find "$BACKUP_DIR" -maxdepth 1 -type f -name 'tarmoa-*.dump' -mmin -"$minutes" | head -n 1)
    [ -n "$recent" ] || fail "no dump younger than $minutes minutes in $BACKUP_DIR"
    ;;
*)
    fail "usage: backup.sh once|loop|check"
    ;;
esac
