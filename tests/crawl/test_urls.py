"""Canonical URLs: one strict parser for what is judged, fetched and keyed."""

from __future__ import annotations

import socket

import pytest

from bulletins.crawl import urls
from bulletins.crawl.urls import UrlRejected, canonical, host_rule, parse

# (spelling, its canonical form)
CANONICAL = [
    ("http://www.example.gov.cn/a/1.html", "http://www.example.gov.cn/a/1.html"),  # already canonical: unchanged
    ("HTTP://WWW.Example.GOV.CN/a/1.html", "http://www.example.gov.cn/a/1.html"),
    ("http://www.example.gov.cn:80/a/1.html", "http://www.example.gov.cn/a/1.html"),
    ("https://www.example.gov.cn:443/a/1.html", "https://www.example.gov.cn/a/1.html"),
    ("https://www.example.gov.cn:8443/a/1.html", "https://www.example.gov.cn:8443/a/1.html"),
    ("http://www.example.gov.cn:080/a", "http://www.example.gov.cn/a"),
    ("http://www.example.gov.cn./a/1.html", "http://www.example.gov.cn/a/1.html"),
    ("http://www.example.gov.cn/a/1.html#top", "http://www.example.gov.cn/a/1.html"),
    ("http://www.example.gov.cn", "http://www.example.gov.cn/"),
    ("http://www.example.gov.cn?id=3", "http://www.example.gov.cn/?id=3"),
    ("http://x.cn/a.html?utm_source=wx&id=7&utm_medium=share", "http://x.cn/a.html?id=7"),
    ("http://x.cn/a.html?id=7&spm=a2.b3&from=timeline&isappinstalled=0", "http://x.cn/a.html?id=7"),
    ("http://x.cn/a.html?UTM_Campaign=x", "http://x.cn/a.html"),
    ("http://x.cn/a.html?", "http://x.cn/a.html"),
    ("http://x.cn/a.html?b=2&a=1", "http://x.cn/a.html?b=2&a=1"),  # order kept: some CMSs care
    ("http://x.cn/新闻/一.html", "http://x.cn/%E6%96%B0%E9%97%BB/%E4%B8%80.html"),  # as requests sends it
    ("http://x.cn/a%2fb.html", "http://x.cn/a%2fb.html"),  # escapes kept as written: sent as written
    ("http://x\u200b.cn/", "http://x.cn/"),  # an invisible character IDNA maps away, as requests does
    ("http://x.cn/a b.html", None),  # a space: refused, never guessed
    ("http://2130706433/", "http://127.0.0.1/"),
    ("http://0x7f.0.0.1:8080/", "http://127.0.0.1:8080/"),
    ("http://0177.0.0.1/", "http://127.0.0.1/"),
    ("http://127.1/", "http://127.0.0.1/"),
    ("http://１２７。０。０。１/", "http://127.0.0.1/"),
    ("http://例子.测试/a", "http://xn--fsqu00a.xn--0zwm56d/a"),
    ("http://[0:0:0:0:0:0:0:1]:8080/a", "http://[::1]:8080/a"),
]


@pytest.mark.parametrize("spelling, expected", CANONICAL, ids=[c[0] for c in CANONICAL])
def test_canonical_spelling(spelling, expected):
    if expected is None:
        with pytest.raises(UrlRejected):
            canonical(spelling)
    else:
        assert canonical(spelling) == expected
        assert canonical(expected) == expected  # canonical is a fixed point


def test_a_source_may_keep_a_parameter_the_default_drops():
    assert canonical("http://x.cn/list.html?from=2&utm_source=a", ignored=["utm_*"]) == "http://x.cn/list.html?from=2"
    assert canonical("http://x.cn/list.html?from=2", ignored=()) == "http://x.cn/list.html?from=2"


# (URL, a phrase of why it is refused)
REFUSED = [
    ("http://127.0.0.2:80\\@localhost:80/", "backslash"),
    ("http://user@x.cn/", "userinfo"),
    ("http://user:pw@x.cn/", "userinfo"),
    ("http://x.cn\t/", "control or space"),
    ("http://x.cn/\x00", "control or space"),
    ("//x.cn/a", "scheme-relative"),
    ("x.cn/a", "is not http or https"),
    ("file:///etc/passwd", "scheme 'file'"),
    ("gopher://x.cn/", "scheme 'gopher'"),
    ("http:x.cn/a", "expected //"),
    ("http:///a", "has no host"),
    ("http://%78.cn/", "percent-escapes"),
    ("http://x.cn:99999/", "not a port number"),
    ("http://x.cn:８０/", "not a port number"),
    ("http://1.2.3.4.5/", "not a valid IPv4"),
    ("http://256.1.1.1/", "not a valid IPv4"),
    ("http://08.0.0.1/", "neither an IPv4"),
    ("http://a..b.cn/", "not a host name"),
    ("http://-x.cn/", "not a host name"),
    ("http://[::1%25eth0]/", "not an IPv6"),
    ("http://[::1/", "unclosed"),
    ("http://x\u0378.cn/", "not a valid international domain name"),  # an unassigned code point
]


