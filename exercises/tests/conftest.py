# The fixture that runs your code in a separate process, exactly as the grader does.
from autograder.visible import nn101_submission  # noqa: F401
