"""Mediation actions: versioned prompt, output schema, verification and fallback per task."""
