import { useCallback, useEffect, useState } from "react";
import { localeFor } from "./money";

/**
 * Seconds left until a deadline, ticking once a second (e.g. "resend the code in 0:42"). Counted
 * from an end time, not by decrementing, so a throttled background tab still shows the truth.
 */
export function useCountdown(): { left: number; start: (seconds: number) => void } {
  const [end, setEnd] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  const left = Math.max(0, Math.ceil((end - now) / 1000));

  useEffect(() => {
    // Read the clock when the interval starts too: React may run this effect a moment after the
    // render that set `end` (a busy tab, a slow test runner), and that moment has already passed.
    setNow(Date.now());
    if (end <= Date.now()) return;
    const timer = setInterval(() => {
      const t = Date.now();
      setNow(t);
      if (t >= end) clearInterval(timer);
    }, 1000);
    return () => clearInterval(timer);
  }, [end]);

  const start = useCallback((seconds: number) => {
    const t = Date.now();
    setNow(t);
    setEnd(t + seconds * 1000);
  }, []);
  return { left, start };
}

/** 75 -> "1:15" in the language's digits (Arabic-Indic in Arabic). */
export function formatCountdown(seconds: number, lang: string): string {
  const digits = new Intl.NumberFormat(localeFor(lang), { minimumIntegerDigits: 2, useGrouping: false });
  const whole = new Intl.NumberFormat(localeFor(lang), { useGrouping: false });
  return `${whole.format(Math.floor(seconds / 60))}:${digits.format(seconds % 60)}`;
}
