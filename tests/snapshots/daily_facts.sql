WITH "t4" AS (
  SELECT DISTINCT
    "t0"."host_id"
  FROM "ibis_read_csv" AS "t0"
), "t9" AS (
  SELECT
    "t7"."order_id",
    "t7"."host_id",
    "t7"."buyer_id",
    "t7"."paid_at"
  FROM (
    SELECT
      "t5"."order_id",
      "t5"."host_id",
      "t5"."buyer_id",
      "t5"."paid_at",
      COUNT(*) AS "copies"
    FROM (
      SELECT
        *
      FROM "ibis_read_csv" AS "t3"
    ) AS "t5"
    GROUP BY
      1,
      2,
      3,
      4
  ) AS "t7"
), "t15" AS (
  SELECT
    "t12"."session_id",
    "t12"."host_id",
    "t12"."started_at",
    "t12"."ended_at",
    "t12"."deleted"
  FROM (
    SELECT
      "t8"."session_id",
      "t8"."host_id",
      "t8"."started_at",
      "t8"."ended_at",
      "t8"."deleted",
      COUNT(*) AS "copies"
    FROM (
      SELECT
        "t2"."session_id",
        "t2"."host_id",
        "t2"."started_at",
        "t2"."ended_at",
        CASE
          WHEN LOWER(TRIM("t2"."deleted", ' 	
')) IN ('true', '1')
          THEN TRUE
          WHEN LOWER(TRIM("t2"."deleted", ' 	
')) IN ('false', '0')
          THEN FALSE
          ELSE NULL
        END AS "deleted"
      FROM "ibis_read_csv" AS "t2"
    ) AS "t8"
    GROUP BY
      1,
      2,
      3,
      4,
      5
  ) AS "t12"
), "t40" AS (
  SELECT
    "t39"."session_id",
    "t39"."host_id",
    "t39"."started_at",
    "t39"."ended_at",
    "t39"."deleted",
    "t39"."_conflict",
    "t39"."start_utc",
    "t39"."start_day",
    "t39"."end_utc",
    "t39"."end_day",
    CASE
      WHEN COALESCE((
        "t39"."session_id" IS NULL
      ) OR (
        "t39"."host_id" IS NULL
      ), FALSE)
      THEN 'missing_id'
      WHEN COALESCE("t39"."start_utc" IS NULL, FALSE)
      THEN 'unparseable_timestamp'
      WHEN COALESCE("t39"."end_utc" IS NULL, FALSE)
      THEN 'unparseable_timestamp'
      WHEN COALESCE("t39"."end_utc" < "t39"."start_utc", FALSE)
      THEN 'ends_before_start'
      WHEN COALESCE("t39"."_conflict", FALSE)
      THEN 'conflicting_duplicate'
      WHEN COALESCE(NOT (
        "t39"."host_id" IN (
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
      "t38"."session_id",
      "t38"."host_id",
      "t38"."started_at",
      "t38"."ended_at",
      "t38"."deleted",
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
        "t33"."session_id",
        "t33"."host_id",
        "t33"."started_at",
        "t33"."ended_at",
        "t33"."deleted",
        "t33"."_conflict",
        "t33"."start_utc",
        "t33"."start_day",
        "t33"."_wall",
        "t33"."_suffix",
        LENGTH("t33"."_suffix") > 0 AS "_absolute",
        COALESCE(
          CASE
            WHEN "t33"."_suffix" = 'Z'
            THEN 0
            ELSE CASE WHEN STARTS_WITH(REPLACE("t33"."_suffix", ':', ''), '-') THEN -1 ELSE 1 END * (
              (
                TRY_CAST(SUBSTRING(
                  REPLACE("t33"."_suffix", ':', ''),
                  CASE
                    WHEN (
                      1 + 1
                    ) >= 1
                    THEN 1 + 1
                    ELSE 1 + 1 + LENGTH(REPLACE("t33"."_suffix", ':', ''))
                  END,
                  2
                ) AS BIGINT) * 3600
              ) + (
                CASE
                  WHEN LENGTH(REPLACE("t33"."_suffix", ':', '')) >= 5
                  THEN TRY_CAST(SUBSTRING(
                    REPLACE("t33"."_suffix", ':', ''),
                    CASE
                      WHEN (
                        3 + 1
                      ) >= 1
                      THEN 3 + 1
                      ELSE 3 + 1 + LENGTH(REPLACE("t33"."_suffix", ':', ''))
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
          "t31"."session_id",
          "t31"."host_id",
          "t31"."started_at",
          "t31"."ended_at",
          "t31"."deleted",
          "t31"."_conflict",
          CASE
            WHEN "t31"."_absolute"
            THEN "t31"."_wall" - TO_SECONDS("t31"."_offset")
            ELSE "t31"."_wall" - TO_SECONDS(28800)
          END AS "start_utc",
          CAST(CASE
            WHEN "t31"."_absolute"
            THEN CASE
              WHEN "t31"."_absolute"
              THEN "t31"."_wall" - TO_SECONDS("t31"."_offset")
              ELSE "t31"."_wall" - TO_SECONDS(28800)
            END + TO_SECONDS(28800)
            ELSE "t31"."_wall"
          END AS DATE) AS "start_day",
          TRY_CAST(REGEXP_EXTRACT(
            TRIM("t31"."ended_at", ' 	
'),
            '^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)(Z|[+-]\d{2}(?::?\d{2})?)?$',
            1
          ) || ' ' || REGEXP_EXTRACT(
            TRIM("t31"."ended_at", ' 	
'),
            '^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)(Z|[+-]\d{2}(?::?\d{2})?)?$',
            2
          ) AS TIMESTAMP) AS "_wall",
          REGEXP_EXTRACT(
            TRIM("t31"."ended_at", ' 	
'),
            '^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)(Z|[+-]\d{2}(?::?\d{2})?)?$',
            3
          ) AS "_suffix"
        FROM (
          SELECT
            "t29"."session_id",
            "t29"."host_id",
            "t29"."started_at",
            "t29"."ended_at",
            "t29"."deleted",
            "t29"."_conflict",
            "t29"."_wall",
            "t29"."_suffix",
            LENGTH("t29"."_suffix") > 0 AS "_absolute",
            COALESCE(
              CASE
                WHEN "t29"."_suffix" = 'Z'
                THEN 0
                ELSE CASE WHEN STARTS_WITH(REPLACE("t29"."_suffix", ':', ''), '-') THEN -1 ELSE 1 END * (
                  (
                    TRY_CAST(SUBSTRING(
                      REPLACE("t29"."_suffix", ':', ''),
                      CASE
                        WHEN (
                          1 + 1
                        ) >= 1
                        THEN 1 + 1
                        ELSE 1 + 1 + LENGTH(REPLACE("t29"."_suffix", ':', ''))
                      END,
                      2
                    ) AS BIGINT) * 3600
                  ) + (
                    CASE
                      WHEN LENGTH(REPLACE("t29"."_suffix", ':', '')) >= 5
                      THEN TRY_CAST(SUBSTRING(
                        REPLACE("t29"."_suffix", ':', ''),
                        CASE
                          WHEN (
                            3 + 1
                          ) >= 1
                          THEN 3 + 1
                          ELSE 3 + 1 + LENGTH(REPLACE("t29"."_suffix", ':', ''))
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
              COALESCE("t25"."_conflict", FALSE) AS "_conflict",
              TRY_CAST(REGEXP_EXTRACT(
                TRIM("t25"."started_at", ' 	
'),
                '^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)(Z|[+-]\d{2}(?::?\d{2})?)?$',
                1
              ) || ' ' || REGEXP_EXTRACT(
                TRIM("t25"."started_at", ' 	
'),
                '^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)(Z|[+-]\d{2}(?::?\d{2})?)?$',
                2
              ) AS TIMESTAMP) AS "_wall",
              REGEXP_EXTRACT(
                TRIM("t25"."started_at", ' 	
'),
                '^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)(Z|[+-]\d{2}(?::?\d{2})?)?$',
                3
              ) AS "_suffix"
            FROM (
              SELECT
                "t17"."session_id",
                "t17"."host_id",
                "t17"."started_at",
                "t17"."ended_at",
                "t17"."deleted",
                "t22"."_conflict"
              FROM "t15" AS "t17"
              LEFT OUTER JOIN (
                SELECT
                  "t19"."session_id",
                  TRUE AS "_conflict"
                FROM (
                  SELECT
                    "t16"."session_id",
                    COUNT(*) AS "versions"
                  FROM "t15" AS "t16"
                  GROUP BY
                    1
                ) AS "t19"
                WHERE
                  "t19"."versions" > 1
              ) AS "t22"
                ON "t17"."session_id" = "t22"."session_id"
            ) AS "t25"
          ) AS "t29"
        ) AS "t31"
      ) AS "t33"
    ) AS "t38"
  ) AS "t39"
)
SELECT
  COALESCE("t47"."host_id", "t54"."host_id") AS "host_id",
  COALESCE("t47"."day", "t54"."day") AS "day",
  COALESCE("t47"."valid_sessions", 0) AS "valid_sessions",
  COALESCE("t54"."live_buyers", 0) AS "live_buyers",
  COALESCE("t47"."cross_day_sessions", 0) AS "cross_day_sessions"
FROM (
  SELECT
    "t42"."host_id",
    "t42"."start_day" AS "day",
    SUM(CAST("t42"."end_utc" > (
      "t42"."start_utc" + INTERVAL '15' MINUTE
    ) AS BIGINT)) AS "valid_sessions",
    SUM(CAST("t42"."start_day" <> "t42"."end_day" AS BIGINT)) AS "cross_day_sessions"
  FROM (
    SELECT
      "t41"."session_id",
      "t41"."host_id",
      "t41"."start_utc",
      "t41"."end_utc",
      "t41"."start_day",
      "t41"."end_day"
    FROM "t40" AS "t41"
    WHERE
      "t41"."_problem" IS NULL
      AND "t41"."start_day" BETWEEN MAKE_DATE(2026, 10, 27) AND MAKE_DATE(2026, 11, 25)
  ) AS "t42"
  GROUP BY
    1,
    2
) AS "t47"
FULL OUTER JOIN (
  SELECT
    "t52"."host_id",
    "t52"."day",
    COUNT(*) AS "live_buyers"
  FROM (
    SELECT DISTINCT
      "t51"."host_id",
      "t51"."buyer_id",
      "t51"."day"
    FROM (
      SELECT
        "t50"."host_id",
        "t50"."buyer_id",
        "t50"."view_utc",
        "t50"."day",
        "t37"."last_paid"
      FROM (
        SELECT
          "t48"."_host" AS "host_id",
          "t48"."buyer_id",
          "t48"."view_utc",
          "t48"."view_day" AS "day"
        FROM (
          SELECT
            "t46"."session_id",
            "t46"."buyer_id",
            "t46"."viewed_at",
            "t46"."view_utc",
            "t46"."view_day",
            "t46"."_host",
            "t46"."_seen",
            CASE
              WHEN COALESCE((
                "t46"."session_id" IS NULL
              ) OR (
                "t46"."buyer_id" IS NULL
              ), FALSE)
              THEN 'missing_id'
              WHEN COALESCE("t46"."view_utc" IS NULL, FALSE)
              THEN 'unparseable_timestamp'
              WHEN COALESCE("t46"."_seen" IS NULL, FALSE)
              THEN 'unknown_session'
              WHEN COALESCE("t46"."_host" IS NULL, FALSE)
              THEN 'session_rejected'
              ELSE NULL
            END AS "_problem"
          FROM (
            SELECT
              "t28"."session_id",
              "t28"."buyer_id",
              "t28"."viewed_at",
              "t28"."view_utc",
              "t28"."view_day",
              "t44"."_host",
              "t44"."_seen"
            FROM (
              SELECT
                "t24"."session_id",
                "t24"."buyer_id",
                "t24"."viewed_at",
                CASE
                  WHEN "t24"."_absolute"
                  THEN "t24"."_wall" - TO_SECONDS("t24"."_offset")
                  ELSE "t24"."_wall" - TO_SECONDS(28800)
                END AS "view_utc",
                CAST(CASE
                  WHEN "t24"."_absolute"
                  THEN CASE
                    WHEN "t24"."_absolute"
                    THEN "t24"."_wall" - TO_SECONDS("t24"."_offset")
                    ELSE "t24"."_wall" - TO_SECONDS(28800)
                  END + TO_SECONDS(28800)
                  ELSE "t24"."_wall"
                END AS DATE) AS "view_day"
              FROM (
                SELECT
                  "t10"."session_id",
                  "t10"."buyer_id",
                  "t10"."viewed_at",
                  "t10"."_wall",
                  "t10"."_suffix",
                  LENGTH("t10"."_suffix") > 0 AS "_absolute",
                  COALESCE(
                    CASE
                      WHEN "t10"."_suffix" = 'Z'
                      THEN 0
                      ELSE CASE WHEN STARTS_WITH(REPLACE("t10"."_suffix", ':', ''), '-') THEN -1 ELSE 1 END * (
                        (
                          TRY_CAST(SUBSTRING(
                            REPLACE("t10"."_suffix", ':', ''),
                            CASE
                              WHEN (
                                1 + 1
                              ) >= 1
                              THEN 1 + 1
                              ELSE 1 + 1 + LENGTH(REPLACE("t10"."_suffix", ':', ''))
                            END,
                            2
                          ) AS BIGINT) * 3600
                        ) + (
                          CASE
                            WHEN LENGTH(REPLACE("t10"."_suffix", ':', '')) >= 5
                            THEN TRY_CAST(SUBSTRING(
                              REPLACE("t10"."_suffix", ':', ''),
                              CASE
                                WHEN (
                                  3 + 1
                                ) >= 1
                                THEN 3 + 1
                                ELSE 3 + 1 + LENGTH(REPLACE("t10"."_suffix", ':', ''))
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
                    "t1"."session_id",
                    "t1"."buyer_id",
                    "t1"."viewed_at",
                    TRY_CAST(REGEXP_EXTRACT(
                      TRIM("t1"."viewed_at", ' 	
'),
                      '^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)(Z|[+-]\d{2}(?::?\d{2})?)?$',
                      1
                    ) || ' ' || REGEXP_EXTRACT(
                      TRIM("t1"."viewed_at", ' 	
'),
                      '^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)(Z|[+-]\d{2}(?::?\d{2})?)?$',
                      2
                    ) AS TIMESTAMP) AS "_wall",
                    REGEXP_EXTRACT(
                      TRIM("t1"."viewed_at", ' 	
'),
                      '^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)(Z|[+-]\d{2}(?::?\d{2})?)?$',
                      3
                    ) AS "_suffix"
                  FROM "ibis_read_csv" AS "t1"
                ) AS "t10"
              ) AS "t24"
            ) AS "t28"
            LEFT OUTER JOIN (
              SELECT DISTINCT
                "t41"."session_id",
                CASE WHEN "t41"."_problem" IS NULL THEN "t41"."host_id" ELSE NULL END AS "_host",
                TRUE AS "_seen"
              FROM "t40" AS "t41"
            ) AS "t44"
              ON "t28"."session_id" = "t44"."session_id"
          ) AS "t46"
        ) AS "t48"
        WHERE
          "t48"."_problem" IS NULL
      ) AS "t50"
      INNER JOIN (
        SELECT
          "t35"."host_id",
          "t35"."buyer_id",
          "t35"."paid_day" AS "day",
          MAX("t35"."paid_utc") AS "last_paid"
        FROM (
          SELECT
            "t34"."host_id",
            "t34"."buyer_id",
            "t34"."paid_utc",
            "t34"."paid_day"
          FROM (
            SELECT
              "t32"."order_id",
              "t32"."host_id",
              "t32"."buyer_id",
              "t32"."paid_at",
              "t32"."_conflict",
              "t32"."paid_utc",
              "t32"."paid_day",
              CASE
                WHEN COALESCE(
                  (
                    "t32"."order_id" IS NULL
                  )
                  OR (
                    "t32"."host_id" IS NULL
                  )
                  OR (
                    "t32"."buyer_id" IS NULL
                  ),
                  FALSE
                )
                THEN 'missing_id'
                WHEN COALESCE((
                  "t32"."paid_at" IS NOT NULL
                ) AND (
                  "t32"."paid_utc" IS NULL
                ), FALSE)
                THEN 'unparseable_timestamp'
                WHEN COALESCE("t32"."_conflict", FALSE)
                THEN 'conflicting_duplicate'
                WHEN COALESCE(NOT (
                  "t32"."host_id" IN (
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
                "t30"."order_id",
                "t30"."host_id",
                "t30"."buyer_id",
                "t30"."paid_at",
                "t30"."_conflict",
                CASE
                  WHEN "t30"."_absolute"
                  THEN "t30"."_wall" - TO_SECONDS("t30"."_offset")
                  ELSE "t30"."_wall" - TO_SECONDS(28800)
                END AS "paid_utc",
                CAST(CASE
                  WHEN "t30"."_absolute"
                  THEN CASE
                    WHEN "t30"."_absolute"
                    THEN "t30"."_wall" - TO_SECONDS("t30"."_offset")
                    ELSE "t30"."_wall" - TO_SECONDS(28800)
                  END + TO_SECONDS(28800)
                  ELSE "t30"."_wall"
                END AS DATE) AS "paid_day"
              FROM (
                SELECT
                  "t26"."order_id",
                  "t26"."host_id",
                  "t26"."buyer_id",
                  "t26"."paid_at",
                  "t26"."_conflict",
                  "t26"."_wall",
                  "t26"."_suffix",
                  LENGTH("t26"."_suffix") > 0 AS "_absolute",
                  COALESCE(
                    CASE
                      WHEN "t26"."_suffix" = 'Z'
                      THEN 0
                      ELSE CASE WHEN STARTS_WITH(REPLACE("t26"."_suffix", ':', ''), '-') THEN -1 ELSE 1 END * (
                        (
                          TRY_CAST(SUBSTRING(
                            REPLACE("t26"."_suffix", ':', ''),
                            CASE
                              WHEN (
                                1 + 1
                              ) >= 1
                              THEN 1 + 1
                              ELSE 1 + 1 + LENGTH(REPLACE("t26"."_suffix", ':', ''))
                            END,
                            2
                          ) AS BIGINT) * 3600
                        ) + (
                          CASE
                            WHEN LENGTH(REPLACE("t26"."_suffix", ':', '')) >= 5
                            THEN TRY_CAST(SUBSTRING(
                              REPLACE("t26"."_suffix", ':', ''),
                              CASE
                                WHEN (
                                  3 + 1
                                ) >= 1
                                THEN 3 + 1
                                ELSE 3 + 1 + LENGTH(REPLACE("t26"."_suffix", ':', ''))
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
                    "t23"."order_id",
                    "t23"."host_id",
                    "t23"."buyer_id",
                    "t23"."paid_at",
                    COALESCE("t23"."_conflict", FALSE) AS "_conflict",
                    TRY_CAST(REGEXP_EXTRACT(
                      TRIM("t23"."paid_at", ' 	
'),
                      '^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)(Z|[+-]\d{2}(?::?\d{2})?)?$',
                      1
                    ) || ' ' || REGEXP_EXTRACT(
                      TRIM("t23"."paid_at", ' 	
'),
                      '^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)(Z|[+-]\d{2}(?::?\d{2})?)?$',
                      2
                    ) AS TIMESTAMP) AS "_wall",
                    REGEXP_EXTRACT(
                      TRIM("t23"."paid_at", ' 	
'),
                      '^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)(Z|[+-]\d{2}(?::?\d{2})?)?$',
                      3
                    ) AS "_suffix"
                  FROM (
                    SELECT
                      "t13"."order_id",
                      "t13"."host_id",
                      "t13"."buyer_id",
                      "t13"."paid_at",
                      "t20"."_conflict"
                    FROM "t9" AS "t13"
                    LEFT OUTER JOIN (
                      SELECT
                        "t14"."order_id",
                        TRUE AS "_conflict"
                      FROM (
                        SELECT
                          "t11"."order_id",
                          COUNT(*) AS "versions"
                        FROM "t9" AS "t11"
                        GROUP BY
                          1
                      ) AS "t14"
                      WHERE
                        "t14"."versions" > 1
                    ) AS "t20"
                      ON "t13"."order_id" = "t20"."order_id"
                  ) AS "t23"
                ) AS "t26"
              ) AS "t30"
            ) AS "t32"
          ) AS "t34"
          WHERE
            "t34"."_problem" IS NULL
            AND "t34"."paid_at" IS NOT NULL
            AND "t34"."paid_day" BETWEEN MAKE_DATE(2026, 10, 27) AND MAKE_DATE(2026, 11, 25)
        ) AS "t35"
        GROUP BY
          1,
          2,
          3
      ) AS "t37"
        ON "t50"."host_id" = "t37"."host_id"
        AND "t50"."buyer_id" = "t37"."buyer_id"
        AND "t50"."day" = "t37"."day"
    ) AS "t51"
    WHERE
      "t51"."view_utc" <= "t51"."last_paid"
  ) AS "t52"
  GROUP BY
    1,
    2
) AS "t54"
  ON "t47"."host_id" = "t54"."host_id" AND "t47"."day" = "t54"."day"
