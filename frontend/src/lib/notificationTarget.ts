import type { AppNotification } from "../api/models";

const text = (v: unknown): string | null => (typeof v === "string" && v ? v : null);

/**
 * Where tapping a notification takes the person: what it is about, from the ids the notification
 * service puts in its `data` (transfer_id, transaction_id, request_id). Null when there is nothing
 * more to open (it is only marked read).
 */
export function notificationTarget(n: { type: AppNotification["type"]; data?: Record<string, unknown> | null }): string | null {
  const d = n.data ?? {};
  if (n.type.startsWith("security.")) return "/security";
  if (n.type.startsWith("payment_request.")) {
    // A paid request opens the money that moved; any other step opens the request itself.
    const transfer = text(d.transfer_id);
    if (n.type === "payment_request.accepted" && transfer) return `/transactions/${encodeURIComponent(transfer)}`;
    const request = text(d.request_id);
    const tab = n.type === "payment_request.received" ? "incoming" : n.type === "payment_request.sent" ? "outgoing" : null;
    const q = new URLSearchParams({ ...(tab ? { tab } : {}), ...(request ? { request } : {}) });
    return `/requests${q.size ? `?${q}` : ""}`;
  }
  // Money that moved opens its details (a transfer's id is its transaction's id).
  const transfer = text(d.transfer_id);
  if (n.type.startsWith("transfer.") && transfer) return `/transactions/${encodeURIComponent(transfer)}`;
  const transaction = text(d.transaction_id);
  if ((n.type.startsWith("topup.") || n.type.startsWith("withdrawal.")) && transaction)
    return `/transactions/${encodeURIComponent(transaction)}`;
  if (n.type === "account.welcome") return "/";
  return null;
}
