"""Visible tests of activations.py: run `pytest exercises` (or `pytest exercises/tests/test_activations.py`)."""

from autograder.visible import make_test

test_activations = make_test("activations")
