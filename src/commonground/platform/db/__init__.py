"""Storage: SQLAlchemy models, the engine and programmatic Alembic migrations."""
