"""Tests of the pure extraction core."""
