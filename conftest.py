"""Shared pytest fixtures for every suite live in instapay_stack.testing (real PostgreSQL, the real stack)."""

pytest_plugins = ["instapay_stack.testing"]
