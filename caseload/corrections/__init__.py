"""Corrections with history: editing and deleting recorded contacts, placements, disclosure
discussions and benefits plans, keeping every earlier version (models/corrections.py)."""
