"""Domain objects shared by every layer: messages, conversations, settings, errors."""
