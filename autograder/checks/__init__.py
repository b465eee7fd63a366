"""The check library: written once, used by the grader, the visible tests and the notebooks.

``autograder/checks/<exercise>.py`` holds the visible checks of an exercise;
``autograder/hidden/<exercise>.py`` its hidden checks (instructors only).
"""
