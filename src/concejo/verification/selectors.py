from concejo.core.csv_codes import normalise_csv_code
from concejo.verification.models import IssuedDocument


def document_by_csv(raw_code: str) -> IssuedDocument | None:
    """Public lookup: anyone holding the code may see the document (RD 203/2021)."""
    code = normalise_csv_code(raw_code)
    if code is None:
        return None
    return IssuedDocument.objects.select_related("entity").filter(csv_code=code).first()
