"""livetier: a tier engine for live-commerce hosts."""

__version__ = "0.1.0"
