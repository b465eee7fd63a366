"""The hostile submission catalog: cases in ``catalog.py``, built and judged by ``build.py``."""
