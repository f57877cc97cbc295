-- 002: what the extraction core finds in articles. Each row keeps the article and the
-- sentence it came from, so any figure can be traced back to its page.

CREATE TABLE IF NOT EXISTS meetings (
    meeting_id    VARCHAR PRIMARY KEY,         -- article_id || ':m' || position
    article_id    VARCHAR NOT NULL,
    document_id   VARCHAR NOT NULL,
    position      INTEGER NOT NULL,
    name          VARCHAR NOT NULL,
    kind          VARCHAR,                     -- 全体会议 | 常务会议 | 推进会 | 座谈会 | ...
    start_date    DATE,
    end_date      DATE,
    format        VARCHAR,                     -- 视频会议 | 观摩+会议 | 现场 ...
    evidence      VARCHAR,
    run_id        VARCHAR NOT NULL,
    loaded_at     TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS meeting_participants (
    meeting_id    VARCHAR NOT NULL,
    position      INTEGER NOT NULL,            -- order of first mention
    person        VARCHAR NOT NULL,
    title         VARCHAR,                     -- 市委副书记、市长 | 市领导 | NULL
    role          VARCHAR NOT NULL,            -- chair | speaker | presenter | attendee
    run_id        VARCHAR NOT NULL,
    loaded_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (meeting_id, person)
);

CREATE TABLE IF NOT EXISTS indicators (
    indicator_id  VARCHAR PRIMARY KEY,         -- article_id || ':i' || position
    article_id    VARCHAR NOT NULL,
    document_id   VARCHAR NOT NULL,
    position      INTEGER NOT NULL,
    metric        VARCHAR NOT NULL,
    measure       VARCHAR NOT NULL,            -- level | change | share | difference | ratio | rank
    value         DOUBLE,                      -- NULL only for measure = 'rank'
    unit          VARCHAR,
    period        VARCHAR,                     -- 'YYYY-MM/YYYY-MM' as in the extraction contract
    period_start  DATE,                        -- first day of the period's first month
    period_end    DATE,                        -- last day of the period's last month
    rank          INTEGER,
    rank_scope    VARCHAR,
    target        BOOLEAN NOT NULL,
    evidence      VARCHAR NOT NULL,
    run_id        VARCHAR NOT NULL,
    loaded_at     TIMESTAMP NOT NULL
);
