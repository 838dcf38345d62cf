"""Client for THL's Sotkanet REST API (https://sotkanet.fi/rest/1.1/, open data, CC BY 4.0).

The calls and shapes follow public clients of the live service (shared/reference/sotkanet.md):
- `indicators/{id}`: one indicator's metadata, e.g. `id`, `title` {fi, sv, en},
  `organization` {id, title}, `primaryValueType` {code, title}, `decimals`, `range`
  (rOpenGov/sotkanet R/sotkanet_indicators.R and R/sotkanet_collect.R;
  MattiManninenMJ/hus-sotkanet config/indicators_metadata.json, recorded from the API);
- `regions`: every region, `id`, `title` {fi, sv, en}, `code`, `category` (KUNTA,
  HYVINVOINTIALUE, MAA, ...), `uri` (rOpenGov/sotkanet R/sotkanet_regions.R, R/sotkanet_collect.R);
- `json?indicator=ID&years=Y&years=Y2&genders=total`: data points of every region,
  `indicator`, `region` (a region id), `year`, `gender`, `value`, `absValue`
  (rOpenGov/sotkanet R/get_sotkanet.R builds the same query for `csv`;
  MattiManninenMJ/hus-sotkanet api/sotkanet_api.py and data/processor.py read `json`).

The whole `indicators` list is 2.5 MB, so the sync asks only for the indicators the region follows.
"""

from __future__ import annotations

from typing import Any

from ingest.http import JsonClient, SourceError


class SotkanetError(SourceError):
    pass


class SotkanetClient(JsonClient):
    error_class = SotkanetError

    def indicator(self, sotkanet_id: int) -> Any:
        return self._get(f"indicators/{int(sotkanet_id)}")

    def regions(self) -> Any:
        return self._get("regions")

    def data(self, sotkanet_id: int, years: list[int], genders: tuple[str, ...] = ("total", "male", "female")) -> Any:
        # requests sends a list as repeated parameters: years=2023&years=2024, as the API expects.
        return self._get("json", {"indicator": int(sotkanet_id), "years": list(years), "genders": list(genders)})
