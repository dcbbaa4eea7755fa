import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { localInputToIso, toLocalInput } from "../api/schedules";
import { scheduleErrors } from "../components/ScheduleForm";
import { fakeServer, json, networkError, renderWithProviders } from "../test/render";
import { Scheduled } from "./Scheduled";

afterEach(() => vi.unstubAllGlobals());

const schedule = (over: Record<string, unknown> = {}) => ({
  id: "s1",
  status: "active",
  recipient: { user_id: "u2", handle: "bassem", display_name: "Bassem Y." },
  amount: "250.00",
  currency: "EGP",
  note: null,
  repeat: "monthly",
  start_at: "2027-01-31T09:00:00.000Z",
  end_after: 12,
  runs: 1,
  next_run_at: "2027-02-28T09:00:00.000Z",
  last_run_at: "2027-01-31T09:00:00.000Z",
  last_outcome: "completed",
  last_transfer_id: "t1",
  created_at: "2026-12-01T09:00:00.000Z",
  updated_at: "2026-12-01T09:00:00.000Z",
  ...over,
});
const page = (...items: unknown[]) => () => json(200, { items, next_cursor: null });

function setup(routes: Parameters<typeof fakeServer>[0], route = "/scheduled") {
  const server = fakeServer(routes);
  vi.stubGlobal("fetch", server.fetchImpl);
  renderWithProviders(<Scheduled />, { route });
  return { server, user: userEvent.setup({ delay: null }) };
}

