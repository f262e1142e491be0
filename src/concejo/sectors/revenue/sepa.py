"""SEPA Core direct debits: IBAN and creditor-identifier checks, and a streamed pain.008.001.02.

The remittance is written element by element (lxml's incremental writer) from
an iterator of rows, so its memory does not grow with the number of debits.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from lxml import etree
from stdnum import iban as std_iban
from stdnum.exceptions import ValidationError as StdnumError

NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"
# The SEPA Latin character set; anything else is transliterated or replaced.
_NOT_SEPA = re.compile(r"[^A-Za-z0-9/\-?:().,'+ ]")


def iban_clean(value: str) -> str | None:
    """The IBAN in electronic format, or None when it is not a valid IBAN."""
    try:
        return std_iban.validate(value)
    except StdnumError:
        return None


def _mod97_digits(text: str) -> int:
    numeric = "".join(str(int(ch, 36)) for ch in text.upper())
    return 98 - int(numeric) % 97


def creditor_identifier(nif: str, business_code: str = "000", country: str = "ES") -> str:
    """The SEPA creditor identifier: country, check digits (ISO 7064 mod 97-10 over the
    national identifier and the country), business code, national identifier."""
    national = re.sub(r"[^0-9A-Za-z]", "", nif).upper()
    check = _mod97_digits(national + country + "00")
    return f"{country}{check:02d}{business_code}{national}"


def creditor_identifier_valid(value: str) -> bool:
    value = value.replace(" ", "").upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[0-9A-Z]{3}[0-9A-Z]{1,28}", value):
        return False
    return creditor_identifier(value[7:], value[4:7], value[:2]) == value


def sepa_text(value: str, limit: int) -> str:
    """Transliterate to the SEPA character set (ñ → n, á → a) and cut to `limit`."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    cleaned = _NOT_SEPA.sub(" ", ascii_text).strip()
    return cleaned[:limit] or "-"


def amount_text(amount_cents: int) -> str:
    return f"{amount_cents // 100}.{amount_cents % 100:02d}"


@dataclass(frozen=True)
class Creditor:
    name: str
    identifier: str
    iban: str
    bic: str


@dataclass(frozen=True)
class Debit:
    end_to_end_id: str
    amount_cents: int
    mandate_reference: str
    mandate_signed_on: dt.date
    debtor_name: str
    debtor_iban: str
    remittance_info: str


@dataclass(frozen=True)
class Batch:
    """One PmtInf block: debits of one sequence type, with totals known beforehand."""

    batch_id: str
    sequence_type: str
    count: int
    total_cents: int
    debits: Iterable[Debit]


def _leaf(xf, tag: str, text: str, **attrs) -> None:
    element = etree.Element(tag, **attrs)
    element.text = text
    xf.write(element)


def _nested(xf, tags: list[str], text: str) -> None:
    """<a><b><c>text</c></b></a> for tags [a, b, c]."""
    root = etree.Element(tags[0])
    node = root
    for tag in tags[1:]:
        node = etree.SubElement(node, tag)
    node.text = text
    xf.write(root)


def write_pain008(
    out: IO[bytes],
    *,
    message_id: str,
    created_at: dt.datetime,
    creditor: Creditor,
    collection_date: dt.date,
    batches: list[Batch],
) -> None:
    """Write a pain.008.001.02 document to `out`, streaming each batch's debits."""
    count = sum(b.count for b in batches)
    total = sum(b.total_cents for b in batches)
    with etree.xmlfile(out, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element("Document", nsmap={None: NAMESPACE}):
            with xf.element("CstmrDrctDbtInitn"):
                with xf.element("GrpHdr"):
                    _leaf(xf, "MsgId", message_id)
                    _leaf(xf, "CreDtTm", created_at.replace(microsecond=0).isoformat())
                    _leaf(xf, "NbOfTxs", str(count))
                    _leaf(xf, "CtrlSum", amount_text(total))
                    with xf.element("InitgPty"):
                        _leaf(xf, "Nm", sepa_text(creditor.name, 70))
                        _nested(xf, ["Id", "OrgId", "Othr", "Id"], creditor.identifier)
                for batch in batches:
                    if batch.count:
                        _write_batch(xf, batch, creditor, collection_date)
            xf.flush()


def _write_batch(xf, batch: Batch, creditor: Creditor, collection_date: dt.date) -> None:
    with xf.element("PmtInf"):
        _leaf(xf, "PmtInfId", batch.batch_id)
        _leaf(xf, "PmtMtd", "DD")
        _leaf(xf, "BtchBookg", "true")
        _leaf(xf, "NbOfTxs", str(batch.count))
        _leaf(xf, "CtrlSum", amount_text(batch.total_cents))
        with xf.element("PmtTpInf"):
            _nested(xf, ["SvcLvl", "Cd"], "SEPA")
            _nested(xf, ["LclInstrm", "Cd"], "CORE")
            _leaf(xf, "SeqTp", batch.sequence_type)
        _leaf(xf, "ReqdColltnDt", collection_date.isoformat())
        _nested(xf, ["Cdtr", "Nm"], sepa_text(creditor.name, 70))
        _nested(xf, ["CdtrAcct", "Id", "IBAN"], creditor.iban)
        _nested(xf, ["CdtrAgt", "FinInstnId", "BIC"], creditor.bic)
        _leaf(xf, "ChrgBr", "SLEV")
        scheme = etree.Element("CdtrSchmeId")
        other = etree.SubElement(etree.SubElement(etree.SubElement(scheme, "Id"), "PrvtId"), "Othr")
        etree.SubElement(other, "Id").text = creditor.identifier
        etree.SubElement(etree.SubElement(other, "SchmeNm"), "Prtry").text = "SEPA"
        xf.write(scheme)
        for debit in batch.debits:
            xf.write(_debit_element(debit))


def _debit_element(debit: Debit) -> etree._Element:
    tx = etree.Element("DrctDbtTxInf")
    etree.SubElement(etree.SubElement(tx, "PmtId"), "EndToEndId").text = debit.end_to_end_id
    amount = etree.SubElement(tx, "InstdAmt", Ccy="EUR")
    amount.text = amount_text(debit.amount_cents)
    mandate = etree.SubElement(etree.SubElement(tx, "DrctDbtTx"), "MndtRltdInf")
    etree.SubElement(mandate, "MndtId").text = debit.mandate_reference
    etree.SubElement(mandate, "DtOfSgntr").text = debit.mandate_signed_on.isoformat()
    agent = etree.SubElement(etree.SubElement(tx, "DbtrAgt"), "FinInstnId")
    etree.SubElement(etree.SubElement(agent, "Othr"), "Id").text = "NOTPROVIDED"
    etree.SubElement(etree.SubElement(tx, "Dbtr"), "Nm").text = sepa_text(debit.debtor_name, 70)
    account = etree.SubElement(etree.SubElement(tx, "DbtrAcct"), "Id")
    etree.SubElement(account, "IBAN").text = debit.debtor_iban
    info = etree.SubElement(etree.SubElement(tx, "RmtInf"), "Ustrd")
    info.text = sepa_text(debit.remittance_info, 140)
    return tx
