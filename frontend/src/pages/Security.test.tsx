import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeServer, json, renderWithProviders } from "../test/render";
import { Security } from "./Security";

afterEach(() => vi.unstubAllGlobals());

const base = {
  "GET /api/v1/auth/sessions": () => json(200, { items: [] }),
  "GET /api/v1/auth/clients": () => json(200, { items: [] }),
};

describe("Security", () => {
  it("changes the PIN only when typed twice and not an easy one; shows the server's weak_pin", async () => {
    const server = fakeServer({ ...base, "PUT /api/v1/auth/pin": () => json(422, { code: "weak_pin", detail: "weak" }) });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Security />);
    const form = screen.getByRole("region", { name: "Change transaction PIN" });
    expect(within(form).getByText(/locked it after wrong tries\? Set a new one here with your password/)).toBeInTheDocument();
    await user.type(within(form).getByLabelText("New PIN"), "111111");
    await user.type(within(form).getByLabelText("Confirm PIN"), "111112");
    await user.type(within(form).getByLabelText("Password"), "Str0ng!Pass-1");
    await user.click(within(form).getByRole("button", { name: "Change transaction PIN" }));
    expect(within(form).getByText(/too easy to guess/)).toBeInTheDocument();
    expect(within(form).getByText("The two PINs do not match.")).toBeInTheDocument();
    expect(within(form).getByLabelText("New PIN")).toHaveFocus();
    await user.clear(within(form).getByLabelText("New PIN"));
    await user.type(within(form).getByLabelText("New PIN"), "802413");
    await user.clear(within(form).getByLabelText("Confirm PIN"));
    await user.type(within(form).getByLabelText("Confirm PIN"), "802413");
    await user.click(within(form).getByRole("button", { name: "Change transaction PIN" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("This PIN is too easy to guess");
    expect(server.calls.filter((c) => c.method === "PUT").map((c) => c.body)).toEqual([{ pin: "802413", password: "Str0ng!Pass-1" }]);
  });

  it("creates an API client with the password, and the PIN once a money scope is chosen", async () => {
    const created = { client_id: "cl_1", client_secret: "s3cret", name: "shop", scopes: ["wallet:read", "wallet:withdraw"], created_at: "2026-11-25T10:00:00Z" };
    const server = fakeServer({
      ...base,
      "POST /api/v1/auth/clients": [() => json(401, { code: "invalid_credentials", detail: "wrong" }), () => json(201, created)],
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Security />);
    const form = screen.getByRole("region", { name: "API clients" });
    await user.type(within(form).getByLabelText("Client name"), "shop");
    expect(within(form).queryByLabelText("Transaction PIN")).not.toBeInTheDocument(); // read-only scope
    await user.click(within(form).getByRole("checkbox", { name: "wallet:withdraw" }));
    const pin = within(form).getByLabelText("Transaction PIN");
    expect(pin).toHaveAccessibleDescription(/move money without a PIN/);
    await user.click(within(form).getByRole("button", { name: "Create client" }));
    expect(within(form).getByLabelText("Confirm with your password")).toHaveFocus();
    expect(server.calls.filter((c) => c.method === "POST")).toHaveLength(0);
    await user.type(within(form).getByLabelText("Confirm with your password"), "Str0ng!Pass-1");
    await user.click(within(form).getByRole("button", { name: "Create client" }));
    expect(pin).toHaveFocus();
    await user.type(pin, "802413");
    await user.click(within(form).getByRole("button", { name: "Create client" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("Wrong password.");
    await user.click(within(form).getByRole("button", { name: "Create client" }));
    expect(await screen.findByTestId("client-secret")).toHaveTextContent("s3cret");
    await waitFor(() => expect(server.calls.filter((c) => c.method === "POST")).toHaveLength(2));
    expect(server.calls.filter((c) => c.method === "POST")[1].body).toEqual({
      name: "shop",
      scopes: ["wallet:read", "wallet:withdraw"],
      password: "Str0ng!Pass-1",
      pin: "802413",
    });
  });
});
