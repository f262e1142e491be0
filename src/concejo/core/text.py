"""Search text normalisation shared by the catalog writer and its search."""

import unicodedata


def normalise(text: str) -> str:
    """Lower case without accents, so that «licencia» finds «Licéncia» and vice versa."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())
