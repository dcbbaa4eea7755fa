"""Events: the envelope, the transactional outbox, the event-log feed, the subscriber inbox and batch intake.

Nothing is re-exported: importing one module loads only what it needs."""
