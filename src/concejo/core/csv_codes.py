"""Códigos Seguros de Verificación (CSV): unguessable, easy to read aloud and type.

120 bits of randomness in Crockford's base-32 alphabet (no I, L, O, U), shown
in groups of four. Reading is forgiving: case, spaces and dashes are ignored
and the letters a person confuses with digits are taken as those digits.
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 24  # 24 × 5 bits = 120 bits
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_csv_code() -> str:
    """Fifteen random bytes, five bits per character (each character uniform)."""
    bits = int.from_bytes(secrets.token_bytes(LENGTH * 5 // 8))
    return "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in range(LENGTH))


def normalise_csv_code(raw: str) -> str | None:
    """The stored form of a typed code, or None when it cannot be one."""
    code = "".join((raw or "").upper().split()).replace("-", "").translate(_CONFUSABLE)
    if len(code) != LENGTH or any(c not in ALPHABET for c in code):
        return None
    return code


def format_csv_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
