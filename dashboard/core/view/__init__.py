"""A view: the filters, share links (URL <-> view) and the sentence describing it."""
