"""The gateway's own routes: platform health, the merged OpenAPI and docs, the web app."""
