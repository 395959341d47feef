"""Alerts to account leads: the outbox (queue, claim, lease, backoff), the transports
(SMTP, webhook, log file) and what an alert says in each."""
