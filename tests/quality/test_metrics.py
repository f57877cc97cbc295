"""The metric catalogue: which names must map to which key, and the curation command."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bulletins.core.facts import Period
from tests.quality.test_facts import figure, load, page
from warehouse import metrics

# Every name here is how some bulletin writes a standard indicator; each must map to its key.
MUST_MAP = {
    "gdp": [
        "地区生产总值",
        "GDP",
        "GDP总量",
        "生产总值",
        "全市地区生产总值",
        "GDP增速",
        "地区生产总值增长",
        "ＧＤＰ",
        "经济总量",
    ],
    "industry_va_above_scale": [
        "规模以上工业增加值",
        "规模工业增加值",
        "规上工业增加值",
        "全省规模以上工业增加值",
        "“规上工业”增加值",
        "规模工业增加值增速",
    ],
    "fixed_asset_investment": [
        "固定资产投资",
        "固定资产投资(不含农户)",
        "固定资产投资（不含农户）",
        "全社会固定资产投资",
    ],
    "retail_sales": ["社会消费品零售总额", "社零总额", "社会消费品零售总额增长"],
    "general_budget_revenue": ["一般公共预算收入", "地方一般公共预算收入", "地方一般预算收入", "地方收入"],
    "tax_revenue": ["税收收入", "地方税收收入", "地方税收"],
    "trade_total": ["进出口总额", "外贸进出口总额", "进出口总值"],
    "foreign_investment_used": ["实际利用外资", "实际使用外资金额"],
    "disposable_income": ["居民人均可支配收入", "全体居民人均可支配收入"],
    "disposable_income_urban": ["城镇居民人均可支配收入"],
    "disposable_income_rural": ["农村居民人均可支配收入"],
    "cpi": ["居民消费价格", "居民消费价格指数", "CPI"],
    "industrial_power_consumption": ["工业用电量", "工业用电量增速"],
    "power_consumption": ["全社会用电量", "全社会累计用电量增速"],
    "deposits": ["金融机构本外币各项存款余额", "存款余额", "金融机构各项存款余额"],
    "loans": ["金融机构本外币各项贷款余额", "贷款余额"],
}

# Names that are not one standard indicator, or are another one: they must not map (or not there).
MUST_NOT_MAP = [
    "规模以上工业企业利润",
    "园区技工贸总收入",
    "财政收入",
    "重大项目",
    "高技术制造业增速高于全部规上工业",
    "城镇居民",
]


@pytest.mark.parametrize("key,name", [(k, n) for k, names in MUST_MAP.items() for n in names])
def test_standard_names_map(key, name):
    assert metrics.metric_key(name) == key


@pytest.mark.parametrize("name", MUST_NOT_MAP)
def test_other_names_do_not_map(name):
    assert metrics.metric_key(name) is None


def test_catalogue_is_well_formed():
    """Unique keys, known families, every entry's own name maps to itself."""
    rows = metrics.catalogue_rows()
    assert len({k for k, _, _ in rows}) == len(rows) >= 30
    assert all(metrics.metric_key(name) == key for key, name, _ in rows)


def test_a_name_under_two_keys_is_refused(tmp_path: Path):
    bad = tmp_path / "m.yaml"
    bad.write_text(
        "- {key: a, name: 甲指标, family: currency, aliases: [乙]}\n"
        "- {key: b, name: 丙指标, family: currency, aliases: [乙增速]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="both a and b"):
        metrics.load_catalogue(bad)


def test_unmapped_lists_the_most_frequent_names(warehouse):
    load(
        warehouse,
        [
            page(
                s,
                n,
                dt.date(2023, 7, 1),
                indicators=[
                    figure("园区技工贸总收入", 5.0, "%", Period(2023, 1, 2023, 6), measure="change"),
                    figure("GDP", 100.0, "亿元", Period(2023, 1, 2023, 6)),
                ]
                + ([figure("科创平台", 3, "家", None)] if n == 0 else []),
            )
            for s in ("gov", "epaper")
            for n in range(2)
        ],
    )
    assert metrics.unmapped(warehouse) == [("园区技工贸总收入", 4, 2), ("科创平台", 2, 2)]


def test_rekey_applies_a_curated_catalogue(warehouse, tmp_path):
    """A name added to the catalogue keys the rows already loaded, without a reprocess."""
    load(
        warehouse,
        [
            page(
                "gov",
                1,
                dt.date(2023, 7, 1),
                indicators=[
                    figure("园区技工贸总收入", 5.0, "%", Period(2023, 1, 2023, 6), measure="change"),
                    figure("GDP", 1.0, "亿元", None),
                ],
            )
        ],
    )
    curated = tmp_path / "m.yaml"
    curated.write_text(
        metrics.CATALOGUE.read_text(encoding="utf-8")
        + "\n- {key: park_revenue, name: 园区技工贸总收入, family: currency}\n",
        encoding="utf-8",
    )
    assert metrics.rekey(warehouse, curated) == 1
    assert warehouse.execute("SELECT metric, metric_key FROM indicators ORDER BY metric").fetchall() == [
        ("GDP", "gdp"),
        ("园区技工贸总收入", "park_revenue"),
    ]


def test_metrics_cli_unmapped(tmp_path, quality_dirs, capsys):
    from bulletins.cli import main
    from warehouse.db import connect

    db = tmp_path / "w.duckdb"
    con = connect(db)
    load(
        con,
        [
            page(
                "gov", 1, dt.date(2023, 7, 1), indicators=[figure("园区技工贸总收入", 5.0, "%", None, measure="change")]
            )
        ],
    )
    con.close()
    assert main(["metrics", "--unmapped", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "园区技工贸总收入" in out and "(1 rows)" in out
    assert main(["metrics", "--db", str(db)]) == 0
    assert "地区生产总值" in capsys.readouterr().out


def test_metrics_cli_rekey_publishes(tmp_path, quality_dirs, capsys):
    """``--rekey`` changes the pipeline's file and publishes it: analysts see the keys at once."""
    import duckdb

    from bulletins.cli import main
    from warehouse.db import connect
    from warehouse.publish import publish

    db = tmp_path / "w.duckdb"
    con = connect(db)
    load(con, [page("gov", 1, dt.date(2023, 7, 1), indicators=[figure("GDP", 1.0, "亿元", None)])])
    con.execute("UPDATE indicators SET metric_key = NULL")  # as loaded before the catalogue knew GDP
    publish(con)
    con.close()
    assert main(["metrics", "--rekey", "--db", str(db)]) == 0
    assert "1 indicator rows re-keyed" in capsys.readouterr().out
    reader = duckdb.connect(str(db), read_only=True)
    assert reader.execute("SELECT metric_key FROM indicators").fetchall() == [("gdp",)]
    reader.close()
