"""Placeholder pictures for the demo: drawn with Pillow, no download."""

import unicodedata
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images import get_image_model

CAPTION_FONT = Path(settings.BASE_DIR, "forms", "static", "forms", "fonts", "DejaVuSans-Bold.ttf")


def draw_placeholder(title, color, size):
    picture = PILImage.new("RGB", tuple(size), tuple(color))
    draw = ImageDraw.Draw(picture)
    width, height = picture.size
    for step in range(0, width, 24):  # a light diagonal texture
        draw.line([(step, 0), (step - height, height)], fill=tuple(min(255, c + 18) for c in color))
    size = max(14, height // 10)
    if CAPTION_FONT.exists():  # DejaVu Sans, shipped for the PDFs: accents included
        font, label = ImageFont.truetype(str(CAPTION_FONT), size), title
    else:  # Pillow's bundled font has no accented glyphs
        font = ImageFont.load_default(size=size)
        label = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    draw.multiline_text((width // 2, height // 2), label, font=font, fill="white", anchor="mm")
    buffer = BytesIO()
    picture.save(buffer, format="PNG")
    return buffer


def get_or_create_image(key, title, color, size):
    Image = get_image_model()
    image = Image.objects.filter(title=title).first()
    if image:
        return image, False
    image = Image(title=title)
    image.file = ImageFile(draw_placeholder(title, color, size), name=f"demo-{key}.png")
    image.save()
    return image, True
