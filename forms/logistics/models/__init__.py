"""Devices, lots, loans, generated documents, donor follow-up links."""
