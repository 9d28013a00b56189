"""Settings, declared once with their defaults and help, read from ``PEDKG_*`` variables.

Every knob of pedkg lives in ``SETTINGS`` so the environment, the CLI and the docs
agree on one list.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Settings:
    """Where pedkg reads its sources and keeps its store."""

    project: Path = field(
        default=PROJECT_ROOT,
        metadata={"env": "PEDKG_PROJECT", "help": "folder holding ontology/, data/, queries/"},
    )
    store: Path = field(
        default=PROJECT_ROOT / "var" / "store",
        metadata={
            "env": "PEDKG_STORE",
            "help": "path of the built store (a symlink swapped by build)",
        },
    )

    @property
    def ontology_dir(self) -> Path:
        return self.project / "ontology"

    @property
    def data_dir(self) -> Path:
        return self.project / "data"

    @property
    def queries_dir(self) -> Path:
        return self.project / "queries"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: object) -> Settings:
        """Defaults, overridden by ``PEDKG_*`` variables, overridden by explicit arguments."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(f.metadata["env"])
            if raw:
                values[f.name] = Path(raw).expanduser() if f.type in ("Path", Path) else raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]


def describe() -> list[tuple[str, str, str]]:
    """(variable, default, help) for every setting, for docs and ``--help``."""
    return [(f.metadata["env"], str(f.default), f.metadata["help"]) for f in fields(Settings)]
