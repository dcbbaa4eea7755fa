import type { ReactNode } from "react";

/**
 * Bidirectional isolation for a value inserted into text: a name, handle, phone number or amount.
 * Without it, Arabic (right-to-left) text around "Bassem Y." moves the full stop to the front
 * (".Bassem Y") and a "+20…" phone shows as "…20+". `<bdi>` takes its direction from the value
 * itself (dir="auto": a Latin name runs left to right, an Arabic one right to left); `ltr` forces
 * left to right for values that are always written that way (phones, handles, e-mails, references),
 * which may hold no letter to take a direction from.
 */
export function Bdi({ children, ltr = false, className, testId }: { children: ReactNode; ltr?: boolean; className?: string; testId?: string }) {
  return (
    <bdi dir={ltr ? "ltr" : "auto"} className={className} data-testid={testId}>
      {children}
    </bdi>
  );
}
