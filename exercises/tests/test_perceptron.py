"""Visible tests of perceptron.py: run `pytest exercises` (or `pytest exercises/tests/test_perceptron.py`)."""

from autograder.visible import make_test

test_perceptron = make_test("perceptron")
