"""Meetings and economic indicators from Chinese local-government bulletins."""

__version__ = "0.1.0"
