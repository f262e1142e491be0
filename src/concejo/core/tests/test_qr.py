"""The QR codes the platform prints (receipts' verification URL, second-factor enrolment)
decode to their text with an independent reader (zxing-cpp)."""

import pytest
import zxingcpp
from PIL import Image, ImageDraw

from concejo.core.pdf import qr_runs


def drawn(text: str, scale: int = 4) -> Image.Image:
    """The code as `draw_qr` draws it: its dark runs on white, with a 4-module quiet zone."""
    count, runs = qr_runs(text)
    image = Image.new("L", ((count + 8) * scale,) * 2, 255)
    pen = ImageDraw.Draw(image)
    for row, col, length in runs:
        left, top = (col + 4) * scale, (row + 4) * scale
        pen.rectangle([left, top, left + length * scale - 1, top + scale - 1], fill=0)
    return image


@pytest.mark.parametrize(
    "text",
    [
        "http://127.0.0.1:8000/verificar/ABCD-EFGH-JKLM-NPQR-STUV-WX/",
        "https://sede.valladolid.es/verificar/7K3M-9QXP-2HRT-WN4C-8VJD-FA/",
        "otpauth://totp/Concejo:mar%C3%ADa.garc%C3%ADa?secret=JBSWY3DPEHPK3PXP&issuer=Concejo",
    ],
)
def test_every_code_reads_back_as_its_text_with_medium_error_correction(text):
    [found] = zxingcpp.read_barcodes(drawn(text))
    assert found.format == zxingcpp.BarcodeFormat.QRCode
    assert found.text == text
    assert found.ec_level == "M"


def test_the_same_text_gives_the_same_code():
    """Receipts are rendered deterministically: their hash depends on it."""
    assert qr_runs("https://sede.example/verificar/X/") == qr_runs(
        "https://sede.example/verificar/X/"
    )
