"""The expectation suites, as code: the source of truth for the committed GX file context.

Each table's suite is a table of rules ``(expectation, reason, example)``: the expectation
GX checks, the human reason a failing row is quarantined with, and the row it exists for.
``python -m expectations.suites`` (re)writes ``expectations/gx/``: the pandas datasource with
one dataframe asset per staged table, the suites as JSON, and one validation definition per
suite. ``tests/quality/test_suites.py`` fails when the committed JSON and this file differ.

Suites run on the *validation view* of a staged frame (``expectations.gate.validation_view``):
the frame's own columns with dates parsed, plus a few derived columns named here
(``unparseable_dates``, ``days_published_after_start``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple

import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.expectations.row_conditions import Column

from warehouse.metrics import catalogue_rows

GX_ROOT = Path(__file__).resolve().parent  # get_context(project_root_dir=...) adds gx/
CONTEXT_DIR = GX_ROOT / "gx"
DATASOURCE = "staged"
BATCH_DEFINITION = "whole"
TABLES = ("documents", "articles", "meetings", "meeting_participants", "indicators")
SOURCE_YIELD_SUITE = "source_yield"  # what each source's pages yielded this run, vs its history
SOURCE_YIELD_ASSET = "source_yields"  # one row per source crawled: expectations.gate.yields_frame

EARLIEST_DATE = dt.datetime(2000, 1, 1)  # nothing we crawl reports on the last century
LATEST = {"$PARAMETER": "latest_plausible_date"}  # tomorrow, set by the gate at run time

ROLES = ["chair", "speaker", "presenter", "attendee"]
MEASURES = ["level", "change", "share", "difference", "ratio", "rank"]
# Units as the extraction contract writes them; an unknown unit is usually a misread number.
UNITS = [
    "%",
    "个百分点",
    "倍",
    "成",
    "元",
    "万元",
    "亿元",
    "万亿元",
    "美元",
    "万美元",
    "亿美元",
    "个",
    "家",
    "项",
    "列",
    "条",
    "件",
    "台",
    "辆",
    "架",
    "艘",
    "座",
    "所",
    "户",
    "位",
    "名",
    "人",
    "万人",
    "人次",
    "万人次",
    "次",
    "批",
    "期",
    "场",
    "届",
    "宗",
    "起",
    "套",
    "栋",
    "亩",
    "万亩",
    "公顷",
    "平方米",
    "万平方米",
    "平方公里",
    "公里",
    "千米",
    "米",
    "吨",
    "万吨",
    "亿吨",
    "千瓦",
    "万千瓦",
    "千瓦时",
    "万千瓦时",
    "亿千瓦时",
    "标准箱",
    "万标箱",
    "天",
    "小时",
    "分钟",
    "年",
    "月",
]
NOT_BLANK = r"\S"  # at least one visible character
# No figure a bulletin reports comes near 10^15 in the unit written (a country's GDP in 元 is
# about 1.3×10^14), so anything beyond is a misread, an attack, or inf from a 401-digit figure.
MAX_ABS_VALUE = 1e15
MAX_RANK = 100_000  # ranks count places or firms: 第999999999999 is not one
PERIOD = r"^\d{4}-\d{2}/\d{4}-\d{2}$"
# A place as the extraction contract writes it: a division's full name with its level (湖南省,
# 株洲市, 攸县, 雁峰区, 湘西土家族苗族自治州, 阿拉善盟, 鄂温克族自治旗: every name of the
# ``places`` table ends so) or 全国. A fact whose place the text, outlet and site leave open has
# none (NULL, which the contract allows); a place that is there must be one of these.
PLACE = r"^(?:全国|\S{1,14}[省市县区州盟旗])$"


class Rule(NamedTuple):
    """One expectation, the reason a failing row is quarantined with, and its example."""

    expectation: gxe.Expectation
    reason: str
    example: str


def _rule(expectation: gxe.Expectation, reason: str, example: str) -> Rule:
    """A rule whose reason and example travel in the expectation's meta (and Data Docs)."""
    expectation.meta = {"reason": reason, "example": example}
    return Rule(expectation, reason, example)


