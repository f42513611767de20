"""The two generators: role-play with the configured model, and data-only from real labelled utterances."""
