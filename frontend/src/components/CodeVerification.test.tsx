import { act, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeServer, renderWithProviders } from "../test/render";
import { CodeVerification, RESEND_SECONDS } from "./CodeVerification";

const accepted = () => new Response(null, { status: 202 });
const problem = (status: number, code: string, retryAfter?: number) =>
  new Response(JSON.stringify({ code, detail: code }), {
    status,
    headers: { "Content-Type": "application/problem+json", ...(retryAfter ? { "Retry-After": String(retryAfter) } : {}) },
  });

// Only the clock and the countdown's interval are faked: Testing Library's own waits stay real.
beforeEach(() => vi.useFakeTimers({ toFake: ["Date", "setInterval", "clearInterval"] }));
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

/** Advances the clock once the countdown's interval exists: the render that started it may have
 * happened outside act (a fetch answered), and React then runs its effect a moment later. */
async function tick(seconds: number) {
  await waitFor(() => expect(vi.getTimerCount()).toBeGreaterThan(0));
  act(() => vi.advanceTimersByTime(seconds * 1000));
}

function open(routes: Parameters<typeof fakeServer>[0], props: Partial<Parameters<typeof CodeVerification>[0]> = {}, lang: "en" | "ar" = "en") {
  const server = fakeServer(routes);
  vi.stubGlobal("fetch", server.fetchImpl);
  const onVerified = vi.fn();
  renderWithProviders(<CodeVerification channel="phone" destination="+201001234567" onVerified={onVerified} {...props} />, { lang });
  return { server, onVerified, sends: () => server.calls.filter((c) => c.url.endsWith("/send")) };
}

describe("CodeVerification", () => {
  it("sends a code on opening, says where, and allows a new one only after the countdown", async () => {
    const user = userEvent.setup({ delay: null });
    const { sends } = open({ "POST /api/v1/auth/verify/phone/send": accepted });
    expect(screen.getByRole("heading", { name: "Verify your mobile number" })).toBeInTheDocument();
    expect(await screen.findByText(/We sent a code to/)).toHaveTextContent("+201001234567");
    expect(sends()).toHaveLength(1);
    const code = screen.getByLabelText("6-digit code");
    expect(code).toHaveFocus();
    expect(code).toHaveAttribute("autocomplete", "one-time-code");
    expect(code).toHaveAttribute("inputmode", "numeric");

    const timer = screen.getByRole("timer");
    expect(timer).toHaveTextContent("You can ask for a new code in 1:00.");
    const resend = screen.getByRole("button", { name: "Send a new code" });
    expect(resend).toHaveAttribute("aria-disabled", "true");
    expect(resend).toHaveAccessibleDescription("You can ask for a new code in 1:00.");
    await tick(15);
    expect(timer).toHaveTextContent("0:45");
    await user.click(resend);
    expect(sends()).toHaveLength(1); // refused while counting down

    await tick(RESEND_SECONDS - 15);
    expect(screen.queryByRole("timer")).not.toBeInTheDocument();
    expect(resend).toHaveAttribute("aria-disabled", "false");
    await user.click(resend);
    await waitFor(() => expect(sends()).toHaveLength(2));
    expect(await screen.findByRole("timer")).toHaveTextContent("1:00");
  });

  it("explains a wrong, an expired and a too-often-tried code", async () => {
    const user = userEvent.setup({ delay: null });
    const { server, onVerified } = open({
      "POST /api/v1/auth/verify/phone/send": accepted,
      "POST /api/v1/auth/verify/phone": [
        () => problem(422, "invalid_code"),
        () => problem(422, "code_expired"),
        () => problem(429, "rate_limited", 90),
      ],
    });
    await screen.findByText(/We sent a code/);
    const code = screen.getByLabelText("6-digit code");
    const verify = screen.getByRole("button", { name: "Verify" });

    await user.type(code, "12345");
    await user.click(verify);
    expect(screen.getByText("The code is 6 digits.")).toBeInTheDocument();
    expect(code).toHaveFocus();

    await user.type(code, "6");
    await user.click(verify);
    expect(await screen.findByRole("alert")).toHaveTextContent("That code is not right");
    expect(code).toHaveFocus();
    await user.click(verify);
    expect(await screen.findByRole("alert")).toHaveTextContent("This code has expired. Ask for a new one.");
    await user.click(verify);
    expect(await screen.findByRole("alert")).toHaveTextContent("Too many wrong codes");
    expect(screen.getByRole("timer")).toHaveTextContent("1:30"); // the server's Retry-After
    expect(onVerified).not.toHaveBeenCalled();
    expect(server.calls.filter((c) => c.url.endsWith("/verify/phone")).map((c) => c.body)).toEqual([
      { code: "123456" },
      { code: "123456" },
      { code: "123456" },
    ]);
  });

  it("verifies a right code (typed in Arabic-Indic digits too)", async () => {
    const user = userEvent.setup({ delay: null });
    const { server, onVerified } = open({
      "POST /api/v1/auth/verify/email/send": accepted,
      "POST /api/v1/auth/verify/email": () => new Response(null, { status: 204 }),
    }, { channel: "email", destination: "a@b.co", onSkip: vi.fn() });
    expect(screen.getByRole("heading", { name: "Verify your email (optional)" })).toBeInTheDocument();
    await screen.findByText(/We sent a code to/);
    await user.type(screen.getByLabelText("6-digit code"), "٠٤٢٩١٧");
    await user.click(screen.getByRole("button", { name: "Verify" }));
    await waitFor(() => expect(onVerified).toHaveBeenCalledOnce());
    expect(server.calls.find((c) => c.url.endsWith("/verify/email"))!.body).toEqual({ code: "042917" });
  });

  it("opened again soon after a send: no error, the code already sent works, the wait is the server's", async () => {
    const { sends } = open({ "POST /api/v1/auth/verify/phone/send": () => problem(429, "rate_limited", 42) });
    expect(await screen.findByText(/a moment ago/)).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(screen.getByRole("timer")).toHaveTextContent("0:42");
    expect(sends()).toHaveLength(1);
  });

  it("a refused resend says so and counts down from Retry-After", async () => {
    const user = userEvent.setup({ delay: null });
    open({ "POST /api/v1/auth/verify/phone/send": [accepted, () => problem(429, "rate_limited", 300)] });
    await screen.findByText(/We sent a code/);
    await tick(RESEND_SECONDS);
    await user.click(screen.getByRole("button", { name: "Send a new code" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("You asked for codes too often");
    expect(screen.getByRole("timer")).toHaveTextContent("5:00");
  });

  it("in Arabic: right-to-left words, the code field left to right, the countdown in the page's Latin digits", async () => {
    open({ "POST /api/v1/auth/verify/phone/send": accepted }, {}, "ar");
    expect(screen.getByRole("heading", { name: "أكّد رقم هاتفك" })).toBeInTheDocument();
    expect(await screen.findByRole("timer")).toHaveTextContent("1:00");
    expect(screen.getByLabelText("الرمز المكوّن من 6 أرقام")).toHaveAttribute("dir", "ltr");
    expect(document.documentElement.dir).toBe("rtl");
  });
});
