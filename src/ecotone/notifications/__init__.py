"""Notifications: the in-app inbox, e-mail (immediately or in a daily digest) and preferences."""
