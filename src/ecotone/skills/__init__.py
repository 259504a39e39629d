"""Skills: the framework, evidence-based levels, role profiles, gaps and experts."""
