"""The form engine: definitions, steps, the wizard, the one creation service, the kinds registry, records' common base and emails. It imports no kind and no logistics."""
