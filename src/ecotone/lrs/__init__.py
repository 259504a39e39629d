"""The built-in xAPI Learning Record Store and the activity ledger. See README.md."""
