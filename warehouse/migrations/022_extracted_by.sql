-- 022: how each article was read (issue 14). 'selectors': by its source's CSS selectors;
-- 'generic': by generic extraction (bulletins/crawl/generic.py), because the source has no
-- selectors or its selectors found nothing on the page. Rows loaded before this migration
-- were all read by selectors.

ALTER TABLE articles ADD COLUMN IF NOT EXISTS extracted_by VARCHAR DEFAULT 'selectors';
UPDATE articles SET extracted_by = 'selectors' WHERE extracted_by IS NULL;
