"""View-models of the app's pages: what each page shows, computed without streamlit.

A view-model takes the territory, the parameters, the page's choices and the language, and gives
the titles, sentences, tables (DataFrames with translated headers), the map layers built by
``smartmap.render`` and the download payloads. The page script only draws them. Nothing here
imports streamlit (an import-linter contract in ``pyproject.toml`` checks it), so every view-model
is tested with plain pytest (``tests/test_views_*.py``).
"""
