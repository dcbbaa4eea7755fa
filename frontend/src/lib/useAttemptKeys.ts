import { useRef } from "react";
import { AttemptKeys } from "./idempotency";

export function useAttemptKeys(): AttemptKeys {
  const ref = useRef<AttemptKeys | null>(null);
  if (ref.current === null) ref.current = new AttemptKeys();
  return ref.current;
}
