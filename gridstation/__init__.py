"""GridStation: the command-center client of digital urban grid management (网格化管理).

The Qt-free core is one package per capability, each ``__init__`` saying what it holds and
what it may import (the layers are checked by ``lint-imports``, see pyproject.toml):
``store`` (the shared database) → ``worktime`` → ``geo`` → ``analytics`` → ``cases`` →
``accounts``/``schema`` → ``importers`` → ``admin``/``report``/``wall``/``exchange`` →
``demo``; on top the Qt layer ``app`` (the same names where a screen exists) and ``cli``.
"""
