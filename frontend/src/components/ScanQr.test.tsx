import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes, useLocation } from "react-router-dom";
import { describe, expect, it } from "vitest";
import { payTokenFrom } from "../api/payments";
import { renderWithProviders } from "../test/render";
import { ScanQr } from "./ScanQr";

function Where() {
  const l = useLocation();
  return <p data-testid="where">{l.pathname}</p>;
}

function open(decode: (f: Blob) => Promise<string | null>) {
  return renderWithProviders(
    <>
      <ScanQr decode={decode} />
      <Routes>
        <Route path="*" element={<Where />} />
      </Routes>
    </>,
    { route: "/send" },
  );
}

const photo = () => new File([new Uint8Array([1, 2, 3])], "code.png", { type: "image/png" });

describe("Scan QR", () => {
  it("without a camera detector offers a photo, and a payment code opens the pay screen", async () => {
    const user = userEvent.setup({ delay: null });
    open(async () => "https://pay.example/pay/abc.DEF-1_2");
    await user.click(screen.getByRole("button", { name: "Scan QR code" }));
    expect(screen.queryByLabelText(/Camera view/)).not.toBeInTheDocument(); // jsdom has no BarcodeDetector
    await user.upload(screen.getByLabelText("Or choose a photo of the code"), photo());
    expect(await screen.findByTestId("where")).toHaveTextContent("/pay/abc.DEF-1_2");
  });

  it("says when the code is not a payment code, or none can be read", async () => {
    const user = userEvent.setup({ delay: null });
    const answers = ["https://example.com/elsewhere", null];
    open(async () => answers.shift() ?? null);
    await user.click(screen.getByRole("button", { name: "Scan QR code" }));
    await user.upload(screen.getByLabelText("Or choose a photo of the code"), photo());
    expect(await screen.findByRole("alert")).toHaveTextContent("not a Mini-InstaPay payment code");
    await user.upload(screen.getByLabelText("Or choose a photo of the code"), photo());
    expect(await screen.findByRole("alert")).toHaveTextContent("No QR code could be read");
    expect(screen.getByTestId("where")).toHaveTextContent("/send");
  });

  it("takes the token from a payment URL only", () => {
    expect(payTokenFrom("https://pay.example/pay/tok_1-x.y")).toBe("tok_1-x.y");
    expect(payTokenFrom("/pay/tok?utm=1")).toBe("tok");
    expect(payTokenFrom("https://pay.example/other/tok")).toBeNull();
    expect(payTokenFrom("hello")).toBeNull();
  });
});