def _key_rules(column: str) -> list[Rule]:
    """A key column: present and unique."""
    return [
        _rule(
            gxe.ExpectColumnValuesToNotBeNull(column=column),
            f"{column} is missing",
            f"a row staged without its {column}",
        ),
        _rule(
            gxe.ExpectColumnValuesToBeUnique(column=column),
            f"{column} is not unique in the batch",
            "the same article position staged twice",
        ),
    ]


def _not_blank(column: str, example: str) -> list[Rule]:
    """A text column that must carry visible text."""
    return [
        _rule(gxe.ExpectColumnValuesToNotBeNull(column=column), f"{column} is missing", example),
        _rule(gxe.ExpectColumnValuesToMatchRegex(column=column, regex=NOT_BLANK), f"{column} is empty", example),
    ]


def _plausible_date(column: str, example: str) -> Rule:
    """A date between 2000-01-01 and tomorrow."""
    return _rule(
        gxe.ExpectColumnValuesToBeBetween(column=column, min_value=EARLIEST_DATE, max_value=LATEST),
        f"{column} is before 2000 or in the future",
        example,
    )


def _dates_parse() -> Rule:
    """Every date column holds a date (the view parses them; failures are named here)."""
    return _rule(
        gxe.ExpectColumnValuesToBeNull(column="unparseable_dates"),
        "a date column holds something that is not a date",
        "published_date = '2023-13-45'",
    )


def _place(example: str) -> Rule:
    """A fact's place, where it has one: not blank, and an administrative area's full name."""
    return _rule(
        gxe.ExpectColumnValuesToMatchRegex(column="place", regex=PLACE),
        "place is empty or not an administrative area's full name (…省/市/县/区/州/盟/旗, or 全国)",
        example,
    )


def _metric_key() -> Rule:
    """An indicator's metric_key, where it has one: a key of the metric catalogue (warehouse/metrics.yaml)."""
    return _rule(
        gxe.ExpectColumnValuesToBeInSet(column="metric_key", value_set=[key for key, _, _ in catalogue_rows()]),
        "metric_key is not a key of the metric catalogue (warehouse/metrics.yaml)",
        "metric_key 'gdp_growth', a key the catalogue does not have (renamed after the rows were keyed)",
    )


def documents_rules() -> list[Rule]:
    """What a fetched page must be before anything of it loads."""
    return [
        *_key_rules("document_id"),
        _rule(
            gxe.ExpectColumnValuesToMatchRegex(column="url", regex=r"^https?://"),
            "url is not an http(s) URL",
            "javascript:alert(1) taken from a crawled link",
        ),
        _rule(
            gxe.ExpectColumnValuesToBeUnique(column="url"),
            "url is not unique in the batch",
            "one page staged twice under two ids",
        ),
        _rule(gxe.ExpectColumnValuesToNotBeNull(column="source"), "source is missing", "a page of no site"),
        _rule(
            gxe.ExpectColumnValuesToNotBeNull(column="content_hash"),
            "content_hash is missing: the raw bytes cannot be found in the archive",
            "a page never archived",
        ),
        _rule(
            gxe.ExpectColumnValuesToBeBetween(column="http_status", min_value=200, max_value=399),
            "http_status is not a success",
            "an error page (404) parsed as an article",
        ),
        *_not_blank("text", "a page whose article selector matched nothing (a template change)"),
        _plausible_date("published_date", "发布时间：2203-07-28 (a typo on the page)"),
        _dates_parse(),
    ]


