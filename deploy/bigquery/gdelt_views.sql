-- The dashboard's four query tables (incidents, incident_sites, incident_countries, placements) as BigQuery views
-- over GDELT 2.0's public events table, built the way `python -m dashboard import` + `tables.upload_tables` build
-- them from a GDELT 2.0 export file (dashboard/core/importers/gdelt.py, combine.py; dashboard/core/query/tables.py).
--
-- Use (BigQuery Standard SQL; every statement is CREATE OR REPLACE, so the file can be run again):
--   1. replace `your-project.conflict_dashboard` everywhere with your PROJECT.DATASET;
--   2. load the gazetteer, geodata/sites.csv, as the table `sites` of that dataset (the view links events to the
--      nearest site with it, as the importer does);
--   3. edit the PARAMETERS block below, run the whole file as one query (a multi-statement query);
--   4. DASHBOARD_ENGINE=bigquery://PROJECT/DATASET DASHBOARD_EVENTS=table:gdelt_
-- (the README section "GDELT in BigQuery (on paper)" has the commands). Not run against BigQuery here: the SQL is
-- checked by running it, transpiled to DuckDB with sqlglot, on a real GDELT 2.0 export file and comparing the four
-- views with the importer's tables (tests/core/query/test_gdelt_views.py).
--
-- GDELT columns: GDELT Event Codebook V2.0, http://data.gdeltproject.org/documentation/GDELT-Event_Codebook-V2.0.pdf
-- (read through a copy, https://scribd.com/document/455525001/GDELT-Event-Codebook-V2-0-pdf), and the BigQuery
-- types of the table's 61 columns as listed, with the codebook's descriptions, in
-- https://github.com/linwoodc3/gdelt2HeaderRows (GDELT_2.0_Column_Labels_Header_Row_Sep2016.csv): GLOBALEVENTID,
-- SQLDATE (YYYYMMDD), QuadClass, NumArticles, ActionGeo_Type, DATEADDED are INTEGER; GoldsteinScale, AvgTone,
-- ActionGeo_Lat, ActionGeo_Long are FLOAT; EventCode, EventRootCode, Actor1Name, ActionGeo_FullName,
-- ActionGeo_CountryCode (FIPS 10-4, e.g. IZ Iraq, SY Syria, JO Jordan) and SOURCEURL are STRING.
-- ActionGeo_Type: 1 country, 2 US state, 3 US city or landmark, 4 world city or landmark, 5 world ADM1 region.
--
-- Source table. GDELT publishes each table twice in BigQuery: `gdelt-bq.gdeltv2.events`, not partitioned (every
-- query reads the whole of each column it names), and `gdelt-bq.gdeltv2.events_partitioned`, partitioned by day on
-- _PARTITIONTIME (the day GDELT loaded the rows, not the event's SQLDATE), so that a constant filter on
-- _PARTITIONTIME reads only those days ("Announcing Partitioned GDELT BigQuery Tables",
-- https://blog.gdeltproject.org/announcing-partitioned-gdelt-bigquery-tables/). The scope below reads the
-- partitioned table. GDELT loads an event on or after the day it took place (SQLDATE), give or take the time zone
-- (DATEADDED and the partitions are UTC days), so reading from the day before the first day keeps every event of
-- the range; there is no upper partition bound because GDELT keeps adding events about earlier days (the export
-- file the test uses, loaded on 2019-10-24, holds events dated from 2018-10-24). To read the unpartitioned table
-- instead, name `gdelt-bq.gdeltv2.events` and drop the _PARTITIONTIME line.
--
-- What the views cannot do as the importer does (everything else is the same value, row for row):
--   * An event without coordinates whose place name the gazetteer resolves (dashboard/core/places/gazetteer.py:
--     spelling folding and fuzzy matching) is placed at that site by the importer; here it stays unmapped, with the
--     importer's reason for an unresolved name. GDELT gives coordinates with every located action (types 1-5), so
--     this is about rows with a name and no coordinates, which the test's file does not have.
--   * The nearest site is the one at the smallest great-circle distance (the importer's formula, radius and Earth
--     radius, dashboard/core/importers/nearest.py); the importer first picks the nearest site in a UTM projection,
--     then checks the great-circle distance. The two can only differ for two sites at distances within ~0.1 % of
--     each other.
--   * A GLOBALEVENTID seen twice gets `#2`, `#3`, ... in file order in the importer; a table has no file order, so
--     here the copies are numbered by DATEADDED, then SOURCEURL.
--   * `line` (the file line of the record) is NULL: there is no file.
--   * BigQuery has one integer type: `pos` and `sites_named` (int32 in tables.py) are INT64.
--   * Text fields are trimmed with TRIM (spaces), as the importer strips them; the numbers of `notes` are written
--     back from FLOAT64 the way GDELT writes them (Goldstein with one decimal, tone with 15 significant digits).
--   * The views are live: a query sees the events GDELT has loaded so far. An event added later with an earlier
--     date shifts the `ord` of the events after it. For a fixed snapshot (and to pay for the scan once, see the
--     end of the file), copy the views into tables.

-- ================================== PARAMETERS: edit here ==================================
-- The events in scope: the first and last day (SQLDATE, YYYYMMDD), the day before the first day as the first
-- partition read, and the countries where the action took place (ActionGeo_CountryCode, FIPS 10-4). Keep them
-- literal constants: BigQuery
-- reads only the partitions a constant filter on _PARTITIONTIME allows. To freeze what the views show (the events
-- GDELT had loaded by a given time, so that ords no longer shift), add both lines, with the same time:
--   AND _PARTITIONTIME < TIMESTAMP '2025-01-01'
--   AND DATEADDED < 20250101000000
CREATE OR REPLACE VIEW `your-project.conflict_dashboard.gdelt_scope` AS
SELECT *
FROM `gdelt-bq.gdeltv2.events_partitioned`
WHERE _PARTITIONTIME >= TIMESTAMP '2023-10-16'
  AND SQLDATE BETWEEN 20231017 AND 20241231
  AND ActionGeo_CountryCode IN ('IZ', 'SY', 'JO');

-- Events within this great-circle distance (km) of a gazetteer site are linked to the nearest one (the importer's
-- default, `import --radius-km 10`).
CREATE OR REPLACE VIEW `your-project.conflict_dashboard.gdelt_link_radius` AS
SELECT CAST(10 AS FLOAT64) AS km;
-- ============================================================================================

-- One row per event kept, with every value the four tables need. The importer's rules, in order:
-- dashboard/core/importers/gdelt.py (map_gdelt, gdelt_event_type), run.py (dates, linking), combine.py
-- (events_as_incidents, events_placements), tables.py (ord).
CREATE OR REPLACE VIEW `your-project.conflict_dashboard.gdelt_rows` AS
WITH
typed AS (
  SELECT
    GLOBALEVENTID AS source_id,
    -- SQLDATE is YYYYMMDD (8 digits in the scope's range); a day that does not exist gives NULL and is dropped
    SAFE_CAST(CONCAT(SUBSTR(CAST(SQLDATE AS STRING), 1, 4), '-', SUBSTR(CAST(SQLDATE AS STRING), 5, 2), '-',
                     SUBSTR(CAST(SQLDATE AS STRING), 7, 2)) AS DATE) AS date,
    COALESCE(TRIM(ActionGeo_FullName), '') AS place,
    ActionGeo_Lat AS lat,
    ActionGeo_Long AS lon,
    ActionGeo_Type AS geo_type,
    COALESCE(TRIM(EventCode), '') AS code,
    COALESCE(TRIM(EventRootCode), '') AS root_code,
    COALESCE(TRIM(Actor1Name), '') AS actor,
    COALESCE(TRIM(SOURCEURL), '') AS source_url,
    QuadClass AS quad_class,
    GoldsteinScale AS goldstein,
    NumArticles AS articles,
    AvgTone AS tone,
    DATEADDED AS date_added
  FROM `your-project.conflict_dashboard.gdelt_scope`
),
kept AS (
  -- the rows the importer rejects: no id, a date that does not read, coordinates out of range or half given,
  -- neither coordinates nor a place name
  SELECT *
  FROM typed
  WHERE source_id IS NOT NULL AND source_id >= 0
    AND date BETWEEN DATE '1900-01-01' AND DATE '2100-12-31'
    AND ((lat IS NULL AND lon IS NULL AND place != '')
         OR (ABS(lat) <= 90 AND ABS(lon) <= 180))
),
numbered AS (
  -- combine.unique_ids: a repeated id gets #2, #3, ...
  SELECT
    *,
    CONCAT('GDELT-', CAST(source_id AS STRING), IF(copy = 1, '', CONCAT('#', CAST(copy AS STRING)))) AS incident_id
  FROM (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY source_id ORDER BY date_added, source_url) AS copy
    FROM kept
  )
),
coded AS (
  SELECT
    *,
    -- gdelt_event_type: a CAMEO code is 3 or 4 digits; the root is EventRootCode zero-padded to 2, else the code's
    -- first two digits
    IF(REGEXP_CONTAINS(code, r'^[0-9]{3,4}$'), code, '') AS cameo,
    IF(root_code != '', IF(LENGTH(root_code) < 2, LPAD(root_code, 2, '0'), root_code),
       SUBSTR(IF(REGEXP_CONTAINS(code, r'^[0-9]{3,4}$'), code, ''), 1, 2)) AS root2,
    -- event_columns.GDELT_GEO_TYPE, only for a row with coordinates
    CASE
      WHEN lat IS NULL THEN ''
      WHEN geo_type IN (1, 2, 5) THEN 'region'
      WHEN geo_type IN (3, 4) THEN 'town'
      ELSE ''
    END AS location_precision
  FROM numbered
),
distances AS (
  -- nearest.haversine_km: great-circle distance on a sphere of 6371.0088 km
  SELECT
    c.incident_id,
    s.site_id,
    2 * 6371.0088 * ASIN(LEAST(1.0, SQRT(
      POW(SIN((s.lat - c.lat) * ACOS(-1) / 360), 2)
      + COS(c.lat * ACOS(-1) / 180) * COS(s.lat * ACOS(-1) / 180) * POW(SIN((s.lon - c.lon) * ACOS(-1) / 360), 2)
    ))) AS km
  FROM coded AS c
  CROSS JOIN `your-project.conflict_dashboard.sites` AS s
  WHERE c.lat IS NOT NULL AND s.lat IS NOT NULL AND s.lon IS NOT NULL
),
nearest AS (
  -- the nearest site within the radius; equal distances go to the smaller site_id, as in nearest.py
  SELECT incident_id, site_id
  FROM (
    SELECT d.incident_id, d.site_id, ROW_NUMBER() OVER (PARTITION BY d.incident_id ORDER BY d.km, d.site_id) AS nth
    FROM distances AS d
    CROSS JOIN `your-project.conflict_dashboard.gdelt_link_radius` AS r
    WHERE d.km <= r.km
  )
  WHERE nth = 1
)
SELECT
  -- tables.UPLOAD_ORD_OFFSET = 2**40; numbered in date order, then incident_id
  1099511627776 + ROW_NUMBER() OVER (ORDER BY c.date, c.incident_id) - 1 AS ord,
  c.incident_id,
  c.date,
  c.place,
  -- the country is the last part of ActionGeo_FullName ("City, Province, Country")
  TRIM(REGEXP_EXTRACT(c.place, r'([^,]*)$')) AS country,
  CASE
    WHEN SUBSTR(c.cameo, 1, 3) = '195' THEN 'drone'
    WHEN SUBSTR(c.cameo, 1, 3) = '194' THEN 'rocket'
    WHEN SUBSTR(c.cameo, 1, 3) = '145' THEN 'riot'
    WHEN SUBSTR(c.cameo, 1, 3) = '183' THEN 'explosion'
    WHEN c.root2 = '14' THEN 'protest'
    WHEN c.root2 IN ('18', '20') THEN 'civilians'
    WHEN c.root2 = '19' THEN 'battle'
    WHEN c.root2 IN ('01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '13', '15', '16', '17')
      THEN 'other'
    ELSE 'unknown'
  END AS event_type,
  c.actor,
  -- validate.split_sources: split on ';', parts trimmed, empty parts dropped
  ARRAY(
    SELECT TRIM(part)
    FROM UNNEST(SPLIT(c.source_url, ';')) AS part WITH OFFSET AS i
    WHERE TRIM(part) != ''
    ORDER BY i
  ) AS sources,
  -- fields.labelled: "QuadClass: 4; Goldstein: -10.0; articles: 3; tone: -6.25", missing values left out
  SUBSTR(CONCAT(
    COALESCE(CONCAT('; QuadClass: ', CAST(c.quad_class AS STRING)), ''),
    COALESCE(CONCAT('; Goldstein: ', FORMAT('%.1f', c.goldstein)), ''),
    COALESCE(CONCAT('; articles: ', CAST(c.articles AS STRING)), ''),
    COALESCE(CONCAT('; tone: ', FORMAT('%.15g', c.tone)), '')
  ), 3) AS notes,
  c.lat,
  c.lon,
  c.location_precision,
  COALESCE(n.site_id, '') AS site_id,
  g.name AS site_name,
  g.lat AS site_lat,
  g.lon AS site_lon,
  g.coord_precision AS site_precision,
  -- join.site_uncertainty_km: the site's own figure, else the default of its precision class
  COALESCE(g.coord_uncertainty_km,
           CAST(CASE g.coord_precision WHEN 'exact' THEN 0 WHEN 'approximate' THEN 5 WHEN 'town' THEN 10 ELSE 0 END
                AS FLOAT64))
    AS site_uncertainty_km
FROM coded AS c
LEFT JOIN nearest AS n ON n.incident_id = c.incident_id
LEFT JOIN `your-project.conflict_dashboard.sites` AS g ON g.site_id = n.site_id;

-- incidents: tables.INCIDENT_SCHEMA
CREATE OR REPLACE VIEW `your-project.conflict_dashboard.gdelt_incidents` AS
SELECT
  ord,
  incident_id,
  date,
  'reported' AS date_certainty,
  place,
  IF(site_id != '', [site_id], ARRAY<STRING>[]) AS site_id,
  IF(country != '', [country], ARRAY<STRING>[]) AS country,
  event_type,
  actor,
  'no figure in GDELT 2.0' AS casualties,
  CAST(NULL AS INT64) AS killed,
  CAST(NULL AS INT64) AS killed_max,
  CAST(NULL AS INT64) AS injured,
  CAST(NULL AS INT64) AS injured_max,
  -- GDELT does not say whether officials confirmed an event (columns.UNASSESSED)
  'unassessed' AS confirmation,
  sources,
  notes,
  CAST(NULL AS INT64) AS line,
  lat IS NOT NULL AS mapped,
  IF(lat IS NULL, 'no coordinates in the file and no gazetteer match for its place', CAST(NULL AS STRING))
    AS unmapped_reason
FROM `your-project.conflict_dashboard.gdelt_rows`;

-- incident_sites: one row per incident, "" when it is linked to no site
CREATE OR REPLACE VIEW `your-project.conflict_dashboard.gdelt_incident_sites` AS
SELECT ord, site_id, 0 AS pos, date, event_type, 'unassessed' AS confirmation
FROM `your-project.conflict_dashboard.gdelt_rows`;

-- incident_countries: one row per incident, "" when the place names no country
CREATE OR REPLACE VIEW `your-project.conflict_dashboard.gdelt_incident_countries` AS
SELECT ord, country, date, event_type, 'unassessed' AS confirmation
FROM `your-project.conflict_dashboard.gdelt_rows`;

-- placements: tables.PLACEMENT_SCHEMA; one row per incident with coordinates, at its own coordinates
-- (combine.events_placements), grouped by its linked site or else by its place, "lat,lon" rounded to 0.01 degree;
-- the anchor is where the group is drawn (join.place_anchors): the site's own point, or the group's first event.
CREATE OR REPLACE VIEW `your-project.conflict_dashboard.gdelt_placements` AS
WITH
hundredths AS (
  SELECT
    *,
    -- pandas' round(2) rounds lat * 100 half to even (numpy.rint), then "{:.2f}" writes it
    CASE
      WHEN lat * 100 - FLOOR(lat * 100) > 0.5 THEN FLOOR(lat * 100) + 1
      WHEN lat * 100 - FLOOR(lat * 100) < 0.5 THEN FLOOR(lat * 100)
      WHEN MOD(CAST(FLOOR(lat * 100) AS INT64), 2) = 0 THEN FLOOR(lat * 100)
      ELSE FLOOR(lat * 100) + 1
    END AS lat_100,
    CASE
      WHEN lon * 100 - FLOOR(lon * 100) > 0.5 THEN FLOOR(lon * 100) + 1
      WHEN lon * 100 - FLOOR(lon * 100) < 0.5 THEN FLOOR(lon * 100)
      WHEN MOD(CAST(FLOOR(lon * 100) AS INT64), 2) = 0 THEN FLOOR(lon * 100)
      ELSE FLOOR(lon * 100) + 1
    END AS lon_100
  FROM `your-project.conflict_dashboard.gdelt_rows`
  WHERE lat IS NOT NULL AND lon IS NOT NULL
),
cells AS (
  SELECT
    *,
    CONCAT(
      IF(lat * 100 < 0, '-', ''), CAST(DIV(CAST(ABS(lat_100) AS INT64), 100) AS STRING), '.',
      LPAD(CAST(MOD(CAST(ABS(lat_100) AS INT64), 100) AS STRING), 2, '0'), ',',
      IF(lon * 100 < 0, '-', ''), CAST(DIV(CAST(ABS(lon_100) AS INT64), 100) AS STRING), '.',
      LPAD(CAST(MOD(CAST(ABS(lon_100) AS INT64), 100) AS STRING), 2, '0')
    ) AS cell
  FROM hundredths
),
placed AS (
  SELECT
    ord,
    incident_id,
    site_name AS gazetteer_name,
    IF(site_id != '', site_id, cell) AS group_id,
    IF(site_id != '', 'site', 'place') AS place_kind,
    COALESCE(NULLIF(site_name, ''), NULLIF(place, ''), cell) AS site_name,
    lat,
    lon,
    -- combine.events_placements: our precision classes; a region counts as approximate
    IF(location_precision = 'town', 'town', 'approximate') AS coord_precision,
    -- combine.IMPORTED_UNCERTAINTY_KM; no class gives join.site_uncertainty_km('', None) = 0
    CAST(CASE location_precision WHEN 'region' THEN 25 WHEN 'town' THEN 5 WHEN 'approximate' THEN 10 ELSE 0 END
         AS FLOAT64) AS uncertainty_km,
    site_lat,
    site_lon,
    site_precision,
    site_uncertainty_km,
    date,
    event_type
  FROM cells
)
SELECT
  ord,
  incident_id,
  group_id AS site_id,
  place_kind,
  site_name,
  lat,
  lon,
  coord_precision,
  uncertainty_km,
  1 AS sites_named,
  0 AS pos,
  IF(place_kind = 'site', gazetteer_name, FIRST_VALUE(site_name) OVER first_event) AS anchor_name,
  IF(place_kind = 'site', site_lat, FIRST_VALUE(lat) OVER first_event) AS anchor_lat,
  IF(place_kind = 'site', site_lon, FIRST_VALUE(lon) OVER first_event) AS anchor_lon,
  IF(place_kind = 'site', site_precision, FIRST_VALUE(coord_precision) OVER first_event) AS anchor_precision,
  IF(place_kind = 'site', site_uncertainty_km, FIRST_VALUE(uncertainty_km) OVER first_event) AS anchor_uncertainty_km,
  date,
  event_type,
  'unassessed' AS confirmation
FROM placed
WINDOW first_event AS (PARTITION BY group_id, place_kind ORDER BY ord);

-- Optional: a snapshot. Every query of the dashboard through the views above reads GDELT's columns again (from the
-- partition before the first day on); copying them into tables pays for that read once (four times, once per
-- table), and fixes the ords. Then use DASHBOARD_EVENTS=table:gdelt_snapshot_ (run again to refresh). Each
-- statement reads GDELT anew: without the DATEADDED bound of the parameters, a GDELT load (every 15 minutes)
-- landing between two of them would leave the four tables numbered differently.
--
-- CREATE OR REPLACE TABLE `your-project.conflict_dashboard.gdelt_snapshot_incidents` AS
--   SELECT * FROM `your-project.conflict_dashboard.gdelt_incidents`;
-- CREATE OR REPLACE TABLE `your-project.conflict_dashboard.gdelt_snapshot_incident_sites` AS
--   SELECT * FROM `your-project.conflict_dashboard.gdelt_incident_sites`;
-- CREATE OR REPLACE TABLE `your-project.conflict_dashboard.gdelt_snapshot_incident_countries` AS
--   SELECT * FROM `your-project.conflict_dashboard.gdelt_incident_countries`;
-- CREATE OR REPLACE TABLE `your-project.conflict_dashboard.gdelt_snapshot_placements` AS
--   SELECT * FROM `your-project.conflict_dashboard.gdelt_placements`;
