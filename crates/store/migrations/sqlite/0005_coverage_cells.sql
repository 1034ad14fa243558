-- The 4W matrix kept ready (sqlite): one row per month, first-level area and sector,
-- recomputed from activities in the same transaction as every write that touches it.
-- Keep in step with the other backend's 0005_coverage_cells.sql.
CREATE TABLE coverage_cells (
    period TEXT NOT NULL,
    adm1_code TEXT NOT NULL,
    sector_code TEXT NOT NULL,
    organisations INTEGER NOT NULL,
    activities INTEGER NOT NULL,
    targeted INTEGER NOT NULL,
    reached INTEGER NOT NULL,
    PRIMARY KEY (period, adm1_code, sector_code)
);

INSERT INTO coverage_cells (period, adm1_code, sector_code, organisations, activities, targeted, reached)
SELECT period, adm1_code, sector_code, COUNT(DISTINCT org_id), COUNT(*),
       CAST(COALESCE(SUM(t_total), 0) AS BIGINT), CAST(COALESCE(SUM(r_total), 0) AS BIGINT)
FROM activities GROUP BY period, adm1_code, sector_code;
