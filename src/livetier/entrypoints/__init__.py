"""Thin entry points over the services: the CLI, the HTTP API and the web pages."""
