// Webhook endpoints and their delivery log (notification service, contract "Webhooks (Standard
// Webhooks 1.0)"). Types from the generated OpenAPI; a user's session manages every endpoint of
// the user, its API clients' included (`client_id`), and creates endpoints of the user's own.
import type { components } from "./schema";
import { request } from "./http";

export type WebhookEndpoint = components["schemas"]["WebhookEndpoint"];
export type WebhookEndpointWithSecret = components["schemas"]["WebhookEndpointWithSecret"];
export type WebhookDelivery = components["schemas"]["WebhookDelivery"];
export type WebhookDeliveryPage = components["schemas"]["WebhookDeliveryPage"];
export type WebhookAttempt = components["schemas"]["WebhookAttempt"];

/** The contract's event types, in its order (the service's schemas.EventType). */
export const WEBHOOK_EVENTS = [
  "transfer.received",
  "transfer.sent",
  "topup.completed",
  "withdrawal.completed",
  "withdrawal.failed",
  "payment_request.created",
  "payment_request.paid",
  "refund.created",
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

const id = (value: string) => encodeURIComponent(value);

export const webhooksApi = {
  list: () => request<{ items: WebhookEndpoint[]; next_cursor: string | null }>("GET", "/api/v1/webhooks/endpoints"),
  create: (body: { url: string; events: WebhookEvent[]; description?: string }) =>
    request<WebhookEndpointWithSecret>("POST", "/api/v1/webhooks/endpoints", { body }),
  update: (endpointId: string, body: { status?: "enabled" | "disabled"; url?: string; events?: WebhookEvent[]; description?: string }) =>
    request<WebhookEndpoint>("PATCH", `/api/v1/webhooks/endpoints/${id(endpointId)}`, { body }),
  remove: (endpointId: string) => request<void>("DELETE", `/api/v1/webhooks/endpoints/${id(endpointId)}`),
  rotate: (endpointId: string) => request<WebhookEndpointWithSecret>("POST", `/api/v1/webhooks/endpoints/${id(endpointId)}/rotate-secret`),
  deliveries: (endpointId: string, cursor?: string) =>
    request<WebhookDeliveryPage>("GET", `/api/v1/webhooks/endpoints/${id(endpointId)}/deliveries`, { query: { cursor, limit: 20 } }),
  replay: (deliveryId: string) => request<{ id: string; status: "pending" }>("POST", `/api/v1/webhooks/deliveries/${id(deliveryId)}/replay`),
};
