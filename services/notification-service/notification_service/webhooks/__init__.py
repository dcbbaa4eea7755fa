"""Standard Webhooks 1.0 for third parties: endpoints (api/webhooks.py, service.py), the
deliveries created with the events that cause them (deliveries.py), the sender (sender.py) and its
address policy (addresses.py, transport.py). docs/ARCHITECTURE.md, "Webhooks"."""
