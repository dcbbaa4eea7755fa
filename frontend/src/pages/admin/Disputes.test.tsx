import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setAccessToken } from "../../api/http";
import { fakeServer, json, renderWithProviders } from "../../test/render";
import { Disputes } from "./Disputes";

afterEach(() => {
  vi.unstubAllGlobals();
  setAccessToken(null);
});

const SENDER = "11111111-0000-4000-8000-000000000001";
const RECIPIENT = "22222222-0000-4000-8000-000000000002";
const D1 = "dddddddd-0000-4000-8000-000000000001";
const D2 = "dddddddd-0000-4000-8000-000000000002";

const dispute = (id: string, over: Record<string, unknown> = {}) => ({
  id,
  reference: `DP${id.slice(0, 8).toUpperCase()}`,
  status: "open",
  reason: "wrong_recipient",
  note: "I typed one digit wrong",
  role: "operator",
  transaction_id: "tttttttt-0000-4000-8000-000000000001",
  transaction_reference: "TX7Q2M4KPA",
  amount: "150.00",
  currency: "EGP",
  sender: { user_id: SENDER, display_name: "Ahmed M.", handle: "ahmed" },
  recipient: { user_id: RECIPIENT, display_name: "Bassem Y.", handle: null },
  resolution_note: null,
  reversal_id: null,
  created_at: "2026-12-03T09:00:00Z",
  resolved_at: null,
  ...over,
});

const pending = (subject: string) => ({
  approval_id: `p-${subject}`,
  action: "dispute.resolve",
  subject,
  payload: { outcome: "reject", note: "x" },
  proposed_by: SENDER,
  proposed_at: "2026-12-03T09:00:00Z",
  expires_at: "2999-01-01T00:00:00Z",
  status: "pending",
  approved_by: null,
  approved_at: null,
  rejected_by: null,
  rejected_at: null,
  result: null,
});

