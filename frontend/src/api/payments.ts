// Paying like people pay: payment links and the user's own QR code, transaction details,
// favourites and recent recipients. One typed function each, types from the generated OpenAPI.
import type { ApiBody, ApiResponse } from "./generated";
import { rawRequest, request } from "./http";
import type { Page, Transfer } from "./models";

interface PartyShape {
  user_id: string;
  handle: string | null;
  display_name: string | null;
}

interface ContractLink {
  id: string;
  token: string;
  url: string;
  qr_svg: string;
  amount: string | null;
  reference: string | null;
  expires_at: string | null;
  single_use: boolean;
  status: "active" | "used" | "cancelled" | "expired";
  created_at: string;
  paid_transfer_id: string | null;
}

interface ContractResolved {
  link_id: string;
  user_id: string;
  handle: string | null;
  display_name: string | null;
  amount: string | null;
  reference: string | null;
  expires_at: string | null;
  single_use: boolean;
}

type DisputeReason = "wrong_recipient" | "not_received" | "fraud" | "other";
type DisputeStatus = "open" | "rejected" | "resolved_reversed";

interface ContractDispute {
  id: string;
  reference: string;
  status: DisputeStatus;
  reason: DisputeReason;
  note: string | null;
  role: "sender" | "recipient" | "operator";
  transaction_id: string;
  transaction_reference: string | null;
  amount: string;
  currency: string;
  sender: PartyShape;
  recipient: PartyShape;
  resolution_note: string | null;
  reversal_id: string | null;
  created_at: string;
  resolved_at: string | null;
}

interface ContractDetail {
  id: string;
  type: "transfer" | "topup" | "withdrawal" | "reversal";
  direction: "in" | "out";
  amount: string;
  currency: string;
  fee: string;
  balance_after: string;
  status: "pending" | "completed" | "failed" | "reversed";
  reference: string;
  note: string | null;
  created_at: string;
  counterparty: PartyShape | null;
  parties: { sender: PartyShape | null; recipient: PartyShape | null };
  timeline: { status: "pending" | "completed" | "failed" | "reversed"; at: string }[];
  transfer_id: string | null;
  payment_request_id?: string | null;
  payment_link_id: string | null;
  refund_of: string | null;
  reversal_of?: string | null;
  dispute_id: string | null;
  refunds?: { id: string; type: "refund" | "reversal"; amount: string; reference: string; created_at: string }[];
  refunded_amount?: string | null;
  refundable_amount?: string | null;
  dispute?: { id: string; reference: string; status: DisputeStatus; reason: DisputeReason; created_at: string } | null;
}

interface ContractFavourite {
  id: string;
  nickname: string | null;
  recipient: PartyShape;
  created_at: string;
}

export type PaymentLink = ApiResponse<"/api/v1/payment-links", "post", ContractLink>;
export type PaymentLinkPage = ApiResponse<"/api/v1/payment-links", "get", Page<ContractLink>>;
export type ResolvedLink = ApiResponse<"/api/v1/payment-links/resolve", "get", ContractResolved>;
export type ReceiveCode = ApiResponse<"/api/v1/users/me/receive", "get", { handle: string; url: string; qr_svg: string; token: string }>;
export type TransactionDetail = ApiResponse<"/api/v1/transactions/{transaction_id}", "get", ContractDetail>;
export type Favourite = ApiResponse<"/api/v1/favourites", "post", ContractFavourite>;
export type Favourites = ApiResponse<"/api/v1/favourites", "get", { items: ContractFavourite[]; next_cursor: null }>;
export type RecentRecipients = ApiResponse<
  "/api/v1/recipients/recent",
  "get",
  { items: { recipient: PartyShape; last_paid_at: string }[]; next_cursor: null }
>;
export type Dispute = ApiResponse<"/api/v1/transfers/{transfer_id}/disputes", "post", ContractDispute>;
export type DisputePage = ApiResponse<"/api/v1/disputes", "get", Page<ContractDispute>>;
export const DISPUTE_REASONS: readonly DisputeReason[] = ["wrong_recipient", "not_received", "fraud", "other"];
type RefundIn = ApiBody<"/api/v1/transfers/{transfer_id}/refunds", "post", { amount?: string; note?: string; pin: string }>;
type DisputeIn = ApiBody<"/api/v1/transfers/{transfer_id}/disputes", "post", { reason: DisputeReason; note?: string }>;
type LinkIn = ApiBody<"/api/v1/payment-links", "post", { amount?: string; reference?: string; expires_at?: string; single_use?: boolean }>;

const id = (value: string) => encodeURIComponent(value);

export const paymentsApi = {
  receive: () => request<ReceiveCode>("GET", "/api/v1/users/me/receive"),
  links: () => request<PaymentLinkPage>("GET", "/api/v1/payment-links"),
  createLink: (body: LinkIn) => request<PaymentLink>("POST", "/api/v1/payment-links", { body }),
  cancelLink: (linkId: string) => request<void>("DELETE", `/api/v1/payment-links/${id(linkId)}`),
  resolve: (token: string) => request<ResolvedLink>("GET", "/api/v1/payment-links/resolve", { query: { token } }),
  /** Pays a link: the recipient comes from the token; Idempotency-Key as every transfer. */
  payLink: (key: string, body: { payment_link: string; amount: string; note?: string; pin: string }) =>
    request<Transfer>("POST", "/api/v1/transfers", { body, headers: { "Idempotency-Key": key } }),
  transaction: (txId: string) => request<TransactionDetail>("GET", `/api/v1/transactions/${id(txId)}`),
  favourites: () => request<Favourites>("GET", "/api/v1/favourites"),
  addFavourite: (body: { recipient: string; nickname?: string }) => request<Favourite>("POST", "/api/v1/favourites", { body }),
  removeFavourite: (favId: string) => request<void>("DELETE", `/api/v1/favourites/${id(favId)}`),
  recent: () => request<RecentRecipients>("GET", "/api/v1/recipients/recent"),
  /** Gives money back to the sender of a transfer the caller received; a transfer with `refund_of`. */
  refund: (transferId: string, key: string, body: RefundIn) =>
    request<Transfer>("POST", `/api/v1/transfers/${id(transferId)}/refunds`, { body, headers: { "Idempotency-Key": key } }),
  openDispute: (transferId: string, body: DisputeIn) =>
    request<Dispute>("POST", `/api/v1/transfers/${id(transferId)}/disputes`, { body }),
  disputes: (query: { cursor?: string; status?: DisputeStatus }) => request<DisputePage>("GET", "/api/v1/disputes", { query }),
  /** The PDF receipt, with the session's token (a plain link would carry none). */
  receipt: (txId: string, lang: string) =>
    rawRequest("GET", `/api/v1/transactions/${id(txId)}/receipt.pdf`, { query: { lang }, headers: { Accept: "application/pdf" } }),
};

/** The token of a payment link URL (`…/pay/<token>`), or null when the text is not one. */
export function payTokenFrom(text: string): string | null {
  const m = /(?:^|\/)pay\/([A-Za-z0-9_\-.~]+)\/?(?:[?#].*)?$/.exec(text.trim());
  return m ? decodeURIComponent(m[1]) : null;
}
