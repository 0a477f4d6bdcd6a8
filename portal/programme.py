"""The site-wide programme settings (portal.models.ProgrammeSettings: the fallback
identity of documents, forms.logistics.services.identity) and the logo as the PDF
renderer reads it."""

import base64
import logging

from portal.models import ProgrammeSettings

logger = logging.getLogger(__name__)
LOGO_FILTER = "max-600x200|format-png"
LOGO_HEIGHT_PT = 42  # about 1.5 cm at the top of an A4 page


def programme_settings():
    return ProgrammeSettings.load()


def logo_data_uri(image):
    """The logo as an inline PNG: the PDF renderer reads no file outside its fonts."""
    try:
        rendition = image.get_rendition(LOGO_FILTER)
        with rendition.file.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        logger.warning("The programme logo could not be read", exc_info=True)
        return None
    width = round(rendition.width * LOGO_HEIGHT_PT / rendition.height) if rendition.height else 0
    return {
        "src": "data:image/png;base64," + base64.b64encode(data).decode("ascii"),
        "width": width,
        "height": LOGO_HEIGHT_PT,
    }
