"""HTML -> PDF with xhtml2pdf under a strict resource policy.

Documents are rendered from templates that escape every submitted value; the
policy is the second line: no network at all, and local reads only from the
project's static and font folders (docs/STACK.md). Fonts: DejaVu Sans (free
licence, forms/static/forms/fonts/) covers Latin, Greek, Cyrillic, Hebrew and
Arabic, which Helvetica does not.
"""

import io
import logging
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from xhtml2pdf import pisa
from xhtml2pdf.config.resources import ResourceAccessPolicy

logger = logging.getLogger(__name__)

STATIC_DIR = Path(settings.BASE_DIR) / "forms" / "static" / "forms"
FONT_DIR = STATIC_DIR / "fonts"
FONT_REGULAR = FONT_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"


class PdfRenderError(Exception):
    pass


def resource_policy():
    return ResourceAccessPolicy.server(
        base_dir=FONT_DIR,
        extra_roots=(STATIC_DIR,),
        allow_remote=False,
        max_render_seconds=120,
    )


def font_context():
    """Paths for the templates' @font-face rules (Helvetica if the files are absent)."""
    if FONT_REGULAR.exists() and FONT_BOLD.exists():
        return {"font_regular": FONT_REGULAR.as_posix(), "font_bold": FONT_BOLD.as_posix()}
    return {}


def html_to_pdf(html):
    output = io.BytesIO()
    result = pisa.CreatePDF(html, dest=output, encoding="utf-8", resource_policy=resource_policy())
    if result.err:
        raise PdfRenderError(f"xhtml2pdf reported {result.err} error(s)")
    return output.getvalue()


def render_pdf(template_name, context):
    html = render_to_string(template_name, {**font_context(), **context})
    return html_to_pdf(html)
