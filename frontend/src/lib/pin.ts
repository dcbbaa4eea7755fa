// The weak-PIN rule, the same one the auth service applies (422 `weak_pin`): checked here too so
// the person hears it while typing, not after a round trip. The server stays the authority.

export const PIN_LENGTH = 6;

// The auth service's list of most chosen 6-digit PINs (services/auth-service/auth_service/data/
// common_pins.txt; pin.test.ts fails when the two differ).
export const COMMON_PINS = new Set([
  "121212",
  "112233",
  "123123",
  "159753",
  "131313",
  "147258",
  "258369",
  "102030",
  "696969",
  "111222",
  "123321",
  "101010",
  "520520",
  "654123",
  "112211",
  "123654",
  "789456",
  "456123",
  "147852",
  "252525",
  "159357",
  "200000",
  "100200",
  "007007",
  "202020",
  "222333",
  "313131",
  "123789",
  "147369",
  "121314",
]);

/** 000000, 121212, 123123: the PIN repeats its first 1, 2 or 3 digits. */
function repeats(pin: string): boolean {
  return [1, 2, 3].some((n) => pin === pin.slice(0, n).repeat(pin.length / n));
}

/** The differences between neighbouring digits, modulo 10 (so 9 -> 0 is a step of +1). */
function steps(pin: string): Set<number> {
  const found = new Set<number>();
  for (let i = 1; i < pin.length; i++) found.add((pin.charCodeAt(i) - pin.charCodeAt(i - 1) + 10) % 10);
  return found;
}

/** 123456, 987654, 135791, 890123: every step between digits the same. */
function fixedStep(pin: string): boolean {
  return steps(pin).size === 1;
}

/** 112233, 998877: each digit twice in a row, the doubled digits a run or a repeat. */
function doubledPairs(pin: string): boolean {
  if (pin.length % 2) return false;
  let halves = "";
  for (let i = 0; i < pin.length; i += 2) {
    if (pin[i] !== pin[i + 1]) return false;
    halves += pin[i];
  }
  return steps(halves).size <= 1;
}

/** True when a 6-digit PIN is one of those a thief tries first. */
export function isWeakPin(pin: string): boolean {
  return repeats(pin) || fixedStep(pin) || doubledPairs(pin) || COMMON_PINS.has(pin);
}
