"""Outbox relay: delivers an emitting service's outbox events to their subscribers over REST.

Run one (or several) per emitting service as its own process, so it can be killed on its own:

    python -m outbox_relay --service transaction [--metrics-port 8008]

Modules: `catalogue` (which subscribers receive each event type), `config` (settings from the
environment), `repository` (all SQL on the emitter's outbox tables), `subscribers` (the HTTP
delivery to one subscriber), `relay` (the dispatch and delivery loop), `backoff`, `metrics`,
`main` (the process: flags, signals, the metrics server).

Nothing is re-exported: importing one module loads only what it needs.
"""
