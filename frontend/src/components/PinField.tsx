import type { ReactNode, Ref } from "react";
import { useI18n } from "../i18n/I18nProvider";
import type { MessageKey } from "../lib/validation";
import { PIN_LENGTH } from "../lib/pin";
import { Field } from "./Field";

export { PIN_LENGTH };

interface PinFieldProps {
  name: string;
  value: string;
  onChange: (pin: string) => void;
  /** The message key of the field's error (validatePin, or a mismatch); shown once `touched`. */
  error: MessageKey | null;
  touched: boolean;
  /** Defaults to "Transaction PIN" (common.pin). */
  label?: string;
  /** Shown under the field (e.g. what makes a new PIN too easy to guess). */
  hint?: ReactNode;
  ref?: Ref<HTMLInputElement>;
  onBlur?: () => void;
}

/**
 * The transaction PIN input, the same on every form that asks for it: masked, numeric keypad on
 * phones, never autofilled or remembered by the browser (a PIN is not a password a manager should
 * offer), at most six characters. Its error is announced like any Field's.
 */
export function PinField({ name, value, onChange, error, touched, label, hint, ref, onBlur }: PinFieldProps) {
  const { t } = useI18n();
  return (
    <Field
      ref={ref}
      label={label ?? t("common.pin")}
      name={name}
      type="password"
      inputMode="numeric"
      autoComplete="off"
      maxLength={PIN_LENGTH}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      onBlur={onBlur}
      error={touched && error ? t(error) : null}
      hint={hint}
    />
  );
}
