"""Norm thresholds: each norm declares its settings (caseload/norms/registry.py) with the IPS
fidelity scale's value as default; an administrator overrides them (NormSetting rows)."""

from __future__ import annotations

from functools import cache

from sqlalchemy import select


class NormSettings:
    """The settings in force: the registered defaults, overridden by the given values.
    Read as attributes (settings.rapid_job_search_days)."""

    # Each setting is an attribute in the instance's __dict__ (and nothing else is), so reading
    # one is Python's plain look-up. A __getattr__ over a dict of them ran only after that
    # look-up had failed and raised inside: ~5,000 instructions a read, against ~100
    # (bench/README.md, "Page cost: the outcomes page, eleventh pass").

    def __init__(self, **values: int):
        from caseload.norms.registry import SETTINGS, load_all
        load_all()
        unknown = set(values) - set(SETTINGS)
        if unknown:
            raise TypeError(f"unknown norm settings: {', '.join(sorted(unknown))}")
        self.__dict__.update({**{name: setting.default for name, setting in SETTINGS.items()},
                              **values})

    def __setattr__(self, name, value):
        raise AttributeError("NormSettings are read-only")

    def __delattr__(self, name):
        raise AttributeError("NormSettings are read-only")

    def __eq__(self, other) -> bool:
        return isinstance(other, NormSettings) and vars(self) == vars(other)

    def __hash__(self) -> int:
        return hash(tuple(sorted(vars(self).items())))

    def __repr__(self) -> str:
        return f"NormSettings({vars(self)!r})"

    def as_dict(self) -> dict[str, int]:
        return dict(vars(self))

    @classmethod
    def load(cls, session) -> NormSettings:
        from caseload.models import NormSetting
        return cls.from_stored(session.connection().execute(stored_statement(NormSetting)))

    @classmethod
    def from_stored(cls, rows) -> NormSettings:
        """The settings from the stored (key, value) rows (stored_statement's)."""
        from caseload.norms.registry import SETTINGS, load_all
        load_all()
        return cls(**{key: value for key, value in rows if key in SETTINGS})


@cache
def stored_statement(model):
    """The stored settings' statement, built once (every page that shows a signal reads them)."""
    return select(model.key, model.value)


def setting_names() -> list[str]:
    from caseload.norms.registry import SETTINGS, load_all
    load_all()
    return list(SETTINGS)
