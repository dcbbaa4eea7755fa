"""Mini-InstaPay reporting service."""
