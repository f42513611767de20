"""commonground: language models as online mediators."""

__version__ = "0.1.0"
