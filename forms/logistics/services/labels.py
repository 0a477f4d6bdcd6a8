"""A printable A4 sheet of labels (3 per row), each with a QR code of the inventory code."""

import segno

from forms.logistics.services.pdf import render_pdf

PER_ROW = 3


def qr_data_uri(text):
    return segno.make(text, error="m").png_data_uri(scale=4, border=2)


def render_labels(devices):
    labels = [{"device": device, "qr": qr_data_uri(device.inventory_code)} for device in devices]
    rows = [labels[i : i + PER_ROW] for i in range(0, len(labels), PER_ROW)]
    if rows and len(rows[-1]) < PER_ROW:
        rows[-1] = rows[-1] + [None] * (PER_ROW - len(rows[-1]))
    return render_pdf("documents/device_labels.html", {"rows": rows})
