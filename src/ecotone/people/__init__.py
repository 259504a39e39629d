"""People: users, the org chart (teams and reporting lines), granted roles and API tokens."""
