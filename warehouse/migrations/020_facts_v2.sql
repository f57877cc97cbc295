-- 020: one row per real-world fact. A meeting or a figure reported by three sources is three
-- rows of `meetings`/`indicators` (each keeps its page); the views here merge them into one
-- event or one fact with the list of sources that reported it. Matching rules are in the
-- README ("How reports become one fact") and tested in tests/quality/test_facts.py.

-- The administrative area a fact is about (湖南省, 衡阳市, 耒阳市, 全国), as the core resolves it.
ALTER TABLE meetings ADD COLUMN IF NOT EXISTS place VARCHAR;
ALTER TABLE indicators ADD COLUMN IF NOT EXISTS place VARCHAR;
-- The standard indicator a metric name stands for (warehouse/metrics.yaml), NULL when none does.
ALTER TABLE indicators ADD COLUMN IF NOT EXISTS metric_key VARCHAR;

-- One row per meeting report, with the keys it is matched on:
--   name_key   the name without spaces, punctuation and symbols (“”《》、·—…)
--   topic      name_key without its kind (座谈会, 常务会议 …), its place, a year (the date says it)
--              and a leading 全市/我市/市: what the meeting is about (民营企业座谈会 → 民营企业;
--              全市民营企业家座谈会 → 民营企业家; 临州市政府2023年第3次常务会议 → 政府第3次)
--   day_lo, day_hi  the days it can have been held: its start date; when the text gave none,
--              the week up to the day its article was published (reports follow meetings)
CREATE OR REPLACE VIEW v_meeting_reports AS
WITH r AS (
    SELECT m.meeting_id, m.place, m.start_date, m.end_date, m.kind, m.name, m.format, m.evidence,
           (SELECT string_agg(p.person, '、' ORDER BY p.position) FROM meeting_participants p
             WHERE p.meeting_id = m.meeting_id AND p.role = 'chair') AS chairs,
           d.source, m.article_id, a.title AS article_title, d.url,
           coalesce(a.published_date, d.published_date) AS published_date,
           regexp_replace(m.name, '[\s\p{P}\p{S}]+', '', 'g') AS name_key
    FROM meetings m
    JOIN documents d USING (document_id)
    LEFT JOIN articles a USING (article_id)
)
SELECT *,
       regexp_replace(regexp_replace(replace(replace(name_key, coalesce(kind, ''), ''), coalesce(place, ''), ''),
                                     '\d{4}年', '', 'g'),
                      '^(全市|全省|全县|全区|全州|我市|我省|我县|我区|本市|市|省|县|区)', '') AS topic,
       coalesce(start_date, published_date - INTERVAL 7 DAY)::DATE AS day_lo,
       coalesce(start_date, published_date) AS day_hi,
       coalesce(start_date, published_date) AS event_date
FROM r;

-- Which reports are one meeting. Two reports are linked when
--   * they are about the same place (both unknown counts as the same),
--   * the days they can have been held overlap (two dated reports: the same start date), and
--   * their names are equal once spaces and punctuation go, or they are of the same kind and
--     one topic contains the other (民营企业 ⊂ 民营企业家: one source shortened the name).
--     A different topic is a different meeting: 经济工作会议 and 农村工作会议 on one day stay two,
--     and so do two 常务会议 on one day in two places.
-- A report's event is the smallest meeting_id among the reports linked to it, taken twice
-- (the links of the links), so a chain of shortened names still ends in one event.
CREATE OR REPLACE VIEW v_meeting_links AS
WITH days AS (  -- each report on each day it can have been held: candidate pairs by an equi-join
    SELECT meeting_id, place, kind, name_key, topic,
           unnest(generate_series(day_lo, day_hi, INTERVAL 1 DAY))::DATE AS day
    FROM v_meeting_reports WHERE day_hi IS NOT NULL
), pairs AS (
    SELECT DISTINCT r1.meeting_id, r2.meeting_id AS other
    FROM days r1
    JOIN days r2 ON r1.place IS NOT DISTINCT FROM r2.place AND r1.day = r2.day
    WHERE r1.name_key = r2.name_key
       OR (r1.kind = r2.kind AND (r1.topic = r2.topic
           OR (length(r2.topic) >= 2 AND contains(r1.topic, r2.topic))
           OR (length(r1.topic) >= 2 AND contains(r2.topic, r1.topic))))
    UNION
    SELECT meeting_id, meeting_id FROM v_meeting_reports  -- a report with no date is its own event
), hop1 AS (
    SELECT meeting_id, min(other) AS event_id FROM pairs GROUP BY meeting_id
)
SELECT p.meeting_id, min(h.event_id) AS event_id
FROM pairs p JOIN hop1 h ON h.meeting_id = p.other
GROUP BY p.meeting_id;

-- One row per real meeting, with every source and article that reported it:
--   SELECT start_date, place, kind, name, chairs, sources FROM v_meeting_events ORDER BY start_date;
CREATE OR REPLACE VIEW v_meeting_events AS
SELECT l.event_id,
       any_value(r.place) AS place,
       min(r.start_date) AS start_date, max(r.end_date) AS end_date,
       mode(r.kind) AS kind,
       arg_max(r.name, length(r.name)) AS name,             -- the fullest name any source gave
       arg_max(r.chairs, length(coalesce(r.chairs, ''))) AS chairs,
       count(*) AS reports,
       list(DISTINCT r.source ORDER BY r.source) AS sources,
       list(r.article_id ORDER BY r.source, r.article_id) AS article_ids,
       list(r.meeting_id ORDER BY r.source, r.meeting_id) AS meeting_ids,
       arg_min(r.url, r.source) AS url, arg_min(r.article_title, r.source) AS article_title,
       arg_min(r.evidence, r.source) AS evidence,
       coalesce(min(r.start_date), min(r.event_date)) AS event_date
