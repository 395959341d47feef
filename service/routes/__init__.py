"""The API's routes, one router per resource: flags, clients, invoices, ingest, scoring
and models, health and metrics."""
