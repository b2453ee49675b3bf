"""alkedash: live input and results for the ALKE-keskustelut discussion day."""
