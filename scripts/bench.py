"""`make bench`: ingest throughput and memory, search latency, query-embedding cost.

Figures are printed, never asserted. Runs against its own database (`tarmoa_bench` on the
same server) so the development data is untouched, and a local fake PTV server scaled up
to BENCH_SERVICES (default 20,000) services.

Phases (each in its own process so peak memory is the phase's own):
  ingest   full PTV sync of the scaled region over HTTP (embeddings excluded), then the
           same sync again (nothing changed); the fake PTV runs in its own process
  index    full-text index and embeddings (clones share their original's vector)
  search   /api/v1/search (services and the demo events, as in production) under gunicorn:
           1 client and 16 concurrent clients, distinct queries
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_DB = os.environ.get("BENCH_DATABASE_NAME", "tarmoa_bench")
SIZES = [int(x) for x in os.environ.get("BENCH_SIZES", "0,20000").split(",")]  # 0 = the demo region as recorded
# e.g. BENCH_PHASES=ingest BENCH_SIZES=20000 to time only the sync while working on it.
PHASES = set(os.environ.get("BENCH_PHASES", "embedding,ingest,index,search").split(","))


def _django(db_name: str = BENCH_DB) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tarmoa.settings")
    os.environ["DATABASE_NAME"] = db_name
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ensure_database() -> None:
    import psycopg

    from tarmoa.lib import embedded_db

    if os.environ.get("DATABASE_URL"):
        return  # the operator's server: the bench database must exist already
    params = embedded_db.connection_params()
    with psycopg.connect(host=params["HOST"], user=params["USER"], dbname="postgres", autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", [BENCH_DB]).fetchone():
            conn.execute(f'create database "{BENCH_DB}"')


def phase_ingest(size: int) -> dict:
    _django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_codelists", verbosity=0)
    call_command("setup_region", verbosity=0)
    from django.db import connection

    from ingest.fakes import FakePtv
    from ingest.ptv.client import PtvClientV11
    from ingest.ptv.sync import ptv_sync

    # TRUNCATE, not ORM delete: a cascade collected in Python would inflate the peak memory figure.
    with connection.cursor() as cursor:
        cursor.execute(
            "truncate catalog_service, catalog_servicechannel, catalog_organization, ingest_ingestrun, events_event "
            "restart identity cascade"
        )
    rss_before = _peak_mb()
    with _ptv_source(size) as url:
        start = time.perf_counter()
        run = ptv_sync(full=True, client=PtvClientV11(url), index=False)
        elapsed = time.perf_counter() - start
        start = time.perf_counter()
        again = ptv_sync(full=True, client=PtvClientV11(url), index=False)
        elapsed_again = time.perf_counter() - start
    # The demo events too, so a search takes the production path (services and events merged).
    from events.indexing import events_index
    from events.models import Event
    from ingest.demo import demo_events_load

    demo_events_load()
    events_index()
    return {
        "events": Event.objects.filter(is_public=True).count(),
        "services_in_source": max(size, len(FakePtv().services)),
        "status": run.status,
        "created": run.created,
        "seconds": round(elapsed, 1),
        "services_per_second": round(run.fetched / elapsed, 1),
        "unchanged_rerun_seconds": round(elapsed_again, 1),
        "unchanged_rerun_per_second": round(again.fetched / elapsed_again, 1),
        "peak_rss_mb": round(_peak_mb(), 1),
        "rss_before_sync_mb": round(rss_before, 1),
    }


@contextlib.contextmanager
def _ptv_source(size: int) -> Iterator[str]:
    """The fake PTV scaled to `size`, in its own process as the real PTV would be (its JSON
    encoding then does not share the sync's interpreter lock); BENCH_FAKE_IN_PROCESS=1 serves
    it from a thread of the bench process instead, as the bench did before."""
    from ingest.fakes import FakePtv, FakeServer, demo_settings, ptv

    if os.environ.get("BENCH_FAKE_IN_PROCESS") == "1":
        fake = FakePtv()
        if size:
            fake.scale_to(size)
        with FakeServer(fake, prefix=ptv.PREFIX) as server:
            yield server.url
        return
    port_base = int(os.environ.get("BENCH_FAKE_PORT_BASE", "8751"))
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "serve_demo_sources", "--port-base", str(port_base), "--ptv-services", str(size)],
        cwd=ROOT, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    url = demo_settings(port_base)["PTV_API_URL"]
    try:
        import requests

        for _ in range(240):
            try:
                requests.get(url + "Service?page=1", timeout=5)
                break
            except requests.ConnectionError:
                time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def phase_index() -> dict:
    _django()
    from django.db import connection

    from catalog.search.indexing import services_index

    start = time.perf_counter()
    result = services_index()
    # What autovacuum would do after a bulk load; measuring before it would time dead rows.
    with connection.cursor() as cursor:
        cursor.execute("vacuum analyze")
        # Write the bulk load's dirty pages now, so the checkpointer does not take CPU from the
        # search phase that follows (steady state is what is measured).
        try:
            cursor.execute("checkpoint")
            checkpoint = "done"
        except Exception as exc:  # a production role may lack the right; the output says so
            checkpoint = f"skipped ({exc})"
    return {
        "services": result.lexical,
        "embedded": result.embedded,
        "reused": result.embeddings_reused,
        "seconds": round(time.perf_counter() - start, 1),
        "checkpoint": checkpoint,
    }


def phase_embedding_cost() -> dict:
    _django()
    from catalog.search.embeddings import embed_query

    queries = _queries(120, seed=7)
    embed_query("lämmittely")  # load the model
    times = []
    for query in queries:
        start = time.perf_counter()
        embed_query(query)
        times.append((time.perf_counter() - start) * 1000)
    return {"queries": len(times), "mean_ms": round(statistics.mean(times), 2), "p95_ms": round(_pct(times, 95), 2)}


WORDS = [
    "liikunta",
    "kuntosali",
    "uinti",
    "vesijumppa",
    "luonto",
    "retkeily",
    "laavu",
    "kirjasto",
    "kuoro",
    "maalaus",
    "teatteri",
    "museo",
    "nuoret",
    "ikäihmiset",
    "seniorit",
    "lapsiperheet",
    "yksinäisyys",
    "ahdistus",
    "masennus",
    "uni",
    "ravitsemus",
    "ruoka",
    "velka",
    "talous",
    "työ",
    "opiskelu",
    "kotoutuminen",
    "suomen",
    "kieli",
    "vertaistuki",
    "vapaaehtoinen",
    "ystävä",
    "kahvila",
    "tanssi",
    "jooga",
    "kävely",
    "hiihto",
    "luistelu",
    "kalastus",
    "sienet",
    "marjat",
    "lukupiiri",
    "digituki",
    "neuvonta",
    "kriisi",
    "päihteet",
    "alkoholi",
    "peli",
    "tupakka",
    "omaishoitaja",
    "muisti",
    "diabetes",
    "paino",
    "motion",
    "äldre",
    "bibliotek",
    "natur",
    "hobby",
    "loneliness",
    "sleep",
    "food",
    "debt",
    "walk",
]
TEMPLATES = [
    "{a}",
    "{a} {b}",
    "{a} {m}",
    "haluaisin {a} {m}",
    "{a} ja {b}",
    "missä voi harrastaa {a}",
    "tunnen itseni yksinäiseksi ja {a}",
    "{a} {b} {m}",
]
TOWNS = ["kuopio", "iisalmi", "varkaus", "siilinjärvi", "suonenjoki", "leppävirta", "lapinlahti", "kiuruvesi"]


def _queries(n: int, seed: int) -> list[str]:
    """n queries that differ even without their town, so no query embedding is computed twice

    (the search takes a named municipality out of the text before embedding it).
    """
    rng = random.Random(seed)
    out: dict[str, str] = {}
    while len(out) < n:
        query = rng.choice(TEMPLATES).format(a=rng.choice(WORDS), b=rng.choice(WORDS), m=rng.choice(TOWNS))
        out.setdefault(" ".join(w for w in query.split() if w not in TOWNS), query)
    return sorted(out.values())


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def phase_search(port: int) -> dict:
    """Warm-up, then 1 client and 16 concurrent clients, each query asked once (no cache hits).

    The load generator is lean on purpose (http.client, keep-alive, one thread a client): it
    shares the two cores with the server, and `requests` cost ~1.3 ms of CPU a call.
    """
    import http.client
    from urllib.parse import urlencode

    warm_n, single_n, concurrent_clients, per_client = 20, 150, 16, 25
    pool = _queries(warm_n + single_n + concurrent_clients * per_client, seed=11)
    random.Random(12).shuffle(pool)
    warm, single, concurrent = pool[:warm_n], pool[warm_n : warm_n + single_n], pool[warm_n + single_n :]

    def get(conn: http.client.HTTPConnection, q: str) -> int:
        conn.request("GET", "/api/v1/search?" + urlencode({"q": q}))
        response = conn.getresponse()
        response.read()
        return response.status

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for q in warm:
        get(conn, q)
    conn.close()

    def run_clients(clients: int, queries: list[str]) -> dict:
        latencies: list[float] = []
        errors = 0
        lock = threading.Lock()

        def client(chunk: list[str]) -> None:
            nonlocal errors
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            for q in chunk:
                start = time.perf_counter()
                status = get(connection, q)
                took = (time.perf_counter() - start) * 1000
                with lock:
                    latencies.append(took)
                    errors += status != 200
            connection.close()

        chunks = [queries[i::clients] for i in range(clients)]
        threads = [threading.Thread(target=client, args=(c,)) for c in chunks]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - start
        return {
            "clients": clients,
            "requests": len(latencies),
            "errors": errors,
            "p50_ms": round(_pct(latencies, 50), 1),
            "p95_ms": round(_pct(latencies, 95), 1),
            "searches_per_second": round(len(latencies) / wall, 1),
        }

    return {"single": run_clients(1, single), "concurrent_16": run_clients(concurrent_clients, concurrent)}


def _sub(*args: str) -> dict:
    result = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        print(result.stdout, result.stderr, file=sys.stderr)
        raise SystemExit(f"bench phase {args} failed")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _serve(port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_NAME": BENCH_DB,
        "LOG_LEVEL": "WARNING",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # 16 clients from one address would meet the per-client limits a scraper meets.
        "RATE_LIMITS": os.environ.get("RATE_LIMITS", "off"),
        "REDIS_REQUIRED": os.environ.get("REDIS_REQUIRED", "0"),
    }
    # gunicorn.conf.py (sync workers, 3 a core) unless BENCH_WORKERS / BENCH_THREADS say otherwise.
    extra = []
    if os.environ.get("BENCH_WORKERS"):
        extra += ["--workers", os.environ["BENCH_WORKERS"]]
    if os.environ.get("BENCH_THREADS"):
        extra += ["--threads", os.environ["BENCH_THREADS"]]
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "tarmoa.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", *extra],
        cwd=ROOT, env=env,
    )  # fmt: skip
    import requests

    for _ in range(120):
        try:
            if requests.get(f"http://127.0.0.1:{port}/api/v1/search?q=lämmittely", timeout=5).status_code == 200:
                return proc
        except requests.RequestException:
            pass
        time.sleep(0.5)
    proc.kill()
    raise SystemExit("gunicorn did not start for the search bench")


def main() -> None:
    if len(sys.argv) > 1:
        phase = sys.argv[1]
        if phase == "ingest":
            print(json.dumps(phase_ingest(int(sys.argv[2]))))
        elif phase == "index":
            print(json.dumps(phase_index()))
        elif phase == "embedding":
            print(json.dumps(phase_embedding_cost()))
        return
    _django()
    ensure_database()
    print(f"Tarmoa bench – {os.cpu_count()} cores; database {BENCH_DB}")
    if "embedding" in PHASES:
        emb = _sub("embedding")
        print(
            f"\nQuery embedding ({emb['queries']} distinct queries): mean {emb['mean_ms']} ms, p95 {emb['p95_ms']} ms"
        )
    for size in SIZES:
        label = "demo region" if size == 0 else f"{size:,} services"
        print(f"\n== {label} ==")
        if "ingest" not in PHASES:
            continue
        ing = _sub("ingest", str(size))
        print(
            f"Ingest (full PTV sync over HTTP, embeddings excluded): {ing['services_in_source']} services in "
            f"{ing['seconds']} s = {ing['services_per_second']} services/s; peak RSS {ing['peak_rss_mb']} MB "
            f"(before sync {ing['rss_before_sync_mb']} MB); unchanged re-run {ing['unchanged_rerun_seconds']} s "
            f"({ing['unchanged_rerun_per_second']} services/s); {ing['events']} demo events beside them"
        )
        if "index" not in PHASES:
            continue
        idx = _sub("index")
        print(
            f"Index: {idx['services']} services, {idx['embedded']} embedded, {idx['reused']} reused, "
            f"{idx['seconds']} s; checkpoint {idx['checkpoint']}"
        )
        if "search" not in PHASES:
            continue
        port = 8765
        server = _serve(port)
        try:
            res = phase_search(port)
        finally:
            server.terminate()
            server.wait(timeout=30)
        for key, title in (("single", "1 client"), ("concurrent_16", "16 concurrent clients")):
            r = res[key]
            print(
                f"/api/v1/search, {title}: {r['requests']} distinct queries, p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, "
                f"{r['searches_per_second']} searches/s, errors {r['errors']}"
            )


if __name__ == "__main__":
    main()
