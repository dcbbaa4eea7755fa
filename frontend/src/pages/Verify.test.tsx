import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes } from "react-router-dom";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeServer, json, renderWithProviders } from "../test/render";
import { Profile } from "./Profile";
import { Verify } from "./Verify";

afterEach(() => vi.unstubAllGlobals());

const me = {
  user_id: "u1",
  full_name: "Nour T",
  email: "nour@example.com",
  phone: "+201001234567",
  handle: "nour",
  created_at: "2026-11-25T10:00:00Z",
  preferences: { language: "en", notify_email: true, notify_sms: false, notify_push: true },
};
const noContent = (status: number) => () => new Response(null, { status });

describe("Verification later (Profile and /verify)", () => {
  it("Profile shows a badge for each, and the way to verify what is not", async () => {
    vi.stubGlobal("fetch", fakeServer({ "GET /api/v1/users/me": () => json(200, { ...me, phone_verified: true, email_verified: false }) }).fetchImpl);
    renderWithProviders(<Profile />);
    const phone = (await screen.findByText("+201001234567")).closest("dd")!;
    expect(phone).toHaveTextContent("Verified");
    const email = screen.getByText("nour@example.com").closest("dd")!;
    expect(email).toHaveTextContent("Not verified");
    expect(screen.getByRole("link", { name: "Verify Email" })).toHaveAttribute("href", "/verify?channel=email&next=/profile");
  });

  it("no badges from a server that does not report verification", async () => {
    vi.stubGlobal("fetch", fakeServer({ "GET /api/v1/users/me": () => json(200, me) }).fetchImpl);
    renderWithProviders(<Profile />);
    await screen.findByText("+201001234567");
    expect(screen.queryByText("Verified")).not.toBeInTheDocument();
    expect(screen.queryByText("Not verified")).not.toBeInTheDocument();
  });

  it("/verify: the phone first, then the e-mail, which can be skipped back to where the person came from", async () => {
    let phoneVerified = false;
    const server = fakeServer({
      "GET /api/v1/users/me": () => json(200, { ...me, phone_verified: phoneVerified, email_verified: false }),
      "POST /api/v1/auth/verify/phone/send": noContent(202),
      "POST /api/v1/auth/verify/phone": () => {
        phoneVerified = true;
        return new Response(null, { status: 204 });
      },
      "POST /api/v1/auth/verify/email/send": noContent(202),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(
      <Routes>
        <Route path="/verify" element={<Verify />} />
        <Route path="/history" element={<h1>History page</h1>} />
      </Routes>,
      { route: "/verify?next=/history" },
    );
    await screen.findByRole("heading", { name: "Verify your mobile number" });
    expect(await screen.findByText(/We sent a code to/)).toHaveTextContent("+201001234567");
    await user.type(screen.getByLabelText("6-digit code"), "271828");
    await user.click(screen.getByRole("button", { name: "Verify" }));
    await screen.findByRole("heading", { name: "Verify your email (optional)" });
    expect(screen.getByText("Your mobile number is verified.")).toBeInTheDocument();
    await waitFor(() => expect(server.calls.some((c) => c.url.endsWith("/verify/email/send"))).toBe(true));
    await user.click(screen.getByRole("button", { name: "Skip for now" }));
    await screen.findByRole("heading", { name: "History page" });
  });

  it("/verify never follows a link out of the app", async () => {
    vi.stubGlobal(
      "fetch",
      fakeServer({
        "GET /api/v1/users/me": () => json(200, { ...me, phone_verified: true, email_verified: false }),
        "POST /api/v1/auth/verify/email/send": noContent(202),
      }).fetchImpl,
    );
    const user = userEvent.setup({ delay: null });
    renderWithProviders(
      <Routes>
        <Route path="/verify" element={<Verify />} />
        <Route path="/" element={<h1>Home page</h1>} />
      </Routes>,
      { route: "/verify?channel=email&next=//evil.example" },
    );
    await user.click(await screen.findByRole("button", { name: "Skip for now" }));
    await screen.findByRole("heading", { name: "Home page" });
  });
});
