"""The local store of Kolada data: snapshots on disk (`snapshot`), filled by `sfh sync`
(`sync`) and compared by `sfh changes` (`changes`, shown by `describe`)."""

DEFAULT_TOLERANCE = 1e-6  # relative change below which a republished value is the same
DEFAULT_KEEP = 5  # snapshots kept; older ones are removed
KEEP_RANGE = (1, 1000)
TOLERANCE_RANGE = (0.0, 1.0)
