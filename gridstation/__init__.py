"""GridStation: the command-center client of digital urban grid management (网格化管理).

The Qt-free core is one package per capability, each ``__init__`` saying what it holds and
what it may import (the layers are checked by ``lint-imports``, see pyproject.toml):
``store`` (the shared database) → ``worktime`` → ``geo`` → ``analytics`` → ``cases`` →
``accounts``/``schema`` → ``importers`` → ``admin``/``report``/``wall``/``exchange`` →
``demo``; on top the Qt layer ``app`` (the same names where a screen exists) and ``cli``.
"""


def _version() -> str:
    """One version number, pyproject.toml's: from the installed package's metadata, or in a
    frozen build from the module gridstation.spec writes at build time."""
    import sys

    if getattr(sys, "frozen", False):
        try:
            from _gridstation_version import version  # type: ignore[import-not-found]

            return version
        except ImportError:
            pass
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("gridstation")
    except PackageNotFoundError:
        return "0+unknown"


def __getattr__(name: str):
    if name == "__version__":  # computed on first use: costs nothing at start-up otherwise
        return _version()
    raise AttributeError(name)
