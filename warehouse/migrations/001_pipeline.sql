-- 001: what the crawler writes. Keys are deterministic: the same work done twice
-- produces the same keys, so loads are idempotent upserts, never duplicates.

CREATE TABLE IF NOT EXISTS runs (
    run_id       VARCHAR PRIMARY KEY,          -- Prefect flow run id, or a uuid outside Prefect
    flow         VARCHAR NOT NULL,             -- crawl-source | daily-crawl | reprocess | demo
    source       VARCHAR,                      -- NULL for runs over several sources
    started_at   TIMESTAMP NOT NULL,
    finished_at  TIMESTAMP,
    status       VARCHAR NOT NULL,             -- running | completed | warning | failed | crashed
    summary      JSON,                         -- counts: requests, new documents, rows loaded, quarantined ...
    message      VARCHAR
);

-- Every link ever discovered on a list page, with what became of it: the crawl's memory.
CREATE TABLE IF NOT EXISTS links (
    source        VARCHAR NOT NULL,
    url           VARCHAR NOT NULL,
    first_seen_at TIMESTAMP NOT NULL,
    last_try_at   TIMESTAMP,
    state         VARCHAR NOT NULL,            -- pending | fetched | failed | gone
    attempts      INTEGER NOT NULL DEFAULT 0,
    last_error    VARCHAR,
    PRIMARY KEY (source, url)
);

-- Every HTTP request the crawler made, whatever came of it.
CREATE TABLE IF NOT EXISTS fetch_log (
    run_id        VARCHAR NOT NULL,
    seq           INTEGER NOT NULL,            -- order of the request within the run
    source        VARCHAR NOT NULL,
    url           VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL,            -- robots | list | article
    requested_at  TIMESTAMP NOT NULL,
    http_status   INTEGER,
    outcome       VARCHAR NOT NULL,            -- fetched | not_modified | error | robots_disallowed | host_not_allowed | too_large | ...
    attempts      INTEGER NOT NULL DEFAULT 1,
    bytes         BIGINT,
    elapsed_ms    DOUBLE,
    content_hash  VARCHAR,
    error         VARCHAR,
    PRIMARY KEY (run_id, seq)
);

-- One row per fetched URL (its latest content). content_hash points into the raw archive.
CREATE TABLE IF NOT EXISTS documents (
    document_id     VARCHAR PRIMARY KEY,       -- sha1(url)[:16]
    source          VARCHAR NOT NULL,
    url             VARCHAR NOT NULL UNIQUE,
    fetched_at      TIMESTAMP NOT NULL,
    http_status     INTEGER,
    etag            VARCHAR,
    last_modified   VARCHAR,
    content_hash    VARCHAR NOT NULL,          -- sha256 of the raw bytes as served
    content_type    VARCHAR,
    encoding        VARCHAR,                   -- the charset the bytes were decoded with
    title           VARCHAR,
    published_date  DATE,
    published_at    TIMESTAMP,
    text            VARCHAR,                   -- normalised text of the whole page
    parser_version  VARCHAR NOT NULL,
    run_id          VARCHAR NOT NULL,          -- the run that last loaded this row
    loaded_at       TIMESTAMP NOT NULL
);

-- A page may carry several articles (e-paper pages do): one row each.
CREATE TABLE IF NOT EXISTS articles (
    article_id      VARCHAR PRIMARY KEY,       -- document_id || ':' || position
    document_id     VARCHAR NOT NULL,
    position        INTEGER NOT NULL,          -- 0-based order on the page
    title           VARCHAR,
    byline          VARCHAR,                   -- 衡阳晚报讯(全媒体记者 陈润), 红网时刻 记者 谭倩 ...
    outlet          VARCHAR,
    published_date  DATE,
    body            VARCHAR NOT NULL,
    is_fragment     BOOLEAN NOT NULL DEFAULT FALSE,  -- begins or ends mid-article (continued from/to another page)
    run_id          VARCHAR NOT NULL,
    loaded_at       TIMESTAMP NOT NULL
);

-- Rows that failed validation, with the expectation they failed. Nothing is dropped silently.
CREATE TABLE IF NOT EXISTS quarantine (
    run_id          VARCHAR NOT NULL,
    table_name      VARCHAR NOT NULL,
    row_key         VARCHAR NOT NULL,
    expectation     VARCHAR NOT NULL,
    reason          VARCHAR NOT NULL,
    row_json        JSON NOT NULL,
    quarantined_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (run_id, table_name, row_key, expectation)
);
