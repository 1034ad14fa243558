-- Other codes for the same area: an OCHA p-code (SY07) for an ISO 3166-2 area (SY-ID),
-- recorded when a coordinator imports a p-code table.
CREATE TABLE area_aliases (
    alias TEXT PRIMARY KEY,
    area_code TEXT NOT NULL REFERENCES areas(code) ON DELETE CASCADE
);
CREATE INDEX area_aliases_area ON area_aliases(area_code);
