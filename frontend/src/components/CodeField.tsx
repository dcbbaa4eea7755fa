import type { Ref } from "react";
import { useI18n } from "../i18n/I18nProvider";
import type { MessageKey } from "../lib/validation";
import { Field } from "./Field";

interface CodeFieldProps {
  value: string;
  onChange: (code: string) => void;
  /** The message key of the field's error (validateCode); shown once `touched`. */
  error: MessageKey | null;
  touched: boolean;
  ref?: Ref<HTMLInputElement>;
}

/**
 * The 6-digit code from an SMS or e-mail: `autocomplete="one-time-code"` so phones offer the code
 * just received above the keyboard, the numeric keypad, digits left to right in Arabic too.
 */
export function CodeField({ value, onChange, error, touched, ref }: CodeFieldProps) {
  const { t } = useI18n();
  return (
    <Field
      ref={ref}
      label={t("verify.code")}
      name="code"
      dir="ltr"
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern="[0-9]*"
      maxLength={6}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      error={touched && error ? t(error) : null}
    />
  );
}
