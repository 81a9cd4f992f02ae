"""`sfh` with or without the maps of the län index and the overview, to measure what the
maps cost on the same code (figures in bench/RESULTS.md, "Maps"):

    python bench/maps_cost.py on report --lan 06 -f html -d /tmp/with      # as sfh
    python bench/maps_cost.py off report --lan 06 -f html -d /tmp/without  # no maps

'off' replaces the pages' map builders by ones that draw nothing (the pages then have no
"Kartor per mål" section); 'on' runs sfh unchanged through the same start, so a paired
comparison (e.g. /usr/bin/time, or any harness that alternates the two) sees the maps alone.
"""

from __future__ import annotations

import sys
from typing import Any

from strategihalsa.cli import main
from strategihalsa.render import pages


def no_maps(*args: Any) -> list[Any]:
    """A map builder that draws nothing."""
    return []


if __name__ == "__main__":
    mode, *arguments = sys.argv[1:]
    if mode not in ("on", "off"):
        sys.exit("usage: maps_cost.py on|off SFH-ARGUMENTS...")
    if mode == "off":
        pages.index_maps = no_maps
        pages.overview_maps = no_maps
    sys.argv = ["sfh", *arguments]
    main()
