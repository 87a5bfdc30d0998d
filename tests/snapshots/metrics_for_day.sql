WITH "t4" AS (
  SELECT DISTINCT
    "t0"."host_id"
  FROM "ibis_read_csv" AS "t0"
), "t10" AS (
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
), "t17" AS (
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
    "t13"."fans"
  FROM (
    SELECT
      "t8"."host_id",
      "t8"."snapshot_date",
      "t8"."category_line",
      "t8"."enterprise_member",
      "t8"."risk_assessment_passed",
      "t8"."major_tax_violation",
      "t8"."prohibited_goods_violation",
      "t8"."compliance_violation",
      "t8"."severe_infringement_penalty",
      "t8"."business_status_abnormal",
      "t8"."dishonest_record",
      "t8"."competitiveness_passed",
      "t8"."category",
      "t8"."trade_medal",
      "t8"."bsr_description",
      "t8"."bsr_shipping",
      "t8"."fans",
      COUNT(*) AS "copies"
    FROM (
      SELECT
        "t0"."host_id",
        MAKE_DATE(1, 1, 1) AS "snapshot_date",
        "t0"."category_line",
        CASE
          WHEN LOWER(TRIM("t0"."enterprise_member", ' 	
')) IN ('true', '1')
          THEN TRUE
          WHEN LOWER(TRIM("t0"."enterprise_member", ' 	
')) IN ('false', '0')
          THEN FALSE
          ELSE NULL
        END AS "enterprise_member",
        CASE
          WHEN LOWER(TRIM("t0"."risk_assessment_passed", ' 	
')) IN ('true', '1')
          THEN TRUE
          WHEN LOWER(TRIM("t0"."risk_assessment_passed", ' 	
')) IN ('false', '0')
          THEN FALSE
          ELSE NULL
        END AS "risk_assessment_passed",
        CASE
          WHEN LOWER(TRIM("t0"."major_tax_violation", ' 	
')) IN ('true', '1')
          THEN TRUE
          WHEN LOWER(TRIM("t0"."major_tax_violation", ' 	
')) IN ('false', '0')
          THEN FALSE
          ELSE NULL
        END AS "major_tax_violation",
        CASE
          WHEN LOWER(TRIM("t0"."prohibited_goods_violation", ' 	
')) IN ('true', '1')
          THEN TRUE
          WHEN LOWER(TRIM("t0"."prohibited_goods_violation", ' 	
')) IN ('false', '0')
          THEN FALSE
          ELSE NULL
        END AS "prohibited_goods_violation",
        CASE
          WHEN LOWER(TRIM("t0"."compliance_violation", ' 	
')) IN ('true', '1')
          THEN TRUE
          WHEN LOWER(TRIM("t0"."compliance_violation", ' 	
')) IN ('false', '0')
          THEN FALSE
          ELSE NULL
        END AS "compliance_violation",
        CASE
          WHEN LOWER(TRIM("t0"."severe_infringement_penalty", ' 	
')) IN ('true', '1')
          THEN TRUE
          WHEN LOWER(TRIM("t0"."severe_infringement_penalty", ' 	
')) IN ('false', '0')
          THEN FALSE
          ELSE NULL
        END AS "severe_infringement_penalty",
        CASE
          WHEN LOWER(TRIM("t0"."business_status_abnormal", ' 	
')) IN ('true', '1')
          THEN TRUE
          WHEN LOWER(TRIM("t0"."business_status_abnormal", ' 	
')) IN ('false', '0')
          THEN FALSE
          ELSE NULL
        END AS "business_status_abnormal",
        CASE
          WHEN LOWER(TRIM("t0"."dishonest_record", ' 	
')) IN ('true', '1')
          THEN TRUE
          WHEN LOWER(TRIM("t0"."dishonest_record", ' 	
')) IN ('false', '0')
          THEN FALSE
          ELSE NULL
        END AS "dishonest_record",
        CASE
          WHEN LOWER(TRIM("t0"."competitiveness_passed", ' 	
')) IN ('true', '1')
          THEN TRUE
          WHEN LOWER(TRIM("t0"."competitiveness_passed", ' 	
')) IN ('false', '0')
          THEN FALSE
          ELSE NULL
        END AS "competitiveness_passed",
        "t0"."category",
        TRY_CAST(LOWER(TRIM("t0"."trade_medal", ' 	
')) AS BIGINT) AS "trade_medal",
        TRY_CAST(LOWER(TRIM("t0"."bsr_description", ' 	
')) AS DOUBLE) AS "bsr_description",
        TRY_CAST(LOWER(TRIM("t0"."bsr_shipping", ' 	
')) AS DOUBLE) AS "bsr_shipping",
        TRY_CAST(LOWER(TRIM("t0"."fans", ' 	
')) AS BIGINT) AS "fans"
      FROM "ibis_read_csv" AS "t0"
    ) AS "t8"
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
  ) AS "t13"
), "t18" AS (
  SELECT
    "t14"."session_id",
    "t14"."host_id",
    "t14"."started_at",
    "t14"."ended_at",
    "t14"."deleted"
  FROM (
    SELECT
      "t9"."session_id",
      "t9"."host_id",
      "t9"."started_at",
      "t9"."ended_at",
      "t9"."deleted",
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
    ) AS "t9"
    GROUP BY
      1,
      2,
      3,
      4,
      5
  ) AS "t14"
), "t54" AS (
  SELECT
    "t53"."session_id",
    "t53"."host_id",
    "t53"."started_at",
    "t53"."ended_at",
    "t53"."deleted",
    "t53"."_conflict",
    "t53"."start_utc",
    "t53"."start_day",
    "t53"."end_utc",
    "t53"."end_day",
    CASE
      WHEN COALESCE((
        "t53"."session_id" IS NULL
      ) OR (
        "t53"."host_id" IS NULL
      ), FALSE)
      THEN 'missing_id'
      WHEN COALESCE("t53"."start_utc" IS NULL, FALSE)
      THEN 'unparseable_timestamp'
      WHEN COALESCE("t53"."end_utc" IS NULL, FALSE)
      THEN 'unparseable_timestamp'
      WHEN COALESCE("t53"."end_utc" < "t53"."start_utc", FALSE)
      THEN 'ends_before_start'
      WHEN COALESCE("t53"."_conflict", FALSE)
      THEN 'conflicting_duplicate'
      WHEN COALESCE(NOT (
        "t53"."host_id" IN (
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
      "t52"."session_id",
      "t52"."host_id",
      "t52"."started_at",
      "t52"."ended_at",
      "t52"."deleted",
      "t52"."_conflict",
      "t52"."start_utc",
      "t52"."start_day",
      CASE
        WHEN "t52"."_absolute"
        THEN "t52"."_wall" - TO_SECONDS("t52"."_offset")
        ELSE "t52"."_wall" - TO_SECONDS(28800)
      END AS "end_utc",
      CAST(CASE
        WHEN "t52"."_absolute"
        THEN CASE
          WHEN "t52"."_absolute"
          THEN "t52"."_wall" - TO_SECONDS("t52"."_offset")
          ELSE "t52"."_wall" - TO_SECONDS(28800)
        END + TO_SECONDS(28800)
        ELSE "t52"."_wall"
      END AS DATE) AS "end_day"
    FROM (
      SELECT
        "t47"."session_id",
        "t47"."host_id",
        "t47"."started_at",
        "t47"."ended_at",
        "t47"."deleted",
        "t47"."_conflict",
        "t47"."start_utc",
        "t47"."start_day",
        "t47"."_wall",
        "t47"."_suffix",
        LENGTH("t47"."_suffix") > 0 AS "_absolute",
        COALESCE(
          CASE
            WHEN "t47"."_suffix" = 'Z'
            THEN 0
            ELSE CASE WHEN STARTS_WITH(REPLACE("t47"."_suffix", ':', ''), '-') THEN -1 ELSE 1 END * (
              (
                TRY_CAST(SUBSTRING(
                  REPLACE("t47"."_suffix", ':', ''),
                  CASE
                    WHEN (
                      1 + 1
                    ) >= 1
                    THEN 1 + 1
                    ELSE 1 + 1 + LENGTH(REPLACE("t47"."_suffix", ':', ''))
                  END,
                  2
                ) AS BIGINT) * 3600
              ) + (
                CASE
                  WHEN LENGTH(REPLACE("t47"."_suffix", ':', '')) >= 5
                  THEN TRY_CAST(SUBSTRING(
                    REPLACE("t47"."_suffix", ':', ''),
                    CASE
                      WHEN (
                        3 + 1
                      ) >= 1
                      THEN 3 + 1
                      ELSE 3 + 1 + LENGTH(REPLACE("t47"."_suffix", ':', ''))
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
          "t44"."session_id",
          "t44"."host_id",
          "t44"."started_at",
          "t44"."ended_at",
          "t44"."deleted",
          "t44"."_conflict",
          CASE
            WHEN "t44"."_absolute"
            THEN "t44"."_wall" - TO_SECONDS("t44"."_offset")
            ELSE "t44"."_wall" - TO_SECONDS(28800)
          END AS "start_utc",
          CAST(CASE
            WHEN "t44"."_absolute"
            THEN CASE
              WHEN "t44"."_absolute"
              THEN "t44"."_wall" - TO_SECONDS("t44"."_offset")
              ELSE "t44"."_wall" - TO_SECONDS(28800)
            END + TO_SECONDS(28800)
            ELSE "t44"."_wall"
          END AS DATE) AS "start_day",
          TRY_CAST(REGEXP_EXTRACT(
            TRIM("t44"."ended_at", ' 	
'),
            '^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)(Z|[+-]\d{2}(?::?\d{2})?)?$',
            1
          ) || ' ' || REGEXP_EXTRACT(
            TRIM("t44"."ended_at", ' 	
'),
            '^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)(Z|[+-]\d{2}(?::?\d{2})?)?$',
            2
          ) AS TIMESTAMP) AS "_wall",
          REGEXP_EXTRACT(
            TRIM("t44"."ended_at", ' 	
'),
            '^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)(Z|[+-]\d{2}(?::?\d{2})?)?$',
            3
          ) AS "_suffix"
        FROM (
          SELECT
            "t39"."session_id",
            "t39"."host_id",
            "t39"."started_at",
            "t39"."ended_at",
            "t39"."deleted",
            "t39"."_conflict",
            "t39"."_wall",
            "t39"."_suffix",
            LENGTH("t39"."_suffix") > 0 AS "_absolute",
            COALESCE(
              CASE
                WHEN "t39"."_suffix" = 'Z'
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
              "t34"."session_id",
              "t34"."host_id",
              "t34"."started_at",
              "t34"."ended_at",
              "t34"."deleted",
              COALESCE("t34"."_conflict", FALSE) AS "_conflict",
              TRY_CAST(REGEXP_EXTRACT(
                TRIM("t34"."started_at", ' 	
'),
                '^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)(Z|[+-]\d{2}(?::?\d{2})?)?$',
                1
              ) || ' ' || REGEXP_EXTRACT(
                TRIM("t34"."started_at", ' 	
'),
                '^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)(Z|[+-]\d{2}(?::?\d{2})?)?$',
                2
              ) AS TIMESTAMP) AS "_wall",
              REGEXP_EXTRACT(
                TRIM("t34"."started_at", ' 	
'),
                '^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)(Z|[+-]\d{2}(?::?\d{2})?)?$',
                3
              ) AS "_suffix"
            FROM (
              SELECT
                "t22"."session_id",
                "t22"."host_id",
                "t22"."started_at",
                "t22"."ended_at",
                "t22"."deleted",
                "t30"."_conflict"
              FROM "t18" AS "t22"
              LEFT OUTER JOIN (
                SELECT
                  "t25"."session_id",
                  TRUE AS "_conflict"
                FROM (
                  SELECT
                    "t20"."session_id",
                    COUNT(*) AS "versions"
                  FROM "t18" AS "t20"
                  GROUP BY
                    1
                ) AS "t25"
                WHERE
                  "t25"."versions" > 1
              ) AS "t30"
                ON "t22"."session_id" = "t30"."session_id"
            ) AS "t34"
          ) AS "t39"
        ) AS "t44"
      ) AS "t47"
    ) AS "t52"
  ) AS "t53"
)
SELECT
  "t73"."host_id",
  "t73"."snapshot_date",
  "t73"."category_line",
  "t73"."enterprise_member",
  "t73"."risk_assessment_passed",
  "t73"."major_tax_violation",
  "t73"."prohibited_goods_violation",
  "t73"."compliance_violation",
  "t73"."severe_infringement_penalty",
  "t73"."business_status_abnormal",
  "t73"."dishonest_record",
  "t73"."competitiveness_passed",
  "t73"."category",
  "t73"."trade_medal",
  "t73"."bsr_description",
  "t73"."bsr_shipping",
  "t73"."fans",
  COALESCE("t73"."live_sessions_30d", 0) AS "live_sessions_30d",
  COALESCE("t73"."live_buyers_30d", 0) AS "live_buyers_30d",
  COALESCE("t73"."cross_day_sessions_30d", 0) AS "cross_day_sessions_30d"
FROM (
  SELECT
    "t45"."host_id",
    "t45"."snapshot_date",
    "t45"."category_line",
    "t45"."enterprise_member",
    "t45"."risk_assessment_passed",
    "t45"."major_tax_violation",
    "t45"."prohibited_goods_violation",
    "t45"."compliance_violation",
    "t45"."severe_infringement_penalty",
    "t45"."business_status_abnormal",
    "t45"."dishonest_record",
    "t45"."competitiveness_passed",
    "t45"."category",
    "t45"."trade_medal",
    "t45"."bsr_description",
    "t45"."bsr_shipping",
    "t45"."fans",
    "t72"."live_sessions_30d",
    "t72"."live_buyers_30d",
    "t72"."cross_day_sessions_30d"
  FROM (
    SELECT
      "t42"."host_id",
      "t42"."snapshot_date",
      "t42"."category_line",
      "t42"."enterprise_member",
      "t42"."risk_assessment_passed",
      "t42"."major_tax_violation",
      "t42"."prohibited_goods_violation",
      "t42"."compliance_violation",
      "t42"."severe_infringement_penalty",
      "t42"."business_status_abnormal",
      "t42"."dishonest_record",
      "t42"."competitiveness_passed",
      "t42"."category",
      "t42"."trade_medal",
      "t42"."bsr_description",
      "t42"."bsr_shipping",
      "t42"."fans"
    FROM (
      SELECT
        "t40"."host_id",
        "t40"."snapshot_date",
        "t40"."category_line",
        "t40"."enterprise_member",
        "t40"."risk_assessment_passed",
        "t40"."major_tax_violation",
        "t40"."prohibited_goods_violation",
        "t40"."compliance_violation",
        "t40"."severe_infringement_penalty",
        "t40"."business_status_abnormal",
        "t40"."dishonest_record",
        "t40"."competitiveness_passed",
        "t40"."category",
        "t40"."trade_medal",
        "t40"."bsr_description",
        "t40"."bsr_shipping",
        "t40"."fans",
        ROW_NUMBER() OVER (
          PARTITION BY "t40"."host_id"
          ORDER BY "t40"."snapshot_date" DESC
          ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
        ) - 1 AS "_rank"
      FROM (
        SELECT
          "t38"."host_id",
          "t38"."snapshot_date",
          "t38"."category_line",
          "t38"."enterprise_member",
          "t38"."risk_assessment_passed",
          "t38"."major_tax_violation",
          "t38"."prohibited_goods_violation",
          "t38"."compliance_violation",
          "t38"."severe_infringement_penalty",
          "t38"."business_status_abnormal",
          "t38"."dishonest_record",
          "t38"."competitiveness_passed",
          "t38"."category",
          "t38"."trade_medal",
          "t38"."bsr_description",
          "t38"."bsr_shipping",
          "t38"."fans"
        FROM (
          SELECT
            "t33"."host_id",
            "t33"."snapshot_date",
            "t33"."category_line",
            "t33"."enterprise_member",
            "t33"."risk_assessment_passed",
            "t33"."major_tax_violation",
            "t33"."prohibited_goods_violation",
            "t33"."compliance_violation",
            "t33"."severe_infringement_penalty",
            "t33"."business_status_abnormal",
            "t33"."dishonest_record",
            "t33"."competitiveness_passed",
            "t33"."category",
            "t33"."trade_medal",
            "t33"."bsr_description",
            "t33"."bsr_shipping",
            "t33"."fans",
            COALESCE("t33"."_conflict", FALSE) AS "_conflict",
            CASE
              WHEN COALESCE("t33"."host_id" IS NULL, FALSE)
              THEN 'missing_id'
              WHEN COALESCE("t33"."snapshot_date" IS NULL, FALSE)
              THEN 'missing_snapshot_date'
              WHEN COALESCE(
                NOT (
                  "t33"."category_line" IN ('consumer', 'industrial')
                )
                OR (
                  "t33"."category_line" IS NULL
                ),
                FALSE
              )
              THEN 'unknown_category_line'
              WHEN COALESCE(COALESCE("t33"."_conflict", FALSE), FALSE)
              THEN 'conflicting_duplicate'
              ELSE NULL
            END AS "_problem"
          FROM (
            SELECT
              "t21"."host_id",
              "t21"."snapshot_date",
              "t21"."category_line",
              "t21"."enterprise_member",
              "t21"."risk_assessment_passed",
              "t21"."major_tax_violation",
              "t21"."prohibited_goods_violation",
              "t21"."compliance_violation",
              "t21"."severe_infringement_penalty",
              "t21"."business_status_abnormal",
              "t21"."dishonest_record",
              "t21"."competitiveness_passed",
              "t21"."category",
              "t21"."trade_medal",
              "t21"."bsr_description",
              "t21"."bsr_shipping",
              "t21"."fans",
              "t29"."_conflict"
            FROM "t17" AS "t21"
            LEFT OUTER JOIN (
              SELECT
                "t24"."host_id",
                "t24"."snapshot_date",
                TRUE AS "_conflict"
              FROM (
                SELECT
                  "t19"."host_id",
                  "t19"."snapshot_date",
                  COUNT(*) AS "versions"
                FROM "t17" AS "t19"
                GROUP BY
                  1,
                  2
              ) AS "t24"
              WHERE
                "t24"."versions" > 1
            ) AS "t29"
              ON "t21"."host_id" = "t29"."host_id"
              AND "t21"."snapshot_date" = "t29"."snapshot_date"
          ) AS "t33"
        ) AS "t38"
        WHERE
          "t38"."_problem" IS NULL AND "t38"."snapshot_date" <= MAKE_DATE(2026, 11, 25)
      ) AS "t40"
    ) AS "t42"
    WHERE
      "t42"."_rank" = 0
  ) AS "t45"
  LEFT OUTER JOIN (
    SELECT
      "t70"."host_id",
      SUM("t70"."valid_sessions") AS "live_sessions_30d",
      SUM("t70"."live_buyers") AS "live_buyers_30d",
      SUM("t70"."cross_day_sessions") AS "cross_day_sessions_30d"
    FROM (
      SELECT
        *
      FROM (
        SELECT
          COALESCE("t61"."host_id", "t68"."host_id") AS "host_id",
          COALESCE("t61"."day", "t68"."day") AS "day",
          COALESCE("t61"."valid_sessions", 0) AS "valid_sessions",
          COALESCE("t68"."live_buyers", 0) AS "live_buyers",
          COALESCE("t61"."cross_day_sessions", 0) AS "cross_day_sessions"
        FROM (
          SELECT
            "t56"."host_id",
            "t56"."start_day" AS "day",
            SUM(CAST("t56"."end_utc" > (
              "t56"."start_utc" + INTERVAL '15' MINUTE
            ) AS BIGINT)) AS "valid_sessions",
            SUM(CAST("t56"."start_day" <> "t56"."end_day" AS BIGINT)) AS "cross_day_sessions"
          FROM (
            SELECT
              "t55"."session_id",
              "t55"."host_id",
              "t55"."start_utc",
              "t55"."end_utc",
              "t55"."start_day",
              "t55"."end_day"
            FROM "t54" AS "t55"
            WHERE
              "t55"."_problem" IS NULL
              AND "t55"."start_day" BETWEEN MAKE_DATE(2026, 10, 27) AND MAKE_DATE(2026, 11, 25)
          ) AS "t56"
          GROUP BY
            1,
            2
        ) AS "t61"
        FULL OUTER JOIN (
          SELECT
            "t66"."host_id",
            "t66"."day",
            COUNT(*) AS "live_buyers"
          FROM (
            SELECT DISTINCT
              "t65"."host_id",
              "t65"."buyer_id",
              "t65"."day"
            FROM (
              SELECT
                "t64"."host_id",
                "t64"."buyer_id",
                "t64"."view_utc",
                "t64"."day",
                "t51"."last_paid"
              FROM (
                SELECT
                  "t62"."_host" AS "host_id",
                  "t62"."buyer_id",
                  "t62"."view_utc",
                  "t62"."view_day" AS "day"
                FROM (
                  SELECT
                    "t60"."session_id",
                    "t60"."buyer_id",
                    "t60"."viewed_at",
                    "t60"."view_utc",
                    "t60"."view_day",
                    "t60"."_host",
                    "t60"."_seen",
                    CASE
                      WHEN COALESCE((
                        "t60"."session_id" IS NULL
                      ) OR (
                        "t60"."buyer_id" IS NULL
                      ), FALSE)
                      THEN 'missing_id'
                      WHEN COALESCE("t60"."view_utc" IS NULL, FALSE)
                      THEN 'unparseable_timestamp'
                      WHEN COALESCE("t60"."_seen" IS NULL, FALSE)
                      THEN 'unknown_session'
                      WHEN COALESCE("t60"."_host" IS NULL, FALSE)
                      THEN 'session_rejected'
                      ELSE NULL
                    END AS "_problem"
                  FROM (
                    SELECT
                      "t37"."session_id",
                      "t37"."buyer_id",
                      "t37"."viewed_at",
                      "t37"."view_utc",
                      "t37"."view_day",
                      "t58"."_host",
                      "t58"."_seen"
                    FROM (
                      SELECT
                        "t32"."session_id",
                        "t32"."buyer_id",
                        "t32"."viewed_at",
                        CASE
                          WHEN "t32"."_absolute"
                          THEN "t32"."_wall" - TO_SECONDS("t32"."_offset")
                          ELSE "t32"."_wall" - TO_SECONDS(28800)
                        END AS "view_utc",
                        CAST(CASE
                          WHEN "t32"."_absolute"
                          THEN CASE
                            WHEN "t32"."_absolute"
                            THEN "t32"."_wall" - TO_SECONDS("t32"."_offset")
                            ELSE "t32"."_wall" - TO_SECONDS(28800)
                          END + TO_SECONDS(28800)
                          ELSE "t32"."_wall"
                        END AS DATE) AS "view_day"
                      FROM (
                        SELECT
                          "t11"."session_id",
                          "t11"."buyer_id",
                          "t11"."viewed_at",
                          "t11"."_wall",
                          "t11"."_suffix",
                          LENGTH("t11"."_suffix") > 0 AS "_absolute",
                          COALESCE(
                            CASE
                              WHEN "t11"."_suffix" = 'Z'
                              THEN 0
                              ELSE CASE WHEN STARTS_WITH(REPLACE("t11"."_suffix", ':', ''), '-') THEN -1 ELSE 1 END * (
                                (
                                  TRY_CAST(SUBSTRING(
                                    REPLACE("t11"."_suffix", ':', ''),
                                    CASE
                                      WHEN (
                                        1 + 1
                                      ) >= 1
                                      THEN 1 + 1
                                      ELSE 1 + 1 + LENGTH(REPLACE("t11"."_suffix", ':', ''))
                                    END,
                                    2
                                  ) AS BIGINT) * 3600
                                ) + (
                                  CASE
                                    WHEN LENGTH(REPLACE("t11"."_suffix", ':', '')) >= 5
                                    THEN TRY_CAST(SUBSTRING(
                                      REPLACE("t11"."_suffix", ':', ''),
                                      CASE
                                        WHEN (
                                          3 + 1
                                        ) >= 1
                                        THEN 3 + 1
                                        ELSE 3 + 1 + LENGTH(REPLACE("t11"."_suffix", ':', ''))
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
                        ) AS "t11"
                      ) AS "t32"
                    ) AS "t37"
                    LEFT OUTER JOIN (
                      SELECT DISTINCT
                        "t55"."session_id",
                        CASE WHEN "t55"."_problem" IS NULL THEN "t55"."host_id" ELSE NULL END AS "_host",
                        TRUE AS "_seen"
                      FROM "t54" AS "t55"
                    ) AS "t58"
                      ON "t37"."session_id" = "t58"."session_id"
                  ) AS "t60"
                ) AS "t62"
                WHERE
                  "t62"."_problem" IS NULL
              ) AS "t64"
              INNER JOIN (
                SELECT
                  "t49"."host_id",
                  "t49"."buyer_id",
                  "t49"."paid_day" AS "day",
                  MAX("t49"."paid_utc") AS "last_paid"
                FROM (
                  SELECT
                    "t48"."host_id",
                    "t48"."buyer_id",
                    "t48"."paid_utc",
                    "t48"."paid_day"
                  FROM (
                    SELECT
                      "t46"."order_id",
                      "t46"."host_id",
                      "t46"."buyer_id",
                      "t46"."paid_at",
                      "t46"."_conflict",
                      "t46"."paid_utc",
                      "t46"."paid_day",
                      CASE
                        WHEN COALESCE(
                          (
                            "t46"."order_id" IS NULL
                          )
                          OR (
                            "t46"."host_id" IS NULL
                          )
                          OR (
                            "t46"."buyer_id" IS NULL
                          ),
                          FALSE
                        )
                        THEN 'missing_id'
                        WHEN COALESCE((
                          "t46"."paid_at" IS NOT NULL
                        ) AND (
                          "t46"."paid_utc" IS NULL
                        ), FALSE)
                        THEN 'unparseable_timestamp'
                        WHEN COALESCE("t46"."_conflict", FALSE)
                        THEN 'conflicting_duplicate'
                        WHEN COALESCE(NOT (
                          "t46"."host_id" IN (
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
                        "t41"."order_id",
                        "t41"."host_id",
                        "t41"."buyer_id",
                        "t41"."paid_at",
                        "t41"."_conflict",
                        CASE
                          WHEN "t41"."_absolute"
                          THEN "t41"."_wall" - TO_SECONDS("t41"."_offset")
                          ELSE "t41"."_wall" - TO_SECONDS(28800)
                        END AS "paid_utc",
                        CAST(CASE
                          WHEN "t41"."_absolute"
                          THEN CASE
                            WHEN "t41"."_absolute"
                            THEN "t41"."_wall" - TO_SECONDS("t41"."_offset")
                            ELSE "t41"."_wall" - TO_SECONDS(28800)
                          END + TO_SECONDS(28800)
                          ELSE "t41"."_wall"
                        END AS DATE) AS "paid_day"
                      FROM (
                        SELECT
                          "t35"."order_id",
                          "t35"."host_id",
                          "t35"."buyer_id",
                          "t35"."paid_at",
                          "t35"."_conflict",
                          "t35"."_wall",
                          "t35"."_suffix",
                          LENGTH("t35"."_suffix") > 0 AS "_absolute",
                          COALESCE(
                            CASE
                              WHEN "t35"."_suffix" = 'Z'
                              THEN 0
                              ELSE CASE WHEN STARTS_WITH(REPLACE("t35"."_suffix", ':', ''), '-') THEN -1 ELSE 1 END * (
                                (
                                  TRY_CAST(SUBSTRING(
                                    REPLACE("t35"."_suffix", ':', ''),
                                    CASE
                                      WHEN (
                                        1 + 1
                                      ) >= 1
                                      THEN 1 + 1
                                      ELSE 1 + 1 + LENGTH(REPLACE("t35"."_suffix", ':', ''))
                                    END,
                                    2
                                  ) AS BIGINT) * 3600
                                ) + (
                                  CASE
                                    WHEN LENGTH(REPLACE("t35"."_suffix", ':', '')) >= 5
                                    THEN TRY_CAST(SUBSTRING(
                                      REPLACE("t35"."_suffix", ':', ''),
                                      CASE
                                        WHEN (
                                          3 + 1
                                        ) >= 1
                                        THEN 3 + 1
                                        ELSE 3 + 1 + LENGTH(REPLACE("t35"."_suffix", ':', ''))
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
                            "t31"."order_id",
                            "t31"."host_id",
                            "t31"."buyer_id",
                            "t31"."paid_at",
                            COALESCE("t31"."_conflict", FALSE) AS "_conflict",
                            TRY_CAST(REGEXP_EXTRACT(
                              TRIM("t31"."paid_at", ' 	
'),
                              '^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)(Z|[+-]\d{2}(?::?\d{2})?)?$',
                              1
                            ) || ' ' || REGEXP_EXTRACT(
                              TRIM("t31"."paid_at", ' 	
'),
                              '^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)(Z|[+-]\d{2}(?::?\d{2})?)?$',
                              2
                            ) AS TIMESTAMP) AS "_wall",
                            REGEXP_EXTRACT(
                              TRIM("t31"."paid_at", ' 	
'),
                              '^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)(Z|[+-]\d{2}(?::?\d{2})?)?$',
                              3
                            ) AS "_suffix"
                          FROM (
                            SELECT
                              "t15"."order_id",
                              "t15"."host_id",
                              "t15"."buyer_id",
                              "t15"."paid_at",
                              "t26"."_conflict"
                            FROM "t10" AS "t15"
                            LEFT OUTER JOIN (
                              SELECT
                                "t16"."order_id",
                                TRUE AS "_conflict"
                              FROM (
                                SELECT
                                  "t12"."order_id",
                                  COUNT(*) AS "versions"
                                FROM "t10" AS "t12"
                                GROUP BY
                                  1
                              ) AS "t16"
                              WHERE
                                "t16"."versions" > 1
                            ) AS "t26"
                              ON "t15"."order_id" = "t26"."order_id"
                          ) AS "t31"
                        ) AS "t35"
                      ) AS "t41"
                    ) AS "t46"
                  ) AS "t48"
                  WHERE
                    "t48"."_problem" IS NULL
                    AND "t48"."paid_at" IS NOT NULL
                    AND "t48"."paid_day" BETWEEN MAKE_DATE(2026, 10, 27) AND MAKE_DATE(2026, 11, 25)
                ) AS "t49"
                GROUP BY
                  1,
                  2,
                  3
              ) AS "t51"
                ON "t64"."host_id" = "t51"."host_id"
                AND "t64"."buyer_id" = "t51"."buyer_id"
                AND "t64"."day" = "t51"."day"
            ) AS "t65"
            WHERE
              "t65"."view_utc" <= "t65"."last_paid"
          ) AS "t66"
          GROUP BY
            1,
            2
        ) AS "t68"
          ON "t61"."host_id" = "t68"."host_id" AND "t61"."day" = "t68"."day"
      ) AS "t69"
      WHERE
        "t69"."day" BETWEEN MAKE_DATE(2026, 10, 27) AND MAKE_DATE(2026, 11, 25)
    ) AS "t70"
    GROUP BY
      1
  ) AS "t72"
    ON "t45"."host_id" = "t72"."host_id"
) AS "t73"
