"""``risk worker``: the process that makes billing-risk run by itself.

One loop, three threads:

- the **main loop** (every second) queues a score job at each tick of
  ``RISK_SCORE_SCHEDULE`` and after new data settles (``debounce``), queues the
  daily digests, claims the oldest job and runs it in a thread of its own while it
  renews the job's lease;
- the **outbox** thread delivers due alerts every ``RISK_OUTBOX_POLL_SECONDS``;
- the **heartbeat** thread writes a beat every poll interval, where no score
  transaction can hold it up (``heartbeat``).

Every job and every alert is a database row claimed with a lease, so any number of
workers can run against one database: a tick or a batch of arrivals queues one job
(by its key), one job runs at a time, and what a dead worker held is claimed again
when its lease runs out. On SIGTERM or SIGINT the worker finishes the alert in
hand, hands a running score job back to the queue (its transaction never commits)
and exits within seconds. A database that goes away is logged and retried with
backoff; the loop resumes where it stood.
"""
