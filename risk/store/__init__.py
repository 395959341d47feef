"""The app database: engine and migrations, tables, loading and reading bundles, ingest,
API keys and web sessions."""
