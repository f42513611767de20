"""Declarative per-conversation policy and a pure decide()."""
