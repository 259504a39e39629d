"""HTML adapters of the content app: thin views over ``content.selectors`` and ``services``."""
