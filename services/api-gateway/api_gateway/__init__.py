"""Mini-InstaPay API gateway."""
