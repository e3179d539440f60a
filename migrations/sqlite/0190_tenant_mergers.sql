-- A tenant merged into another (a province into a city, 01/07/2025) is archived with where
-- it went and from when: its pages point there, its log stays exactly as it was.
ALTER TABLE r57_tenants ADD COLUMN merged_into TEXT;
ALTER TABLE r57_tenants ADD COLUMN merged_on TEXT;
