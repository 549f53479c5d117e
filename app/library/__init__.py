"""Methodology library: versioned standards, guidelines, templates and lessons learned."""
