"""Visible tests of dense_layer.py: run `pytest exercises` (or `pytest exercises/tests/test_dense_layer.py`)."""

from autograder.visible import make_test

test_dense_layer = make_test("dense_layer")
