import io

import pikepdf
import pytest
from PIL import Image

from core.errors import InputError
from core.settings import IngestSettings
from ingest import inspect_source
from tests.conftest import image_pdf, text_page, text_pdf

CFG = IngestSettings()


def _write(tmp_path, name, data):
    p = tmp_path / name
    p.write_bytes(data)
    return p


def _code(path, kind, cfg=CFG):
    with pytest.raises(InputError) as e:
        inspect_source(path, kind, "0" * 64, cfg)
    assert e.value.message_vi  # every refusal speaks to the clerk
    return e.value.code


def test_scanned_pdf_counts_pages(tmp_path):
    p = _write(tmp_path, "a.pdf", image_pdf([text_page(["Trang một"]), text_page(["Hai"])]))
    info = inspect_source(p, "pdf", "0" * 64, CFG)
    assert info.page_count == 2 and info.text_layer_pages == ()


def test_born_digital_pdf_is_flagged(tmp_path):
    body = "\n".join(f"Line {i} of a real text layer in a born digital file" for i in range(8))
    p = _write(tmp_path, "t.pdf", text_pdf(body))
    info = inspect_source(p, "pdf", "0" * 64, CFG)
    assert info.text_layer_pages == (0,)


def test_empty_file(tmp_path):
    assert _code(_write(tmp_path, "e.pdf", b""), "pdf") == "empty_file"


def test_truncated_pdf(tmp_path):
    data = image_pdf([text_page(["Trang một"]), text_page(["Trang hai"])])
    assert _code(_write(tmp_path, "t.pdf", data[: len(data) // 3]), "pdf") == "pdf_corrupt"


def test_garbage_after_pdf_header(tmp_path):
    assert (
        _code(_write(tmp_path, "g.pdf", b"%PDF-1.4\n" + b"\x00garbage" * 50), "pdf")
        == "pdf_corrupt"
    )


def test_password_protected_pdf(tmp_path):
    pdf = pikepdf.open(io.BytesIO(image_pdf([text_page(["Mật"])])))
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(user="secret", owner="owner"))
    assert _code(_write(tmp_path, "enc.pdf", out.getvalue()), "pdf") == "pdf_encrypted"


def test_image_over_pixel_limit_is_refused_before_decoding(tmp_path):
    buf = io.BytesIO()
    Image.new("L", (3000, 2000), 255).save(buf, format="PNG")
    p = _write(tmp_path, "bomb.png", buf.getvalue())
    cfg = IngestSettings(max_image_megapixels=5)
    assert _code(p, "png", cfg) == "image_too_large"


def test_multipage_tiff_counts_frames(tmp_path):
    frames = [text_page(["Một"]), text_page(["Hai"]), text_page(["Ba"])]
    buf = io.BytesIO()
    frames[0].save(
        buf, format="TIFF", save_all=True, append_images=frames[1:], compression="tiff_lzw"
    )
    p = _write(tmp_path, "v.tif", buf.getvalue())
    assert inspect_source(p, "tiff", "0" * 64, CFG).page_count == 3


def test_corrupt_image(tmp_path):
    p = _write(tmp_path, "c.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    assert _code(p, "png") == "image_corrupt"
