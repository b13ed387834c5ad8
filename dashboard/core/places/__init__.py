"""Places: name normalisation, the gazetteer and the join of incidents to sites."""
