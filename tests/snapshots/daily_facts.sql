WITH "t4" AS (
  SELECT DISTINCT
    "t0"."host_id"
  FROM "ibis_read_csv" AS "t0"
), "t10" AS (
  SELECT
    "t8"."order_id",
    "t8"."host_id",
    "t8"."buyer_id",
    "t8"."paid_at",
    "t8"."_part",
    "t8"."_scope"
  FROM (
    SELECT
      "t7"."order_id",
      "t7"."host_id",
      "t7"."buyer_id",
      "t7"."paid_at",
      "t7"."_part",
      "t7"."_scope",
      COUNT(*) AS "copies"
    FROM (
      SELECT
        "t3"."order_id",
        "t3"."host_id",
        "t3"."buyer_id",
        NULLIF(TRIM("t3"."paid_at", ' 	
'), '') AS "paid_at",
        CAST(NULL AS DATE) AS "_part",
        COALESCE(CAST(NULL AS DATE), MAKE_DATE(1, 1, 1)) AS "_scope"
      FROM "ibis_read_csv" AS "t3"
    ) AS "t7"
    GROUP BY
      1,
      2,
      3,
      4,
      5,
      6
  ) AS "t8"
), "t14" AS (
  SELECT
    "t11"."session_id",
    "t11"."host_id",
    "t11"."started_at",
    "t11"."ended_at",
    "t11"."deleted",
    "t11"."_part",
    "t11"."_scope"
  FROM (
    SELECT
      "t9"."session_id",
      "t9"."host_id",
      "t9"."started_at",
      "t9"."ended_at",
      "t9"."deleted",
      "t9"."_part",
      "t9"."_scope",
      COUNT(*) AS "copies"
    FROM (
      SELECT
        "t2"."session_id",
        "t2"."host_id",
        NULLIF(TRIM("t2"."started_at", ' 	
'), '') AS "started_at",
        NULLIF(TRIM("t2"."ended_at", ' 	
'), '') AS "ended_at",
        CASE
          WHEN LOWER(NULLIF(TRIM("t2"."deleted", ' 	
'), '')) IN ('true', '1')
          THEN TRUE
          WHEN LOWER(NULLIF(TRIM("t2"."deleted", ' 	
'), '')) IN ('false', '0')
          THEN FALSE
          ELSE NULL
        END AS "deleted",
        CAST(NULL AS DATE) AS "_part",
        COALESCE(CAST(NULL AS DATE), MAKE_DATE(1, 1, 1)) AS "_scope"
      FROM "ibis_read_csv" AS "t2"
    ) AS "t9"
    GROUP BY
      1,
      2,
      3,
      4,
      5,
      6,
      7
  ) AS "t11"
), "t41" AS (
  SELECT
    "t40"."session_id",
    "t40"."host_id",
    "t40"."started_at",
    "t40"."ended_at",
    "t40"."deleted",
    "t40"."_part",
    "t40"."_scope",
    "t40"."_conflict",
    "t40"."start_utc",
    "t40"."start_day",
    "t40"."end_utc",
    "t40"."end_day",
    CASE
      WHEN COALESCE((
        "t40"."session_id" IS NULL
      ) OR (
        "t40"."host_id" IS NULL
      ), FALSE)
      THEN 'missing_id'
      WHEN COALESCE("t40"."start_utc" IS NULL, FALSE)
      THEN 'unparseable_timestamp'
      WHEN COALESCE("t40"."end_utc" IS NULL, FALSE)
      THEN 'unparseable_timestamp'
      WHEN COALESCE("t40"."end_utc" < "t40"."start_utc", FALSE)
      THEN 'ends_before_start'
      WHEN COALESCE("t40"."_conflict", FALSE)
      THEN 'conflicting_duplicate'
      WHEN COALESCE(NOT (
        "t40"."host_id" IN (
          SELECT
            *
          FROM "t4"
        )
      ), FALSE)
      THEN 'unknown_host'
      WHEN COALESCE(
        (
          "t40"."_part" IS NOT NULL
        ) AND (
          "t40"."_part" <> "t40"."start_day"
        ),
        FALSE
      )
      THEN 'wrong_partition'
      ELSE NULL
    END AS "_problem"
  FROM (
    SELECT
      "t38"."session_id",
      "t38"."host_id",
      "t38"."started_at",
      "t38"."ended_at",
      "t38"."deleted",
      "t38"."_part",
      "t38"."_scope",
      "t38"."_conflict",
      "t38"."start_utc",
      "t38"."start_day",
      CASE
        WHEN "t38"."_absolute"
        THEN "t38"."_wall" - TO_SECONDS("t38"."_offset")
        ELSE "t38"."_wall" - TO_SECONDS(28800)
      END AS "end_utc",
      CAST(CASE
        WHEN "t38"."_absolute"
        THEN CASE
          WHEN "t38"."_absolute"
          THEN "t38"."_wall" - TO_SECONDS("t38"."_offset")
          ELSE "t38"."_wall" - TO_SECONDS(28800)
        END + TO_SECONDS(28800)
        ELSE "t38"."_wall"
      END AS DATE) AS "end_day"
    FROM (
      SELECT
        "t34"."session_id",
        "t34"."host_id",
        "t34"."started_at",
        "t34"."ended_at",
        "t34"."deleted",
        "t34"."_part",
        "t34"."_scope",
        "t34"."_conflict",
        "t34"."start_utc",
        "t34"."start_day",
        "t34"."_wall",
        "t34"."_suffix",
        LENGTH("t34"."_suffix") > 0 AS "_absolute",
        COALESCE(
          CASE
            WHEN UPPER("t34"."_suffix") = 'Z'
            THEN 0
            ELSE CASE WHEN STARTS_WITH(REPLACE("t34"."_suffix", ':', ''), '-') THEN -1 ELSE 1 END * (
              (
                TRY_CAST(SUBSTRING(
                  REPLACE("t34"."_suffix", ':', ''),
                  CASE
                    WHEN (
                      1 + 1
                    ) >= 1
                    THEN 1 + 1
                    ELSE 1 + 1 + LENGTH(REPLACE("t34"."_suffix", ':', ''))
                  END,
                  2
                ) AS BIGINT) * 3600
              ) + (
                CASE
                  WHEN LENGTH(REPLACE("t34"."_suffix", ':', '')) >= 5
                  THEN TRY_CAST(SUBSTRING(
                    REPLACE("t34"."_suffix", ':', ''),
                    CASE
                      WHEN (
                        3 + 1
                      ) >= 1
                      THEN 3 + 1
                      ELSE 3 + 1 + LENGTH(REPLACE("t34"."_suffix", ':', ''))
                    END,
                    2
                  ) AS BIGINT)
                  ELSE 0
                END * 60
              )
            )
          END,
          0
        ) AS "_offset"
      FROM (
        SELECT
          "t32"."session_id",
          "t32"."host_id",
          "t32"."started_at",
          "t32"."ended_at",
          "t32"."deleted",
          "t32"."_part",
          "t32"."_scope",
          "t32"."_conflict",
          CASE
            WHEN "t32"."_absolute"
            THEN "t32"."_wall" - TO_SECONDS("t32"."_offset")
            ELSE "t32"."_wall" - TO_SECONDS(28800)
          END AS "start_utc",
          CAST(CASE
            WHEN "t32"."_absolute"
            THEN CASE
              WHEN "t32"."_absolute"
              THEN "t32"."_wall" - TO_SECONDS("t32"."_offset")
              ELSE "t32"."_wall" - TO_SECONDS(28800)
            END + TO_SECONDS(28800)
            ELSE "t32"."_wall"
          END AS DATE) AS "start_day",
          TRY_CAST(REGEXP_EXTRACT(
            TRIM("t32"."ended_at", ' 	
'),
            '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
            1
          ) || ' ' || REGEXP_EXTRACT(
            TRIM("t32"."ended_at", ' 	
'),
            '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
            2
          ) || COALESCE(
            REGEXP_EXTRACT(
              TRIM("t32"."ended_at", ' 	
'),
              '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
              3
            ),
            ''
          ) AS TIMESTAMP) AS "_wall",
          REGEXP_EXTRACT(
            TRIM("t32"."ended_at", ' 	
'),
            '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
            4
          ) AS "_suffix"
        FROM (
          SELECT
            "t28"."session_id",
            "t28"."host_id",
            "t28"."started_at",
            "t28"."ended_at",
            "t28"."deleted",
            "t28"."_part",
            "t28"."_scope",
            "t28"."_conflict",
            "t28"."_wall",
            "t28"."_suffix",
            LENGTH("t28"."_suffix") > 0 AS "_absolute",
            COALESCE(
              CASE
                WHEN UPPER("t28"."_suffix") = 'Z'
                THEN 0
                ELSE CASE WHEN STARTS_WITH(REPLACE("t28"."_suffix", ':', ''), '-') THEN -1 ELSE 1 END * (
                  (
                    TRY_CAST(SUBSTRING(
                      REPLACE("t28"."_suffix", ':', ''),
                      CASE
                        WHEN (
                          1 + 1
                        ) >= 1
                        THEN 1 + 1
                        ELSE 1 + 1 + LENGTH(REPLACE("t28"."_suffix", ':', ''))
                      END,
                      2
                    ) AS BIGINT) * 3600
                  ) + (
                    CASE
                      WHEN LENGTH(REPLACE("t28"."_suffix", ':', '')) >= 5
                      THEN TRY_CAST(SUBSTRING(
                        REPLACE("t28"."_suffix", ':', ''),
                        CASE
                          WHEN (
                            3 + 1
                          ) >= 1
                          THEN 3 + 1
                          ELSE 3 + 1 + LENGTH(REPLACE("t28"."_suffix", ':', ''))
                        END,
                        2
                      ) AS BIGINT)
                      ELSE 0
                    END * 60
                  )
                )
              END,
              0
            ) AS "_offset"
          FROM (
            SELECT
              "t25"."session_id",
              "t25"."host_id",
              "t25"."started_at",
              "t25"."ended_at",
              "t25"."deleted",
              "t25"."_part",
              "t25"."_scope",
              COALESCE("t25"."_conflict", FALSE) AS "_conflict",
              TRY_CAST(REGEXP_EXTRACT(
                TRIM("t25"."started_at", ' 	
'),
                '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
                1
              ) || ' ' || REGEXP_EXTRACT(
                TRIM("t25"."started_at", ' 	
'),
                '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
                2
              ) || COALESCE(
                REGEXP_EXTRACT(
                  TRIM("t25"."started_at", ' 	
'),
                  '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
                  3
                ),
                ''
              ) AS TIMESTAMP) AS "_wall",
              REGEXP_EXTRACT(
                TRIM("t25"."started_at", ' 	
'),
                '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
                4
              ) AS "_suffix"
            FROM (
              SELECT
                "t18"."session_id",
                "t18"."host_id",
                "t18"."started_at",
                "t18"."ended_at",
                "t18"."deleted",
                "t18"."_part",
                "t18"."_scope",
                "t23"."_conflict"
              FROM "t14" AS "t18"
              LEFT OUTER JOIN (
                SELECT
                  "t19"."session_id",
                  "t19"."_scope",
                  TRUE AS "_conflict"
                FROM (
                  SELECT
                    "t17"."session_id",
                    "t17"."_scope",
                    COUNT(*) AS "versions"
                  FROM "t14" AS "t17"
                  GROUP BY
                    1,
                    2
                ) AS "t19"
                WHERE
                  "t19"."versions" > 1
              ) AS "t23"
                ON "t18"."session_id" = "t23"."session_id" AND "t18"."_scope" = "t23"."_scope"
            ) AS "t25"
          ) AS "t28"
        ) AS "t32"
      ) AS "t34"
    ) AS "t38"
  ) AS "t40"
)
SELECT
  COALESCE("t48"."host_id", "t56"."host_id") AS "host_id",
  COALESCE("t48"."day", "t56"."day") AS "day",
  COALESCE("t48"."valid_sessions", 0) AS "valid_sessions",
  COALESCE("t56"."live_buyers", 0) AS "live_buyers",
  COALESCE("t48"."cross_day_sessions", 0) AS "cross_day_sessions"
FROM (
  SELECT
    "t43"."host_id",
    "t43"."start_day" AS "day",
    SUM(CAST("t43"."end_utc" > (
      "t43"."start_utc" + INTERVAL '15' MINUTE
    ) AS BIGINT)) AS "valid_sessions",
    SUM(CAST("t43"."start_day" <> "t43"."end_day" AS BIGINT)) AS "cross_day_sessions"
  FROM (
    SELECT
      "t42"."session_id",
      "t42"."host_id",
      "t42"."start_utc",
      "t42"."end_utc",
      "t42"."start_day",
      "t42"."end_day"
    FROM "t41" AS "t42"
    WHERE
      "t42"."_problem" IS NULL
      AND "t42"."start_day" IN (
        MAKE_DATE(2026, 10, 27),
        MAKE_DATE(2026, 10, 28),
        MAKE_DATE(2026, 10, 29),
        MAKE_DATE(2026, 10, 30),
        MAKE_DATE(2026, 10, 31),
        MAKE_DATE(2026, 11, 1),
        MAKE_DATE(2026, 11, 2),
        MAKE_DATE(2026, 11, 3),
        MAKE_DATE(2026, 11, 4),
        MAKE_DATE(2026, 11, 5),
        MAKE_DATE(2026, 11, 6),
        MAKE_DATE(2026, 11, 7),
        MAKE_DATE(2026, 11, 8),
        MAKE_DATE(2026, 11, 9),
        MAKE_DATE(2026, 11, 10),
        MAKE_DATE(2026, 11, 11),
        MAKE_DATE(2026, 11, 12),
        MAKE_DATE(2026, 11, 13),
        MAKE_DATE(2026, 11, 14),
        MAKE_DATE(2026, 11, 15),
        MAKE_DATE(2026, 11, 16),
        MAKE_DATE(2026, 11, 17),
        MAKE_DATE(2026, 11, 18),
        MAKE_DATE(2026, 11, 19),
        MAKE_DATE(2026, 11, 20),
        MAKE_DATE(2026, 11, 21),
        MAKE_DATE(2026, 11, 22),
        MAKE_DATE(2026, 11, 23),
        MAKE_DATE(2026, 11, 24),
        MAKE_DATE(2026, 11, 25)
      )
  ) AS "t43"
  GROUP BY
    1,
    2
) AS "t48"
FULL OUTER JOIN (
  SELECT
    "t54"."host_id",
    "t54"."day",
    COUNT(*) AS "live_buyers"
  FROM (
    SELECT DISTINCT
      "t53"."host_id",
      "t53"."buyer_id",
      "t53"."day"
    FROM (
      SELECT
        "t52"."host_id",
        "t52"."buyer_id",
        "t52"."view_utc",
        "t52"."day",
        "t39"."last_paid"
      FROM (
        SELECT
          "t50"."_host" AS "host_id",
          "t50"."buyer_id",
          "t50"."view_utc",
          "t50"."view_day" AS "day"
        FROM (
          SELECT
            "t49"."session_id",
            "t49"."buyer_id",
            "t49"."viewed_at",
            "t49"."_part",
            "t49"."_scope",
            "t49"."view_utc",
            "t49"."view_day",
            "t49"."_host",
            "t49"."_seen",
            CASE
              WHEN COALESCE((
                "t49"."session_id" IS NULL
              ) OR (
                "t49"."buyer_id" IS NULL
              ), FALSE)
              THEN 'missing_id'
              WHEN COALESCE("t49"."view_utc" IS NULL, FALSE)
              THEN 'unparseable_timestamp'
              WHEN COALESCE("t49"."_seen" IS NULL, FALSE)
              THEN 'unknown_session'
              WHEN COALESCE("t49"."_host" IS NULL, FALSE)
              THEN 'session_rejected'
              WHEN COALESCE((
                "t49"."_part" IS NOT NULL
              ) AND (
                "t49"."_part" <> "t49"."view_day"
              ), FALSE)
              THEN 'wrong_partition'
              ELSE NULL
            END AS "_problem"
          FROM (
            SELECT
              "t30"."session_id",
              "t30"."buyer_id",
              "t30"."viewed_at",
              "t30"."_part",
              "t30"."_scope",
              "t30"."view_utc",
              "t30"."view_day",
              "t46"."_host",
              "t46"."_seen"
            FROM (
              SELECT
                "t26"."session_id",
                "t26"."buyer_id",
                "t26"."viewed_at",
                "t26"."_part",
                "t26"."_scope",
                CASE
                  WHEN "t26"."_absolute"
                  THEN "t26"."_wall" - TO_SECONDS("t26"."_offset")
                  ELSE "t26"."_wall" - TO_SECONDS(28800)
                END AS "view_utc",
                CAST(CASE
                  WHEN "t26"."_absolute"
                  THEN CASE
                    WHEN "t26"."_absolute"
                    THEN "t26"."_wall" - TO_SECONDS("t26"."_offset")
                    ELSE "t26"."_wall" - TO_SECONDS(28800)
                  END + TO_SECONDS(28800)
                  ELSE "t26"."_wall"
                END AS DATE) AS "view_day"
              FROM (
                SELECT
                  "t16"."session_id",
                  "t16"."buyer_id",
                  "t16"."viewed_at",
                  "t16"."_part",
                  "t16"."_scope",
                  "t16"."_wall",
                  "t16"."_suffix",
                  LENGTH("t16"."_suffix") > 0 AS "_absolute",
                  COALESCE(
                    CASE
                      WHEN UPPER("t16"."_suffix") = 'Z'
                      THEN 0
                      ELSE CASE WHEN STARTS_WITH(REPLACE("t16"."_suffix", ':', ''), '-') THEN -1 ELSE 1 END * (
                        (
                          TRY_CAST(SUBSTRING(
                            REPLACE("t16"."_suffix", ':', ''),
                            CASE
                              WHEN (
                                1 + 1
                              ) >= 1
                              THEN 1 + 1
                              ELSE 1 + 1 + LENGTH(REPLACE("t16"."_suffix", ':', ''))
                            END,
                            2
                          ) AS BIGINT) * 3600
                        ) + (
                          CASE
                            WHEN LENGTH(REPLACE("t16"."_suffix", ':', '')) >= 5
                            THEN TRY_CAST(SUBSTRING(
                              REPLACE("t16"."_suffix", ':', ''),
                              CASE
                                WHEN (
                                  3 + 1
                                ) >= 1
                                THEN 3 + 1
                                ELSE 3 + 1 + LENGTH(REPLACE("t16"."_suffix", ':', ''))
                              END,
                              2
                            ) AS BIGINT)
                            ELSE 0
                          END * 60
                        )
                      )
                    END,
                    0
                  ) AS "_offset"
                FROM (
                  SELECT
                    "t6"."session_id",
                    "t6"."buyer_id",
                    "t6"."viewed_at",
                    "t6"."_part",
                    "t6"."_scope",
                    TRY_CAST(REGEXP_EXTRACT(
                      TRIM("t6"."viewed_at", ' 	
'),
                      '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
                      1
                    ) || ' ' || REGEXP_EXTRACT(
                      TRIM("t6"."viewed_at", ' 	
'),
                      '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
                      2
                    ) || COALESCE(
                      REGEXP_EXTRACT(
                        TRIM("t6"."viewed_at", ' 	
'),
                        '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
                        3
                      ),
                      ''
                    ) AS TIMESTAMP) AS "_wall",
                    REGEXP_EXTRACT(
                      TRIM("t6"."viewed_at", ' 	
'),
                      '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
                      4
                    ) AS "_suffix"
                  FROM (
                    SELECT
                      "t1"."session_id",
                      "t1"."buyer_id",
                      NULLIF(TRIM("t1"."viewed_at", ' 	
'), '') AS "viewed_at",
                      CAST(NULL AS DATE) AS "_part",
                      COALESCE(CAST(NULL AS DATE), MAKE_DATE(1, 1, 1)) AS "_scope"
                    FROM "ibis_read_csv" AS "t1"
                  ) AS "t6"
                ) AS "t16"
              ) AS "t26"
            ) AS "t30"
            LEFT OUTER JOIN (
              SELECT
                "t44"."session_id",
                "t44"."_host",
                TRUE AS "_seen"
              FROM (
                SELECT DISTINCT
                  "t42"."session_id",
                  CASE WHEN "t42"."_problem" IS NULL THEN "t42"."host_id" ELSE NULL END AS "_host"
                FROM "t41" AS "t42"
              ) AS "t44"
            ) AS "t46"
              ON "t30"."session_id" = "t46"."session_id"
          ) AS "t49"
        ) AS "t50"
        WHERE
          "t50"."_problem" IS NULL
      ) AS "t52"
      INNER JOIN (
        SELECT
          "t36"."host_id",
          "t36"."buyer_id",
          "t36"."paid_day" AS "day",
          MAX("t36"."paid_utc") AS "last_paid"
        FROM (
          SELECT
            "t35"."host_id",
            "t35"."buyer_id",
            "t35"."paid_utc",
            "t35"."paid_day"
          FROM (
            SELECT
              "t33"."order_id",
              "t33"."host_id",
              "t33"."buyer_id",
              "t33"."paid_at",
              "t33"."_part",
              "t33"."_scope",
              "t33"."_conflict",
              "t33"."paid_utc",
              "t33"."paid_day",
              CASE
                WHEN COALESCE(
                  (
                    "t33"."order_id" IS NULL
                  )
                  OR (
                    "t33"."host_id" IS NULL
                  )
                  OR (
                    "t33"."buyer_id" IS NULL
                  ),
                  FALSE
                )
                THEN 'missing_id'
                WHEN COALESCE((
                  "t33"."paid_at" IS NOT NULL
                ) AND (
                  "t33"."paid_utc" IS NULL
                ), FALSE)
                THEN 'unparseable_timestamp'
                WHEN COALESCE("t33"."_conflict", FALSE)
                THEN 'conflicting_duplicate'
                WHEN COALESCE((
                  "t33"."_part" IS NOT NULL
                ) AND (
                  "t33"."_part" <> "t33"."paid_day"
                ), FALSE)
                THEN 'wrong_partition'
                WHEN COALESCE(NOT (
                  "t33"."host_id" IN (
                    SELECT
                      *
                    FROM "t4"
                  )
                ), FALSE)
                THEN 'unknown_host'
                ELSE NULL
              END AS "_problem"
            FROM (
              SELECT
                "t31"."order_id",
                "t31"."host_id",
                "t31"."buyer_id",
                "t31"."paid_at",
                "t31"."_part",
                "t31"."_scope",
                "t31"."_conflict",
                CASE
                  WHEN "t31"."_absolute"
                  THEN "t31"."_wall" - TO_SECONDS("t31"."_offset")
                  ELSE "t31"."_wall" - TO_SECONDS(28800)
                END AS "paid_utc",
                CAST(CASE
                  WHEN "t31"."_absolute"
                  THEN CASE
                    WHEN "t31"."_absolute"
                    THEN "t31"."_wall" - TO_SECONDS("t31"."_offset")
                    ELSE "t31"."_wall" - TO_SECONDS(28800)
                  END + TO_SECONDS(28800)
                  ELSE "t31"."_wall"
                END AS DATE) AS "paid_day"
              FROM (
                SELECT
                  "t27"."order_id",
                  "t27"."host_id",
                  "t27"."buyer_id",
                  "t27"."paid_at",
                  "t27"."_part",
                  "t27"."_scope",
                  "t27"."_conflict",
                  "t27"."_wall",
                  "t27"."_suffix",
                  LENGTH("t27"."_suffix") > 0 AS "_absolute",
                  COALESCE(
                    CASE
                      WHEN UPPER("t27"."_suffix") = 'Z'
                      THEN 0
                      ELSE CASE WHEN STARTS_WITH(REPLACE("t27"."_suffix", ':', ''), '-') THEN -1 ELSE 1 END * (
                        (
                          TRY_CAST(SUBSTRING(
                            REPLACE("t27"."_suffix", ':', ''),
                            CASE
                              WHEN (
                                1 + 1
                              ) >= 1
                              THEN 1 + 1
                              ELSE 1 + 1 + LENGTH(REPLACE("t27"."_suffix", ':', ''))
                            END,
                            2
                          ) AS BIGINT) * 3600
                        ) + (
                          CASE
                            WHEN LENGTH(REPLACE("t27"."_suffix", ':', '')) >= 5
                            THEN TRY_CAST(SUBSTRING(
                              REPLACE("t27"."_suffix", ':', ''),
                              CASE
                                WHEN (
                                  3 + 1
                                ) >= 1
                                THEN 3 + 1
                                ELSE 3 + 1 + LENGTH(REPLACE("t27"."_suffix", ':', ''))
                              END,
                              2
                            ) AS BIGINT)
                            ELSE 0
                          END * 60
                        )
                      )
                    END,
                    0
                  ) AS "_offset"
                FROM (
                  SELECT
                    "t24"."order_id",
                    "t24"."host_id",
                    "t24"."buyer_id",
                    "t24"."paid_at",
                    "t24"."_part",
                    "t24"."_scope",
                    COALESCE("t24"."_conflict", FALSE) AS "_conflict",
                    TRY_CAST(REGEXP_EXTRACT(
                      TRIM("t24"."paid_at", ' 	
'),
                      '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
                      1
                    ) || ' ' || REGEXP_EXTRACT(
                      TRIM("t24"."paid_at", ' 	
'),
                      '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
                      2
                    ) || COALESCE(
                      REGEXP_EXTRACT(
                        TRIM("t24"."paid_at", ' 	
'),
                        '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
                        3
                      ),
                      ''
                    ) AS TIMESTAMP) AS "_wall",
                    REGEXP_EXTRACT(
                      TRIM("t24"."paid_at", ' 	
'),
                      '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
                      4
                    ) AS "_suffix"
                  FROM (
                    SELECT
                      "t13"."order_id",
                      "t13"."host_id",
                      "t13"."buyer_id",
                      "t13"."paid_at",
                      "t13"."_part",
                      "t13"."_scope",
                      "t21"."_conflict"
                    FROM "t10" AS "t13"
                    LEFT OUTER JOIN (
                      SELECT
                        "t15"."order_id",
                        "t15"."_scope",
                        TRUE AS "_conflict"
                      FROM (
                        SELECT
                          "t12"."order_id",
                          "t12"."_scope",
                          COUNT(*) AS "versions"
                        FROM "t10" AS "t12"
                        GROUP BY
                          1,
                          2
                      ) AS "t15"
                      WHERE
                        "t15"."versions" > 1
                    ) AS "t21"
                      ON "t13"."order_id" = "t21"."order_id" AND "t13"."_scope" = "t21"."_scope"
                  ) AS "t24"
                ) AS "t27"
              ) AS "t31"
            ) AS "t33"
          ) AS "t35"
          WHERE
            "t35"."_problem" IS NULL
            AND "t35"."paid_at" IS NOT NULL
            AND "t35"."paid_day" IN (
              MAKE_DATE(2026, 10, 27),
              MAKE_DATE(2026, 10, 28),
              MAKE_DATE(2026, 10, 29),
              MAKE_DATE(2026, 10, 30),
              MAKE_DATE(2026, 10, 31),
              MAKE_DATE(2026, 11, 1),
              MAKE_DATE(2026, 11, 2),
              MAKE_DATE(2026, 11, 3),
              MAKE_DATE(2026, 11, 4),
              MAKE_DATE(2026, 11, 5),
              MAKE_DATE(2026, 11, 6),
              MAKE_DATE(2026, 11, 7),
              MAKE_DATE(2026, 11, 8),
              MAKE_DATE(2026, 11, 9),
              MAKE_DATE(2026, 11, 10),
              MAKE_DATE(2026, 11, 11),
              MAKE_DATE(2026, 11, 12),
              MAKE_DATE(2026, 11, 13),
              MAKE_DATE(2026, 11, 14),
              MAKE_DATE(2026, 11, 15),
              MAKE_DATE(2026, 11, 16),
              MAKE_DATE(2026, 11, 17),
              MAKE_DATE(2026, 11, 18),
              MAKE_DATE(2026, 11, 19),
              MAKE_DATE(2026, 11, 20),
              MAKE_DATE(2026, 11, 21),
              MAKE_DATE(2026, 11, 22),
              MAKE_DATE(2026, 11, 23),
              MAKE_DATE(2026, 11, 24),
              MAKE_DATE(2026, 11, 25)
            )
        ) AS "t36"
        GROUP BY
          1,
          2,
          3
      ) AS "t39"
        ON "t52"."host_id" = "t39"."host_id"
        AND "t52"."buyer_id" = "t39"."buyer_id"
        AND "t52"."day" = "t39"."day"
    ) AS "t53"
    WHERE
      "t53"."view_utc" <= "t53"."last_paid"
  ) AS "t54"
  GROUP BY
    1,
    2
) AS "t56"
  ON "t48"."host_id" = "t56"."host_id" AND "t48"."day" = "t56"."day"
