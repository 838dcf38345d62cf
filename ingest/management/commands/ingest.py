from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError

from ingest.base import SourceBusy, SourceNotConfigured
from ingest.models import IngestRun
from ingest.services import ingest_run
from ingest.sources import SOURCES


def _since(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--since must be an ISO date or time such as 2026-11-01T06:00, not {value!r}") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


class Command(BaseCommand):
    help = (
        "Sync a source: python manage.py ingest ptv|linkedevents|lahella|sotkanet [--full|--since ISO] "
        "[--municipalities 297,749] [--dry-run] [--force]  (--municipalities and --dry-run are PTV only)"
    )

    def add_arguments(self, parser):
        parser.add_argument("source", choices=list(SOURCES))
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--full", action="store_true", help="Walk every page of the region (mark-and-sweep)")
        mode.add_argument("--since", help="Incremental: changes since this ISO time (default: the last good run)")
        parser.add_argument("--municipalities", help="Comma-separated municipality codes (default: the region's)")
        parser.add_argument("--dry-run", action="store_true", help="Fetch and compare, write nothing")
        parser.add_argument("--force", action="store_true", help="Allow a full sync to remove more than the limit")
        parser.add_argument("--base-url", help="Read from this API base instead of the configured one")
        parser.add_argument("--no-index", action="store_true", help="Do not update the search index afterwards")

    def handle(self, *args, **options):
        municipalities = None
        if options["municipalities"]:
            municipalities = [c.strip() for c in options["municipalities"].split(",") if c.strip()]
            bad = [c for c in municipalities if not c.isdigit() or len(c) > 3]
            if bad or not municipalities:
                raise CommandError(f"--municipalities takes codes like 297,749; not valid: {', '.join(bad) or 'empty'}")
        try:
            run = self._run(options, municipalities)
        except (SourceNotConfigured, SourceBusy) as exc:
            raise CommandError(str(exc)) from exc
        summary = (
            f"{run.source} {run.kind}: {run.get_status_display()} – fetched {run.fetched}, created {run.created}, "
            f"updated {run.updated}, unchanged {run.unchanged}, skipped {run.skipped}, removed {run.removed}, failed {run.failed}"
        )
        if run.status in {IngestRun.Status.FAILED, IngestRun.Status.REFUSED}:
            raise CommandError(f"{summary}\n{run.error}")
        self.stdout.write(summary)

    def _run(self, options, municipalities):
        return ingest_run(
            source=options["source"],
            full=options["full"],
            since=_since(options["since"]) if options["since"] else None,
            municipalities=municipalities,
            dry_run=options["dry_run"],
            force=options["force"],
            base_url=options["base_url"],
            index=not options["no_index"],
        )