def articles_rules() -> list[Rule]:
    """What an article of a page must be."""
    return [
        *_key_rules("article_id"),
        _rule(gxe.ExpectColumnValuesToNotBeNull(column="document_id"), "document_id is missing", "an orphan article"),
        _rule(gxe.ExpectColumnValuesToBeBetween(column="position", min_value=0), "position is negative", "position -1"),
        *_not_blank("body", "an e-paper block holding only a headline"),
        _plausible_date("published_date", "1899-12-30 (a spreadsheet's zero date)"),
        _dates_parse(),
    ]


def meetings_rules() -> list[Rule]:
    """What a meeting must be: named, dated plausibly, ending after it starts."""
    return [
        *_key_rules("meeting_id"),
        _rule(gxe.ExpectColumnValuesToNotBeNull(column="article_id"), "article_id is missing", "an orphan meeting"),
        *_not_blank("name", "a meeting whose name the extractor could not read"),
        _plausible_date("start_date", "start 1923-07-28 from a misread year"),
        _plausible_date("end_date", "end 2923-07-28 from a misread year"),
        _rule(
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="end_date", column_B="start_date", or_equal=True, ignore_row_if="either_value_is_missing"
            ),
            "the meeting ends before it starts",
            "10月26—25日 read as 26 Oct to 25 Oct",
        ),
        _rule(
            gxe.ExpectColumnValuesToBeBetween(column="days_published_after_start", min_value=-60, max_value=730),
            "the meeting starts far from its document's date (more than 60 days after, or 2 years before)",
            "a 12月 meeting resolved to the year after its January bulletin",
        ),
        _place("place '衡州' (a short name) or ' ' for 市政府常务会议"),
        _dates_parse(),
    ]


def meeting_participants_rules() -> list[Rule]:
    """What a participant must be: a name, once per meeting, in a known role."""
    return [
        _rule(gxe.ExpectColumnValuesToNotBeNull(column="meeting_id"), "meeting_id is missing", "an orphan participant"),
        *_not_blank("person", "市领导 with no name after it"),
        _rule(
            gxe.ExpectColumnValueLengthsToBeBetween(column="person", min_value=2, max_value=12),
            "person is not a name (too short or too long)",
            "a whole clause read as a name",
        ),
        _rule(
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["meeting_id", "person"]),
            "the person is listed twice for the meeting",
            "陈海波 as speaker and as attendee",
        ),
        _rule(
            gxe.ExpectColumnValuesToBeInSet(column="role", value_set=ROLES),
            "role is not one of chair, speaker, presenter, attendee",
            "role 'host'",
        ),
        _rule(gxe.ExpectColumnValuesToNotBeNull(column="role"), "role is missing", "a name with no verb"),
    ]


