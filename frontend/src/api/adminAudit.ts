// The audit log and the two-person approvals (contract v1.1, "Audit and approvals"; role admin).
//
// HAND-TYPED: these routes were being built while this module was written, so they are not in
// the generated OpenAPI (schema.d.ts) yet. Once they are, replace each interface below with
// `ApiResponse<path, method, Fallback>` from ./generated (as api/admin.ts does), keeping these
// shapes as the fallbacks, and delete this comment.
import { request } from "./http";

export interface AuditEntry {
  id: string;
  /** When it happened (ISO 8601). */
  at: string;
  /** Who did it: an admin's or a user's id, or a service. */
  actor: string;
  actor_role: string | null;
  /** What was done, e.g. `wallet.freeze`. */
  action: string;
  /** What it was done to, e.g. a user or wallet id. */
  subject: string | null;
  details: Record<string, unknown> | null;
  /** The service that wrote the entry. */
  service: string;
}

export interface AuditPage {
  items: AuditEntry[];
  next_cursor?: string | null;
}

export interface AuditQuery {
  actor?: string;
  subject?: string;
  action?: string;
  /** Dates (YYYY-MM-DD) or date-times, as the contract's `from` and `to`. */
  from?: string;
  to?: string;
  cursor?: string;
}

export type ApprovalStatus = "pending" | "approved" | "expired" | string;

export interface Approval {
  id: string;
  action: string;
  subject: string | null;
  payload: Record<string, unknown> | null;
  proposed_by: string;
  proposed_at: string;
  expires_at: string;
  status: ApprovalStatus;
  approved_by: string | null;
  approved_at: string | null;
}

export interface ApprovalPage {
  items: Approval[];
  next_cursor?: string | null;
}

const id = (value: string) => encodeURIComponent(value);

export const adminAuditApi = {
  audit: (query: AuditQuery) => request<AuditPage>("GET", "/api/v1/admin/audit", { query: { ...query } }),
  approvals: () => request<ApprovalPage>("GET", "/api/v1/admin/approvals"),
  approve: (approvalId: string) => request<unknown>("POST", `/api/v1/admin/approvals/${id(approvalId)}/approve`),
};
