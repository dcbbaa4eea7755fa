"""Outbound channels: e-mail over SMTP and SMS through a provider adapter."""

from __future__ import annotations


class ChannelError(Exception):
    """A send that failed; the dispatcher retries it later."""
