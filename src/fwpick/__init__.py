"""fwpick: choose a Python web framework from checked facts."""

__version__ = "0.1.0"
