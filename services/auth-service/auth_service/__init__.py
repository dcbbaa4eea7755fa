"""Mini-InstaPay auth service."""
