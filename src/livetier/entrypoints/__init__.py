"""Thin entry points over the services: the CLI (and, later, the HTTP API and web pages)."""
