"""strategihalsa (`sfh`): follow up SKR's Strategi för hälsa from Kolada v3 data.

The package root stays import-light so that `sfh --help` starts fast; the heavy modules
(polars, requests, openpyxl) are imported by the commands that need them.
"""

__version__ = "0.1.0"
