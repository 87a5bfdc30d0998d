"""The web pages: a host's page and the operator dashboard, served by the API's app."""

from fastapi import FastAPI

from livetier.domain.rulebook import Rulebook
from livetier.services.served import Served


def mount(app: FastAPI, view: Served, rulebook: Rulebook, authenticate: object) -> None:
    """Add the pages (and their assets) to ``app``."""
