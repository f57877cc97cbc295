"""A small warehouse for the view, report and export tests: loaded through the real loader."""

from __future__ import annotations

import datetime as dt

from tests.quality.batches import good_batch

SCRIPT = "<script>document.title='PWNED';document.body.setAttribute('data-pwned','1')</script>"


def fill(con, *, hostile: bool = False) -> dict:
    """Load two months of meetings and a metric over two periods and two sources."""
    from warehouse import state
    from warehouse.load import load_batch

    batch = good_batch({"hengyang": 2, "rednet": 1})
    ind, meet, part = batch["indicators"], batch["meetings"], batch["meeting_participants"]
    ind.loc[2, ["period", "period_start", "period_end", "value"]] = [
        "2023-01/2023-09",
        dt.date(2023, 1, 1),
        dt.date(2023, 9, 30),
        6.1,
    ]
    meet.loc[1, ["start_date", "end_date", "kind", "name"]] = [
        dt.date(2023, 6, 2),
        dt.date(2023, 6, 3),
        "座谈会",
        "民营企业座谈会",
    ]
    part.loc[2, ["person", "role", "title"]] = ["刘越高", "chair", "市委书记"]
    part.loc[3, ["person", "role", "title"]] = ["朱健", "attendee", "市长"]
    if hostile:
        ind.loc[0, "evidence"] = f"{SCRIPT}规模工业增加值增长5.2%"
        meet.loc[0, "name"] = f"全体会议{SCRIPT}"
        batch["articles"].loc[0, "title"] = "<img src=x onerror=\"document.title='PWNED'\">"
    state.start_run(con, "run-1", "crawl-source", "hengyang")
    loaded = load_batch(con, batch, "run-1")
    state.finish_run(con, "run-1", "completed", {"fetched": 2}, "2 pages fetched")
    if hostile:
        con.execute("UPDATE documents SET url = 'javascript:document.title=1' WHERE source = 'rednet'")
    return loaded
