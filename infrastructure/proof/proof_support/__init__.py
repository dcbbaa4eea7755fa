"""Helpers for the proof suites: outbox relays as killable processes, fault injection, the bank workload."""
