"""Tests of single parts: app factory and CLI, shopping list, production setup, faults."""
