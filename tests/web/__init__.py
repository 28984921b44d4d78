"""Tests of the web pages through the test client."""
