"""What the prescription kind announces to the layers that depend on it."""

from django.dispatch import Signal

# Sent (inside the purge's transaction) after prescriptions are anonymised: whatever
# names the people of anonymised prescriptions (``anonymised_at`` set) must go.
prescriptions_anonymised = Signal()
