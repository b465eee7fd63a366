"""Visible tests of keras_model.py: run `pytest exercises` (or `pytest exercises/tests/test_keras_model.py`)."""

from autograder.visible import make_test

test_keras_model = make_test("keras_model")
