import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeServer, json, renderWithProviders } from "../test/render";
import { Security } from "./Security";

afterEach(() => vi.unstubAllGlobals());

const base = {
  "GET /api/v1/auth/sessions": () => json(200, { items: [] }),
  "GET /api/v1/auth/clients": () => json(200, { items: [] }),
  "GET /api/v1/webhooks/endpoints": () => json(200, { items: [], next_cursor: null }),
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
    await user.click(within(form).getByRole("checkbox", { name: "Withdraw money to a bank wallet:withdraw" }));
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

  it("offers to copy the new secret, shows scopes in plain words, and asks before deleting a client", async () => {
    const server = fakeServer({
      ...base,
      "GET /api/v1/auth/clients": () => json(200, { items: [{ client_id: "c1", name: "budget app", scopes: ["wallet:read", "transfers:write"] }] }),
      "POST /api/v1/auth/clients": () => json(201, { client_id: "c2", name: "shop", scopes: ["wallet:read"], client_secret: "s3cret" }),
      "DELETE /api/v1/auth/clients/c1": () => new Response(null, { status: 204 }),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Security />);
    const client = (await screen.findByText("budget app")).closest("li")!;
    expect(client).toHaveTextContent("See your balance and limits, Send money from your wallet");
    expect(within(client).getByText("Send money from your wallet")).toHaveAttribute("title", "transfers:write");

    await user.click(within(client).getByRole("button", { name: "Delete" }));
    expect(within(client).getByRole("alert")).toHaveTextContent("Delete budget app? Apps using it stop working at once.");
    expect(server.calls.filter((c) => c.method === "DELETE")).toHaveLength(0);
    await user.click(within(client).getByRole("button", { name: "Yes, delete" }));
    await waitFor(() => expect(server.calls.filter((c) => c.method === "DELETE")).toHaveLength(1));

    const form = screen.getByRole("region", { name: "API clients" });
    await user.type(within(form).getByLabelText("Client name"), "shop");
    await user.type(within(form).getByLabelText("Confirm with your password"), "Str0ng!Pass-1");
    await user.click(within(form).getByRole("button", { name: "Create client" }));
    await screen.findByTestId("client-secret");
    await user.click(screen.getByRole("button", { name: "Copy the client secret" }));
    expect(await navigator.clipboard.readText()).toBe("s3cret"); // user-event's clipboard stands in for the browser's
    expect(await screen.findByText("Copied.")).toBeInTheDocument();
  });

  it("asks for a password different from the current one, before and after asking the server", async () => {
    const server = fakeServer({
      ...base,
      "POST /api/v1/auth/password": () => json(422, { code: "weak_password", detail: "the new password must differ from the current one" }),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Security />);
    const form = screen.getByRole("region", { name: "Change password" });
    await user.type(within(form).getByLabelText("Current password"), "Str0ng!Pass-1");
    await user.type(within(form).getByLabelText("New password"), "Str0ng!Pass-1");
    await user.click(within(form).getByRole("button", { name: "Change password" }));
    expect(within(form).getByLabelText("New password")).toHaveAccessibleDescription(/Choose a password different from your current one/);
    expect(server.calls.filter((c) => c.method === "POST")).toHaveLength(0);
    // A server that compares differently (say, after a trim) says it in the same words.
    await user.type(within(form).getByLabelText("New password"), "x");
    await user.clear(within(form).getByLabelText("Current password"));
    await user.type(within(form).getByLabelText("Current password"), "Str0ng!Pass-1x ");
    await user.click(within(form).getByRole("button", { name: "Change password" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("Choose a password different from your current one.");
    expect(within(form).getByRole("alert")).not.toHaveTextContent("too weak");
  });
});
