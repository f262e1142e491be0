"""How street addresses are written and compared: street types, their abbreviations, keys.

An address typed by a neighbour ("C/ Santiago, nº 10", "avda. de salamanca 25",
"Pº Zorrilla 1 47006 Valladolid") and a row of the street gazetteer are reduced
to the same keys: the street type (or none given), the street name without
accents, case, punctuation or particles ("de", "la"...), and the house number.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class StreetType(models.TextChoices):
    CALLE = "calle", _("Calle")
    AVENIDA = "avenida", _("Avenida")
    PLAZA = "plaza", _("Plaza")
    PASEO = "paseo", _("Paseo")
    ACERA = "acera", _("Acera")
    CAMINO = "camino", _("Camino")
    CARRETERA = "carretera", _("Carretera")
    RONDA = "ronda", _("Ronda")
    GLORIETA = "glorieta", _("Glorieta")
    TRAVESIA = "travesia", _("Travesía")
    PASAJE = "pasaje", _("Pasaje")
    CALLEJON = "callejon", _("Callejón")
    BULEVAR = "bulevar", _("Bulevar")
    URBANIZACION = "urbanizacion", _("Urbanización")


# Normalised spellings (see `_tokens`) of each street type, the usual Spanish
# abbreviations included ("C/" becomes "c", "Pº" becomes "p", "Avda." "avda").
TYPE_SPELLINGS = {
    StreetType.CALLE: ("calle", "c", "cl", "cll", "cal"),
    StreetType.AVENIDA: ("avenida", "av", "avd", "avda", "avnda"),
    StreetType.PLAZA: ("plaza", "pl", "pz", "pza", "plz", "plza"),
    StreetType.PASEO: ("paseo", "p", "po", "ps", "pso"),
    StreetType.ACERA: ("acera", "ac", "acer"),
    StreetType.CAMINO: ("camino", "cm", "cno", "cmno"),
    StreetType.CARRETERA: ("carretera", "ctra", "cr", "crta", "ctr"),
    StreetType.RONDA: ("ronda", "rd", "rda"),
    StreetType.GLORIETA: ("glorieta", "gta", "gl", "glta"),
    StreetType.TRAVESIA: ("travesia", "trva", "trav", "tr", "tv"),
    StreetType.PASAJE: ("pasaje", "pje", "psje", "pj"),
    StreetType.CALLEJON: ("callejon", "cjon", "cjn"),
    StreetType.BULEVAR: ("bulevar", "blvr", "bv"),
    StreetType.URBANIZACION: ("urbanizacion", "urb"),
}
TYPE_OF = {spelling: kind for kind, spellings in TYPE_SPELLINGS.items() for spelling in spellings}
PARTICLES = {"de", "del", "la", "las", "el", "los", "y", "d"}
NUMBER_WORDS = {"n", "no", "nu", "num", "numero", "nro", "nr"}
NUMBER = re.compile(r"^(\d{1,4})([a-z]?)$")
POSTCODE = re.compile(r"^\d{5}$")
SEPARATORS = re.compile(r"[^\w]+|_")


def _plain(text: str) -> str:
    """Lower case, no accents (ñ becomes n too), "º" and "ª" gone."""
    decomposed = unicodedata.normalize("NFKD", (text or "").replace("º", " ").replace("ª", " "))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _tokens(text: str) -> list[str]:
    return [t for t in SEPARATORS.split(_plain(text)) if t]


def street_type_of(text: str) -> str | None:
    """The street type a spelling stands for ("Avda." → avenida), or None."""
    tokens = _tokens(text)
    return TYPE_OF.get(tokens[0]) if len(tokens) == 1 else None


def street_key(name: str) -> str:
    """The street name as compared: "de la Universidad" → "universidad"."""
    return " ".join(t for t in _tokens(name) if t not in PARTICLES)


def number_key(number: str) -> str:
    """The house number as compared: "12 bis" → "12bis", "7-B" → "7b", "s/n" → "sn"."""
    return "".join(_tokens(number))


@dataclass(frozen=True)
class ParsedAddress:
    street_type: str | None
    street_key: str
    number_key: str
    postcode: str


def address_parse(text: str) -> ParsedAddress:
    """Split a typed address into street type, street name, number and postcode.

    The type is the first word when it is one of `TYPE_SPELLINGS`. The number
    is the first word made of digits (with an optional letter, or followed by
    "bis") that comes after some of the street's name, so "Calle 8 de Marzo 3"
    has number 3; "nº" before it is dropped. After the number only a postcode
    (five digits) counts: the rest ("bajo", "Valladolid") is ignored.
    """
    tokens = _tokens(text)
    street_type = TYPE_OF.get(tokens[0]) if len(tokens) > 1 else None
    if street_type is not None:
        tokens = tokens[1:]
    name: list[str] = []
    number = postcode = ""
    for index, token in enumerate(tokens):
        match = NUMBER.match(token)
        if match and name and not number:
            number = token
            following = tokens[index + 1] if index + 1 < len(tokens) else ""
            if following in ("bis", "dup"):
                number += following
        elif POSTCODE.match(token) and (number or name):
            postcode = token
        elif not number:
            name.append(token)
    while name and name[-1] in NUMBER_WORDS:
        name.pop()
    return ParsedAddress(
        street_type=street_type,
        street_key=" ".join(t for t in name if t not in PARTICLES),
        number_key=number,
        postcode=postcode,
    )
