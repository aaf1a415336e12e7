"""Which registry file to read: --registry, then $REMITCTL_REGISTRY, ./remits.yaml, the sample."""

from __future__ import annotations

import os
from pathlib import Path

from remitctl.record import record

ENV_VAR = "REMITCTL_REGISTRY"


@record
class RegistrySource:
    path: Path
    how: str  # "option", "environment", "working directory" or "bundled sample"

    @property
    def is_bundled(self) -> bool:
        return self.how == "bundled sample"


def bundled_registry() -> Path:
    """The sample registry shipped with remitctl (in a source checkout, the repository's)."""
    packaged = Path(__file__).resolve().parent.parent / "data" / "remits.yaml"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[3] / "remits.yaml"


def locate_registry(option: Path | None, cwd: Path | None = None) -> RegistrySource:
    if option is not None:
        return RegistrySource(option, "option")
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        try:
            path = Path(env).expanduser()
        except RuntimeError:  # ~name of no such user, or no home: read the path as written
            path = Path(env)
        return RegistrySource(path, "environment")
    here = (cwd or Path.cwd()) / "remits.yaml"
    if here.is_file():
        return RegistrySource(here, "working directory")
    return RegistrySource(bundled_registry(), "bundled sample")
