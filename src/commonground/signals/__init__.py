"""Fast, model-free detectors: each scores, none decides."""
