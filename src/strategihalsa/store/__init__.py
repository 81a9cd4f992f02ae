"""The local store of Kolada data: snapshots on disk (`snapshot`), filled by `sfh sync`
(`sync`) and compared by `sfh changes` (`changes`)."""
