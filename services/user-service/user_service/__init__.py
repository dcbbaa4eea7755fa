"""Mini-InstaPay user service."""
