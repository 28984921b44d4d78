"""Tests of the JSON API (flask-smorest resources, its error shape, a schema fuzz)."""
