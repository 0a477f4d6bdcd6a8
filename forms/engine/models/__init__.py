"""Models every kind shares: form pages, raw submissions, the record base, queued emails, export logs."""
