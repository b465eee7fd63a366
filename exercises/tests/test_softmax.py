"""Visible tests of softmax.py: run `pytest exercises` (or `pytest exercises/tests/test_softmax.py`)."""

from autograder.visible import make_test

test_softmax = make_test("softmax")
