"""jixiao pipeline: ingest → extract → validate → store, and the CLI that runs it."""

__version__ = "0.1.0"
