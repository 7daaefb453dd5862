"""The log pages for administrators: the access log, the administration log and the privacy
officer's monthly review report."""
