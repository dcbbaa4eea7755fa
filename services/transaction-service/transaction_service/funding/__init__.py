"""Where money enters and leaves the platform: the funding provider (a payment service provider
behind HTTP) and its adapters."""
