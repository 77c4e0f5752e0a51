"""The audit trail: changes, sensitive reads and security events, in one hash chain."""
