"""Public deliberations as data: Polis exports, opinion groups, their distinctive comments, consensus."""
