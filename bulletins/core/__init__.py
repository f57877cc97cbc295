"""The pure extraction core: text normalisation, article splitting, meetings, people, indicators.

Imports only the standard library and text libraries (OpenCC, cn2an, BeautifulSoup/lxml):
never Prefect, Great Expectations or DuckDB, so that it starts fast and runs anywhere.
"""