describe("Scheduled", () => {
  it("lists schedules with the masked name, amount, repeat and next run", async () => {
    setup({ "GET /api/v1/scheduled-transfers": page(schedule()) });
    const item = await screen.findByTestId("schedule-item");
    expect(item).toHaveTextContent("Bassem Y.");
    expect(item).toHaveTextContent("250.00");
    expect(item).toHaveTextContent("Every month · 1 of 12 done");
    expect(within(item).getByTestId("schedule-next")).not.toBeEmptyDOMElement();
    expect(within(item).getByTestId("schedule-status")).toHaveTextContent("Active");
  });

  it("pauses, and cancels only after confirming", async () => {
    const { server, user } = setup({
      "GET /api/v1/scheduled-transfers": [page(schedule()), page(schedule({ status: "paused" })), page(schedule({ status: "cancelled", next_run_at: null }))],
      "PATCH /api/v1/scheduled-transfers/s1": () => json(200, schedule({ status: "paused" })),
      "DELETE /api/v1/scheduled-transfers/s1": () => new Response(null, { status: 204 }),
    });
    await user.click(await screen.findByRole("button", { name: "Pause" }));
    await waitFor(() => expect(server.calls.find((c) => c.method === "PATCH")!.body).toEqual({ status: "paused" }));
    expect(await screen.findByRole("button", { name: "Resume" })).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Cancel schedule" }));
    expect(screen.getByRole("alert")).toHaveTextContent("Cancel the scheduled transfer to Bassem Y.?");
    expect(server.calls.some((c) => c.method === "DELETE")).toBe(false);
    await user.click(screen.getByRole("button", { name: "Yes, cancel it" }));
    await waitFor(() => expect(server.calls.some((c) => c.method === "DELETE")).toBe(true));
    expect(await screen.findByText("Cancelled")).toBeInTheDocument();
  });

  it("changes the amount with the PIN", async () => {
    const { server, user } = setup({
      "GET /api/v1/scheduled-transfers": page(schedule()),
      "PATCH /api/v1/scheduled-transfers/s1": () => json(200, schedule({ amount: "300.00" })),
    });
    await user.click(await screen.findByRole("button", { name: "Change amount" }));
    const amount = screen.getByLabelText("New amount (EGP)");
    await user.clear(amount);
    await user.type(amount, "300");
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(server.calls.some((c) => c.method === "PATCH")).toBe(false); // no PIN yet
    await user.type(screen.getByLabelText("Transaction PIN"), "482915");
    await user.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(server.calls.find((c) => c.method === "PATCH")!.body).toEqual({ amount: "300", pin: "482915" }));
  });

  it("creates a weekly schedule from Send's recipient, sending the local time as UTC", async () => {
    const { server, user } = setup(
      {
        "GET /api/v1/scheduled-transfers": page(),
        "POST /api/v1/scheduled-transfers": () => json(201, schedule({ repeat: "weekly", runs: 0, end_after: 4 })),
      },
      "/scheduled?new=1&to=bassem&amount=250",
    );
    const form = await screen.findByTestId("schedule-form");
    expect(within(form).getByLabelText("Recipient (handle, phone or email)")).toHaveValue("bassem");
    await user.click(within(form).getByLabelText("Every week"));
    const start = within(form).getByLabelText("First transfer on");
    await user.clear(start);
    await user.type(start, "2030-01-15T09:30");
    await user.type(within(form).getByLabelText("Number of transfers (optional)"), "4");
    await user.type(within(form).getByLabelText("Transaction PIN"), "482915");
    await user.click(within(form).getByRole("button", { name: "Schedule transfer" }));
    await waitFor(() => expect(server.calls.some((c) => c.method === "POST")).toBe(true));
    expect(server.calls.find((c) => c.method === "POST")!.body).toEqual({
      recipient: "bassem",
      amount: "250",
      pin: "482915",
      start_at: new Date("2030-01-15T09:30").toISOString(),
      repeat: "weekly",
      end_after: 4,
    });
    expect(await screen.findByTestId("schedule-created")).toHaveTextContent("Bassem Y.");
  });

  it("sends an Idempotency-Key per attempt: the same one again after a lost answer, a new one after an answer", async () => {
    const { server, user } = setup(
      {
        "GET /api/v1/scheduled-transfers": page(),
        "POST /api/v1/scheduled-transfers": [
          () => networkError(),
          () => json(409, { code: "schedules_full", detail: "full" }),
          () => json(201, schedule({ runs: 0 })),
        ],
      },
      "/scheduled?new=1&to=bassem&amount=250",
    );
    const form = await screen.findByTestId("schedule-form");
    const submit = async () => {
      await user.type(within(form).getByLabelText("Transaction PIN"), "482915"); // cleared after each answer
      await user.click(within(form).getByRole("button", { name: "Schedule transfer" }));
    };
    await submit();
    expect(await screen.findByRole("alert")).toHaveTextContent("Could not reach the server");
    await submit();
    expect(await screen.findByRole("alert")).toHaveTextContent("Cancel one first");
    await submit();
    expect(await screen.findByTestId("schedule-created")).toHaveTextContent("Bassem Y.");

    const keys = server.calls.filter((c) => c.method === "POST").map((c) => c.headers["Idempotency-Key"]);
    expect(keys).toHaveLength(3);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]); // outcome unknown: the retry is the same attempt
    expect(keys[2]).not.toBe(keys[1]); // the refusal was an answer: a new attempt
  });

  it("refuses a start in the past and a bad number of transfers before asking the server", () => {
    const now = new Date("2030-01-01T00:00:00Z");
    const base = { recipient: "bassem", amount: "10", pin: "482915", repeat: "monthly" as const, occurrences: "" };
    expect(scheduleErrors({ ...base, startAt: toLocalInput(new Date("2029-12-31T00:00:00Z")) }, now).startAt).toBe("sched.v_start_future");
    expect(scheduleErrors({ ...base, startAt: "" }, now).startAt).toBe("sched.v_start");
    expect(scheduleErrors({ ...base, startAt: toLocalInput(new Date("2030-02-01T00:00:00Z")), occurrences: "0" }, now).occurrences).toBe("sched.v_occurrences");
    expect(scheduleErrors({ ...base, startAt: toLocalInput(new Date("2030-02-01T00:00:00Z")), occurrences: "12" }, now)).toEqual({
      recipient: null,
      amount: null,
      startAt: null,
      occurrences: null,
      pin: null,
    });
    expect(localInputToIso("2030-01-15T09:30")).toBe(new Date("2030-01-15T09:30").toISOString());
    expect(localInputToIso("nope")).toBeNull();
  });

  it("shows the server's refusal in Arabic", async () => {
    const server = fakeServer({
      "GET /api/v1/scheduled-transfers": page(),
      "POST /api/v1/scheduled-transfers": () => json(409, { status: 409, code: "schedules_full", title: "x", detail: "x" }),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    renderWithProviders(<Scheduled />, { route: "/scheduled?new=1&to=bassem&amount=5", lang: "ar" });
    const user = userEvent.setup({ delay: null });
    const form = await screen.findByTestId("schedule-form");
    await user.type(within(form).getByLabelText("الرقم السري للمعاملات"), "482915");
    await user.click(within(form).getByRole("button", { name: "جدولة التحويل" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("لديك 20 تحويلًا مجدولًا");
  });
});
