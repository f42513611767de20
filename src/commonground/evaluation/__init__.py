"""Evaluation: datasets, metrics, human evaluation and benchmark reports."""
