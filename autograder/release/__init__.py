"""Instructor side of ``nn101 release``: stubs, nbgrader notebooks, the student kit, the leak check.

Never shipped to students. Everything here derives from ``solutions/*.py`` (the single
source of truth), the checks' registry and the lesson narratives in ``lessons/``:

- ``sources.py``: read a solution module into its parts (imports, functions, answer regions).
- ``lessons.py`` and ``notebooks.py``: narratives + solutions -> ``source/nn101/*.ipynb``.
- ``nbgrader_plugins.py``: preprocessors named in ``nbgrader_config.py``.
- ``assignment.py``: run ``nbgrader generate_assignment`` in a course directory.
- ``kit.py``: the student kit folder and zip; ``leaks.py``: scan it for secrets.
- ``pipeline.py``: the steps of ``nn101 release`` and ``nn101 release --check``.
"""
