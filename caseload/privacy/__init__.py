"""The client's privacy rights (GDPR/AVG): access (art. 15, an export of everything held),
erasure on request (art. 17) and erasure after the retention period (storage limitation)."""
