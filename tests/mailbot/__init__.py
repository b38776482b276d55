"""Tests of the I/O side, over real mail servers and both databases."""
