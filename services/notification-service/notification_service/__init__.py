"""Mini-InstaPay notification service."""
