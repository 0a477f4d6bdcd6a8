"""How a handover reaches the devices it hands over, without this kind importing the
logistics (which depend on the kinds): the logistics answer these signals
(forms/logistics/receivers.py)."""

from django.dispatch import Signal

# Sent while a handover is validated, with ``site`` (a site or its id) and ``code``
# (an inventory code). A receiver returns the device that site may hand over, or
# raises ValidationError saying why not.
device_for_handover = Signal()

# Sent once a handover sheet is recorded, with ``sheet`` and ``by``.
handover_recorded = Signal()


def find_device(site, code):
    """The device answered for ``site`` and ``code``, or None when nothing answers."""
    for _receiver, device in device_for_handover.send(sender=None, site=site, code=code):
        if device is not None:
            return device
    return None


# Sent when a handover form is opened from a prescription, with ``prescription``.
# A receiver returns answers it knows (technical name -> JSON value), or None: the
# logistics answer the device when the site's stock holds exactly one.
answers_known_for = Signal()


def known_answers(prescription):
    """Answers the receivers of ``answers_known_for`` know for ``prescription``."""
    known = {}
    for _receiver, answers in answers_known_for.send(sender=None, prescription=prescription):
        known.update(answers or {})
    return known
