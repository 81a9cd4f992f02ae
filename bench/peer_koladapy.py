"""The peer: koladapy fetching what an `sfh` job fetches, as a whole process (for bench/run.py).

koladapy's data call (`get_values`) uses the query form, which Kolada answers with no rows,
so this uses its lowest-level call, `_paginate_request`, on the same path-form routes sfh
uses: the metadata lists one after another (koladapy has no concurrency), then one data
request per 25 units, and its own flattening of the rows. Its throttle (5 requests a second
by default) is lifted, so that the peer is measured at its fastest.

    python bench/peer_koladapy.py --url http://127.0.0.1:8765/v3 kommun
"""

from __future__ import annotations

import argparse
import logging
from datetime import date

from koladapy import KoladaAPI
from koladapy.utils import flatten_data

KOMMUN = ["0000", "0006", "0680", "G176284"]  # Jönköping, its region, Riket, its group


def fetch(api: KoladaAPI, kpis: list[str], units: list[str]) -> list[dict]:
    """Data rows of kpis × units × the years sfh asks for, 25 units a request."""
    years = ",".join(str(year) for year in range(2012, date.today().year + 1))
    rows = []
    for start in range(0, len(units), 25):
        chunk = ",".join(units[start : start + 25])
        rows += api._paginate_request(f"data/kpi/{','.join(kpis)}/municipality/{chunk}"
                                      f"/year/{years}")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="the fake Kolada's /v3 URL")
    parser.add_argument("--kpis", required=True, help="comma-separated KPI ids")
    parser.add_argument("job", choices=["kommun", "overview"])
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    api = KoladaAPI(base_url=args.url.rstrip("/") + "/", max_requests_per_second=10_000)
    kpis = args.kpis.split(",")
    units = [unit["id"] for unit in api._paginate_request("municipality")]
    if args.job == "kommun":
        api._paginate_request(f"kpi/{','.join(kpis)}")
        api._paginate_request("municipality_groups")
        rows = fetch(api, kpis, KOMMUN)
    else:
        rows = fetch(api, kpis, units)
    print(len(flatten_data(rows)))


if __name__ == "__main__":
    main()
