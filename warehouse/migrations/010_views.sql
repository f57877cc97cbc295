-- 010: views for analysts. Each answers one common question in one short query; every
-- figure keeps the sentence it was read from and the page (source, URL) it came from.

-- A metric's series across periods and sources:
--   SELECT period, source, value, unit FROM v_indicator_series
--   WHERE metric = '规模工业增加值' AND measure = 'change' ORDER BY period_start;
CREATE OR REPLACE VIEW v_indicator_series AS
SELECT i.metric, i.measure, i.unit, i.period, i.period_start, i.period_end,
       d.source, i.value, i.rank, i.rank_scope, i.target,
       coalesce(a.published_date, d.published_date) AS published_date,
       i.indicator_id, i.document_id
FROM indicators i
JOIN documents d USING (document_id)
LEFT JOIN articles a USING (article_id);

-- Indicators with their evidence sentence and source URL:
--   SELECT metric, value, unit, evidence, url FROM v_indicator_evidence WHERE metric LIKE '%收入%';
CREATE OR REPLACE VIEW v_indicator_evidence AS
SELECT i.indicator_id, i.metric, i.measure, i.value, i.unit, i.period, i.rank, i.rank_scope, i.target,
       i.evidence, a.title AS article_title, d.source, d.url,
       coalesce(a.published_date, d.published_date) AS published_date
FROM indicators i
JOIN documents d USING (document_id)
LEFT JOIN articles a USING (article_id);

-- Every meeting with its month, chair(s), size and page: the calendar.
--   SELECT month, start_date, name, chairs FROM v_meetings_calendar WHERE month >= DATE '2023-01-01';
CREATE OR REPLACE VIEW v_meetings_calendar AS
SELECT m.meeting_id, CAST(date_trunc('month', m.start_date) AS DATE) AS month,
       m.start_date, m.end_date, m.name, m.kind, m.format,
       (SELECT string_agg(p.person, '、' ORDER BY p.position) FROM meeting_participants p
         WHERE p.meeting_id = m.meeting_id AND p.role = 'chair') AS chairs,
       (SELECT count(*) FROM meeting_participants p WHERE p.meeting_id = m.meeting_id) AS participants,
       m.evidence, d.source, d.url
FROM meetings m
JOIN documents d USING (document_id);

-- Meetings by month and kind:
--   SELECT month, kind, meetings FROM v_meetings_by_month ORDER BY month, kind;
CREATE OR REPLACE VIEW v_meetings_by_month AS
SELECT CAST(date_trunc('month', start_date) AS DATE) AS month,
       coalesce(kind, '(unknown)') AS kind,
       count(*) AS meetings,
       string_agg(name, '；' ORDER BY start_date, name) AS names
FROM meetings
WHERE start_date IS NOT NULL
GROUP BY ALL;

-- A person's roles and titles over time, one row per meeting attended:
--   SELECT start_date, role, title, meeting FROM v_person_roles WHERE person = '朱健' ORDER BY start_date;
CREATE OR REPLACE VIEW v_person_roles AS
SELECT p.person, p.title, p.role, m.start_date, m.name AS meeting, m.kind,
       p.meeting_id, d.source, d.url
FROM meeting_participants p
JOIN meetings m USING (meeting_id)
JOIN documents d ON d.document_id = m.document_id;
