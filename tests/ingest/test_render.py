import io

import pikepdf

from core.models import PageRef
from core.settings import IngestSettings
from ingest import render_page
from tests.conftest import image_pdf, text_page, text_pdf

CFG = IngestSettings()


def test_scan_pdf_page_comes_out_at_native_resolution(tmp_path):
    p = tmp_path / "s.pdf"
    p.write_bytes(image_pdf([text_page(["Một"]), text_page(["Hai"], size=(1000, 1400))], dpi=150))
    r = render_page(PageRef(str(p), "pdf", 1), CFG)
    assert r.image.size == (1000, 1400) and r.dpi == 150


def test_page_rotate_attribute_is_applied(tmp_path):
    pdf = pikepdf.open(io.BytesIO(image_pdf([text_page(["Một"])])))
    pdf.pages[0].obj.Rotate = 90
    p = tmp_path / "r.pdf"
    pdf.save(p)
    r = render_page(PageRef(str(p), "pdf", 0), CFG)
    assert r.image.size == (1754, 1240)


def test_vector_pdf_is_rasterized_at_configured_dpi(tmp_path):
    p = tmp_path / "v.pdf"
    p.write_bytes(text_pdf("Hello"))
    r = render_page(PageRef(str(p), "pdf", 0), IngestSettings(raster_dpi=100))
    assert r.dpi == 100
    assert abs(r.image.size[0] - 827) <= 2  # 595 pt at 100 dpi


def test_tiff_frames_render_one_at_a_time(tmp_path):
    frames = [text_page(["Một"]), text_page(["Hai"], size=(800, 1000))]
    p = tmp_path / "v.tif"
    frames[0].save(p, save_all=True, append_images=frames[1:], dpi=(150, 150))
    r = render_page(PageRef(str(p), "tiff", 1), CFG)
    assert r.image.size == (800, 1000) and r.dpi == 150
