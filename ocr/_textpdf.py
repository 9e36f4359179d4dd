"""Searchable PDF: each scan as stored, with an invisible word-aligned Vietnamese text layer.

The text uses Tesseract's glyphless font (``data/glyphless.ttf``, Apache-2.0) as a CID font
with Identity-H encoding and an identity ToUnicode map, so every UTF-16 code unit is a glyph
and ``pdftotext`` gives back exactly the recognized Vietnamese (no Ghostscript round-trip, no
font subsetting that loses diacritics). Pages are PDF 1.5; no re-encoding of JPEG scans.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from pathlib import Path

import pikepdf
from PIL import ImageCms

from core.models import OcrWord, SearchablePage

_FONT_FILE = Path(__file__).resolve().parent / "data" / "glyphless.ttf"
_CHAR_WIDTH = 0.5  # glyph advance as a fraction of the font size (DW 500)
_TO_UNICODE = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
1 beginbfrange
<0000> <FFFF> <0000>
endbfrange
endcmap
CMapName currentdict /CIDFont defineresource pop
end
end
"""


def _font(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    descriptor = pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor,
        FontName=pikepdf.Name.GlyphLessFont,
        Flags=5,
        FontBBox=[0, 0, 500, 1000],
        ItalicAngle=0,
        Ascent=1000,
        Descent=-1,
        CapHeight=1000,
        StemV=80,
        FontFile2=pikepdf.Stream(pdf, _FONT_FILE.read_bytes()),
    )
    cid_to_gid = pikepdf.Stream(pdf, b"\x00\x01" * 65536)
    cid_font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font,
        Subtype=pikepdf.Name.CIDFontType2,
        BaseFont=pikepdf.Name.GlyphLessFont,
        CIDSystemInfo=pikepdf.Dictionary(Registry="Adobe", Ordering="Identity", Supplement=0),
        FontDescriptor=pdf.make_indirect(descriptor),
        DW=500,
        CIDToGIDMap=pdf.make_indirect(cid_to_gid),
    )
    return pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type0,
            BaseFont=pikepdf.Name.GlyphLessFont,
            Encoding=pikepdf.Name("/Identity-H"),
            DescendantFonts=[pdf.make_indirect(cid_font)],
            ToUnicode=pdf.make_indirect(pikepdf.Stream(pdf, _TO_UNICODE)),
        )
    )


def _word_ops(word: OcrWord, k: float, page_h: int) -> str:
    """Return operators drawing one invisible word exactly over its (horizontal) box."""
    size = word.height * k
    length = word.width * k
    text = word.text
    if size <= 0 or length <= 0 or not text:
        return ""
    scale = 100.0 * length / (len(text) * size * _CHAR_WIDTH)
    hexed = text.encode("utf-16-be").hex().upper()
    # The box bottom includes descenders; put the baseline a little above it.
    x, y = word.left * k, (page_h - word.top - word.height) * k + size * 0.15
    return f"/F1 {size:.2f} Tf {scale:.2f} Tz 1 0 0 1 {x:.2f} {y:.2f} Tm <{hexed}> Tj\n"


def _image_matrix(spec: SearchablePage, k: float) -> tuple[float, ...]:
    """Return the ``cm`` operands that draw the scan straightened in the OCR image's frame.

    The viewer turns the stored pixels at display time, so the page looks upright and level
    while the image bytes stay exactly as scanned.
    """
    img = spec.image
    a, b, c, d, e, f = spec.to_source
    det = a * e - b * d
    # Inverse of to_source: scan pixels -> OCR pixels.
    ia, ib = e / det, -b / det
    id_, ie = -d / det, a / det
    ic, if_ = -(ia * c + ib * f), -(id_ * c + ie * f)

    def page_point(u: float, v: float) -> tuple[float, float]:
        px, py = u * img.width, (1.0 - v) * img.height
        x, y = ia * px + ib * py + ic, id_ * px + ie * py + if_
        return x * k, (spec.height - y) * k

    ox, oy = page_point(0.0, 0.0)
    ux, uy = page_point(1.0, 0.0)
    vx, vy = page_point(0.0, 1.0)
    return (ux - ox, uy - oy, vx - ox, vy - oy, ox, oy)


def _make_pdfa(pdf: pikepdf.Pdf, title: str) -> None:
    """Declare PDF/A-2b: XMP identification plus an sRGB output intent.

    Fonts are already embedded and nothing is transparent or encrypted; the declaration is
    what an archive validator (veraPDF) then checks.
    """
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    profile = pikepdf.Stream(pdf, icc)
    profile.N = 3
    pdf.Root.OutputIntents = pikepdf.Array(
        [
            pdf.make_indirect(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.OutputIntent,
                    S=pikepdf.Name.GTS_PDFA1,
                    OutputConditionIdentifier="sRGB IEC61966-2.1",
                    Info="sRGB IEC61966-2.1",
                    DestOutputProfile=pdf.make_indirect(profile),
                )
            )
        ]
    )
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["pdfaid:part"] = "2"
        meta["pdfaid:conformance"] = "B"
        meta["xmp:CreatorTool"] = "sohoa"
        if title:
            meta["dc:title"] = title


def build_searchable_pdf(
    pages: Sequence[SearchablePage], *, title: str = "", pdfa: bool = False
) -> bytes:
    """Return a PDF of the scans with an invisible text layer aligned to each word.

    With ``pdfa`` the file also declares PDF/A-2b (XMP identification, sRGB output intent).
    """
    pdf = pikepdf.new()
    font = _font(pdf)
    for spec in pages:
        img = spec.image
        a, b, _c, d, e, _f = spec.to_source
        scan_px_per_ocr_px = math.sqrt(abs(a * e - b * d)) or 1.0
        # Points per OCR pixel, so the page keeps the paper's physical size.
        k = 72.0 / img.dpi * scan_px_per_ocr_px
        width_pt, height_pt = spec.width * k, spec.height * k
        xobj = pikepdf.Stream(pdf, img.data)
        xobj.Type = pikepdf.Name.XObject
        xobj.Subtype = pikepdf.Name.Image
        xobj.Width, xobj.Height = img.width, img.height
        xobj.ColorSpace = pikepdf.Name("/" + img.colorspace)
        xobj.BitsPerComponent = img.bits
        xobj.Filter = pikepdf.Name("/" + img.filter)
        if img.predictor != 1:
            xobj.DecodeParms = pikepdf.Dictionary(
                Predictor=img.predictor,
                Colors=3 if img.colorspace == "DeviceRGB" else 1,
                BitsPerComponent=img.bits,
                Columns=img.width,
            )
        cm = " ".join(f"{v:.4f}" for v in _image_matrix(spec, k))
        ops = [f"q {cm} cm /Im0 Do Q\n"]
        words = [w for w in spec.words if w.text.strip()]
        if words:
            ops.append("BT 3 Tr\n")
            ops.extend(_word_ops(w, k, spec.height) for w in words)
            ops.append("ET\n")
        page = pikepdf.Page(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Page,
                MediaBox=[0, 0, width_pt, height_pt],
                Resources=pikepdf.Dictionary(
                    XObject=pikepdf.Dictionary(Im0=xobj), Font=pikepdf.Dictionary(F1=font)
                ),
            )
        )
        page.obj.Contents = pikepdf.Stream(pdf, "".join(ops).encode("ascii"))
        pdf.pages.append(page)
    if pdfa:
        _make_pdfa(pdf, title)
    elif title:
        with pdf.open_metadata() as meta:
            meta["dc:title"] = title
    out = io.BytesIO()
    pdf.save(out, min_version="1.5")
    return out.getvalue()
