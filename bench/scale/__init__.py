"""Archives of 100k-1M articles for the «speed at scale» benchmark (issue 6).

`generate.py` builds JSON Lines files from the real shared corpus, `run.py` grows an archive size by size through
`manage.py import_articles` and measures import, storage and search, `report.py` renders the results.
"""
