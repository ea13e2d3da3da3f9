"""The five-step arrival workflow (security, administration, registry, medical, interview)."""
