-- 003: every page the pipeline could not take through a stage (fetch, parse, extract, validate,
-- load), with the error, so that a bad page is recorded where an operator looks and the run
-- goes on. The link's state says whether it is retried next run.

CREATE TABLE IF NOT EXISTS crawl_errors (
    run_id        VARCHAR NOT NULL,
    seq           INTEGER NOT NULL,            -- order of the error within the run
    source        VARCHAR NOT NULL,
    url           VARCHAR,                     -- NULL for an error about the whole source
    stage         VARCHAR NOT NULL,            -- discover | fetch | parse | extract | validate | load | source
    error         VARCHAR NOT NULL,
    occurred_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (run_id, seq)
);
