-- The network's reporting cycle over time: monthly until the first row, then each row's
-- cycle (monthly, quarterly, half-yearly, yearly) from the month it starts. Periods stay
-- stored as the month they start with, so a change never rewrites history.
-- Keep in step with ../postgres/0018_reporting_cycles.sql.
CREATE TABLE reporting_cycles (
    -- YYYY-MM, the first month of the first period of the new cycle
    starts TEXT PRIMARY KEY,
    cycle TEXT NOT NULL,
    changed_at INTEGER NOT NULL
);
