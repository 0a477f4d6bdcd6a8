"""What follows from records: devices, lots, loans, documents, reports. Depends on the kinds, never the reverse."""
