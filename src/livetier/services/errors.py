"""Inputs a use case refuses, in words each entry point can finish: the service names its
inputs (``$lookback``), and the CLI says them as flags (``--lookback``), an API as fields."""

from __future__ import annotations

from collections.abc import Callable
from string import Template


class InvalidInput(ValueError):
    """An input a use case cannot take; ``$name`` in the message stands for the input."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(self.say(str))

    def say(self, name_of: Callable[[str], str]) -> str:
        """The message with each ``$name`` written as ``name_of(name)``."""
        template = Template(self.message)
        return template.safe_substitute({n: name_of(n) for n in template.get_identifiers()})
