"""Municipal populations for the supply panel's "per 10,000 residents" (issue #14).

Source: Statistics Finland (Tilastokeskus), StatFin table 11ra "Key figures on population by
region" (Tunnuslukuja väestöstä alueittain), variable `vaesto` (population on 31 December),
licensed CC BY 4.0. The repository ships the figures of the demo region as a dated file
(dashboard/data/population.csv, loaded by migration 0001); `manage.py refresh_population`
replaces them from the PxWeb API or from a file in the same format.

The PxWeb API answers a POST of a query (JSON) on
https://pxdata.stat.fi/PxWeb/api/v1/fi/StatFin/vaerak/statfin_vaerak_pxt_11ra.px with a
JSON-stat 2.0 dataset when `"response": {"format": "json-stat2"}` is asked: `id` names the
dimensions in order (e.g. ["Alue", "Vuosi", "Tiedot"]), `size` their lengths, `dimension.<id>
.category.index` maps each code (municipalities as "KU297", regions "MK11", the whole
country "SSS"; years "2021") to its position and `.label` to its name, and `value` is the
flat row-major list of figures (null where there is none). Shape as used by public clients
of this table, e.g. `populationData.dimension.Alue.category.label` and `.value` read in
order (github.com search: "StatFin/vaerak/statfin_vaerak_pxt_11ra.px").
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction

STATFIN_URL = "https://pxdata.stat.fi/PxWeb/api/v1/fi/StatFin/vaerak/statfin_vaerak_pxt_11ra.px"
SOURCE = "Tilastokeskus / Statistics Finland, StatFin 11ra Key figures on population by region (CC BY 4.0)"
DATA_FILE = Path(__file__).resolve().parent / "data" / "population.csv"
COLUMNS = ("municipality_code", "name", "population", "reference_date", "source")
MAX_RESIDENTS = 10_000_000  # more than Finland: a figure above it is a broken file
MAX_BYTES = 5 * 1024 * 1024


class PopulationError(ValueError):
    """The population data is malformed; nothing is stored."""


@dataclass(frozen=True)
class PopulationRow:
    code: str
    name: str
    residents: int | None
    reference_date: date
    source: str


def _residents(text: str, where: str) -> int | None:
    text = text.strip().replace(" ", "")
    if not text:
        return None
    if not text.isdigit() or not 0 < int(text) < MAX_RESIDENTS:
        raise PopulationError(f"{where}: population must be a whole number of residents, got {text!r}")
    return int(text)


def _checked(rows: list[PopulationRow]) -> list[PopulationRow]:
    if not rows:
        raise PopulationError("no municipality in the data")
    codes = [r.code for r in rows]
    if len(set(codes)) != len(codes):
        raise PopulationError("a municipality code appears twice")
    return rows


def population_csv_parse(text: str) -> list[PopulationRow]:
    """Rows of the shipped format: `#` comment lines, then a `,`-separated header with COLUMNS."""
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise PopulationError(f"missing columns: {', '.join(missing)}")
    rows = []
    for n, record in enumerate(reader, start=2):
        where = f"line {n}"
        code = (record["municipality_code"] or "").strip()
        if not (code.isdigit() and len(code) == 3):
            raise PopulationError(f"{where}: municipality_code must be three digits, got {code!r}")
        try:
            when = date.fromisoformat((record["reference_date"] or "").strip())
        except ValueError:
            raise PopulationError(f"{where}: reference_date must be a date like 2021-12-31") from None
        name, source = (record["name"] or "").strip(), (record["source"] or "").strip()
        if not name or not source:
            raise PopulationError(f"{where}: name and source are required")
        rows.append(PopulationRow(code, name[:100], _residents(record["population"] or "", where), when, source[:300]))
    return _checked(rows)


def population_jsonstat_parse(data: object, *, source: str = SOURCE) -> list[PopulationRow]:
    """Municipalities (codes "KU…") of a JSON-stat 2.0 answer of table 11ra for one year."""
    try:
        ids, sizes, dims, values = data["id"], data["size"], data["dimension"], data["value"]  # type: ignore[index]
        categories = {}
        for dim in ids:
            index = dims[dim]["category"]["index"]
            order = index if isinstance(index, list) else sorted(index, key=index.get)
            categories[dim] = (order, dims[dim]["category"].get("label") or {})
    except (KeyError, TypeError, AttributeError):
        raise PopulationError("not a JSON-stat 2.0 dataset (id, size, dimension, value)") from None
    if "Alue" not in categories or "Vuosi" not in categories:
        raise PopulationError("the dataset has no Alue (area) and Vuosi (year) dimensions")
    if [len(categories[d][0]) for d in ids] != list(sizes) or not isinstance(values, list):
        raise PopulationError("dimension sizes do not match the categories")
    others = [d for d in ids if d not in ("Alue", "Vuosi")]
    if any(len(categories[d][0]) != 1 for d in [*others, "Vuosi"]):
        raise PopulationError("ask for one year and one figure (Tiedot=vaesto) only")
    if "Tiedot" in categories and categories["Tiedot"][0] != ["vaesto"]:
        raise PopulationError("the figure must be Tiedot=vaesto (population)")
    year = str(categories["Vuosi"][0][0])
    if not (year.isdigit() and len(year) == 4):
        raise PopulationError(f"the year must look like 2021, got {year!r}")
    total = 1
    for size in sizes:
        total *= size
    if len(values) != total:
        raise PopulationError("the number of values does not match the dimension sizes")
    # With every other dimension of size one, the flat index of an area is its own position.
    areas, labels = categories["Alue"]
    rows = []
    for position, area in enumerate(areas):
        if not (isinstance(area, str) and area.startswith("KU") and area[2:].isdigit() and len(area) == 5):
            continue  # regions (MK…), the whole country (SSS)
        value = values[position]
        if value is not None and (not isinstance(value, int | float) or not 0 < value < MAX_RESIDENTS):
            raise PopulationError(f"{area}: population must be a number of residents, got {value!r}")
        name = str(labels.get(area) or area[2:])[:100]
        rows.append(
            PopulationRow(area[2:], name, None if value is None else int(value), date(int(year), 12, 31), source)
        )
    return _checked(rows)


def population_query(codes: list[str]) -> dict:
    """The PxWeb query for the latest year's population of these municipalities, as JSON-stat 2.0."""
    return {
        "query": [
            {"code": "Alue", "selection": {"filter": "item", "values": [f"KU{c}" for c in codes]}},
            {"code": "Tiedot", "selection": {"filter": "item", "values": ["vaesto"]}},
            {"code": "Vuosi", "selection": {"filter": "top", "values": ["1"]}},
        ],
        "response": {"format": "json-stat2"},
    }


