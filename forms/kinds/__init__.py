"""One package per kind of record (model, kind, admin, export); the registry is forms.engine.kinds."""
