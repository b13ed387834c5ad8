"""The query layer: the engine (Ibis; DuckDB by default) and every query the pages need."""
