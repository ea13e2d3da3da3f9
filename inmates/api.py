"""API (DRF) for this app; registers on config.api.router."""
