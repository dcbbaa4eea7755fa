import { flushSync } from "react-dom";

/**
 * After a refused submit: renders the field errors at once, then moves focus to the first invalid
 * field, so a keyboard or screen-reader user lands on it and hears its error (aria-describedby).
 * Without this the errors appear silently somewhere above or below the button just pressed.
 */
export function focusFirstInvalid(form: HTMLFormElement, showErrors: () => void): void {
  flushSync(showErrors);
  form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
}
