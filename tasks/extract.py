"""Prefect task: the pure extraction core over the articles of one parsed page."""
from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from bulletins.core.extract import ArticleInput, extract_page
from tasks.stage import as_date


def article_inputs(parsed) -> list[ArticleInput]:
    """The core's input for each article of a parsed page, in page order."""
    page_date = as_date(getattr(parsed, "published_at", None))
    return [ArticleInput(title=getattr(a, "title", None) or "", body=getattr(a, "body", "") or "",
                         published=as_date(getattr(a, "published", None)) or page_date)
            for a in parsed.articles]


@task(name="extract", cache_policy=NO_CACHE)
def extract_facts(parsed, url: str) -> list:
    """Meetings and indicators of every article on the page (``ArticleFacts`` per article)."""
    published = as_date(getattr(parsed, "published_at", None))
    return list(extract_page(article_inputs(parsed), published, url))
