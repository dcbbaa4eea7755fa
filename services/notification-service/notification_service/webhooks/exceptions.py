"""Domain errors of webhooks (problem+json via instapay_common.errors)."""

from instapay_common.errors import NotFound, ValidationFailed


class WebhookEndpointNotFound(NotFound):
    title = "Webhook endpoint not found"


class WebhookDeliveryNotFound(NotFound):
    title = "Webhook delivery not found"


class WebhookUrlNotAllowed(ValidationFailed):
    """Contract: private, loopback and link-local destinations are refused outside development."""

    code = "webhook_url_not_allowed"
    title = "This webhook URL may not be called"


class TooManyWebhookEndpoints(ValidationFailed):
    code = "too_many_webhook_endpoints"
    title = "Too many webhook endpoints"
