import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState, type ReactElement } from "react";
import { describe, expect, it } from "vitest";
import { I18nProvider, type Lang } from "../i18n/I18nProvider";
import { validatePin } from "../lib/validation";
import { PinField } from "./PinField";

function Harness({ touched = false, label, initial = "" }: { touched?: boolean; label?: string; initial?: string }) {
  const [pin, setPin] = useState(initial);
  return <PinField name="pin" label={label} value={pin} onChange={setPin} error={validatePin(pin)} touched={touched} />;
}

function renderIn(lang: Lang, ui: ReactElement) {
  return render(<I18nProvider lang={lang}>{ui}</I18nProvider>);
}

describe("PinField", () => {
  it("is a masked, numeric, six-character input the browser does not autofill", () => {
    renderIn("en", <Harness />);
    const input = screen.getByLabelText("Transaction PIN");
    expect(input).toHaveAttribute("type", "password");
    expect(input).toHaveAttribute("inputmode", "numeric");
    expect(input).toHaveAttribute("autocomplete", "off");
    expect(input).toHaveAttribute("maxlength", "6");
    expect(input).toHaveAttribute("name", "pin");
  });

  it("reports what is typed, and shows its error only once touched", async () => {
    const user = userEvent.setup({ delay: null });
    const { rerender } = renderIn("en", <Harness />);
    const input = screen.getByLabelText("Transaction PIN");
    await user.type(input, "12");
    expect(input).toHaveValue("12");
    expect(input).not.toHaveAttribute("aria-invalid");
    expect(screen.queryByText("The PIN is exactly 6 digits.")).toBeNull();

    rerender(
      <I18nProvider lang="en">
        <Harness touched initial="12" />
      </I18nProvider>,
    );
    const shown = screen.getByLabelText("Transaction PIN");
    expect(shown).toHaveAttribute("aria-invalid", "true");
    expect(shown).toHaveAccessibleDescription("The PIN is exactly 6 digits.");
  });

  it("has no error for six digits", () => {
    renderIn("en", <Harness touched initial="123456" />);
    const input = screen.getByLabelText("Transaction PIN");
    expect(input).not.toHaveAttribute("aria-invalid");
    expect(input).not.toHaveAccessibleDescription();
  });

  it("speaks Arabic, label and error", () => {
    renderIn("ar", <Harness touched initial="1" />);
    expect(screen.getByLabelText("الرقم السري للمعاملات")).toHaveAccessibleDescription("الرقم السري 6 أرقام بالضبط.");
  });

  it("takes another label (new PIN, confirmation)", () => {
    renderIn("en", <Harness label="New PIN" />);
    expect(screen.getByLabelText("New PIN")).toHaveAttribute("type", "password");
  });
});
