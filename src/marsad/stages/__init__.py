"""Pipeline stages, one module each, shaped Article -> Article (see marsad.pipeline)."""