describe("Admin console: disputes queue", () => {
  it("lists the open cases with reference, amount, masked parties, reason, note and transfer; a case already proposed waits", async () => {
    const server = fakeServer({
      "GET /api/v1/admin/disputes": () => json(200, { items: [dispute(D1), dispute(D2, { note: null })], next_cursor: null }),
      "GET /api/v1/admin/approvals": () => json(200, { items: [pending(D2)], next_cursor: null }),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    renderWithProviders(<Disputes />);
    const cases = await screen.findAllByTestId("admin-dispute");
    expect(new URL(server.calls[0].url, "http://x").searchParams.get("status")).toBe("open");
    const first = cases[0];
    expect(within(first).getByTestId("admin-dispute-ref")).toHaveTextContent("DPDDDDDDDD");
    expect(first).toHaveTextContent("EGP 150.00");
    expect(first).toHaveTextContent("Sent to the wrong person");
    expect(within(first).getByTestId("admin-dispute-note")).toHaveTextContent("I typed one digit wrong");
    expect(within(first).getByTestId("admin-dispute-parties")).toHaveTextContent("From Ahmed M. to Bassem Y.");
    expect(within(first).getByRole("link", { name: "Ahmed M." })).toHaveAttribute("href", `/admin/users/${SENDER}`);
    expect(first).toHaveTextContent("TX7Q2M4KPA");
    expect(within(first).getByRole("link", { name: "Case history in the audit log" })).toHaveAttribute("href", `/admin/audit?subject=${D1}`);
    expect(within(first).getByRole("button", { name: "Reverse" })).toBeInTheDocument();
    expect(within(first).getByRole("button", { name: "Reject" })).toBeInTheDocument();
    // The second has a decision waiting for a second admin: no actions again, a way to Approvals.
    await waitFor(() => expect(within(cases[1]).getByTestId("admin-dispute-waiting")).toHaveTextContent("Waiting for a second admin"));
    expect(within(cases[1]).queryByRole("button", { name: "Reverse" })).not.toBeInTheDocument();
    expect(within(cases[1]).getByRole("link", { name: "Open Approvals" })).toHaveAttribute("href", "/admin/approvals");
    expect(within(cases[1]).getByTestId("admin-dispute-note")).toHaveTextContent("No note");
  });

  it("needs a note, then proposes the outcome and says it waits for a second admin", async () => {
    const server = fakeServer({
      "GET /api/v1/admin/disputes": () => json(200, { items: [dispute(D1)], next_cursor: null }),
      "GET /api/v1/admin/approvals": () => json(200, { items: [], next_cursor: null }),
      [`POST /api/v1/admin/disputes/${D1}/resolve`]: () => json(202, { ...pending(D1), payload: { outcome: "reverse", note: "Confirmed" } }),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Disputes />);
    const item = await screen.findByTestId("admin-dispute");
    await user.click(within(item).getByRole("button", { name: "Reverse" }));
    expect(within(item).getByText(/give the sender back what the recipient still holds of/)).toHaveTextContent("EGP 150.00");
    const note = within(item).getByLabelText(/^Note/);
    expect(note).toHaveFocus();
    await user.click(within(item).getByRole("button", { name: "Propose reversal" }));
    expect(within(item).getByText("Write a note: the parties are told why.")).toBeInTheDocument();
    expect(note).toHaveAttribute("aria-invalid", "true");
    expect(server.calls.filter((c) => c.method === "POST")).toHaveLength(0);
    await user.type(note, "  Confirmed with both parties  ");
    await user.click(within(item).getByRole("button", { name: "Propose reversal" }));
    expect(await within(item).findByTestId("admin-dispute-waiting")).toHaveTextContent("Waiting for a second admin");
    const post = server.calls.find((c) => c.method === "POST");
    expect(post?.url).toBe(`/api/v1/admin/disputes/${D1}/resolve`);
    expect(post?.body).toEqual({ outcome: "reverse", note: "Confirmed with both parties" });
  });

  it("says a case someone already resolved, and cancels without a call", async () => {
    const server = fakeServer({
      "GET /api/v1/admin/disputes": () => json(200, { items: [dispute(D1)], next_cursor: null }),
      "GET /api/v1/admin/approvals": () => json(200, { items: [], next_cursor: null }),
      [`POST /api/v1/admin/disputes/${D1}/resolve`]: () => json(409, { code: "dispute_not_open", detail: "already rejected" }),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Disputes />);
    const item = await screen.findByTestId("admin-dispute");
    await user.click(within(item).getByRole("button", { name: "Reject" }));
    await user.click(within(item).getByRole("button", { name: "Cancel" }));
    expect(within(item).queryByTestId("admin-dispute-decide")).not.toBeInTheDocument();
    await user.click(within(item).getByRole("button", { name: "Reject" }));
    await user.type(within(item).getByLabelText(/^Note/), "Goods delivered");
    await user.click(within(item).getByRole("button", { name: "Propose rejection" }));
    expect(await within(item).findByRole("alert")).toHaveTextContent("This dispute is already resolved.");
  });

  it("reads in Arabic and loads the next page", async () => {
    const server = fakeServer({
      "GET /api/v1/admin/disputes": [
        () => json(200, { items: [dispute(D1)], next_cursor: "c2" }),
        () => json(200, { items: [], next_cursor: null }),
      ],
      "GET /api/v1/admin/approvals": () => json(200, { items: [], next_cursor: null }),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Disputes />, { lang: "ar" });
    expect(await screen.findByRole("heading", { name: "قائمة النزاعات" })).toBeInTheDocument();
    const item = await screen.findByTestId("admin-dispute");
    expect(item).toHaveTextContent("أُرسل إلى الشخص الخطأ");
    expect(within(item).getByTestId("admin-dispute-parties")).toHaveTextContent("من Ahmed M. إلى Bassem Y.");
    expect(within(item).getByRole("button", { name: "استرداد" })).toBeInTheDocument();
    expect(within(item).getByRole("button", { name: "رفض" })).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "تحميل المزيد" }));
    await waitFor(() => expect(new URL(server.calls.at(-1)!.url, "http://x").searchParams.get("cursor")).toBe("c2"));
  });

  it("shows an empty queue", async () => {
    vi.stubGlobal(
      "fetch",
      fakeServer({
        "GET /api/v1/admin/disputes": () => json(200, { items: [], next_cursor: null }),
        "GET /api/v1/admin/approvals": () => json(200, { items: [], next_cursor: null }),
      }).fetchImpl,
    );
    renderWithProviders(<Disputes />);
    expect(await screen.findByText("No open disputes.")).toBeInTheDocument();
  });
});