FROM v_meeting_reports r JOIN v_meeting_links l USING (meeting_id)
GROUP BY l.event_id;

-- One row per fact: a (place, metric, period, measure, target, value) reported by one or more
-- sources. The metric is its catalogue key where it has one (GDP and 地区生产总值 are one
-- series), else its name. A level is compared in its base unit (104.9亿元 = 1049000万元).
-- A disagreement is flagged, never hidden: `conflict` is true when another fact has the same
-- place, metric, period, measure and target but a different value; `values_reported` lists them.
CREATE OR REPLACE VIEW v_indicator_facts AS
WITH reports AS (
    SELECT i.*, d.source, d.url, a.title AS article_title,
           coalesce(i.metric_key, i.metric) AS metric_id,
           regexp_replace(coalesce(i.unit, ''), '^(万亿|亿|万)', '') AS base_unit,
           round(i.value * CASE WHEN i.unit LIKE '万亿%' THEN 1e12 WHEN i.unit LIKE '亿%' THEN 1e8
                                WHEN i.unit LIKE '万%' AND i.unit <> '万' THEN 1e4 ELSE 1 END, 6) AS base_value,
           CASE WHEN i.measure = 'rank' THEN i.rank END AS rank_value
    FROM indicators i JOIN documents d USING (document_id) LEFT JOIN articles a USING (article_id)
), facts AS (
    SELECT place, metric_id, any_value(metric_key) AS metric_key,
           mode(metric) AS metric, list(DISTINCT metric ORDER BY metric) AS names,
           measure, period, any_value(period_start) AS period_start, any_value(period_end) AS period_end,
           target, base_unit, base_value, rank_value,
           arg_min(value, length(coalesce(unit, ''))) AS value, arg_min(unit, length(coalesce(unit, ''))) AS unit,
           min(rank) AS rank, any_value(rank_scope) AS rank_scope,
           count(*) AS reports, list(DISTINCT source ORDER BY source) AS sources,
           list(indicator_id ORDER BY source, indicator_id) AS indicator_ids,
           arg_min(evidence, source) AS evidence, arg_min(url, source) AS url,
           arg_min(article_title, source) AS article_title
    FROM reports
    GROUP BY place, metric_id, measure, period, target, base_unit, base_value, rank_value
)
SELECT *,
       count(*) OVER w > 1 AS conflict,
       list(coalesce(CAST(value AS VARCHAR), '#' || CAST(rank_value AS VARCHAR)) || coalesce(unit, '')
            ORDER BY base_value, rank_value) OVER w AS values_reported
FROM facts
WINDOW w AS (PARTITION BY place, metric_id, measure, period, target, base_unit);

-- People over time: who held which title where, first and last seen, and the meetings they
-- had each role in (each real meeting once, however many sources reported it):
--   SELECT person, title, first_seen, last_seen, chaired FROM v_people
--   WHERE place = '衡州市' AND title LIKE '%市长%' AND first_seen <= DATE '2023-12-31' AND last_seen >= DATE '2023-01-01';
CREATE OR REPLACE VIEW v_people AS
WITH seen AS (
    SELECT p.person, p.title, p.role, e.event_id, e.place, e.event_date, e.name
    FROM meeting_participants p
    JOIN v_meeting_links l USING (meeting_id)
    JOIN v_meeting_events e USING (event_id)
), once AS (  -- a person once per event and role, with the title the sources gave most
    SELECT person, event_id, role, any_value(place) AS place, any_value(event_date) AS event_date,
           any_value(name) AS meeting, mode(title) AS title
    FROM seen GROUP BY person, event_id, role
)
SELECT person, place, title,
       min(event_date) AS first_seen, max(event_date) AS last_seen,
       count(DISTINCT event_id) AS meetings,
       count(*) FILTER (WHERE role = 'chair') AS chaired,
       list(meeting ORDER BY event_date) FILTER (WHERE role = 'chair') AS meetings_chaired,
       list(meeting ORDER BY event_date) FILTER (WHERE role = 'speaker') AS meetings_spoken,
       list(meeting ORDER BY event_date) FILTER (WHERE role IN ('attendee', 'presenter')) AS meetings_attended,
       list(DISTINCT event_id) AS event_ids
FROM once
GROUP BY person, place, title;

-- Meetings by month and kind, each real meeting once (v_meetings_by_month counts reports):
--   SELECT month, kind, meetings FROM v_events_by_month ORDER BY month, kind;
CREATE OR REPLACE VIEW v_events_by_month AS
SELECT CAST(date_trunc('month', start_date) AS DATE) AS month, place,
       coalesce(kind, '(unknown)') AS kind, count(*) AS meetings,
       string_agg(name, '；' ORDER BY start_date, name) AS names
FROM v_meeting_events
WHERE start_date IS NOT NULL
GROUP BY ALL;
