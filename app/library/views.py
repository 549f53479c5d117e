"""Library pages."""
