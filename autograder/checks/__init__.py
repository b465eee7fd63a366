"""The check library: written once, used by the grader, the visible tests and the notebooks.

``autograder/checks/<exercise>.py`` holds an exercise's checks: the visible ones, then below
its :data:`~autograder.checks.core.HIDDEN_MARK` the hidden ones (the student kit's copy of the
file ends at the mark).
"""
