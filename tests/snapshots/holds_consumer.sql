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
), "t15" AS (
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
), "t21" AS (
  SELECT
    "t17"."host_id",
    "t17"."snapshot_date",
    "t17"."category_line",
    "t17"."enterprise_member",
    "t17"."risk_assessment_passed",
    "t17"."major_tax_violation",
    "t17"."prohibited_goods_violation",
    "t17"."compliance_violation",
    "t17"."severe_infringement_penalty",
    "t17"."business_status_abnormal",
    "t17"."dishonest_record",
    "t17"."competitiveness_passed",
    "t17"."category",
    "t17"."trade_medal",
    "t17"."bsr_description",
    "t17"."bsr_shipping",
    "t17"."fans"
  FROM (
    SELECT
      "t13"."host_id",
      "t13"."snapshot_date",
      "t13"."category_line",
      "t13"."enterprise_member",
      "t13"."risk_assessment_passed",
      "t13"."major_tax_violation",
      "t13"."prohibited_goods_violation",
      "t13"."compliance_violation",
      "t13"."severe_infringement_penalty",
      "t13"."business_status_abnormal",
      "t13"."dishonest_record",
      "t13"."competitiveness_passed",
      "t13"."category",
      "t13"."trade_medal",
      "t13"."bsr_description",
      "t13"."bsr_shipping",
      "t13"."fans",
      COUNT(*) AS "copies"
    FROM (
      SELECT
        "t0"."host_id",
        MAKE_DATE(1, 1, 1) AS "snapshot_date",
        LOWER(NULLIF(TRIM("t0"."category_line", ' 	
'), '')) AS "category_line",
        CASE
          WHEN LOWER(NULLIF(TRIM("t0"."enterprise_member", ' 	
'), '')) IN ('true', '1')
          THEN TRUE
          WHEN LOWER(NULLIF(TRIM("t0"."enterprise_member", ' 	
'), '')) IN ('false', '0')
          THEN FALSE
          ELSE NULL
        END AS "enterprise_member",
        CASE
          WHEN LOWER(NULLIF(TRIM("t0"."risk_assessment_passed", ' 	
'), '')) IN ('true', '1')
          THEN TRUE
          WHEN LOWER(NULLIF(TRIM("t0"."risk_assessment_passed", ' 	
'), '')) IN ('false', '0')
          THEN FALSE
          ELSE NULL
        END AS "risk_assessment_passed",
        CASE
          WHEN LOWER(NULLIF(TRIM("t0"."major_tax_violation", ' 	
'), '')) IN ('true', '1')
          THEN TRUE
          WHEN LOWER(NULLIF(TRIM("t0"."major_tax_violation", ' 	
'), '')) IN ('false', '0')
          THEN FALSE
          ELSE NULL
        END AS "major_tax_violation",
        CASE
          WHEN LOWER(NULLIF(TRIM("t0"."prohibited_goods_violation", ' 	
'), '')) IN ('true', '1')
          THEN TRUE
          WHEN LOWER(NULLIF(TRIM("t0"."prohibited_goods_violation", ' 	
'), '')) IN ('false', '0')
          THEN FALSE
          ELSE NULL
        END AS "prohibited_goods_violation",
        CASE
          WHEN LOWER(NULLIF(TRIM("t0"."compliance_violation", ' 	
'), '')) IN ('true', '1')
          THEN TRUE
          WHEN LOWER(NULLIF(TRIM("t0"."compliance_violation", ' 	
'), '')) IN ('false', '0')
          THEN FALSE
          ELSE NULL
        END AS "compliance_violation",
        CASE
          WHEN LOWER(NULLIF(TRIM("t0"."severe_infringement_penalty", ' 	
'), '')) IN ('true', '1')
          THEN TRUE
          WHEN LOWER(NULLIF(TRIM("t0"."severe_infringement_penalty", ' 	
'), '')) IN ('false', '0')
          THEN FALSE
          ELSE NULL
        END AS "severe_infringement_penalty",
        CASE
          WHEN LOWER(NULLIF(TRIM("t0"."business_status_abnormal", ' 	
'), '')) IN ('true', '1')
          THEN TRUE
          WHEN LOWER(NULLIF(TRIM("t0"."business_status_abnormal", ' 	
'), '')) IN ('false', '0')
          THEN FALSE
          ELSE NULL
        END AS "business_status_abnormal",
        CASE
          WHEN LOWER(NULLIF(TRIM("t0"."dishonest_record", ' 	
'), '')) IN ('true', '1')
          THEN TRUE
          WHEN LOWER(NULLIF(TRIM("t0"."dishonest_record", ' 	
'), '')) IN ('false', '0')
          THEN FALSE
          ELSE NULL
        END AS "dishonest_record",
        CASE
          WHEN LOWER(NULLIF(TRIM("t0"."competitiveness_passed", ' 	
'), '')) IN ('true', '1')
          THEN TRUE
          WHEN LOWER(NULLIF(TRIM("t0"."competitiveness_passed", ' 	
'), '')) IN ('false', '0')
          THEN FALSE
          ELSE NULL
        END AS "competitiveness_passed",
        LOWER(NULLIF(TRIM("t0"."category", ' 	
'), '')) AS "category",
        CASE
          WHEN REGEXP_MATCHES(
            LOWER(NULLIF(TRIM("t0"."trade_medal", ' 	
'), '')),
            '^[+-]?[0-9]+$'
          )
          THEN TRY_CAST(LOWER(NULLIF(TRIM("t0"."trade_medal", ' 	
'), '')) AS BIGINT)
          ELSE NULL
        END AS "trade_medal",
        CASE
          WHEN ISNAN(
            CASE
              WHEN REGEXP_MATCHES(
                LOWER(NULLIF(TRIM("t0"."bsr_description", ' 	
'), '')),
                '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$'
              )
              THEN TRY_CAST(LOWER(NULLIF(TRIM("t0"."bsr_description", ' 	
'), '')) AS DOUBLE)
              ELSE NULL
            END
          )
          OR ISINF(
            CASE
              WHEN REGEXP_MATCHES(
                LOWER(NULLIF(TRIM("t0"."bsr_description", ' 	
'), '')),
                '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$'
              )
              THEN TRY_CAST(LOWER(NULLIF(TRIM("t0"."bsr_description", ' 	
'), '')) AS DOUBLE)
              ELSE NULL
            END
          )
          THEN NULL
          ELSE CASE
            WHEN REGEXP_MATCHES(
              LOWER(NULLIF(TRIM("t0"."bsr_description", ' 	
'), '')),
              '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$'
            )
            THEN TRY_CAST(LOWER(NULLIF(TRIM("t0"."bsr_description", ' 	
'), '')) AS DOUBLE)
            ELSE NULL
          END
        END AS "bsr_description",
        CASE
          WHEN ISNAN(
            CASE
              WHEN REGEXP_MATCHES(
                LOWER(NULLIF(TRIM("t0"."bsr_shipping", ' 	
'), '')),
                '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$'
              )
              THEN TRY_CAST(LOWER(NULLIF(TRIM("t0"."bsr_shipping", ' 	
'), '')) AS DOUBLE)
              ELSE NULL
            END
          )
          OR ISINF(
            CASE
              WHEN REGEXP_MATCHES(
                LOWER(NULLIF(TRIM("t0"."bsr_shipping", ' 	
'), '')),
                '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$'
              )
              THEN TRY_CAST(LOWER(NULLIF(TRIM("t0"."bsr_shipping", ' 	
'), '')) AS DOUBLE)
              ELSE NULL
            END
          )
          THEN NULL
          ELSE CASE
            WHEN REGEXP_MATCHES(
              LOWER(NULLIF(TRIM("t0"."bsr_shipping", ' 	
'), '')),
              '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$'
            )
            THEN TRY_CAST(LOWER(NULLIF(TRIM("t0"."bsr_shipping", ' 	
'), '')) AS DOUBLE)
            ELSE NULL
          END
        END AS "bsr_shipping",
        CASE
          WHEN REGEXP_MATCHES(LOWER(NULLIF(TRIM("t0"."fans", ' 	
'), '')), '^[+-]?[0-9]+$')
          THEN TRY_CAST(LOWER(NULLIF(TRIM("t0"."fans", ' 	
'), '')) AS BIGINT)
          ELSE NULL
        END AS "fans"
      FROM "ibis_read_csv" AS "t0"
    ) AS "t13"
    GROUP BY
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      8,
      9,
      10,
      11,
      12,
      13,
      14,
      15,
      16,
      17
  ) AS "t17"
), "t35" AS (
  SELECT
    "t26"."host_id",
    "t26"."snapshot_date",
    "t26"."category_line",
    "t26"."enterprise_member",
    "t26"."risk_assessment_passed",
    "t26"."major_tax_violation",
    "t26"."prohibited_goods_violation",
    "t26"."compliance_violation",
    "t26"."severe_infringement_penalty",
    "t26"."business_status_abnormal",
    "t26"."dishonest_record",
    "t26"."competitiveness_passed",
    "t26"."category",
    "t26"."trade_medal",
    "t26"."bsr_description",
    "t26"."bsr_shipping",
    "t26"."fans",
    "t32"."_conflict"
  FROM "t21" AS "t26"
  LEFT OUTER JOIN (
    SELECT
      "t27"."host_id",
      "t27"."snapshot_date",
      TRUE AS "_conflict"
    FROM (
      SELECT
        "t24"."host_id",
        "t24"."snapshot_date",
        COUNT(*) AS "versions"
      FROM "t21" AS "t24"
      GROUP BY
        1,
        2
    ) AS "t27"
    WHERE
      "t27"."versions" > 1
  ) AS "t32"
    ON "t26"."host_id" = "t32"."host_id"
    AND "t26"."snapshot_date" = "t32"."snapshot_date"
), "t57" AS (
  SELECT
    "t56"."session_id",
    "t56"."host_id",
    "t56"."started_at",
    "t56"."ended_at",
    "t56"."deleted",
    "t56"."_part",
    "t56"."_scope",
    "t56"."_conflict",
    "t56"."start_utc",
    "t56"."start_day",
    "t56"."end_utc",
    "t56"."end_day",
    CASE
      WHEN COALESCE((
        "t56"."session_id" IS NULL
      ) OR (
        "t56"."host_id" IS NULL
      ), FALSE)
      THEN 'missing_id'
      WHEN COALESCE("t56"."start_utc" IS NULL, FALSE)
      THEN 'unparseable_timestamp'
      WHEN COALESCE("t56"."end_utc" IS NULL, FALSE)
      THEN 'unparseable_timestamp'
      WHEN COALESCE("t56"."end_utc" < "t56"."start_utc", FALSE)
      THEN 'ends_before_start'
      WHEN COALESCE("t56"."_conflict", FALSE)
      THEN 'conflicting_duplicate'
      WHEN COALESCE(NOT (
        "t56"."host_id" IN (
          SELECT
            *
          FROM "t4"
        )
      ), FALSE)
      THEN 'unknown_host'
      WHEN COALESCE(
        (
          "t56"."_part" IS NOT NULL
        ) AND (
          "t56"."_part" <> "t56"."start_day"
        ),
        FALSE
      )
      THEN 'wrong_partition'
      ELSE NULL
    END AS "_problem"
  FROM (
    SELECT
      "t54"."session_id",
      "t54"."host_id",
      "t54"."started_at",
      "t54"."ended_at",
      "t54"."deleted",
      "t54"."_part",
      "t54"."_scope",
      "t54"."_conflict",
      "t54"."start_utc",
      "t54"."start_day",
      CASE
        WHEN "t54"."_absolute"
        THEN "t54"."_wall" - TO_SECONDS("t54"."_offset")
        ELSE "t54"."_wall" - TO_SECONDS(28800)
      END AS "end_utc",
      CAST(CASE
        WHEN "t54"."_absolute"
        THEN CASE
          WHEN "t54"."_absolute"
          THEN "t54"."_wall" - TO_SECONDS("t54"."_offset")
          ELSE "t54"."_wall" - TO_SECONDS(28800)
        END + TO_SECONDS(28800)
        ELSE "t54"."_wall"
      END AS DATE) AS "end_day"
    FROM (
      SELECT
        "t50"."session_id",
        "t50"."host_id",
        "t50"."started_at",
        "t50"."ended_at",
        "t50"."deleted",
        "t50"."_part",
        "t50"."_scope",
        "t50"."_conflict",
        "t50"."start_utc",
        "t50"."start_day",
        "t50"."_wall",
        "t50"."_suffix",
        LENGTH("t50"."_suffix") > 0 AS "_absolute",
        COALESCE(
          CASE
            WHEN UPPER("t50"."_suffix") = 'Z'
            THEN 0
            ELSE CASE WHEN STARTS_WITH(REPLACE("t50"."_suffix", ':', ''), '-') THEN -1 ELSE 1 END * (
              (
                TRY_CAST(SUBSTRING(
                  REPLACE("t50"."_suffix", ':', ''),
                  CASE
                    WHEN (
                      1 + 1
                    ) >= 1
                    THEN 1 + 1
                    ELSE 1 + 1 + LENGTH(REPLACE("t50"."_suffix", ':', ''))
                  END,
                  2
                ) AS BIGINT) * 3600
              ) + (
                CASE
                  WHEN LENGTH(REPLACE("t50"."_suffix", ':', '')) >= 5
                  THEN TRY_CAST(SUBSTRING(
                    REPLACE("t50"."_suffix", ':', ''),
                    CASE
                      WHEN (
                        3 + 1
                      ) >= 1
                      THEN 3 + 1
                      ELSE 3 + 1 + LENGTH(REPLACE("t50"."_suffix", ':', ''))
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
          "t48"."session_id",
          "t48"."host_id",
          "t48"."started_at",
          "t48"."ended_at",
          "t48"."deleted",
          "t48"."_part",
          "t48"."_scope",
          "t48"."_conflict",
          CASE
            WHEN "t48"."_absolute"
            THEN "t48"."_wall" - TO_SECONDS("t48"."_offset")
            ELSE "t48"."_wall" - TO_SECONDS(28800)
          END AS "start_utc",
          CAST(CASE
            WHEN "t48"."_absolute"
            THEN CASE
              WHEN "t48"."_absolute"
              THEN "t48"."_wall" - TO_SECONDS("t48"."_offset")
              ELSE "t48"."_wall" - TO_SECONDS(28800)
            END + TO_SECONDS(28800)
            ELSE "t48"."_wall"
          END AS DATE) AS "start_day",
          TRY_CAST(REGEXP_EXTRACT(
            TRIM("t48"."ended_at", ' 	
'),
            '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
            1
          ) || ' ' || REGEXP_EXTRACT(
            TRIM("t48"."ended_at", ' 	
'),
            '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
            2
          ) || COALESCE(
            REGEXP_EXTRACT(
              TRIM("t48"."ended_at", ' 	
'),
              '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
              3
            ),
            ''
          ) AS TIMESTAMP) AS "_wall",
          REGEXP_EXTRACT(
            TRIM("t48"."ended_at", ' 	
'),
            '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
            4
          ) AS "_suffix"
        FROM (
          SELECT
            "t39"."session_id",
            "t39"."host_id",
            "t39"."started_at",
            "t39"."ended_at",
            "t39"."deleted",
            "t39"."_part",
            "t39"."_scope",
            "t39"."_conflict",
            "t39"."_wall",
            "t39"."_suffix",
            LENGTH("t39"."_suffix") > 0 AS "_absolute",
            COALESCE(
              CASE
                WHEN UPPER("t39"."_suffix") = 'Z'
                THEN 0
                ELSE CASE WHEN STARTS_WITH(REPLACE("t39"."_suffix", ':', ''), '-') THEN -1 ELSE 1 END * (
                  (
                    TRY_CAST(SUBSTRING(
                      REPLACE("t39"."_suffix", ':', ''),
                      CASE
                        WHEN (
                          1 + 1
                        ) >= 1
                        THEN 1 + 1
                        ELSE 1 + 1 + LENGTH(REPLACE("t39"."_suffix", ':', ''))
                      END,
                      2
                    ) AS BIGINT) * 3600
                  ) + (
                    CASE
                      WHEN LENGTH(REPLACE("t39"."_suffix", ':', '')) >= 5
                      THEN TRY_CAST(SUBSTRING(
                        REPLACE("t39"."_suffix", ':', ''),
                        CASE
                          WHEN (
                            3 + 1
                          ) >= 1
                          THEN 3 + 1
                          ELSE 3 + 1 + LENGTH(REPLACE("t39"."_suffix", ':', ''))
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
              "t33"."session_id",
              "t33"."host_id",
              "t33"."started_at",
              "t33"."ended_at",
              "t33"."deleted",
              "t33"."_part",
              "t33"."_scope",
              COALESCE("t33"."_conflict", FALSE) AS "_conflict",
              TRY_CAST(REGEXP_EXTRACT(
                TRIM("t33"."started_at", ' 	
'),
                '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
                1
              ) || ' ' || REGEXP_EXTRACT(
                TRIM("t33"."started_at", ' 	
'),
                '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
                2
              ) || COALESCE(
                REGEXP_EXTRACT(
                  TRIM("t33"."started_at", ' 	
'),
                  '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
                  3
                ),
                ''
              ) AS TIMESTAMP) AS "_wall",
              REGEXP_EXTRACT(
                TRIM("t33"."started_at", ' 	
'),
                '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
                4
              ) AS "_suffix"
            FROM (
              SELECT
                "t20"."session_id",
                "t20"."host_id",
                "t20"."started_at",
                "t20"."ended_at",
                "t20"."deleted",
                "t20"."_part",
                "t20"."_scope",
                "t29"."_conflict"
              FROM "t15" AS "t20"
              LEFT OUTER JOIN (
                SELECT
                  "t22"."session_id",
                  "t22"."_scope",
                  TRUE AS "_conflict"
                FROM (
                  SELECT
                    "t19"."session_id",
                    "t19"."_scope",
                    COUNT(*) AS "versions"
                  FROM "t15" AS "t19"
                  GROUP BY
                    1,
                    2
                ) AS "t22"
                WHERE
                  "t22"."versions" > 1
              ) AS "t29"
                ON "t20"."session_id" = "t29"."session_id" AND "t20"."_scope" = "t29"."_scope"
            ) AS "t33"
          ) AS "t39"
        ) AS "t48"
      ) AS "t50"
    ) AS "t54"
  ) AS "t56"
), "t74" AS (
  SELECT
    *
  FROM (
    SELECT
      COALESCE("t64"."host_id", "t72"."host_id") AS "host_id",
      COALESCE("t64"."day", "t72"."day") AS "day",
      COALESCE("t64"."valid_sessions", 0) AS "valid_sessions",
      COALESCE("t72"."live_buyers", 0) AS "live_buyers",
      COALESCE("t64"."cross_day_sessions", 0) AS "cross_day_sessions"
    FROM (
      SELECT
        "t59"."host_id",
        "t59"."start_day" AS "day",
        SUM(CAST("t59"."end_utc" > (
          "t59"."start_utc" + INTERVAL '15' MINUTE
        ) AS BIGINT)) AS "valid_sessions",
        SUM(CAST("t59"."start_day" <> "t59"."end_day" AS BIGINT)) AS "cross_day_sessions"
      FROM (
        SELECT
          "t58"."session_id",
          "t58"."host_id",
          "t58"."start_utc",
          "t58"."end_utc",
          "t58"."start_day",
          "t58"."end_day"
        FROM "t57" AS "t58"
        WHERE
          "t58"."_problem" IS NULL
          AND "t58"."start_day" IN (
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
      ) AS "t59"
      GROUP BY
        1,
        2
    ) AS "t64"
    FULL OUTER JOIN (
      SELECT
        "t70"."host_id",
        "t70"."day",
        COUNT(*) AS "live_buyers"
      FROM (
        SELECT DISTINCT
          "t69"."host_id",
          "t69"."buyer_id",
          "t69"."day"
        FROM (
          SELECT
            "t68"."host_id",
            "t68"."buyer_id",
            "t68"."view_utc",
            "t68"."day",
            "t55"."last_paid"
          FROM (
            SELECT
              "t66"."_host" AS "host_id",
              "t66"."buyer_id",
              "t66"."view_utc",
              "t66"."view_day" AS "day"
            FROM (
              SELECT
                "t65"."session_id",
                "t65"."buyer_id",
                "t65"."viewed_at",
                "t65"."_part",
                "t65"."_scope",
                "t65"."view_utc",
                "t65"."view_day",
                "t65"."_host",
                "t65"."_seen",
                CASE
                  WHEN COALESCE((
                    "t65"."session_id" IS NULL
                  ) OR (
                    "t65"."buyer_id" IS NULL
                  ), FALSE)
                  THEN 'missing_id'
                  WHEN COALESCE("t65"."view_utc" IS NULL, FALSE)
                  THEN 'unparseable_timestamp'
                  WHEN COALESCE("t65"."_seen" IS NULL, FALSE)
                  THEN 'unknown_session'
                  WHEN COALESCE("t65"."_host" IS NULL, FALSE)
                  THEN 'session_rejected'
                  WHEN COALESCE((
                    "t65"."_part" IS NOT NULL
                  ) AND (
                    "t65"."_part" <> "t65"."view_day"
                  ), FALSE)
                  THEN 'wrong_partition'
                  ELSE NULL
                END AS "_problem"
              FROM (
                SELECT
                  "t42"."session_id",
                  "t42"."buyer_id",
                  "t42"."viewed_at",
                  "t42"."_part",
                  "t42"."_scope",
                  "t42"."view_utc",
                  "t42"."view_day",
                  "t62"."_host",
                  "t62"."_seen"
                FROM (
                  SELECT
                    "t34"."session_id",
                    "t34"."buyer_id",
                    "t34"."viewed_at",
                    "t34"."_part",
                    "t34"."_scope",
                    CASE
                      WHEN "t34"."_absolute"
                      THEN "t34"."_wall" - TO_SECONDS("t34"."_offset")
                      ELSE "t34"."_wall" - TO_SECONDS(28800)
                    END AS "view_utc",
                    CAST(CASE
                      WHEN "t34"."_absolute"
                      THEN CASE
                        WHEN "t34"."_absolute"
                        THEN "t34"."_wall" - TO_SECONDS("t34"."_offset")
                        ELSE "t34"."_wall" - TO_SECONDS(28800)
                      END + TO_SECONDS(28800)
                      ELSE "t34"."_wall"
                    END AS DATE) AS "view_day"
                  FROM (
                    SELECT
                      "t18"."session_id",
                      "t18"."buyer_id",
                      "t18"."viewed_at",
                      "t18"."_part",
                      "t18"."_scope",
                      "t18"."_wall",
                      "t18"."_suffix",
                      LENGTH("t18"."_suffix") > 0 AS "_absolute",
                      COALESCE(
                        CASE
                          WHEN UPPER("t18"."_suffix") = 'Z'
                          THEN 0
                          ELSE CASE WHEN STARTS_WITH(REPLACE("t18"."_suffix", ':', ''), '-') THEN -1 ELSE 1 END * (
                            (
                              TRY_CAST(SUBSTRING(
                                REPLACE("t18"."_suffix", ':', ''),
                                CASE
                                  WHEN (
                                    1 + 1
                                  ) >= 1
                                  THEN 1 + 1
                                  ELSE 1 + 1 + LENGTH(REPLACE("t18"."_suffix", ':', ''))
                                END,
                                2
                              ) AS BIGINT) * 3600
                            ) + (
                              CASE
                                WHEN LENGTH(REPLACE("t18"."_suffix", ':', '')) >= 5
                                THEN TRY_CAST(SUBSTRING(
                                  REPLACE("t18"."_suffix", ':', ''),
                                  CASE
                                    WHEN (
                                      3 + 1
                                    ) >= 1
                                    THEN 3 + 1
                                    ELSE 3 + 1 + LENGTH(REPLACE("t18"."_suffix", ':', ''))
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
                    ) AS "t18"
                  ) AS "t34"
                ) AS "t42"
                LEFT OUTER JOIN (
                  SELECT
                    "t60"."session_id",
                    "t60"."_host",
                    TRUE AS "_seen"
                  FROM (
                    SELECT DISTINCT
                      "t58"."session_id",
                      CASE WHEN "t58"."_problem" IS NULL THEN "t58"."host_id" ELSE NULL END AS "_host"
                    FROM "t57" AS "t58"
                  ) AS "t60"
                ) AS "t62"
                  ON "t42"."session_id" = "t62"."session_id"
              ) AS "t65"
            ) AS "t66"
            WHERE
              "t66"."_problem" IS NULL
          ) AS "t68"
          INNER JOIN (
            SELECT
              "t52"."host_id",
              "t52"."buyer_id",
              "t52"."paid_day" AS "day",
              MAX("t52"."paid_utc") AS "last_paid"
            FROM (
              SELECT
                "t51"."host_id",
                "t51"."buyer_id",
                "t51"."paid_utc",
                "t51"."paid_day"
              FROM (
                SELECT
                  "t49"."order_id",
                  "t49"."host_id",
                  "t49"."buyer_id",
                  "t49"."paid_at",
                  "t49"."_part",
                  "t49"."_scope",
                  "t49"."_conflict",
                  "t49"."paid_utc",
                  "t49"."paid_day",
                  CASE
                    WHEN COALESCE(
                      (
                        "t49"."order_id" IS NULL
                      )
                      OR (
                        "t49"."host_id" IS NULL
                      )
                      OR (
                        "t49"."buyer_id" IS NULL
                      ),
                      FALSE
                    )
                    THEN 'missing_id'
                    WHEN COALESCE((
                      "t49"."paid_at" IS NOT NULL
                    ) AND (
                      "t49"."paid_utc" IS NULL
                    ), FALSE)
                    THEN 'unparseable_timestamp'
                    WHEN COALESCE("t49"."_conflict", FALSE)
                    THEN 'conflicting_duplicate'
                    WHEN COALESCE((
                      "t49"."_part" IS NOT NULL
                    ) AND (
                      "t49"."_part" <> "t49"."paid_day"
                    ), FALSE)
                    THEN 'wrong_partition'
                    WHEN COALESCE(NOT (
                      "t49"."host_id" IN (
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
                    "t47"."order_id",
                    "t47"."host_id",
                    "t47"."buyer_id",
                    "t47"."paid_at",
                    "t47"."_part",
                    "t47"."_scope",
                    "t47"."_conflict",
                    CASE
                      WHEN "t47"."_absolute"
                      THEN "t47"."_wall" - TO_SECONDS("t47"."_offset")
                      ELSE "t47"."_wall" - TO_SECONDS(28800)
                    END AS "paid_utc",
                    CAST(CASE
                      WHEN "t47"."_absolute"
                      THEN CASE
                        WHEN "t47"."_absolute"
                        THEN "t47"."_wall" - TO_SECONDS("t47"."_offset")
                        ELSE "t47"."_wall" - TO_SECONDS(28800)
                      END + TO_SECONDS(28800)
                      ELSE "t47"."_wall"
                    END AS DATE) AS "paid_day"
                  FROM (
                    SELECT
                      "t37"."order_id",
                      "t37"."host_id",
                      "t37"."buyer_id",
                      "t37"."paid_at",
                      "t37"."_part",
                      "t37"."_scope",
                      "t37"."_conflict",
                      "t37"."_wall",
                      "t37"."_suffix",
                      LENGTH("t37"."_suffix") > 0 AS "_absolute",
                      COALESCE(
                        CASE
                          WHEN UPPER("t37"."_suffix") = 'Z'
                          THEN 0
                          ELSE CASE WHEN STARTS_WITH(REPLACE("t37"."_suffix", ':', ''), '-') THEN -1 ELSE 1 END * (
                            (
                              TRY_CAST(SUBSTRING(
                                REPLACE("t37"."_suffix", ':', ''),
                                CASE
                                  WHEN (
                                    1 + 1
                                  ) >= 1
                                  THEN 1 + 1
                                  ELSE 1 + 1 + LENGTH(REPLACE("t37"."_suffix", ':', ''))
                                END,
                                2
                              ) AS BIGINT) * 3600
                            ) + (
                              CASE
                                WHEN LENGTH(REPLACE("t37"."_suffix", ':', '')) >= 5
                                THEN TRY_CAST(SUBSTRING(
                                  REPLACE("t37"."_suffix", ':', ''),
                                  CASE
                                    WHEN (
                                      3 + 1
                                    ) >= 1
                                    THEN 3 + 1
                                    ELSE 3 + 1 + LENGTH(REPLACE("t37"."_suffix", ':', ''))
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
                        "t30"."order_id",
                        "t30"."host_id",
                        "t30"."buyer_id",
                        "t30"."paid_at",
                        "t30"."_part",
                        "t30"."_scope",
                        COALESCE("t30"."_conflict", FALSE) AS "_conflict",
                        TRY_CAST(REGEXP_EXTRACT(
                          TRIM("t30"."paid_at", ' 	
'),
                          '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
                          1
                        ) || ' ' || REGEXP_EXTRACT(
                          TRIM("t30"."paid_at", ' 	
'),
                          '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
                          2
                        ) || COALESCE(
                          REGEXP_EXTRACT(
                            TRIM("t30"."paid_at", ' 	
'),
                            '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
                            3
                          ),
                          ''
                        ) AS TIMESTAMP) AS "_wall",
                        REGEXP_EXTRACT(
                          TRIM("t30"."paid_at", ' 	
'),
                          '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
                          4
                        ) AS "_suffix"
                      FROM (
                        SELECT
                          "t14"."order_id",
                          "t14"."host_id",
                          "t14"."buyer_id",
                          "t14"."paid_at",
                          "t14"."_part",
                          "t14"."_scope",
                          "t25"."_conflict"
                        FROM "t10" AS "t14"
                        LEFT OUTER JOIN (
                          SELECT
                            "t16"."order_id",
                            "t16"."_scope",
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
                          ) AS "t16"
                          WHERE
                            "t16"."versions" > 1
                        ) AS "t25"
                          ON "t14"."order_id" = "t25"."order_id" AND "t14"."_scope" = "t25"."_scope"
                      ) AS "t30"
                    ) AS "t37"
                  ) AS "t47"
                ) AS "t49"
              ) AS "t51"
              WHERE
                "t51"."_problem" IS NULL
                AND "t51"."paid_at" IS NOT NULL
                AND "t51"."paid_day" IN (
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
            ) AS "t52"
            GROUP BY
              1,
              2,
              3
          ) AS "t55"
            ON "t68"."host_id" = "t55"."host_id"
            AND "t68"."buyer_id" = "t55"."buyer_id"
            AND "t68"."day" = "t55"."day"
        ) AS "t69"
        WHERE
          "t69"."view_utc" <= "t69"."last_paid"
      ) AS "t70"
      GROUP BY
        1,
        2
    ) AS "t72"
      ON "t64"."host_id" = "t72"."host_id" AND "t64"."day" = "t72"."day"
  ) AS "t73"
  WHERE
    "t73"."day" BETWEEN MAKE_DATE(2026, 10, 27) AND MAKE_DATE(2026, 11, 25)
), "t81" AS (
  SELECT
    "t80"."host_id",
    "t80"."snapshot_date",
    "t80"."category_line",
    "t80"."enterprise_member",
    "t80"."risk_assessment_passed",
    "t80"."major_tax_violation",
    "t80"."prohibited_goods_violation",
    "t80"."compliance_violation",
    "t80"."severe_infringement_penalty",
    "t80"."business_status_abnormal",
    "t80"."dishonest_record",
    "t80"."competitiveness_passed",
    "t80"."category",
    "t80"."trade_medal",
    "t80"."bsr_description",
    "t80"."bsr_shipping",
    "t80"."fans",
    "t80"."live_sessions_30d",
    "t80"."live_buyers_30d",
    "t80"."cross_day_sessions_30d",
    CASE
      WHEN TRUE
      AND COALESCE("t80"."enterprise_member" = TRUE, FALSE)
      AND COALESCE("t80"."risk_assessment_passed" = TRUE, FALSE)
      AND COALESCE("t80"."major_tax_violation" = FALSE, FALSE)
      AND COALESCE("t80"."prohibited_goods_violation" = FALSE, FALSE)
      AND COALESCE("t80"."compliance_violation" = FALSE, FALSE)
      AND COALESCE("t80"."severe_infringement_penalty" = FALSE, FALSE)
      AND COALESCE("t80"."business_status_abnormal" = FALSE, FALSE)
      AND COALESCE("t80"."dishonest_record" = FALSE, FALSE)
      AND COALESCE("t80"."competitiveness_passed" = TRUE, FALSE)
      AND COALESCE(
        NOT (
          "t80"."category" IN ('adult_health', 'pharmaceutical', 'health_care', 'e_cigarette')
        ),
        FALSE
      )
      AND (
        TRUE
        AND COALESCE("t80"."trade_medal" >= 3, FALSE)
        AND COALESCE("t80"."bsr_description" >= 4.7, FALSE)
        AND COALESCE("t80"."bsr_shipping" >= 4.3, FALSE)
        AND COALESCE("t80"."fans" >= 500, FALSE)
        AND COALESCE("t80"."live_sessions_30d" >= 15, FALSE)
        AND COALESCE("t80"."live_buyers_30d" >= 300, FALSE)
      )
      THEN 'honor'
      WHEN TRUE
      AND COALESCE("t80"."enterprise_member" = TRUE, FALSE)
      AND COALESCE("t80"."risk_assessment_passed" = TRUE, FALSE)
      AND COALESCE("t80"."major_tax_violation" = FALSE, FALSE)
      AND COALESCE("t80"."prohibited_goods_violation" = FALSE, FALSE)
      AND COALESCE("t80"."compliance_violation" = FALSE, FALSE)
      AND COALESCE("t80"."severe_infringement_penalty" = FALSE, FALSE)
      AND COALESCE("t80"."business_status_abnormal" = FALSE, FALSE)
      AND COALESCE("t80"."dishonest_record" = FALSE, FALSE)
      AND COALESCE("t80"."competitiveness_passed" = TRUE, FALSE)
      AND COALESCE(
        NOT (
          "t80"."category" IN ('adult_health', 'pharmaceutical', 'health_care', 'e_cigarette')
        ),
        FALSE
      )
      AND (
        TRUE
        AND COALESCE("t80"."trade_medal" >= 2, FALSE)
        AND COALESCE("t80"."bsr_description" >= 4.6, FALSE)
        AND COALESCE("t80"."bsr_shipping" >= 4.3, FALSE)
        AND (
          FALSE
          OR COALESCE("t80"."live_sessions_30d" >= 5, FALSE)
          OR COALESCE("t80"."live_buyers_30d" >= 50, FALSE)
        )
      )
      THEN 'expert'
      WHEN TRUE
      AND COALESCE("t80"."enterprise_member" = TRUE, FALSE)
      AND COALESCE("t80"."risk_assessment_passed" = TRUE, FALSE)
      AND COALESCE("t80"."major_tax_violation" = FALSE, FALSE)
      AND COALESCE("t80"."prohibited_goods_violation" = FALSE, FALSE)
      AND COALESCE("t80"."compliance_violation" = FALSE, FALSE)
      AND COALESCE("t80"."severe_infringement_penalty" = FALSE, FALSE)
      AND COALESCE("t80"."business_status_abnormal" = FALSE, FALSE)
      AND COALESCE("t80"."dishonest_record" = FALSE, FALSE)
      AND COALESCE("t80"."competitiveness_passed" = TRUE, FALSE)
      AND COALESCE(
        NOT (
          "t80"."category" IN ('adult_health', 'pharmaceutical', 'health_care', 'e_cigarette')
        ),
        FALSE
      )
      AND TRUE
      THEN 'ordinary'
      ELSE 'none'
    END AS "tier",
    COALESCE("t80"."enterprise_member" = TRUE, FALSE) AS "met__basic_0",
    CASE WHEN COALESCE("t80"."enterprise_member" = TRUE, FALSE) THEN 1.0 ELSE 0.0 END AS "progress__basic_0",
    COALESCE("t80"."risk_assessment_passed" = TRUE, FALSE) AS "met__basic_1",
    CASE
      WHEN COALESCE("t80"."risk_assessment_passed" = TRUE, FALSE)
      THEN 1.0
      ELSE 0.0
    END AS "progress__basic_1",
    COALESCE("t80"."major_tax_violation" = FALSE, FALSE) AS "met__basic_2",
    CASE WHEN COALESCE("t80"."major_tax_violation" = FALSE, FALSE) THEN 1.0 ELSE 0.0 END AS "progress__basic_2",
    COALESCE("t80"."prohibited_goods_violation" = FALSE, FALSE) AS "met__basic_3",
    CASE
      WHEN COALESCE("t80"."prohibited_goods_violation" = FALSE, FALSE)
      THEN 1.0
      ELSE 0.0
    END AS "progress__basic_3",
    COALESCE("t80"."compliance_violation" = FALSE, FALSE) AS "met__basic_4",
    CASE
      WHEN COALESCE("t80"."compliance_violation" = FALSE, FALSE)
      THEN 1.0
      ELSE 0.0
    END AS "progress__basic_4",
    COALESCE("t80"."severe_infringement_penalty" = FALSE, FALSE) AS "met__basic_5",
    CASE
      WHEN COALESCE("t80"."severe_infringement_penalty" = FALSE, FALSE)
      THEN 1.0
      ELSE 0.0
    END AS "progress__basic_5",
    COALESCE("t80"."business_status_abnormal" = FALSE, FALSE) AS "met__basic_6",
    CASE
      WHEN COALESCE("t80"."business_status_abnormal" = FALSE, FALSE)
      THEN 1.0
      ELSE 0.0
    END AS "progress__basic_6",
    COALESCE("t80"."dishonest_record" = FALSE, FALSE) AS "met__basic_7",
    CASE WHEN COALESCE("t80"."dishonest_record" = FALSE, FALSE) THEN 1.0 ELSE 0.0 END AS "progress__basic_7",
    COALESCE("t80"."competitiveness_passed" = TRUE, FALSE) AS "met__basic_8",
    CASE
      WHEN COALESCE("t80"."competitiveness_passed" = TRUE, FALSE)
      THEN 1.0
      ELSE 0.0
    END AS "progress__basic_8",
    COALESCE(
      NOT (
        "t80"."category" IN ('adult_health', 'pharmaceutical', 'health_care', 'e_cigarette')
      ),
      FALSE
    ) AS "met__basic_9",
    CASE
      WHEN COALESCE(
        NOT (
          "t80"."category" IN ('adult_health', 'pharmaceutical', 'health_care', 'e_cigarette')
        ),
        FALSE
      )
      THEN 1.0
      ELSE 0.0
    END AS "progress__basic_9",
    TRUE
    AND COALESCE("t80"."enterprise_member" = TRUE, FALSE)
    AND COALESCE("t80"."risk_assessment_passed" = TRUE, FALSE)
    AND COALESCE("t80"."major_tax_violation" = FALSE, FALSE)
    AND COALESCE("t80"."prohibited_goods_violation" = FALSE, FALSE)
    AND COALESCE("t80"."compliance_violation" = FALSE, FALSE)
    AND COALESCE("t80"."severe_infringement_penalty" = FALSE, FALSE)
    AND COALESCE("t80"."business_status_abnormal" = FALSE, FALSE)
    AND COALESCE("t80"."dishonest_record" = FALSE, FALSE)
    AND COALESCE("t80"."competitiveness_passed" = TRUE, FALSE)
    AND COALESCE(
      NOT (
        "t80"."category" IN ('adult_health', 'pharmaceutical', 'health_care', 'e_cigarette')
      ),
      FALSE
    ) AS "met__basic",
    (
      0.0 + CASE WHEN COALESCE("t80"."enterprise_member" = TRUE, FALSE) THEN 1.0 ELSE 0.0 END + CASE
        WHEN COALESCE("t80"."risk_assessment_passed" = TRUE, FALSE)
        THEN 1.0
        ELSE 0.0
      END + CASE WHEN COALESCE("t80"."major_tax_violation" = FALSE, FALSE) THEN 1.0 ELSE 0.0 END + CASE
        WHEN COALESCE("t80"."prohibited_goods_violation" = FALSE, FALSE)
        THEN 1.0
        ELSE 0.0
      END + CASE
        WHEN COALESCE("t80"."compliance_violation" = FALSE, FALSE)
        THEN 1.0
        ELSE 0.0
      END + CASE
        WHEN COALESCE("t80"."severe_infringement_penalty" = FALSE, FALSE)
        THEN 1.0
        ELSE 0.0
      END + CASE
        WHEN COALESCE("t80"."business_status_abnormal" = FALSE, FALSE)
        THEN 1.0
        ELSE 0.0
      END + CASE WHEN COALESCE("t80"."dishonest_record" = FALSE, FALSE) THEN 1.0 ELSE 0.0 END + CASE
        WHEN COALESCE("t80"."competitiveness_passed" = TRUE, FALSE)
        THEN 1.0
        ELSE 0.0
      END + CASE
        WHEN COALESCE(
          NOT (
            "t80"."category" IN ('adult_health', 'pharmaceutical', 'health_care', 'e_cigarette')
          ),
          FALSE
        )
        THEN 1.0
        ELSE 0.0
      END
    ) / 10 AS "progress__basic",
    TRUE AS "met__ordinary",
    1.0 AS "progress__ordinary",
    COALESCE("t80"."trade_medal" >= 2, FALSE) AS "met__expert_0",
    CASE
      WHEN COALESCE("t80"."trade_medal" >= 2, FALSE)
      THEN 1.0
      ELSE GREATEST(LEAST(COALESCE(CAST("t80"."trade_medal" AS DOUBLE) / 2.0, 0.0), 1.0), 0.0)
    END AS "progress__expert_0",
    COALESCE("t80"."bsr_description" >= 4.6, FALSE) AS "met__expert_1",
    CASE
      WHEN COALESCE("t80"."bsr_description" >= 4.6, FALSE)
      THEN 1.0
      ELSE GREATEST(LEAST(COALESCE("t80"."bsr_description" / 4.6, 0.0), 1.0), 0.0)
    END AS "progress__expert_1",
    COALESCE("t80"."bsr_shipping" >= 4.3, FALSE) AS "met__expert_2",
    CASE
      WHEN COALESCE("t80"."bsr_shipping" >= 4.3, FALSE)
      THEN 1.0
      ELSE GREATEST(LEAST(COALESCE("t80"."bsr_shipping" / 4.3, 0.0), 1.0), 0.0)
    END AS "progress__expert_2",
    COALESCE("t80"."live_sessions_30d" >= 5, FALSE) AS "met__expert_3_0",
    CASE
      WHEN COALESCE("t80"."live_sessions_30d" >= 5, FALSE)
      THEN 1.0
      ELSE GREATEST(LEAST(COALESCE(CAST("t80"."live_sessions_30d" AS DOUBLE) / 5.0, 0.0), 1.0), 0.0)
    END AS "progress__expert_3_0",
    COALESCE("t80"."live_buyers_30d" >= 50, FALSE) AS "met__expert_3_1",
    CASE
      WHEN COALESCE("t80"."live_buyers_30d" >= 50, FALSE)
      THEN 1.0
      ELSE GREATEST(LEAST(COALESCE(CAST("t80"."live_buyers_30d" AS DOUBLE) / 50.0, 0.0), 1.0), 0.0)
    END AS "progress__expert_3_1",
    CASE
      WHEN CASE
        WHEN COALESCE("t80"."live_sessions_30d" >= 5, FALSE)
        THEN 1.0
        ELSE GREATEST(LEAST(COALESCE(CAST("t80"."live_sessions_30d" AS DOUBLE) / 5.0, 0.0), 1.0), 0.0)
      END = GREATEST(
        CASE
          WHEN COALESCE("t80"."live_sessions_30d" >= 5, FALSE)
          THEN 1.0
          ELSE GREATEST(LEAST(COALESCE(CAST("t80"."live_sessions_30d" AS DOUBLE) / 5.0, 0.0), 1.0), 0.0)
        END,
        CASE
          WHEN COALESCE("t80"."live_buyers_30d" >= 50, FALSE)
          THEN 1.0
          ELSE GREATEST(LEAST(COALESCE(CAST("t80"."live_buyers_30d" AS DOUBLE) / 50.0, 0.0), 1.0), 0.0)
        END
      )
      THEN 0
      WHEN CASE
        WHEN COALESCE("t80"."live_buyers_30d" >= 50, FALSE)
        THEN 1.0
        ELSE GREATEST(LEAST(COALESCE(CAST("t80"."live_buyers_30d" AS DOUBLE) / 50.0, 0.0), 1.0), 0.0)
      END = GREATEST(
        CASE
          WHEN COALESCE("t80"."live_sessions_30d" >= 5, FALSE)
          THEN 1.0
          ELSE GREATEST(LEAST(COALESCE(CAST("t80"."live_sessions_30d" AS DOUBLE) / 5.0, 0.0), 1.0), 0.0)
        END,
        CASE
          WHEN COALESCE("t80"."live_buyers_30d" >= 50, FALSE)
          THEN 1.0
          ELSE GREATEST(LEAST(COALESCE(CAST("t80"."live_buyers_30d" AS DOUBLE) / 50.0, 0.0), 1.0), 0.0)
        END
      )
      THEN 1
      ELSE 0
    END AS "closest__expert_3",
    FALSE
    OR COALESCE("t80"."live_sessions_30d" >= 5, FALSE)
    OR COALESCE("t80"."live_buyers_30d" >= 50, FALSE) AS "met__expert_3",
    GREATEST(
      CASE
        WHEN COALESCE("t80"."live_sessions_30d" >= 5, FALSE)
        THEN 1.0
        ELSE GREATEST(LEAST(COALESCE(CAST("t80"."live_sessions_30d" AS DOUBLE) / 5.0, 0.0), 1.0), 0.0)
      END,
      CASE
        WHEN COALESCE("t80"."live_buyers_30d" >= 50, FALSE)
        THEN 1.0
        ELSE GREATEST(LEAST(COALESCE(CAST("t80"."live_buyers_30d" AS DOUBLE) / 50.0, 0.0), 1.0), 0.0)
      END
    ) AS "progress__expert_3",
    TRUE
    AND COALESCE("t80"."trade_medal" >= 2, FALSE)
    AND COALESCE("t80"."bsr_description" >= 4.6, FALSE)
    AND COALESCE("t80"."bsr_shipping" >= 4.3, FALSE)
    AND (
      FALSE
      OR COALESCE("t80"."live_sessions_30d" >= 5, FALSE)
      OR COALESCE("t80"."live_buyers_30d" >= 50, FALSE)
    ) AS "met__expert",
    (
      0.0 + CASE
        WHEN COALESCE("t80"."trade_medal" >= 2, FALSE)
        THEN 1.0
        ELSE GREATEST(LEAST(COALESCE(CAST("t80"."trade_medal" AS DOUBLE) / 2.0, 0.0), 1.0), 0.0)
      END + CASE
        WHEN COALESCE("t80"."bsr_description" >= 4.6, FALSE)
        THEN 1.0
        ELSE GREATEST(LEAST(COALESCE("t80"."bsr_description" / 4.6, 0.0), 1.0), 0.0)
      END + CASE
        WHEN COALESCE("t80"."bsr_shipping" >= 4.3, FALSE)
        THEN 1.0
        ELSE GREATEST(LEAST(COALESCE("t80"."bsr_shipping" / 4.3, 0.0), 1.0), 0.0)
      END + GREATEST(
        CASE
          WHEN COALESCE("t80"."live_sessions_30d" >= 5, FALSE)
          THEN 1.0
          ELSE GREATEST(LEAST(COALESCE(CAST("t80"."live_sessions_30d" AS DOUBLE) / 5.0, 0.0), 1.0), 0.0)
        END,
        CASE
          WHEN COALESCE("t80"."live_buyers_30d" >= 50, FALSE)
          THEN 1.0
          ELSE GREATEST(LEAST(COALESCE(CAST("t80"."live_buyers_30d" AS DOUBLE) / 50.0, 0.0), 1.0), 0.0)
        END
      )
    ) / 4 AS "progress__expert",
    COALESCE("t80"."trade_medal" >= 3, FALSE) AS "met__honor_0",
    CASE
      WHEN COALESCE("t80"."trade_medal" >= 3, FALSE)
      THEN 1.0
      ELSE GREATEST(LEAST(COALESCE(CAST("t80"."trade_medal" AS DOUBLE) / 3.0, 0.0), 1.0), 0.0)
    END AS "progress__honor_0",
    COALESCE("t80"."bsr_description" >= 4.7, FALSE) AS "met__honor_1",
    CASE
      WHEN COALESCE("t80"."bsr_description" >= 4.7, FALSE)
      THEN 1.0
      ELSE GREATEST(LEAST(COALESCE("t80"."bsr_description" / 4.7, 0.0), 1.0), 0.0)
    END AS "progress__honor_1",
    COALESCE("t80"."bsr_shipping" >= 4.3, FALSE) AS "met__honor_2",
    CASE
      WHEN COALESCE("t80"."bsr_shipping" >= 4.3, FALSE)
      THEN 1.0
      ELSE GREATEST(LEAST(COALESCE("t80"."bsr_shipping" / 4.3, 0.0), 1.0), 0.0)
    END AS "progress__honor_2",
    COALESCE("t80"."fans" >= 500, FALSE) AS "met__honor_3",
    CASE
      WHEN COALESCE("t80"."fans" >= 500, FALSE)
      THEN 1.0
      ELSE GREATEST(LEAST(COALESCE(CAST("t80"."fans" AS DOUBLE) / 500.0, 0.0), 1.0), 0.0)
    END AS "progress__honor_3",
    COALESCE("t80"."live_sessions_30d" >= 15, FALSE) AS "met__honor_4",
    CASE
      WHEN COALESCE("t80"."live_sessions_30d" >= 15, FALSE)
      THEN 1.0
      ELSE GREATEST(LEAST(COALESCE(CAST("t80"."live_sessions_30d" AS DOUBLE) / 15.0, 0.0), 1.0), 0.0)
    END AS "progress__honor_4",
    COALESCE("t80"."live_buyers_30d" >= 300, FALSE) AS "met__honor_5",
    CASE
      WHEN COALESCE("t80"."live_buyers_30d" >= 300, FALSE)
      THEN 1.0
      ELSE GREATEST(LEAST(COALESCE(CAST("t80"."live_buyers_30d" AS DOUBLE) / 300.0, 0.0), 1.0), 0.0)
    END AS "progress__honor_5",
    TRUE
    AND COALESCE("t80"."trade_medal" >= 3, FALSE)
    AND COALESCE("t80"."bsr_description" >= 4.7, FALSE)
    AND COALESCE("t80"."bsr_shipping" >= 4.3, FALSE)
    AND COALESCE("t80"."fans" >= 500, FALSE)
    AND COALESCE("t80"."live_sessions_30d" >= 15, FALSE)
    AND COALESCE("t80"."live_buyers_30d" >= 300, FALSE) AS "met__honor",
    (
      0.0 + CASE
        WHEN COALESCE("t80"."trade_medal" >= 3, FALSE)
        THEN 1.0
        ELSE GREATEST(LEAST(COALESCE(CAST("t80"."trade_medal" AS DOUBLE) / 3.0, 0.0), 1.0), 0.0)
      END + CASE
        WHEN COALESCE("t80"."bsr_description" >= 4.7, FALSE)
        THEN 1.0
        ELSE GREATEST(LEAST(COALESCE("t80"."bsr_description" / 4.7, 0.0), 1.0), 0.0)
      END + CASE
        WHEN COALESCE("t80"."bsr_shipping" >= 4.3, FALSE)
        THEN 1.0
        ELSE GREATEST(LEAST(COALESCE("t80"."bsr_shipping" / 4.3, 0.0), 1.0), 0.0)
      END + CASE
        WHEN COALESCE("t80"."fans" >= 500, FALSE)
        THEN 1.0
        ELSE GREATEST(LEAST(COALESCE(CAST("t80"."fans" AS DOUBLE) / 500.0, 0.0), 1.0), 0.0)
      END + CASE
        WHEN COALESCE("t80"."live_sessions_30d" >= 15, FALSE)
        THEN 1.0
        ELSE GREATEST(LEAST(COALESCE(CAST("t80"."live_sessions_30d" AS DOUBLE) / 15.0, 0.0), 1.0), 0.0)
      END + CASE
        WHEN COALESCE("t80"."live_buyers_30d" >= 300, FALSE)
        THEN 1.0
        ELSE GREATEST(LEAST(COALESCE(CAST("t80"."live_buyers_30d" AS DOUBLE) / 300.0, 0.0), 1.0), 0.0)
      END
    ) / 6 AS "progress__honor"
  FROM (
    SELECT
      "t79"."host_id",
      "t79"."snapshot_date",
      "t79"."category_line",
      "t79"."enterprise_member",
      "t79"."risk_assessment_passed",
      "t79"."major_tax_violation",
      "t79"."prohibited_goods_violation",
      "t79"."compliance_violation",
      "t79"."severe_infringement_penalty",
      "t79"."business_status_abnormal",
      "t79"."dishonest_record",
      "t79"."competitiveness_passed",
      "t79"."category",
      "t79"."trade_medal",
      CASE WHEN ISNAN("t79"."bsr_description") THEN NULL ELSE "t79"."bsr_description" END AS "bsr_description",
      CASE WHEN ISNAN("t79"."bsr_shipping") THEN NULL ELSE "t79"."bsr_shipping" END AS "bsr_shipping",
      "t79"."fans",
      COALESCE("t79"."live_sessions_30d", 0) AS "live_sessions_30d",
      COALESCE("t79"."live_buyers_30d", 0) AS "live_buyers_30d",
      COALESCE("t79"."cross_day_sessions_30d", 0) AS "cross_day_sessions_30d"
    FROM (
      SELECT
        "t46"."host_id",
        "t46"."snapshot_date",
        "t46"."category_line",
        "t46"."enterprise_member",
        "t46"."risk_assessment_passed",
        "t46"."major_tax_violation",
        "t46"."prohibited_goods_violation",
        "t46"."compliance_violation",
        "t46"."severe_infringement_penalty",
        "t46"."business_status_abnormal",
        "t46"."dishonest_record",
        "t46"."competitiveness_passed",
        "t46"."category",
        "t46"."trade_medal",
        "t46"."bsr_description",
        "t46"."bsr_shipping",
        "t46"."fans",
        "t78"."live_sessions_30d",
        "t78"."live_buyers_30d",
        "t78"."cross_day_sessions_30d"
      FROM (
        SELECT
          "t44"."host_id",
          "t44"."snapshot_date",
          "t44"."category_line",
          "t44"."enterprise_member",
          "t44"."risk_assessment_passed",
          "t44"."major_tax_violation",
          "t44"."prohibited_goods_violation",
          "t44"."compliance_violation",
          "t44"."severe_infringement_penalty",
          "t44"."business_status_abnormal",
          "t44"."dishonest_record",
          "t44"."competitiveness_passed",
          "t44"."category",
          "t44"."trade_medal",
          "t44"."bsr_description",
          "t44"."bsr_shipping",
          "t44"."fans"
        FROM (
          SELECT
            "t36"."host_id",
            "t36"."snapshot_date",
            "t36"."category_line",
            "t36"."enterprise_member",
            "t36"."risk_assessment_passed",
            "t36"."major_tax_violation",
            "t36"."prohibited_goods_violation",
            "t36"."compliance_violation",
            "t36"."severe_infringement_penalty",
            "t36"."business_status_abnormal",
            "t36"."dishonest_record",
            "t36"."competitiveness_passed",
            "t36"."category",
            "t36"."trade_medal",
            "t36"."bsr_description",
            "t36"."bsr_shipping",
            "t36"."fans",
            COALESCE("t36"."_conflict", FALSE) AS "_conflict",
            CASE
              WHEN COALESCE("t36"."host_id" IS NULL, FALSE)
              THEN 'missing_id'
              WHEN COALESCE("t36"."snapshot_date" IS NULL, FALSE)
              THEN 'missing_snapshot_date'
              WHEN COALESCE(
                NOT (
                  "t36"."category_line" IN ('consumer', 'industrial')
                )
                OR (
                  "t36"."category_line" IS NULL
                ),
                FALSE
              )
              THEN 'unknown_category_line'
              WHEN COALESCE(COALESCE("t36"."_conflict", FALSE), FALSE)
              THEN 'conflicting_duplicate'
              ELSE NULL
            END AS "_problem"
          FROM "t35" AS "t36"
        ) AS "t44"
        WHERE
          "t44"."_problem" IS NULL
      ) AS "t46"
      INNER JOIN (
        SELECT
          "t38"."host_id",
          MAX("t38"."snapshot_date") AS "snapshot_date"
        FROM (
          SELECT DISTINCT
            "t36"."host_id",
            "t36"."snapshot_date"
          FROM "t35" AS "t36"
          WHERE
            "t36"."host_id" IS NOT NULL
            AND "t36"."snapshot_date" IS NOT NULL
            AND "t36"."snapshot_date" <= MAKE_DATE(2026, 11, 25)
        ) AS "t38"
        GROUP BY
          1
      ) AS "t43"
        ON "t46"."host_id" = "t43"."host_id"
        AND "t46"."snapshot_date" = "t43"."snapshot_date"
      LEFT OUTER JOIN (
        SELECT
          "t75"."host_id",
          SUM("t75"."valid_sessions") AS "live_sessions_30d",
          SUM("t75"."live_buyers") AS "live_buyers_30d",
          SUM("t75"."cross_day_sessions") AS "cross_day_sessions_30d"
        FROM "t74" AS "t75"
        GROUP BY
          1
      ) AS "t78"
        ON "t46"."host_id" = "t78"."host_id"
    ) AS "t79"
    WHERE
      "t79"."category_line" = 'consumer'
  ) AS "t80"
)
SELECT
  "t99"."host_id",
  DATE_DIFF('DAY', MAKE_DATE(2026, 11, 26), "t99"."lost_day") + 30 AS "holds_days"
FROM (
  SELECT
    "t84"."host_id",
    "t98"."lost_day"
  FROM (
    SELECT
      "t82"."host_id"
    FROM "t81" AS "t82"
    WHERE
      "t82"."tier" <> 'none'
  ) AS "t84"
  LEFT OUTER JOIN (
    SELECT
      "t96"."host_id",
      MIN("t96"."day") AS "lost_day"
    FROM (
      SELECT
        *
      FROM (
        SELECT
          "t94"."host_id",
          "t94"."snapshot_date",
          "t94"."category_line",
          "t94"."enterprise_member",
          "t94"."risk_assessment_passed",
          "t94"."major_tax_violation",
          "t94"."prohibited_goods_violation",
          "t94"."compliance_violation",
          "t94"."severe_infringement_penalty",
          "t94"."business_status_abnormal",
          "t94"."dishonest_record",
          "t94"."competitiveness_passed",
          "t94"."category",
          "t94"."trade_medal",
          CASE WHEN ISNAN("t94"."bsr_description") THEN NULL ELSE "t94"."bsr_description" END AS "bsr_description",
          CASE WHEN ISNAN("t94"."bsr_shipping") THEN NULL ELSE "t94"."bsr_shipping" END AS "bsr_shipping",
          "t94"."fans",
          "t94"."live_sessions_30d" - "t94"."_gone_valid_sessions" AS "live_sessions_30d",
          "t94"."live_buyers_30d" - "t94"."_gone_live_buyers" AS "live_buyers_30d",
          "t94"."cross_day_sessions_30d" - "t94"."_gone_cross_day_sessions" AS "cross_day_sessions_30d",
          "t94"."tier",
          "t94"."met__basic_0",
          "t94"."progress__basic_0",
          "t94"."met__basic_1",
          "t94"."progress__basic_1",
          "t94"."met__basic_2",
          "t94"."progress__basic_2",
          "t94"."met__basic_3",
          "t94"."progress__basic_3",
          "t94"."met__basic_4",
          "t94"."progress__basic_4",
          "t94"."met__basic_5",
          "t94"."progress__basic_5",
          "t94"."met__basic_6",
          "t94"."progress__basic_6",
          "t94"."met__basic_7",
          "t94"."progress__basic_7",
          "t94"."met__basic_8",
          "t94"."progress__basic_8",
          "t94"."met__basic_9",
          "t94"."progress__basic_9",
          "t94"."met__basic",
          "t94"."progress__basic",
          "t94"."met__ordinary",
          "t94"."progress__ordinary",
          "t94"."met__expert_0",
          "t94"."progress__expert_0",
          "t94"."met__expert_1",
          "t94"."progress__expert_1",
          "t94"."met__expert_2",
          "t94"."progress__expert_2",
          "t94"."met__expert_3_0",
          "t94"."progress__expert_3_0",
          "t94"."met__expert_3_1",
          "t94"."progress__expert_3_1",
          "t94"."closest__expert_3",
          "t94"."met__expert_3",
          "t94"."progress__expert_3",
          "t94"."met__expert",
          "t94"."progress__expert",
          "t94"."met__honor_0",
          "t94"."progress__honor_0",
          "t94"."met__honor_1",
          "t94"."progress__honor_1",
          "t94"."met__honor_2",
          "t94"."progress__honor_2",
          "t94"."met__honor_3",
          "t94"."progress__honor_3",
          "t94"."met__honor_4",
          "t94"."progress__honor_4",
          "t94"."met__honor_5",
          "t94"."progress__honor_5",
          "t94"."met__honor",
          "t94"."progress__honor",
          "t94"."_rank_now",
          "t94"."day",
          "t94"."_gone_valid_sessions",
          "t94"."_gone_live_buyers",
          "t94"."_gone_cross_day_sessions",
          CASE
            WHEN COALESCE("t94"."enterprise_member" = TRUE, FALSE)
            AND COALESCE("t94"."risk_assessment_passed" = TRUE, FALSE)
            AND COALESCE("t94"."major_tax_violation" = FALSE, FALSE)
            AND COALESCE("t94"."prohibited_goods_violation" = FALSE, FALSE)
            AND COALESCE("t94"."compliance_violation" = FALSE, FALSE)
            AND COALESCE("t94"."severe_infringement_penalty" = FALSE, FALSE)
            AND COALESCE("t94"."business_status_abnormal" = FALSE, FALSE)
            AND COALESCE("t94"."dishonest_record" = FALSE, FALSE)
            AND COALESCE("t94"."competitiveness_passed" = TRUE, FALSE)
            AND COALESCE(
              NOT (
                "t94"."category" IN ('adult_health', 'pharmaceutical', 'health_care', 'e_cigarette')
              ),
              FALSE
            )
            AND (
              COALESCE("t94"."trade_medal" >= 3, FALSE)
              AND COALESCE(
                CASE WHEN ISNAN("t94"."bsr_description") THEN NULL ELSE "t94"."bsr_description" END >= 4.7,
                FALSE
              )
              AND COALESCE(
                CASE WHEN ISNAN("t94"."bsr_shipping") THEN NULL ELSE "t94"."bsr_shipping" END >= 4.3,
                FALSE
              )
              AND COALESCE("t94"."fans" >= 500, FALSE)
              AND COALESCE((
                "t94"."live_sessions_30d" - "t94"."_gone_valid_sessions"
              ) >= 15, FALSE)
              AND COALESCE((
                "t94"."live_buyers_30d" - "t94"."_gone_live_buyers"
              ) >= 300, FALSE)
            )
            THEN 3
            WHEN COALESCE("t94"."enterprise_member" = TRUE, FALSE)
            AND COALESCE("t94"."risk_assessment_passed" = TRUE, FALSE)
            AND COALESCE("t94"."major_tax_violation" = FALSE, FALSE)
            AND COALESCE("t94"."prohibited_goods_violation" = FALSE, FALSE)
            AND COALESCE("t94"."compliance_violation" = FALSE, FALSE)
            AND COALESCE("t94"."severe_infringement_penalty" = FALSE, FALSE)
            AND COALESCE("t94"."business_status_abnormal" = FALSE, FALSE)
            AND COALESCE("t94"."dishonest_record" = FALSE, FALSE)
            AND COALESCE("t94"."competitiveness_passed" = TRUE, FALSE)
            AND COALESCE(
              NOT (
                "t94"."category" IN ('adult_health', 'pharmaceutical', 'health_care', 'e_cigarette')
              ),
              FALSE
            )
            AND (
              COALESCE("t94"."trade_medal" >= 2, FALSE)
              AND COALESCE(
                CASE WHEN ISNAN("t94"."bsr_description") THEN NULL ELSE "t94"."bsr_description" END >= 4.6,
                FALSE
              )
              AND COALESCE(
                CASE WHEN ISNAN("t94"."bsr_shipping") THEN NULL ELSE "t94"."bsr_shipping" END >= 4.3,
                FALSE
              )
              AND (
                COALESCE((
                  "t94"."live_sessions_30d" - "t94"."_gone_valid_sessions"
                ) >= 5, FALSE)
                OR COALESCE((
                  "t94"."live_buyers_30d" - "t94"."_gone_live_buyers"
                ) >= 50, FALSE)
              )
            )
            THEN 2
            WHEN COALESCE("t94"."enterprise_member" = TRUE, FALSE)
            AND COALESCE("t94"."risk_assessment_passed" = TRUE, FALSE)
            AND COALESCE("t94"."major_tax_violation" = FALSE, FALSE)
            AND COALESCE("t94"."prohibited_goods_violation" = FALSE, FALSE)
            AND COALESCE("t94"."compliance_violation" = FALSE, FALSE)
            AND COALESCE("t94"."severe_infringement_penalty" = FALSE, FALSE)
            AND COALESCE("t94"."business_status_abnormal" = FALSE, FALSE)
            AND COALESCE("t94"."dishonest_record" = FALSE, FALSE)
            AND COALESCE("t94"."competitiveness_passed" = TRUE, FALSE)
            AND COALESCE(
              NOT (
                "t94"."category" IN ('adult_health', 'pharmaceutical', 'health_care', 'e_cigarette')
              ),
              FALSE
            )
            AND TRUE
            THEN 1
            ELSE 0
          END AS "_rank"
        FROM (
          SELECT
            "t86"."host_id",
            "t86"."snapshot_date",
            "t86"."category_line",
            "t86"."enterprise_member",
            "t86"."risk_assessment_passed",
            "t86"."major_tax_violation",
            "t86"."prohibited_goods_violation",
            "t86"."compliance_violation",
            "t86"."severe_infringement_penalty",
            "t86"."business_status_abnormal",
            "t86"."dishonest_record",
            "t86"."competitiveness_passed",
            "t86"."category",
            "t86"."trade_medal",
            "t86"."bsr_description",
            "t86"."bsr_shipping",
            "t86"."fans",
            "t86"."live_sessions_30d",
            "t86"."live_buyers_30d",
            "t86"."cross_day_sessions_30d",
            "t86"."tier",
            "t86"."met__basic_0",
            "t86"."progress__basic_0",
            "t86"."met__basic_1",
            "t86"."progress__basic_1",
            "t86"."met__basic_2",
            "t86"."progress__basic_2",
            "t86"."met__basic_3",
            "t86"."progress__basic_3",
            "t86"."met__basic_4",
            "t86"."progress__basic_4",
            "t86"."met__basic_5",
            "t86"."progress__basic_5",
            "t86"."met__basic_6",
            "t86"."progress__basic_6",
            "t86"."met__basic_7",
            "t86"."progress__basic_7",
            "t86"."met__basic_8",
            "t86"."progress__basic_8",
            "t86"."met__basic_9",
            "t86"."progress__basic_9",
            "t86"."met__basic",
            "t86"."progress__basic",
            "t86"."met__ordinary",
            "t86"."progress__ordinary",
            "t86"."met__expert_0",
            "t86"."progress__expert_0",
            "t86"."met__expert_1",
            "t86"."progress__expert_1",
            "t86"."met__expert_2",
            "t86"."progress__expert_2",
            "t86"."met__expert_3_0",
            "t86"."progress__expert_3_0",
            "t86"."met__expert_3_1",
            "t86"."progress__expert_3_1",
            "t86"."closest__expert_3",
            "t86"."met__expert_3",
            "t86"."progress__expert_3",
            "t86"."met__expert",
            "t86"."progress__expert",
            "t86"."met__honor_0",
            "t86"."progress__honor_0",
            "t86"."met__honor_1",
            "t86"."progress__honor_1",
            "t86"."met__honor_2",
            "t86"."progress__honor_2",
            "t86"."met__honor_3",
            "t86"."progress__honor_3",
            "t86"."met__honor_4",
            "t86"."progress__honor_4",
            "t86"."met__honor_5",
            "t86"."progress__honor_5",
            "t86"."met__honor",
            "t86"."progress__honor",
            "t86"."_rank_now",
            "t93"."day",
            "t93"."_gone_valid_sessions",
            "t93"."_gone_live_buyers",
            "t93"."_gone_cross_day_sessions"
          FROM (
            SELECT
              "t82"."host_id",
              "t82"."snapshot_date",
              "t82"."category_line",
              "t82"."enterprise_member",
              "t82"."risk_assessment_passed",
              "t82"."major_tax_violation",
              "t82"."prohibited_goods_violation",
              "t82"."compliance_violation",
              "t82"."severe_infringement_penalty",
              "t82"."business_status_abnormal",
              "t82"."dishonest_record",
              "t82"."competitiveness_passed",
              "t82"."category",
              "t82"."trade_medal",
              "t82"."bsr_description",
              "t82"."bsr_shipping",
              "t82"."fans",
              "t82"."live_sessions_30d",
              "t82"."live_buyers_30d",
              "t82"."cross_day_sessions_30d",
              "t82"."tier",
              "t82"."met__basic_0",
              "t82"."progress__basic_0",
              "t82"."met__basic_1",
              "t82"."progress__basic_1",
              "t82"."met__basic_2",
              "t82"."progress__basic_2",
              "t82"."met__basic_3",
              "t82"."progress__basic_3",
              "t82"."met__basic_4",
              "t82"."progress__basic_4",
              "t82"."met__basic_5",
              "t82"."progress__basic_5",
              "t82"."met__basic_6",
              "t82"."progress__basic_6",
              "t82"."met__basic_7",
              "t82"."progress__basic_7",
              "t82"."met__basic_8",
              "t82"."progress__basic_8",
              "t82"."met__basic_9",
              "t82"."progress__basic_9",
              "t82"."met__basic",
              "t82"."progress__basic",
              "t82"."met__ordinary",
              "t82"."progress__ordinary",
              "t82"."met__expert_0",
              "t82"."progress__expert_0",
              "t82"."met__expert_1",
              "t82"."progress__expert_1",
              "t82"."met__expert_2",
              "t82"."progress__expert_2",
              "t82"."met__expert_3_0",
              "t82"."progress__expert_3_0",
              "t82"."met__expert_3_1",
              "t82"."progress__expert_3_1",
              "t82"."closest__expert_3",
              "t82"."met__expert_3",
              "t82"."progress__expert_3",
              "t82"."met__expert",
              "t82"."progress__expert",
              "t82"."met__honor_0",
              "t82"."progress__honor_0",
              "t82"."met__honor_1",
              "t82"."progress__honor_1",
              "t82"."met__honor_2",
              "t82"."progress__honor_2",
              "t82"."met__honor_3",
              "t82"."progress__honor_3",
              "t82"."met__honor_4",
              "t82"."progress__honor_4",
              "t82"."met__honor_5",
              "t82"."progress__honor_5",
              "t82"."met__honor",
              "t82"."progress__honor",
              CASE
                WHEN "t82"."tier" = 'none'
                THEN 0
                WHEN "t82"."tier" = 'ordinary'
                THEN 1
                WHEN "t82"."tier" = 'expert'
                THEN 2
                WHEN "t82"."tier" = 'honor'
                THEN 3
                ELSE 0
              END AS "_rank_now"
            FROM "t81" AS "t82"
            WHERE
              "t82"."tier" <> 'none'
          ) AS "t86"
          SEMI JOIN (
            SELECT
              "t87"."host_id"
            FROM (
              SELECT
                "t82"."host_id",
                "t82"."snapshot_date",
                "t82"."category_line",
                "t82"."enterprise_member",
                "t82"."risk_assessment_passed",
                "t82"."major_tax_violation",
                "t82"."prohibited_goods_violation",
                "t82"."compliance_violation",
                "t82"."severe_infringement_penalty",
                "t82"."business_status_abnormal",
                "t82"."dishonest_record",
                "t82"."competitiveness_passed",
                "t82"."category",
                "t82"."trade_medal",
                CASE WHEN ISNAN("t82"."bsr_description") THEN NULL ELSE "t82"."bsr_description" END AS "bsr_description",
                CASE WHEN ISNAN("t82"."bsr_shipping") THEN NULL ELSE "t82"."bsr_shipping" END AS "bsr_shipping",
                "t82"."fans",
                0 AS "live_sessions_30d",
                0 AS "live_buyers_30d",
                0 AS "cross_day_sessions_30d",
                "t82"."tier",
                "t82"."met__basic_0",
                "t82"."progress__basic_0",
                "t82"."met__basic_1",
                "t82"."progress__basic_1",
                "t82"."met__basic_2",
                "t82"."progress__basic_2",
                "t82"."met__basic_3",
                "t82"."progress__basic_3",
                "t82"."met__basic_4",
                "t82"."progress__basic_4",
                "t82"."met__basic_5",
                "t82"."progress__basic_5",
                "t82"."met__basic_6",
                "t82"."progress__basic_6",
                "t82"."met__basic_7",
                "t82"."progress__basic_7",
                "t82"."met__basic_8",
                "t82"."progress__basic_8",
                "t82"."met__basic_9",
                "t82"."progress__basic_9",
                "t82"."met__basic",
                "t82"."progress__basic",
                "t82"."met__ordinary",
                "t82"."progress__ordinary",
                "t82"."met__expert_0",
                "t82"."progress__expert_0",
                "t82"."met__expert_1",
                "t82"."progress__expert_1",
                "t82"."met__expert_2",
                "t82"."progress__expert_2",
                "t82"."met__expert_3_0",
                "t82"."progress__expert_3_0",
                "t82"."met__expert_3_1",
                "t82"."progress__expert_3_1",
                "t82"."closest__expert_3",
                "t82"."met__expert_3",
                "t82"."progress__expert_3",
                "t82"."met__expert",
                "t82"."progress__expert",
                "t82"."met__honor_0",
                "t82"."progress__honor_0",
                "t82"."met__honor_1",
                "t82"."progress__honor_1",
                "t82"."met__honor_2",
                "t82"."progress__honor_2",
                "t82"."met__honor_3",
                "t82"."progress__honor_3",
                "t82"."met__honor_4",
                "t82"."progress__honor_4",
                "t82"."met__honor_5",
                "t82"."progress__honor_5",
                "t82"."met__honor",
                "t82"."progress__honor",
                CASE
                  WHEN "t82"."tier" = 'none'
                  THEN 0
                  WHEN "t82"."tier" = 'ordinary'
                  THEN 1
                  WHEN "t82"."tier" = 'expert'
                  THEN 2
                  WHEN "t82"."tier" = 'honor'
                  THEN 3
                  ELSE 0
                END AS "_rank_now",
                CASE
                  WHEN COALESCE("t82"."enterprise_member" = TRUE, FALSE)
                  AND COALESCE("t82"."risk_assessment_passed" = TRUE, FALSE)
                  AND COALESCE("t82"."major_tax_violation" = FALSE, FALSE)
                  AND COALESCE("t82"."prohibited_goods_violation" = FALSE, FALSE)
                  AND COALESCE("t82"."compliance_violation" = FALSE, FALSE)
                  AND COALESCE("t82"."severe_infringement_penalty" = FALSE, FALSE)
                  AND COALESCE("t82"."business_status_abnormal" = FALSE, FALSE)
                  AND COALESCE("t82"."dishonest_record" = FALSE, FALSE)
                  AND COALESCE("t82"."competitiveness_passed" = TRUE, FALSE)
                  AND COALESCE(
                    NOT (
                      "t82"."category" IN ('adult_health', 'pharmaceutical', 'health_care', 'e_cigarette')
                    ),
                    FALSE
                  )
                  AND (
                    COALESCE("t82"."trade_medal" >= 3, FALSE)
                    AND COALESCE(
                      CASE WHEN ISNAN("t82"."bsr_description") THEN NULL ELSE "t82"."bsr_description" END >= 4.7,
                      FALSE
                    )
                    AND COALESCE(
                      CASE WHEN ISNAN("t82"."bsr_shipping") THEN NULL ELSE "t82"."bsr_shipping" END >= 4.3,
                      FALSE
                    )
                    AND COALESCE("t82"."fans" >= 500, FALSE)
                    AND COALESCE(0 >= 15, FALSE)
                    AND COALESCE(0 >= 300, FALSE)
                  )
                  THEN 3
                  WHEN COALESCE("t82"."enterprise_member" = TRUE, FALSE)
                  AND COALESCE("t82"."risk_assessment_passed" = TRUE, FALSE)
                  AND COALESCE("t82"."major_tax_violation" = FALSE, FALSE)
                  AND COALESCE("t82"."prohibited_goods_violation" = FALSE, FALSE)
                  AND COALESCE("t82"."compliance_violation" = FALSE, FALSE)
                  AND COALESCE("t82"."severe_infringement_penalty" = FALSE, FALSE)
                  AND COALESCE("t82"."business_status_abnormal" = FALSE, FALSE)
                  AND COALESCE("t82"."dishonest_record" = FALSE, FALSE)
                  AND COALESCE("t82"."competitiveness_passed" = TRUE, FALSE)
                  AND COALESCE(
                    NOT (
                      "t82"."category" IN ('adult_health', 'pharmaceutical', 'health_care', 'e_cigarette')
                    ),
                    FALSE
                  )
                  AND (
                    COALESCE("t82"."trade_medal" >= 2, FALSE)
                    AND COALESCE(
                      CASE WHEN ISNAN("t82"."bsr_description") THEN NULL ELSE "t82"."bsr_description" END >= 4.6,
                      FALSE
                    )
                    AND COALESCE(
                      CASE WHEN ISNAN("t82"."bsr_shipping") THEN NULL ELSE "t82"."bsr_shipping" END >= 4.3,
                      FALSE
                    )
                    AND (
                      COALESCE(0 >= 5, FALSE) OR COALESCE(0 >= 50, FALSE)
                    )
                  )
                  THEN 2
                  WHEN COALESCE("t82"."enterprise_member" = TRUE, FALSE)
                  AND COALESCE("t82"."risk_assessment_passed" = TRUE, FALSE)
                  AND COALESCE("t82"."major_tax_violation" = FALSE, FALSE)
                  AND COALESCE("t82"."prohibited_goods_violation" = FALSE, FALSE)
                  AND COALESCE("t82"."compliance_violation" = FALSE, FALSE)
                  AND COALESCE("t82"."severe_infringement_penalty" = FALSE, FALSE)
                  AND COALESCE("t82"."business_status_abnormal" = FALSE, FALSE)
                  AND COALESCE("t82"."dishonest_record" = FALSE, FALSE)
                  AND COALESCE("t82"."competitiveness_passed" = TRUE, FALSE)
                  AND COALESCE(
                    NOT (
                      "t82"."category" IN ('adult_health', 'pharmaceutical', 'health_care', 'e_cigarette')
                    ),
                    FALSE
                  )
                  AND TRUE
                  THEN 1
                  ELSE 0
                END AS "_rank"
              FROM "t81" AS "t82"
              WHERE
                "t82"."tier" <> 'none' AND "t82"."category_line" = 'consumer'
            ) AS "t87"
            WHERE
              "t87"."_rank" < "t87"."_rank_now"
          ) AS "t89"
            ON "t86"."host_id" = "t89"."host_id"
          INNER JOIN (
            SELECT
              "t76"."host_id",
              "t76"."day",
              SUM("t76"."valid_sessions") OVER (
                PARTITION BY "t76"."host_id"
                ORDER BY "t76"."day" ASC
                ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
              ) AS "_gone_valid_sessions",
              SUM("t76"."live_buyers") OVER (
                PARTITION BY "t76"."host_id"
                ORDER BY "t76"."day" ASC
                ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
              ) AS "_gone_live_buyers",
              SUM("t76"."cross_day_sessions") OVER (
                PARTITION BY "t76"."host_id"
                ORDER BY "t76"."day" ASC
                ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
              ) AS "_gone_cross_day_sessions"
            FROM "t74" AS "t76"
            SEMI JOIN (
              SELECT
                "t86"."host_id",
                "t86"."snapshot_date",
                "t86"."category_line",
                "t86"."enterprise_member",
                "t86"."risk_assessment_passed",
                "t86"."major_tax_violation",
                "t86"."prohibited_goods_violation",
                "t86"."compliance_violation",
                "t86"."severe_infringement_penalty",
                "t86"."business_status_abnormal",
                "t86"."dishonest_record",
                "t86"."competitiveness_passed",
                "t86"."category",
                "t86"."trade_medal",
                "t86"."bsr_description",
                "t86"."bsr_shipping",
                "t86"."fans",
                "t86"."live_sessions_30d",
                "t86"."live_buyers_30d",
                "t86"."cross_day_sessions_30d",
                "t86"."tier",
                "t86"."met__basic_0",
                "t86"."progress__basic_0",
                "t86"."met__basic_1",
                "t86"."progress__basic_1",
                "t86"."met__basic_2",
                "t86"."progress__basic_2",
                "t86"."met__basic_3",
                "t86"."progress__basic_3",
                "t86"."met__basic_4",
                "t86"."progress__basic_4",
                "t86"."met__basic_5",
                "t86"."progress__basic_5",
                "t86"."met__basic_6",
                "t86"."progress__basic_6",
                "t86"."met__basic_7",
                "t86"."progress__basic_7",
                "t86"."met__basic_8",
                "t86"."progress__basic_8",
                "t86"."met__basic_9",
                "t86"."progress__basic_9",
                "t86"."met__basic",
                "t86"."progress__basic",
                "t86"."met__ordinary",
                "t86"."progress__ordinary",
                "t86"."met__expert_0",
                "t86"."progress__expert_0",
                "t86"."met__expert_1",
                "t86"."progress__expert_1",
                "t86"."met__expert_2",
                "t86"."progress__expert_2",
                "t86"."met__expert_3_0",
                "t86"."progress__expert_3_0",
                "t86"."met__expert_3_1",
                "t86"."progress__expert_3_1",
                "t86"."closest__expert_3",
                "t86"."met__expert_3",
                "t86"."progress__expert_3",
                "t86"."met__expert",
                "t86"."progress__expert",
                "t86"."met__honor_0",
                "t86"."progress__honor_0",
                "t86"."met__honor_1",
                "t86"."progress__honor_1",
                "t86"."met__honor_2",
                "t86"."progress__honor_2",
                "t86"."met__honor_3",
                "t86"."progress__honor_3",
                "t86"."met__honor_4",
                "t86"."progress__honor_4",
                "t86"."met__honor_5",
                "t86"."progress__honor_5",
                "t86"."met__honor",
                "t86"."progress__honor",
                "t86"."_rank_now"
              FROM (
                SELECT
                  "t82"."host_id",
                  "t82"."snapshot_date",
                  "t82"."category_line",
                  "t82"."enterprise_member",
                  "t82"."risk_assessment_passed",
                  "t82"."major_tax_violation",
                  "t82"."prohibited_goods_violation",
                  "t82"."compliance_violation",
                  "t82"."severe_infringement_penalty",
                  "t82"."business_status_abnormal",
                  "t82"."dishonest_record",
                  "t82"."competitiveness_passed",
                  "t82"."category",
                  "t82"."trade_medal",
                  "t82"."bsr_description",
                  "t82"."bsr_shipping",
                  "t82"."fans",
                  "t82"."live_sessions_30d",
                  "t82"."live_buyers_30d",
                  "t82"."cross_day_sessions_30d",
                  "t82"."tier",
                  "t82"."met__basic_0",
                  "t82"."progress__basic_0",
                  "t82"."met__basic_1",
                  "t82"."progress__basic_1",
                  "t82"."met__basic_2",
                  "t82"."progress__basic_2",
                  "t82"."met__basic_3",
                  "t82"."progress__basic_3",
                  "t82"."met__basic_4",
                  "t82"."progress__basic_4",
                  "t82"."met__basic_5",
                  "t82"."progress__basic_5",
                  "t82"."met__basic_6",
                  "t82"."progress__basic_6",
                  "t82"."met__basic_7",
                  "t82"."progress__basic_7",
                  "t82"."met__basic_8",
                  "t82"."progress__basic_8",
                  "t82"."met__basic_9",
                  "t82"."progress__basic_9",
                  "t82"."met__basic",
                  "t82"."progress__basic",
                  "t82"."met__ordinary",
                  "t82"."progress__ordinary",
                  "t82"."met__expert_0",
                  "t82"."progress__expert_0",
                  "t82"."met__expert_1",
                  "t82"."progress__expert_1",
                  "t82"."met__expert_2",
                  "t82"."progress__expert_2",
                  "t82"."met__expert_3_0",
                  "t82"."progress__expert_3_0",
                  "t82"."met__expert_3_1",
                  "t82"."progress__expert_3_1",
                  "t82"."closest__expert_3",
                  "t82"."met__expert_3",
                  "t82"."progress__expert_3",
                  "t82"."met__expert",
                  "t82"."progress__expert",
                  "t82"."met__honor_0",
                  "t82"."progress__honor_0",
                  "t82"."met__honor_1",
                  "t82"."progress__honor_1",
                  "t82"."met__honor_2",
                  "t82"."progress__honor_2",
                  "t82"."met__honor_3",
                  "t82"."progress__honor_3",
                  "t82"."met__honor_4",
                  "t82"."progress__honor_4",
                  "t82"."met__honor_5",
                  "t82"."progress__honor_5",
                  "t82"."met__honor",
                  "t82"."progress__honor",
                  CASE
                    WHEN "t82"."tier" = 'none'
                    THEN 0
                    WHEN "t82"."tier" = 'ordinary'
                    THEN 1
                    WHEN "t82"."tier" = 'expert'
                    THEN 2
                    WHEN "t82"."tier" = 'honor'
                    THEN 3
                    ELSE 0
                  END AS "_rank_now"
                FROM "t81" AS "t82"
                WHERE
                  "t82"."tier" <> 'none'
              ) AS "t86"
              SEMI JOIN (
                SELECT
                  "t87"."host_id"
                FROM (
                  SELECT
                    "t82"."host_id",
                    "t82"."snapshot_date",
                    "t82"."category_line",
                    "t82"."enterprise_member",
                    "t82"."risk_assessment_passed",
                    "t82"."major_tax_violation",
                    "t82"."prohibited_goods_violation",
                    "t82"."compliance_violation",
                    "t82"."severe_infringement_penalty",
                    "t82"."business_status_abnormal",
                    "t82"."dishonest_record",
                    "t82"."competitiveness_passed",
                    "t82"."category",
                    "t82"."trade_medal",
                    CASE WHEN ISNAN("t82"."bsr_description") THEN NULL ELSE "t82"."bsr_description" END AS "bsr_description",
                    CASE WHEN ISNAN("t82"."bsr_shipping") THEN NULL ELSE "t82"."bsr_shipping" END AS "bsr_shipping",
                    "t82"."fans",
                    0 AS "live_sessions_30d",
                    0 AS "live_buyers_30d",
                    0 AS "cross_day_sessions_30d",
                    "t82"."tier",
                    "t82"."met__basic_0",
                    "t82"."progress__basic_0",
                    "t82"."met__basic_1",
                    "t82"."progress__basic_1",
                    "t82"."met__basic_2",
                    "t82"."progress__basic_2",
                    "t82"."met__basic_3",
                    "t82"."progress__basic_3",
                    "t82"."met__basic_4",
                    "t82"."progress__basic_4",
                    "t82"."met__basic_5",
                    "t82"."progress__basic_5",
                    "t82"."met__basic_6",
                    "t82"."progress__basic_6",
                    "t82"."met__basic_7",
                    "t82"."progress__basic_7",
                    "t82"."met__basic_8",
                    "t82"."progress__basic_8",
                    "t82"."met__basic_9",
                    "t82"."progress__basic_9",
                    "t82"."met__basic",
                    "t82"."progress__basic",
                    "t82"."met__ordinary",
                    "t82"."progress__ordinary",
                    "t82"."met__expert_0",
                    "t82"."progress__expert_0",
                    "t82"."met__expert_1",
                    "t82"."progress__expert_1",
                    "t82"."met__expert_2",
                    "t82"."progress__expert_2",
                    "t82"."met__expert_3_0",
                    "t82"."progress__expert_3_0",
                    "t82"."met__expert_3_1",
                    "t82"."progress__expert_3_1",
                    "t82"."closest__expert_3",
                    "t82"."met__expert_3",
                    "t82"."progress__expert_3",
                    "t82"."met__expert",
                    "t82"."progress__expert",
                    "t82"."met__honor_0",
                    "t82"."progress__honor_0",
                    "t82"."met__honor_1",
                    "t82"."progress__honor_1",
                    "t82"."met__honor_2",
                    "t82"."progress__honor_2",
                    "t82"."met__honor_3",
                    "t82"."progress__honor_3",
                    "t82"."met__honor_4",
                    "t82"."progress__honor_4",
                    "t82"."met__honor_5",
                    "t82"."progress__honor_5",
                    "t82"."met__honor",
                    "t82"."progress__honor",
                    CASE
                      WHEN "t82"."tier" = 'none'
                      THEN 0
                      WHEN "t82"."tier" = 'ordinary'
                      THEN 1
                      WHEN "t82"."tier" = 'expert'
                      THEN 2
                      WHEN "t82"."tier" = 'honor'
                      THEN 3
                      ELSE 0
                    END AS "_rank_now",
                    CASE
                      WHEN COALESCE("t82"."enterprise_member" = TRUE, FALSE)
                      AND COALESCE("t82"."risk_assessment_passed" = TRUE, FALSE)
                      AND COALESCE("t82"."major_tax_violation" = FALSE, FALSE)
                      AND COALESCE("t82"."prohibited_goods_violation" = FALSE, FALSE)
                      AND COALESCE("t82"."compliance_violation" = FALSE, FALSE)
                      AND COALESCE("t82"."severe_infringement_penalty" = FALSE, FALSE)
                      AND COALESCE("t82"."business_status_abnormal" = FALSE, FALSE)
                      AND COALESCE("t82"."dishonest_record" = FALSE, FALSE)
                      AND COALESCE("t82"."competitiveness_passed" = TRUE, FALSE)
                      AND COALESCE(
                        NOT (
                          "t82"."category" IN ('adult_health', 'pharmaceutical', 'health_care', 'e_cigarette')
                        ),
                        FALSE
                      )
                      AND (
                        COALESCE("t82"."trade_medal" >= 3, FALSE)
                        AND COALESCE(
                          CASE WHEN ISNAN("t82"."bsr_description") THEN NULL ELSE "t82"."bsr_description" END >= 4.7,
                          FALSE
                        )
                        AND COALESCE(
                          CASE WHEN ISNAN("t82"."bsr_shipping") THEN NULL ELSE "t82"."bsr_shipping" END >= 4.3,
                          FALSE
                        )
                        AND COALESCE("t82"."fans" >= 500, FALSE)
                        AND COALESCE(0 >= 15, FALSE)
                        AND COALESCE(0 >= 300, FALSE)
                      )
                      THEN 3
                      WHEN COALESCE("t82"."enterprise_member" = TRUE, FALSE)
                      AND COALESCE("t82"."risk_assessment_passed" = TRUE, FALSE)
                      AND COALESCE("t82"."major_tax_violation" = FALSE, FALSE)
                      AND COALESCE("t82"."prohibited_goods_violation" = FALSE, FALSE)
                      AND COALESCE("t82"."compliance_violation" = FALSE, FALSE)
                      AND COALESCE("t82"."severe_infringement_penalty" = FALSE, FALSE)
                      AND COALESCE("t82"."business_status_abnormal" = FALSE, FALSE)
                      AND COALESCE("t82"."dishonest_record" = FALSE, FALSE)
                      AND COALESCE("t82"."competitiveness_passed" = TRUE, FALSE)
                      AND COALESCE(
                        NOT (
                          "t82"."category" IN ('adult_health', 'pharmaceutical', 'health_care', 'e_cigarette')
                        ),
                        FALSE
                      )
                      AND (
                        COALESCE("t82"."trade_medal" >= 2, FALSE)
                        AND COALESCE(
                          CASE WHEN ISNAN("t82"."bsr_description") THEN NULL ELSE "t82"."bsr_description" END >= 4.6,
                          FALSE
                        )
                        AND COALESCE(
                          CASE WHEN ISNAN("t82"."bsr_shipping") THEN NULL ELSE "t82"."bsr_shipping" END >= 4.3,
                          FALSE
                        )
                        AND (
                          COALESCE(0 >= 5, FALSE) OR COALESCE(0 >= 50, FALSE)
                        )
                      )
                      THEN 2
                      WHEN COALESCE("t82"."enterprise_member" = TRUE, FALSE)
                      AND COALESCE("t82"."risk_assessment_passed" = TRUE, FALSE)
                      AND COALESCE("t82"."major_tax_violation" = FALSE, FALSE)
                      AND COALESCE("t82"."prohibited_goods_violation" = FALSE, FALSE)
                      AND COALESCE("t82"."compliance_violation" = FALSE, FALSE)
                      AND COALESCE("t82"."severe_infringement_penalty" = FALSE, FALSE)
                      AND COALESCE("t82"."business_status_abnormal" = FALSE, FALSE)
                      AND COALESCE("t82"."dishonest_record" = FALSE, FALSE)
                      AND COALESCE("t82"."competitiveness_passed" = TRUE, FALSE)
                      AND COALESCE(
                        NOT (
                          "t82"."category" IN ('adult_health', 'pharmaceutical', 'health_care', 'e_cigarette')
                        ),
                        FALSE
                      )
                      AND TRUE
                      THEN 1
                      ELSE 0
                    END AS "_rank"
                  FROM "t81" AS "t82"
                  WHERE
                    "t82"."tier" <> 'none' AND "t82"."category_line" = 'consumer'
                ) AS "t87"
                WHERE
                  "t87"."_rank" < "t87"."_rank_now"
              ) AS "t89"
                ON "t86"."host_id" = "t89"."host_id"
            ) AS "t91"
              ON "t76"."host_id" = "t91"."host_id"
          ) AS "t93"
            ON "t86"."host_id" = "t93"."host_id"
        ) AS "t94"
        WHERE
          "t94"."category_line" = 'consumer'
      ) AS "t95"
      WHERE
        "t95"."_rank" < "t95"."_rank_now"
    ) AS "t96"
    GROUP BY
      1
  ) AS "t98"
    ON "t84"."host_id" = "t98"."host_id"
) AS "t99"
