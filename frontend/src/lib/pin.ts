// The weak-PIN rule, the same one the auth service applies (422 `weak_pin`): checked here too so
// the person hears it while typing, not after a round trip. The server stays the authority.

export const PIN_LENGTH = 6;

// The most chosen 6-digit PINs that the two structural rules below do not already catch
// (published PIN-frequency studies: keypad patterns, mirrored halves, doubled pairs, years).
const COMMON = new Set([
  "112233",
  "123321",
  "111222",
  "159753",
  "147258",
  "147852",
  "258369",
  "102030",
  "010203",
  "000111",
  "778899",
  "998877",
]);

/** 000000, 121212, 123123: the PIN repeats its first 1, 2 or 3 digits. */
function repeats(pin: string): boolean {
  return [1, 2, 3].some((n) => pin === pin.slice(0, n).repeat(pin.length / n));
}

/** 123456, 456789, 987654: each digit one more (or one less) than the previous one. */
function sequential(pin: string): boolean {
  const steps = new Set<number>();
  for (let i = 1; i < pin.length; i++) steps.add(pin.charCodeAt(i) - pin.charCodeAt(i - 1));
  return steps.size === 1 && (steps.has(1) || steps.has(-1));
}

/** True when a 6-digit PIN is one of those a thief tries first. */
export function isWeakPin(pin: string): boolean {
  return repeats(pin) || sequential(pin) || COMMON.has(pin);
}
