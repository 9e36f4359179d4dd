import io
import zipfile

import pytest

from core.errors import InputError
from ingest import detect_type, sniff_file


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"%PDF-1.7\n", "pdf"),
        (b"II*\x00....", "tiff"),
        (b"MM\x00*....", "tiff"),
        (b"\xff\xd8\xff\xe0....", "jpeg"),
        (b"\x89PNG\r\n\x1a\n....", "png"),
        (b"PK\x03\x04....", "zip"),
    ],
)
def test_magic_bytes(head, kind):
    assert detect_type(head) == kind


def test_empty_is_rejected():
    with pytest.raises(InputError) as e:
        detect_type(b"")
    assert e.value.code == "empty_file"


@pytest.mark.parametrize("head", [b"GIF89a....", b"hello, plain text", b"\x00\x01\x02\xff\xfe"])
def test_other_content_is_unsupported(head):
    with pytest.raises(InputError) as e:
        detect_type(head)
    assert e.value.code == "unsupported_type"
    assert "Định dạng" in e.value.message_vi


def test_docx_renamed_pdf_is_refused_as_office_document(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    fake = tmp_path / "bao_cao.pdf"
    fake.write_bytes(buf.getvalue())
    with pytest.raises(InputError) as e:
        sniff_file(fake)
    assert e.value.code == "unsupported_type"
    assert "Word" in e.value.message_vi


def test_type_comes_from_content_not_name(tmp_path):
    from tests.conftest import image_pdf, text_page

    disguised = tmp_path / "scan.jpg"
    disguised.write_bytes(image_pdf([text_page(["Số 14-KH/BTCTU"])]))
    assert sniff_file(disguised) == "pdf"
