"""Handing clients over between workers and teams (coordinators)."""
