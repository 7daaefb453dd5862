"""Composing, queueing and sending mails. Mails carry client codes, norm names and links,
never notes, diagnoses or other health details."""
