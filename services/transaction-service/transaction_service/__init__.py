"""Mini-InstaPay transaction service."""
