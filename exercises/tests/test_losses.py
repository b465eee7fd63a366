"""Visible tests of losses.py: run `pytest exercises` (or `pytest exercises/tests/test_losses.py`)."""

from autograder.visible import make_test

test_losses = make_test("losses")