@pytest.mark.parametrize("url, why", REFUSED, ids=[r[0].encode("unicode_escape").decode() for r in REFUSED])
def test_refused_urls_say_why(url, why):
    with pytest.raises(UrlRejected) as info:
        parse(url)
    assert why in str(info.value)


@pytest.mark.parametrize(
    "host",
    ["2130706434", "0x7f.0.0.2", "0177.0.0.02", "127.2", "0x7f000002", "127.0.2", "0x7F.0x0.0X0.0x2", "017700000002"],
)
def test_numeric_hosts_read_as_the_resolver_reads_them(host):
    # inet_aton is what getaddrinfo applies to numeric hosts before urllib3 connects.
    assert parse(f"http://{host}/").host == socket.inet_ntoa(socket.inet_aton(host))


# (allowed_hosts entry, URL, admitted)
RULES = [
    ("www.x.cn", "http://www.x.cn/a", True),
    ("www.x.cn", "https://www.x.cn/a", True),
    ("www.x.cn", "http://www.x.cn:8080/a", False),  # a bare host is its default port only
    ("www.x.cn:8080", "http://www.x.cn:8080/a", True),
    ("www.x.cn:8080", "http://www.x.cn/a", False),
    ("www.x.cn:80", "http://www.x.cn/a", True),
    ("WWW.X.CN.", "http://www.x.cn/a", True),
    ("*.x.cn", "http://news.x.cn/a", True),
    ("*.x.cn", "http://x.cn/a", True),
    ("*.x.cn", "http://evilx.cn/a", False),
    ("*.x.cn", "http://x.cn.evil.com/a", False),
    ("例子.测试", "http://xn--fsqu00a.xn--0zwm56d/a", True),
    ("127.0.0.1:8765", "http://2130706433:8765/a", True),
]


@pytest.mark.parametrize("entry, url, admitted", RULES, ids=[f"{r[0]} {r[1]}" for r in RULES])
def test_allowed_host_rules(entry, url, admitted):
    assert urls.admitted(parse(url), [host_rule(entry)]) is admitted


@pytest.mark.parametrize("entry", ["http://x.cn", "x.cn/a", "u@x.cn", "x.cn:0", "", "x .cn", "*."])
def test_bad_allowed_host_entries_are_refused(entry):
    with pytest.raises(UrlRejected):
        host_rule(entry)


@pytest.mark.integration
def test_every_demo_url_is_already_canonical(demo_site):
    # document_id = sha1(url): canonicalisation must leave the demo's keys as they were.
    for entry in demo_site.site.visible():
        url = demo_site.url(entry.path)
        assert canonical(url) == url


def test_the_fast_path_agrees_with_the_full_parse():
    # canonical() skips the full parse for plainly spelt URLs: it must never answer differently.
    schemes = ["http", "https", "HTTP"]
    hosts = [
        "www.x.cn",
        "WWW.X.cn",
        "x.cn.",
        "127.0.0.1",
        "a-b.c_d.cn",
        "-a.cn",
        "x.cn:80",
        "x.cn:8080",
        "x.cn:443",
        "x.cn:099",
        "x.cn:65536",
        "x.cn:0",
        "xn--fsqu00a.xn--0zwm56d",
        "x.123",
        "a..b",
    ]
    paths = [
        "",
        "/",
        "/a/1.html",
        "/a b",
        "/%41",
        "/新闻",
        "/a?utm_source=1",
        "/a?id=1&spm=2",
        "/a?",
        "/a#f",
        "/a?x=1#f",
        "/a?utm_=&b",
        "/a?from=x&from=y",
        "/a/../b",
        "/a;x=1",
    ]
    for url in (f"{s}://{h}{p}" for s in schemes for h in hosts for p in paths):
        try:
            full = parse(url).url
        except UrlRejected:
            full = None
        try:
            fast = canonical(url)
        except UrlRejected:
            fast = None
        assert fast == full, url
