"""nn101: auto-graded exercises for "Introduction to Neural Networks".

Keep this file free of imports: the worker process imports this package too.
"""

__version__ = "0.1.0"