def population_fetch(*, url: str, codes: list[str], session=None) -> list[PopulationRow]:
    """Ask Statistics Finland's PxWeb API; any failure raises PopulationError."""
    import requests

    http = session or requests
    try:
        response = http.post(url, json=population_query(codes), timeout=30, stream=True)
        if response.status_code != 200:
            raise PopulationError(f"{url} answered HTTP {response.status_code}")
        body = b""
        for chunk in response.iter_content(64 * 1024):
            body += chunk
            if len(body) > MAX_BYTES:
                raise PopulationError(f"{url} answered more than {MAX_BYTES} bytes")
    except requests.RequestException as exc:
        raise PopulationError(f"{url} could not be read: {exc.__class__.__name__}") from None
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise PopulationError(f"{url} did not answer JSON") from None
    return population_jsonstat_parse(data)


def population_file_read(path: Path) -> list[PopulationRow]:
    """A local file: JSON-stat 2.0 (`.json`) or the shipped CSV format."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise PopulationError(f"{path} could not be read: {exc.__class__.__name__}") from None
    if path.suffix.lower() == ".json":
        try:
            return population_jsonstat_parse(json.loads(text))
        except ValueError as exc:
            raise PopulationError(str(exc) if isinstance(exc, PopulationError) else f"{path} is not JSON") from None
    return population_csv_parse(text)


def population_store(*, rows: list[PopulationRow]) -> int:
    """Insert or update one row per municipality code, all or nothing; returns how many."""
    from dashboard.models import Population

    with transaction.atomic():
        for row in _checked(rows):
            Population.objects.update_or_create(
                municipality_code=row.code,
                defaults={"name": row.name, "residents": row.residents, "reference_date": row.reference_date,
                          "source": row.source},
            )  # fmt: skip
    return len(rows)
