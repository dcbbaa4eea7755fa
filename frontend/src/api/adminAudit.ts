// The audit log, the two-person approvals and the disputes queue (contract v1.1, "Audit and
// approvals", "Disputes"; role admin), with their types from the generated OpenAPI (schema.d.ts).
import type { ApiBody, ApiResponse } from "./generated";
import { request } from "./http";
import type { Dispute as ContractDispute } from "./payments";

type ApprovalStatus = "pending" | "approved" | "expired" | "rejected";

interface ContractApproval {
  approval_id: string;
  action: string;
  subject: string;
  payload: Record<string, unknown>;
  proposed_by: string;
  proposed_at: string;
  expires_at: string;
  status: ApprovalStatus;
  approved_by: string | null;
  approved_at: string | null;
  rejected_by: string | null;
  rejected_at: string | null;
  /** What carrying it out answered (a wallet action: the wallet; a dispute: the resolved case). */
  result: Record<string, unknown> | null;
}

interface ContractAuditEntry {
  service: string;
  /** The row's position in its service's chain: unique only together with `service`. */
  id: number;
  at: string;
  actor: string;
  actor_role: string;
  action: string;
  subject: string | null;
  details: Record<string, unknown>;
  ip: string | null;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

interface Paged<T> {
  items: T[];
  next_cursor: string | null;
}

export type Approval = ApiResponse<"/api/v1/admin/approvals/{approval_id}/approve", "post", ContractApproval>;
export type ApprovalPage = ApiResponse<"/api/v1/admin/approvals", "get", Paged<ContractApproval>>;
export type AuditPage = ApiResponse<"/api/v1/admin/audit", "get", Paged<ContractAuditEntry>>;
export type AuditEntry = AuditPage["items"][number];
export type AdminDisputePage = ApiResponse<"/api/v1/admin/disputes", "get", Paged<ContractDispute>>;
export type AdminDispute = AdminDisputePage["items"][number];
export type DisputeOutcome = ApiBody<"/api/v1/admin/disputes/{dispute_id}/resolve", "post", { outcome: "reverse" | "reject"; note: string }>["outcome"];

/**
 * The audit query as the server takes it: `from`/`to` a date (a whole UTC day) or an RFC 3339
 * timestamp (`to` exclusive); the page sends timestamps of the operator's local days.
 */
export interface AuditQuery {
  actor?: string;
  subject?: string;
  action?: string;
  from?: string;
  to?: string;
  cursor?: string;
  limit?: number;
}

const id = (value: string) => encodeURIComponent(value);

export const adminAuditApi = {
  audit: (query: AuditQuery) => request<AuditPage>("GET", "/api/v1/admin/audit", { query: { ...query } }),
  // The server answers at most 100 a page; the console shows the newest 100 proposals.
  approvals: () => request<ApprovalPage>("GET", "/api/v1/admin/approvals", { query: { limit: 100 } }),
  approve: (approvalId: string) => request<Approval>("POST", `/api/v1/admin/approvals/${id(approvalId)}/approve`),
  reject: (approvalId: string) => request<Approval>("POST", `/api/v1/admin/approvals/${id(approvalId)}/reject`),
  disputes: (query: { status?: AdminDispute["status"]; cursor?: string; limit?: number }) =>
    request<AdminDisputePage>("GET", "/api/v1/admin/disputes", { query: { ...query } }),
  // 202: a proposal (an Approval) that a second admin carries out on the Approvals page.
  resolveDispute: (disputeId: string, body: { outcome: DisputeOutcome; note: string }) =>
    request<Approval>("POST", `/api/v1/admin/disputes/${id(disputeId)}/resolve`, { body }),
};