def indicators_rules() -> list[Rule]:
    """What an indicator must be: a known measure and unit, sane values, a real period."""
    return [
        *_key_rules("indicator_id"),
        _rule(gxe.ExpectColumnValuesToNotBeNull(column="article_id"), "article_id is missing", "an orphan figure"),
        *_not_blank("metric", "增长6.4% with no subject"),
        _rule(
            gxe.ExpectColumnValuesToBeInSet(column="measure", value_set=MEASURES),
            "measure is not one of level, change, share, difference, ratio, rank",
            "measure 'growth'",
        ),
        _rule(
            gxe.ExpectColumnValuesToNotBeNull(column="value", row_condition=Column("measure") != "rank"),
            "value is missing for a measure that needs one",
            "增长 with the number dropped",
        ),
        _rule(
            gxe.ExpectColumnValuesToBeInSet(column="unit", value_set=UNITS),
            "unit is not a known unit",
            "unit '月' from 1-6月 read as a figure",
        ),
        _rule(
            gxe.ExpectColumnValuesToBeBetween(
                column="value",
                min_value=-1000,
                max_value=1000,
                row_condition=(Column("measure") == "change") & (Column("unit") == "%"),
            ),
            "a change rate beyond ±1000%",
            "增长5000% (a level read as a rate)",
        ),
        _rule(
            gxe.ExpectColumnValuesToBeBetween(
                column="value",
                min_value=0,
                max_value=100,
                row_condition=(Column("measure") == "share") & (Column("unit") == "%"),
            ),
            "a share outside 0–100%",
            "占比166.3%",
        ),
        _rule(gxe.ExpectColumnValuesToBeBetween(column="rank", min_value=1), "rank is not positive", "排全省第0"),
        _rule(
            gxe.ExpectColumnValuesToBeBetween(column="rank", max_value=MAX_RANK),
            f"rank is beyond {MAX_RANK:,}",
            "排全省第999999999999位",
        ),
        _rule(
            gxe.ExpectColumnValuesToBeBetween(column="value", min_value=-MAX_ABS_VALUE, max_value=MAX_ABS_VALUE),
            "value is not a finite number within ±10^15",
            "地方收入 written with 40 digits, or 401 (read as inf)",
        ),
        _rule(
            gxe.ExpectColumnValuesToMatchRegex(column="period", regex=PERIOD),
            "period is not YYYY-MM/YYYY-MM",
            "period '上半年'",
        ),
        _rule(
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="period_end", column_B="period_start", or_equal=False, ignore_row_if="either_value_is_missing"
            ),
            "the period ends before it starts",
            "2023-09/2023-01",
        ),
        _plausible_date("period_start", "a period in 1023 from a misread year"),
        _rule(
            gxe.ExpectColumnValuesToBeInSet(column="target", value_set=[True, False]),
            "target is not true or false",
            "target NULL",
        ),
        _rule(gxe.ExpectColumnValuesToNotBeNull(column="target"), "target is missing", "target NULL"),
        *_not_blank("evidence", "a figure with no sentence to show for it"),
        _place("place '全市' left unresolved, or '' for 全县地方收入"),
        _metric_key(),
        _dates_parse(),
    ]


def _at_least(column: str, minimum: str, reason: str, example: str) -> Rule:
    """``column`` not below ``minimum`` (a row with either unknown is not judged)."""
    return _rule(
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A=column, column_B=minimum, or_equal=True, ignore_row_if="either_value_is_missing"
        ),
        reason,
        example,
    )


def source_yield_rules() -> list[Rule]:
    """A source's pages this run: list pages still yield links, article pages a title and a body."""
    return [
        _at_least(
            "links_seen",
            "min_links_seen",
            "the source's list pages yielded no links, or a fraction of their usual number "
            "(a template change upstream?)",
            "index.html still served, but ul.list li a matches nothing",
        ),
        _at_least(
            "content_share",
            "min_content_share",
            "the source's fetched pages yielded no title and body, or a fraction of their usual share "
            "(a template change upstream?)",
            "article pages still served, but #body matches nothing",
        ),
    ]


RULES = {
    "documents": documents_rules,
    "articles": articles_rules,
    "meetings": meetings_rules,
    "meeting_participants": meeting_participants_rules,
    "indicators": indicators_rules,
    SOURCE_YIELD_SUITE: source_yield_rules,
}
# The asset each suite validates: a table's suite its staged frame, the yield suite one row per source.
SUITE_ASSET = {name: SOURCE_YIELD_ASSET if name == SOURCE_YIELD_SUITE else name for name in RULES}

CONTEXT_SETTINGS = {
    # Offline machine, quiet logs: no usage statistics, no progress bars.
    "analytics_enabled": False,
    "progress_bars": {"globally": False},
}
# Stores whose place depends on the environment: substituted from runtime_environment
# by expectations.gate.get_context (reports_dir()/data_docs and data_dir()/gx_validations).
VALIDATIONS_DIR_VAR = "BULLETINS_GX_VALIDATIONS"
DATA_DOCS_DIR_VAR = "BULLETINS_GX_DATA_DOCS"


