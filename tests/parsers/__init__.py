"""Tests of the pure parsers."""
