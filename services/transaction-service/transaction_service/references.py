"""Human transaction references: `IP` + 8 characters of Crockford's base32 alphabet (no I, L, O,
U: nothing to misread between 1/I/L or 0/O, read out over a phone or typed from a receipt).

8 random characters are 40 bits: ~10^12 values, so a collision is rare, and the registry's
unique key (`ledger.transaction_references`) turns the rare one into a retry with a new draw.
`secrets`, not `random`: a reference must not let anyone predict the next one.
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "IP"
DISPUTE_PREFIX = "DP"  # a dispute's case reference: told apart from a transaction's at a glance
LENGTH = 8
ATTEMPTS = 5  # drawing a taken reference 5 times in a row means something else is wrong


def new_reference(prefix: str = PREFIX) -> str:
    return prefix + "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
