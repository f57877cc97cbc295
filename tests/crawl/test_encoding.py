"""Charset decisions: header, meta, hint, detection, and headers that lie."""

from __future__ import annotations

import pytest

from bulletins.crawl.encoding import binary_kind, codec_name, decode_html, header_charset, meta_charset

TEXT = "衡阳市召开市政府常务会议，研究部署经济运行工作。全市地区生产总值增长5.6%。"
HTML = f"<html><head><title>会议</title></head><body><p>{TEXT}</p></body></html>"
TRAD = "衡陽市召開市政府常務會議，研究部署經濟運行工作。"
META_GBK = (
    f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>{TEXT}</body></html>'
)

# (bytes, Content-Type, hint, expected codec, expected source, why)
CASES = [
    (HTML.encode("utf-8"), "text/html; charset=utf-8", None, "utf-8", "utf8-valid", "the common case"),
    (HTML.encode("utf-8"), "text/html; charset=gbk", None, "utf-8", "utf8-valid", "valid UTF-8 beats a GBK claim"),
    (HTML.encode("gbk"), "text/html; charset=GBK", None, "gb18030", "header", "a truthful GBK header"),
    (HTML.encode("gbk"), "text/html; charset=utf-8", None, "gb18030", "detected", "header says utf-8, bytes are GBK"),
    (META_GBK.encode("gbk"), "text/html; charset=utf-8", None, "gb18030", "meta", "wrong header, right meta"),
    (
        META_GBK.encode("gbk"),
        "text/html; charset=ISO-8859-1",
        None,
        "gb18030",
        "meta",
        "Apache's default label is weak",
    ),
    (HTML.encode("gbk"), "text/html", None, "gb18030", "detected", "no charset anywhere"),
    (TRAD.encode("big5"), None, "big5", "cp950", "detected", "Big5, hint confirms detection"),
    ("<p>衡陽</p>".encode("big5"), None, "big5", "cp950", "detected", "too short to tell: the hint breaks the tie"),
    ("<p>衡阳</p>".encode("gbk"), None, None, "gb18030", "detected", "too short, no hint: mainland first"),
    (b"<html>plain ascii</html>", "text/html; charset=gbk", None, "gb18030", "ascii", "ASCII under any label"),
    (b"\xef\xbb\xbf" + HTML.encode("utf-8"), None, None, "utf-8-sig", "bom", "a BOM is never wrong"),
]


@pytest.mark.parametrize("body, ctype, hint, codec, source, why", CASES, ids=[c[5] for c in CASES])
def test_decode(body, ctype, hint, codec, source, why):
    decoded = decode_html(body, ctype, hint)
    assert (decoded.encoding, decoded.source) == (codec, source), why
    assert not decoded.lossy
    assert decoded.text == body.decode(codec)


def test_gb2312_label_reads_gbk_only_characters():
    text = "朱镕基、王堃出席会议"  # 镕 and 堃 are outside GB2312
    decoded = decode_html(text.encode("gbk"), "text/html; charset=gb2312")
    assert decoded.text == text


@pytest.mark.parametrize(
    "body",
    [
        b"\xff\xfe\xfa\x00\x81",  # a UTF-16 BOM before an odd number of bytes
        bytes(range(128, 256)) * 3,
        "衡阳".encode("gbk") + b"\x81",  # a GBK lead byte with no trail byte
    ],
    ids=["broken-bom", "high-bytes", "cut-gbk"],
)
def test_garbage_never_raises_and_says_when_it_replaced(body):
    decoded = decode_html(body, "text/html; charset=utf-8")
    if decoded.lossy:
        assert "\ufffd" in decoded.text
    else:
        assert decoded.text == body.decode(decoded.encoding)


@pytest.mark.parametrize(
    "content_type, expected",
    [
        ("text/html; charset=GB2312", "GB2312"),
        ('text/html; charset="utf-8"', "utf-8"),
        ("text/html", None),
        (None, None),
    ],
)
def test_header_charset(content_type, expected):
    assert header_charset(content_type) == expected


def test_meta_charset_both_forms():
    assert meta_charset(b'<meta charset="gbk">') == "gbk"
    assert meta_charset(b"<META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=big5'>") == "big5"
    assert meta_charset(b"<p>no meta</p>") is None


def test_codec_names():
    assert codec_name("GB2312") == codec_name("gbk") == "gb18030"
    assert codec_name("x-nonsense") is None


@pytest.mark.parametrize(
    "body, kind",
    [
        (b"%PDF-1.7\n...", "PDF"),
        (b"\x89PNG\r\n\x1a\n....", "PNG"),
        (b"\xff\xd8\xff\xe0..JFIF", "JPEG"),
        (b"PK\x03\x04....", "ZIP/Office"),
        (b"<html>\x00\x01</html>", "binary"),
        (HTML.encode("gbk"), None),
    ],
)
def test_binary_kind(body, kind):
    assert binary_kind(body) == kind
