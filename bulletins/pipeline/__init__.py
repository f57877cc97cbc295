"""Page processing without an orchestrator: what the crawl and reprocess flows run on each page.

Plain functions and a plain ledger, importing no Prefect, GX or DuckDB, so that worker
processes (``bulletins.pipeline.pool``) start in well under a second:

- ``ledger``: ``RunLedger``, everything a run did, written to the warehouse in bulk;
- ``page``: one page's bytes → parsed → extracted → staged rows, failures recorded;
- ``stage``: a page's rows for every warehouse table, with deterministic keys, and the batch;
- ``pool``: archived pages staged in chunks, in this process or on a process pool.
"""