def build_suite(name: str) -> gx.ExpectationSuite:
    """The suite ``name`` from its rules, unattached to any context."""
    return gx.ExpectationSuite(name=name, expectations=[rule.expectation for rule in RULES[name]()])


def suite_signature(suite: gx.ExpectationSuite) -> list[dict]:
    """A suite's expectations without their ids: what two copies must agree on."""
    return [{k: v for k, v in exp.configuration.to_json_dict().items() if k != "id"} for exp in suite.expectations]


def _configure(context) -> None:
    """Quiet, offline settings and environment-substituted store and docs folders."""
    config = context.config
    config.analytics_enabled = CONTEXT_SETTINGS["analytics_enabled"]
    config.progress_bars = CONTEXT_SETTINGS["progress_bars"]
    config.stores["validation_results_store"]["store_backend"]["base_directory"] = "${%s}" % VALIDATIONS_DIR_VAR
    config.data_docs_sites = {
        "local_site": {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": "${%s}" % DATA_DOCS_DIR_VAR,
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
    }
    context._save_project_config()


def _ensure_assets(context) -> None:
    """The pandas datasource with one whole-dataframe asset per staged table."""
    names = {ds.name for ds in context.data_sources.all().values()}
    source = (
        context.data_sources.get(DATASOURCE) if DATASOURCE in names else context.data_sources.add_pandas(DATASOURCE)
    )
    for table in (*TABLES, SOURCE_YIELD_ASSET):
        if table not in {asset.name for asset in source.assets}:
            source.add_dataframe_asset(table)
        asset = source.get_asset(table)
        if BATCH_DEFINITION not in {bd.name for bd in asset.batch_definitions}:
            asset.add_batch_definition_whole_dataframe(BATCH_DEFINITION)


def _write_suite(context, name: str) -> bool:
    """Write suite ``name`` unless the stored copy already says the same; True if written."""
    wanted = build_suite(name)
    existing = {s.name: s for s in context.suites.all()}.get(name)
    if existing is not None and suite_signature(existing) == suite_signature(wanted):
        return False
    if existing is not None:
        for vd in [v for v in context.validation_definitions.all() if v.suite.name == name]:
            context.validation_definitions.delete(vd.name)
        context.suites.delete(name)
    context.suites.add(wanted)
    return True


def _ensure_validation_definition(context, name: str) -> None:
    """One validation definition per suite: its asset's whole-dataframe batch and the suite."""
    if name in {vd.name for vd in context.validation_definitions.all()}:
        return
    batch_definition = (
        context.data_sources.get(DATASOURCE).get_asset(SUITE_ASSET[name]).get_batch_definition(BATCH_DEFINITION)
    )
    context.validation_definitions.add(
        gx.ValidationDefinition(name=name, data=batch_definition, suite=context.suites.get(name))
    )


def _drop_stale(context) -> None:
    """Suites (and their validation definitions) no longer in ``RULES``: a renamed suite leaves none behind."""
    for vd in [v for v in context.validation_definitions.all() if v.suite.name not in RULES]:
        context.validation_definitions.delete(vd.name)
    for suite in [s for s in context.suites.all() if s.name not in RULES]:
        context.suites.delete(suite.name)


def write_context(root: Path = GX_ROOT) -> list[str]:
    """(Re)write the file context under ``root``/gx from this module; return suites rewritten."""
    context = gx.get_context(
        mode="file",
        project_root_dir=str(root),
        runtime_environment={
            VALIDATIONS_DIR_VAR: "uncommitted/validations",
            DATA_DOCS_DIR_VAR: "uncommitted/data_docs",
        },
    )
    _configure(context)
    _ensure_assets(context)
    _drop_stale(context)
    written = [name for name in RULES if _write_suite(context, name)]
    for name in RULES:
        _ensure_validation_definition(context, name)
    return written


if __name__ == "__main__":
    changed = write_context()
    print(f"expectations/gx: rewrote {', '.join(changed) if changed else 'nothing (suites up to date)'}")
