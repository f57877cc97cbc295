"""robots.txt parsing and matching (RFC 9309), as a table of cases."""

from __future__ import annotations

import pytest

from bulletins.crawl.robots import RobotsPolicy, parse_robots, robots_url

UA = "bulletins/0.1 (+https://example.org/crawler)"

GOV = """# a government CMS
User-agent: *
Disallow: /
Allow: /xxgk/
Disallow: /xxgk/*.doc$
Disallow: /search?

User-agent: Baiduspider
Allow: /
"""

# (robots.txt, url, allowed?, why the case exists)
CASES = [
    (GOV, "http://h/xxgk/dtxx/i1.html", True, "longer Allow beats Disallow: /"),
    (GOV, "http://h/admin/login", False, "Disallow: / covers the rest"),
    (GOV, "http://h/xxgk/file.doc", False, "* and $ in a pattern"),
    (GOV, "http://h/xxgk/file.doc?x=1", True, "$ anchors at the end: a query string escapes it"),
    (GOV, "http://h/search?q=1", False, "query strings are part of the path matched"),
    ("User-agent: *\nDisallow: /a\nAllow: /a\n", "http://h/a", True, "equal length: Allow wins the tie"),
    ("User-agent: *\nDisallow:\n", "http://h/anything", True, "empty Disallow allows all"),
    ("", "http://h/anything", True, "empty file allows all"),
    ("User-agent: other\nDisallow: /\n", "http://h/x", True, "no group for us and no * group"),
    (
        "User-agent: *\nDisallow: /\n\nUser-agent: bulletins\nDisallow: /private/\n",
        "http://h/x",
        True,
        "our own group replaces the * group",
    ),
    (
        "User-agent: *\nDisallow: /\n\nUser-agent: bulletins\nDisallow: /private/\n",
        "http://h/private/1",
        False,
        "our own group's rules apply",
    ),
    (
        "user-agent: a\nuser-agent: *\ndisallow: /tmp # comment\n",
        "http://h/tmp/x",
        False,
        "several agents share a group; keys are case-insensitive; comments dropped",
    ),
]


@pytest.mark.parametrize("text, url, allowed, why", CASES, ids=[c[3] for c in CASES])
def test_allowed(text, url, allowed, why):
    assert RobotsPolicy.from_text(text).allowed(url, UA) is allowed, why


def test_groups_and_crawl_delay():
    groups = parse_robots("User-agent: *\nCrawl-delay: 5\nDisallow: /x\nUser-agent: b\nDisallow:\n")
    assert [g.agents for g in groups] == [["*"], ["b"]]
    assert RobotsPolicy(groups).crawl_delay(UA) == 5.0


def test_allow_all_and_disallow_all_policies():
    assert RobotsPolicy([], allow_all=True).allowed("http://h/x", UA)
    assert not RobotsPolicy([], disallow_all=True).allowed("http://h/x", UA)


def test_robots_url_is_per_host_and_port():
    assert (
        robots_url("https://www.hengyang.gov.cn:8443/xxgk/a.html?x=1") == "https://www.hengyang.gov.cn:8443/robots.txt"
    )
