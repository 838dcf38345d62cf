import signal
import threading

from django.core.management.base import BaseCommand

from ingest.fakes import demo_servers, demo_settings


class Command(BaseCommand):
    help = (
        "Serve the demo PTV, Linked Events, Lähellä.fi and Sotkanet sources on 127.0.0.1 (ports PORT_BASE, +1, +2, +3) "
        "until terminated; `make run` points the web process and the worker at them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port-base", type=int, default=8101)
        parser.add_argument("--ptv-services", type=int, default=0, help="Scale PTV up to this many services")

    def handle(self, *args, **options):
        servers = demo_servers(options["port_base"], ptv_services=options["ptv_services"])
        stop = threading.Event()
        # SIGTERM (from `make run` or the bench) ends the command like Ctrl-C does.
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        for server in servers:
            server.start()
        for name, value in demo_settings(options["port_base"]).items():
            if name.endswith("_URL"):
                self.stdout.write(f"{name}={value}")
        self.stdout.flush()
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
        finally:
            for server in servers:
                server.stop()
