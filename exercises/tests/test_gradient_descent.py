"""Visible tests of gradient_descent.py: run `pytest exercises` (or `pytest exercises/tests/test_gradient_descent.py`)."""

from autograder.visible import make_test

test_gradient_descent = make_test("gradient_descent")
