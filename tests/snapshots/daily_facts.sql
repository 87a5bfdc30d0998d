WITH "t6" AS (
  SELECT
    "t5"."order_id",
    "t5"."host_id",
    "t5"."buyer_id",
    "t5"."paid_at",
    "t5"."_part",
    "t5"."_scope",
    COUNT(*) AS "_copies"
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
  ) AS "t5"
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6
), "t10" AS (
  SELECT
    "t7"."session_id",
    "t7"."host_id",
    "t7"."started_at",
    "t7"."ended_at",
    "t7"."deleted",
    "t7"."_part",
    "t7"."_scope",
    COUNT(*) AS "_copies"
  FROM (
    SELECT
      "t1"."session_id",
      "t1"."host_id",
      NULLIF(TRIM("t1"."started_at", ' 	
'), '') AS "started_at",
      NULLIF(TRIM("t1"."ended_at", ' 	
'), '') AS "ended_at",
      CASE
        WHEN LOWER(NULLIF(TRIM("t1"."deleted", ' 	
'), '')) IN ('true', '1')
        THEN TRUE
        WHEN LOWER(NULLIF(TRIM("t1"."deleted", ' 	
'), '')) IN ('false', '0')
        THEN FALSE
        ELSE NULL
      END AS "deleted",
      CAST(NULL AS DATE) AS "_part",
      COALESCE(CAST(NULL AS DATE), MAKE_DATE(1, 1, 1)) AS "_scope"
    FROM "ibis_read_csv" AS "t1"
  ) AS "t7"
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7
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
    "t13"."fans",
    COUNT(*) AS "_copies"
  FROM (
    SELECT
      "t2"."host_id",
      MAKE_DATE(1, 1, 1) AS "snapshot_date",
      LOWER(NULLIF(TRIM("t2"."category_line", ' 	
'), '')) AS "category_line",
      CASE
        WHEN LOWER(NULLIF(TRIM("t2"."enterprise_member", ' 	
'), '')) IN ('true', '1')
        THEN TRUE
        WHEN LOWER(NULLIF(TRIM("t2"."enterprise_member", ' 	
'), '')) IN ('false', '0')
        THEN FALSE
        ELSE NULL
      END AS "enterprise_member",
      CASE
        WHEN LOWER(NULLIF(TRIM("t2"."risk_assessment_passed", ' 	
'), '')) IN ('true', '1')
        THEN TRUE
        WHEN LOWER(NULLIF(TRIM("t2"."risk_assessment_passed", ' 	
'), '')) IN ('false', '0')
        THEN FALSE
        ELSE NULL
      END AS "risk_assessment_passed",
      CASE
        WHEN LOWER(NULLIF(TRIM("t2"."major_tax_violation", ' 	
'), '')) IN ('true', '1')
        THEN TRUE
        WHEN LOWER(NULLIF(TRIM("t2"."major_tax_violation", ' 	
'), '')) IN ('false', '0')
        THEN FALSE
        ELSE NULL
      END AS "major_tax_violation",
      CASE
        WHEN LOWER(NULLIF(TRIM("t2"."prohibited_goods_violation", ' 	
'), '')) IN ('true', '1')
        THEN TRUE
        WHEN LOWER(NULLIF(TRIM("t2"."prohibited_goods_violation", ' 	
'), '')) IN ('false', '0')
        THEN FALSE
        ELSE NULL
      END AS "prohibited_goods_violation",
      CASE
        WHEN LOWER(NULLIF(TRIM("t2"."compliance_violation", ' 	
'), '')) IN ('true', '1')
        THEN TRUE
        WHEN LOWER(NULLIF(TRIM("t2"."compliance_violation", ' 	
'), '')) IN ('false', '0')
        THEN FALSE
        ELSE NULL
      END AS "compliance_violation",
      CASE
        WHEN LOWER(NULLIF(TRIM("t2"."severe_infringement_penalty", ' 	
'), '')) IN ('true', '1')
        THEN TRUE
        WHEN LOWER(NULLIF(TRIM("t2"."severe_infringement_penalty", ' 	
'), '')) IN ('false', '0')
        THEN FALSE
        ELSE NULL
      END AS "severe_infringement_penalty",
      CASE
        WHEN LOWER(NULLIF(TRIM("t2"."business_status_abnormal", ' 	
'), '')) IN ('true', '1')
        THEN TRUE
        WHEN LOWER(NULLIF(TRIM("t2"."business_status_abnormal", ' 	
'), '')) IN ('false', '0')
        THEN FALSE
        ELSE NULL
      END AS "business_status_abnormal",
      CASE
        WHEN LOWER(NULLIF(TRIM("t2"."dishonest_record", ' 	
'), '')) IN ('true', '1')
        THEN TRUE
        WHEN LOWER(NULLIF(TRIM("t2"."dishonest_record", ' 	
'), '')) IN ('false', '0')
        THEN FALSE
        ELSE NULL
      END AS "dishonest_record",
      CASE
        WHEN LOWER(NULLIF(TRIM("t2"."competitiveness_passed", ' 	
'), '')) IN ('true', '1')
        THEN TRUE
        WHEN LOWER(NULLIF(TRIM("t2"."competitiveness_passed", ' 	
'), '')) IN ('false', '0')
        THEN FALSE
        ELSE NULL
      END AS "competitiveness_passed",
      LOWER(NULLIF(TRIM("t2"."category", ' 	
'), '')) AS "category",
      CASE
        WHEN REGEXP_MATCHES(
          LOWER(NULLIF(TRIM("t2"."trade_medal", ' 	
'), '')),
          '^[+-]?[0-9]+$'
        )
        THEN TRY_CAST(LOWER(NULLIF(TRIM("t2"."trade_medal", ' 	
'), '')) AS BIGINT)
        ELSE NULL
      END AS "trade_medal",
      CASE
        WHEN ISNAN(
          CASE
            WHEN REGEXP_MATCHES(
              LOWER(NULLIF(TRIM("t2"."bsr_description", ' 	
'), '')),
              '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$'
            )
            THEN TRY_CAST(LOWER(NULLIF(TRIM("t2"."bsr_description", ' 	
'), '')) AS DOUBLE)
            ELSE NULL
          END
        )
        OR ISINF(
          CASE
            WHEN REGEXP_MATCHES(
              LOWER(NULLIF(TRIM("t2"."bsr_description", ' 	
'), '')),
              '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$'
            )
            THEN TRY_CAST(LOWER(NULLIF(TRIM("t2"."bsr_description", ' 	
'), '')) AS DOUBLE)
            ELSE NULL
          END
        )
        THEN NULL
        ELSE CASE
          WHEN REGEXP_MATCHES(
            LOWER(NULLIF(TRIM("t2"."bsr_description", ' 	
'), '')),
            '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$'
          )
          THEN TRY_CAST(LOWER(NULLIF(TRIM("t2"."bsr_description", ' 	
'), '')) AS DOUBLE)
          ELSE NULL
        END
      END AS "bsr_description",
      CASE
        WHEN ISNAN(
          CASE
            WHEN REGEXP_MATCHES(
              LOWER(NULLIF(TRIM("t2"."bsr_shipping", ' 	
'), '')),
              '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$'
            )
            THEN TRY_CAST(LOWER(NULLIF(TRIM("t2"."bsr_shipping", ' 	
'), '')) AS DOUBLE)
            ELSE NULL
          END
        )
        OR ISINF(
          CASE
            WHEN REGEXP_MATCHES(
              LOWER(NULLIF(TRIM("t2"."bsr_shipping", ' 	
'), '')),
              '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$'
            )
            THEN TRY_CAST(LOWER(NULLIF(TRIM("t2"."bsr_shipping", ' 	
'), '')) AS DOUBLE)
            ELSE NULL
          END
        )
        THEN NULL
        ELSE CASE
          WHEN REGEXP_MATCHES(
            LOWER(NULLIF(TRIM("t2"."bsr_shipping", ' 	
'), '')),
            '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$'
          )
          THEN TRY_CAST(LOWER(NULLIF(TRIM("t2"."bsr_shipping", ' 	
'), '')) AS DOUBLE)
          ELSE NULL
        END
      END AS "bsr_shipping",
      CASE
        WHEN REGEXP_MATCHES(LOWER(NULLIF(TRIM("t2"."fans", ' 	
'), '')), '^[+-]?[0-9]+$')
        THEN TRY_CAST(LOWER(NULLIF(TRIM("t2"."fans", ' 	
'), '')) AS BIGINT)
        ELSE NULL
      END AS "fans"
    FROM "ibis_read_csv" AS "t2"
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
), "t32" AS (
  SELECT DISTINCT
    "t30"."host_id"
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
      "t21"."_copies",
      "t27"."_conflict"
    FROM "t17" AS "t21"
    LEFT OUTER JOIN (
      SELECT
        "t23"."host_id",
        "t23"."snapshot_date",
        TRUE AS "_conflict"
      FROM (
        SELECT
          "t19"."host_id",
          "t19"."snapshot_date",
          COUNT(*) AS "_versions"
        FROM "t17" AS "t19"
        GROUP BY
          1,
          2
      ) AS "t23"
      WHERE
        "t23"."_versions" > 1
    ) AS "t27"
      ON "t21"."host_id" = "t27"."host_id"
      AND "t21"."snapshot_date" = "t27"."snapshot_date"
  ) AS "t30"
  WHERE
    "t30"."host_id" IS NOT NULL
), "t41" AS (
  SELECT
    "t39"."order_id",
    "t39"."host_id",
    "t39"."buyer_id",
    "t39"."paid_at",
    "t39"."_part",
    "t39"."_scope",
    "t39"."_copies",
    "t39"."_conflict",
    "t39"."paid_utc",
    "t39"."paid_day",
    CASE
      WHEN COALESCE(
        (
          "t39"."order_id" IS NULL
        )
        OR (
          "t39"."host_id" IS NULL
        )
        OR (
          "t39"."buyer_id" IS NULL
        ),
        FALSE
      )
      THEN 'missing_id'
      WHEN COALESCE((
        "t39"."paid_at" IS NOT NULL
      ) AND (
        "t39"."paid_utc" IS NULL
      ), FALSE)
      THEN 'unparseable_timestamp'
      WHEN COALESCE("t39"."_conflict", FALSE)
      THEN 'conflicting_duplicate'
      WHEN COALESCE((
        "t39"."_part" IS NOT NULL
      ) AND (
        "t39"."_part" <> "t39"."paid_day"
      ), FALSE)
      THEN 'wrong_partition'
      WHEN COALESCE(NOT (
        "t39"."host_id" IN (
          SELECT
            *
          FROM "t32"
        )
      ), FALSE)
      THEN 'unknown_host'
      ELSE NULL
    END AS "_problem"
  FROM (
    SELECT
      "t37"."order_id",
      "t37"."host_id",
      "t37"."buyer_id",
      "t37"."paid_at",
      "t37"."_part",
      "t37"."_scope",
      "t37"."_copies",
      "t37"."_conflict",
      CASE
        WHEN "t37"."_absolute"
        THEN "t37"."_wall" - TO_SECONDS("t37"."_offset")
        ELSE "t37"."_wall" - TO_SECONDS(28800)
      END AS "paid_utc",
      CAST(CASE
        WHEN "t37"."_absolute"
        THEN CASE
          WHEN "t37"."_absolute"
          THEN "t37"."_wall" - TO_SECONDS("t37"."_offset")
          ELSE "t37"."_wall" - TO_SECONDS(28800)
        END + TO_SECONDS(28800)
        ELSE "t37"."_wall"
      END AS DATE) AS "paid_day"
    FROM (
      SELECT
        "t31"."order_id",
        "t31"."host_id",
        "t31"."buyer_id",
        "t31"."paid_at",
        "t31"."_part",
        "t31"."_scope",
        "t31"."_copies",
        "t31"."_conflict",
        "t31"."_wall",
        "t31"."_suffix",
        LENGTH("t31"."_suffix") > 0 AS "_absolute",
        COALESCE(
          CASE
            WHEN UPPER("t31"."_suffix") = 'Z'
            THEN 0
            ELSE CASE WHEN STARTS_WITH(REPLACE("t31"."_suffix", ':', ''), '-') THEN -1 ELSE 1 END * (
              (
                TRY_CAST(SUBSTRING(
                  REPLACE("t31"."_suffix", ':', ''),
                  CASE
                    WHEN (
                      1 + 1
                    ) >= 1
                    THEN 1 + 1
                    ELSE 1 + 1 + LENGTH(REPLACE("t31"."_suffix", ':', ''))
                  END,
                  2
                ) AS BIGINT) * 3600
              ) + (
                CASE
                  WHEN LENGTH(REPLACE("t31"."_suffix", ':', '')) >= 5
                  THEN TRY_CAST(SUBSTRING(
                    REPLACE("t31"."_suffix", ':', ''),
                    CASE
                      WHEN (
                        3 + 1
                      ) >= 1
                      THEN 3 + 1
                      ELSE 3 + 1 + LENGTH(REPLACE("t31"."_suffix", ':', ''))
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
          "t25"."order_id",
          "t25"."host_id",
          "t25"."buyer_id",
          "t25"."paid_at",
          "t25"."_part",
          "t25"."_scope",
          "t25"."_copies",
          COALESCE("t25"."_conflict", FALSE) AS "_conflict",
          TRY_CAST(REGEXP_EXTRACT(
            TRIM("t25"."paid_at", ' 	
'),
            '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
            1
          ) || ' ' || REGEXP_EXTRACT(
            TRIM("t25"."paid_at", ' 	
'),
            '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
            2
          ) || COALESCE(
            REGEXP_EXTRACT(
              TRIM("t25"."paid_at", ' 	
'),
              '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
              3
            ),
            ''
          ) AS TIMESTAMP) AS "_wall",
          REGEXP_EXTRACT(
            TRIM("t25"."paid_at", ' 	
'),
            '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
            4
          ) AS "_suffix"
        FROM (
          SELECT
            "t9"."order_id",
            "t9"."host_id",
            "t9"."buyer_id",
            "t9"."paid_at",
            "t9"."_part",
            "t9"."_scope",
            "t9"."_copies",
            "t20"."_conflict"
          FROM "t6" AS "t9"
          LEFT OUTER JOIN (
            SELECT
              "t11"."order_id",
              "t11"."_scope",
              TRUE AS "_conflict"
            FROM (
              SELECT
                "t8"."order_id",
                "t8"."_scope",
                COUNT(*) AS "_versions"
              FROM "t6" AS "t8"
              GROUP BY
                1,
                2
            ) AS "t11"
            WHERE
              "t11"."_versions" > 1
          ) AS "t20"
            ON "t9"."order_id" = "t20"."order_id" AND "t9"."_scope" = "t20"."_scope"
        ) AS "t25"
      ) AS "t31"
    ) AS "t37"
  ) AS "t39"
), "t51" AS (
  SELECT
    "t50"."session_id",
    "t50"."host_id",
    "t50"."started_at",
    "t50"."ended_at",
    "t50"."deleted",
    "t50"."_part",
    "t50"."_scope",
    "t50"."_copies",
    "t50"."_conflict",
    "t50"."start_utc",
    "t50"."start_day",
    "t50"."end_utc",
    "t50"."end_day",
    CASE
      WHEN COALESCE((
        "t50"."session_id" IS NULL
      ) OR (
        "t50"."host_id" IS NULL
      ), FALSE)
      THEN 'missing_id'
      WHEN COALESCE("t50"."start_utc" IS NULL, FALSE)
      THEN 'unparseable_timestamp'
      WHEN COALESCE("t50"."end_utc" IS NULL, FALSE)
      THEN 'unparseable_timestamp'
      WHEN COALESCE("t50"."end_utc" < "t50"."start_utc", FALSE)
      THEN 'ends_before_start'
      WHEN COALESCE("t50"."_conflict", FALSE)
      THEN 'conflicting_duplicate'
      WHEN COALESCE(NOT (
        "t50"."host_id" IN (
          SELECT
            *
          FROM "t32"
        )
      ), FALSE)
      THEN 'unknown_host'
      WHEN COALESCE(
        (
          "t50"."_part" IS NOT NULL
        ) AND (
          "t50"."_part" <> "t50"."start_day"
        ),
        FALSE
      )
      THEN 'wrong_partition'
      ELSE NULL
    END AS "_problem"
  FROM (
    SELECT
      "t46"."session_id",
      "t46"."host_id",
      "t46"."started_at",
      "t46"."ended_at",
      "t46"."deleted",
      "t46"."_part",
      "t46"."_scope",
      "t46"."_copies",
      "t46"."_conflict",
      "t46"."start_utc",
      "t46"."start_day",
      CASE
        WHEN "t46"."_absolute"
        THEN "t46"."_wall" - TO_SECONDS("t46"."_offset")
        ELSE "t46"."_wall" - TO_SECONDS(28800)
      END AS "end_utc",
      CAST(CASE
        WHEN "t46"."_absolute"
        THEN CASE
          WHEN "t46"."_absolute"
          THEN "t46"."_wall" - TO_SECONDS("t46"."_offset")
          ELSE "t46"."_wall" - TO_SECONDS(28800)
        END + TO_SECONDS(28800)
        ELSE "t46"."_wall"
      END AS DATE) AS "end_day"
    FROM (
      SELECT
        "t40"."session_id",
        "t40"."host_id",
        "t40"."started_at",
        "t40"."ended_at",
        "t40"."deleted",
        "t40"."_part",
        "t40"."_scope",
        "t40"."_copies",
        "t40"."_conflict",
        "t40"."start_utc",
        "t40"."start_day",
        "t40"."_wall",
        "t40"."_suffix",
        LENGTH("t40"."_suffix") > 0 AS "_absolute",
        COALESCE(
          CASE
            WHEN UPPER("t40"."_suffix") = 'Z'
            THEN 0
            ELSE CASE WHEN STARTS_WITH(REPLACE("t40"."_suffix", ':', ''), '-') THEN -1 ELSE 1 END * (
              (
                TRY_CAST(SUBSTRING(
                  REPLACE("t40"."_suffix", ':', ''),
                  CASE
                    WHEN (
                      1 + 1
                    ) >= 1
                    THEN 1 + 1
                    ELSE 1 + 1 + LENGTH(REPLACE("t40"."_suffix", ':', ''))
                  END,
                  2
                ) AS BIGINT) * 3600
              ) + (
                CASE
                  WHEN LENGTH(REPLACE("t40"."_suffix", ':', '')) >= 5
                  THEN TRY_CAST(SUBSTRING(
                    REPLACE("t40"."_suffix", ':', ''),
                    CASE
                      WHEN (
                        3 + 1
                      ) >= 1
                      THEN 3 + 1
                      ELSE 3 + 1 + LENGTH(REPLACE("t40"."_suffix", ':', ''))
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
          "t38"."session_id",
          "t38"."host_id",
          "t38"."started_at",
          "t38"."ended_at",
          "t38"."deleted",
          "t38"."_part",
          "t38"."_scope",
          "t38"."_copies",
          "t38"."_conflict",
          CASE
            WHEN "t38"."_absolute"
            THEN "t38"."_wall" - TO_SECONDS("t38"."_offset")
            ELSE "t38"."_wall" - TO_SECONDS(28800)
          END AS "start_utc",
          CAST(CASE
            WHEN "t38"."_absolute"
            THEN CASE
              WHEN "t38"."_absolute"
              THEN "t38"."_wall" - TO_SECONDS("t38"."_offset")
              ELSE "t38"."_wall" - TO_SECONDS(28800)
            END + TO_SECONDS(28800)
            ELSE "t38"."_wall"
          END AS DATE) AS "start_day",
          TRY_CAST(REGEXP_EXTRACT(
            TRIM("t38"."ended_at", ' 	
'),
            '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
            1
          ) || ' ' || REGEXP_EXTRACT(
            TRIM("t38"."ended_at", ' 	
'),
            '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
            2
          ) || COALESCE(
            REGEXP_EXTRACT(
              TRIM("t38"."ended_at", ' 	
'),
              '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
              3
            ),
            ''
          ) AS TIMESTAMP) AS "_wall",
          REGEXP_EXTRACT(
            TRIM("t38"."ended_at", ' 	
'),
            '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
            4
          ) AS "_suffix"
        FROM (
          SELECT
            "t34"."session_id",
            "t34"."host_id",
            "t34"."started_at",
            "t34"."ended_at",
            "t34"."deleted",
            "t34"."_part",
            "t34"."_scope",
            "t34"."_copies",
            "t34"."_conflict",
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
              "t28"."session_id",
              "t28"."host_id",
              "t28"."started_at",
              "t28"."ended_at",
              "t28"."deleted",
              "t28"."_part",
              "t28"."_scope",
              "t28"."_copies",
              COALESCE("t28"."_conflict", FALSE) AS "_conflict",
              TRY_CAST(REGEXP_EXTRACT(
                TRIM("t28"."started_at", ' 	
'),
                '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
                1
              ) || ' ' || REGEXP_EXTRACT(
                TRIM("t28"."started_at", ' 	
'),
                '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
                2
              ) || COALESCE(
                REGEXP_EXTRACT(
                  TRIM("t28"."started_at", ' 	
'),
                  '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
                  3
                ),
                ''
              ) AS TIMESTAMP) AS "_wall",
              REGEXP_EXTRACT(
                TRIM("t28"."started_at", ' 	
'),
                '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
                4
              ) AS "_suffix"
            FROM (
              SELECT
                "t14"."session_id",
                "t14"."host_id",
                "t14"."started_at",
                "t14"."ended_at",
                "t14"."deleted",
                "t14"."_part",
                "t14"."_scope",
                "t14"."_copies",
                "t24"."_conflict"
              FROM "t10" AS "t14"
              LEFT OUTER JOIN (
                SELECT
                  "t16"."session_id",
                  "t16"."_scope",
                  TRUE AS "_conflict"
                FROM (
                  SELECT
                    "t12"."session_id",
                    "t12"."_scope",
                    COUNT(*) AS "_versions"
                  FROM "t10" AS "t12"
                  GROUP BY
                    1,
                    2
                ) AS "t16"
                WHERE
                  "t16"."_versions" > 1
              ) AS "t24"
                ON "t14"."session_id" = "t24"."session_id" AND "t14"."_scope" = "t24"."_scope"
            ) AS "t28"
          ) AS "t34"
        ) AS "t38"
      ) AS "t40"
    ) AS "t46"
  ) AS "t50"
)
SELECT
  COALESCE("t58"."host_id", "t66"."host_id") AS "host_id",
  COALESCE("t58"."day", "t66"."day") AS "day",
  COALESCE("t58"."valid_sessions", 0) AS "valid_sessions",
  COALESCE("t66"."live_buyers", 0) AS "live_buyers",
  COALESCE("t58"."cross_day_sessions", 0) AS "cross_day_sessions"
FROM (
  SELECT
    "t53"."host_id",
    "t53"."start_day" AS "day",
    SUM(CAST("t53"."end_utc" > (
      "t53"."start_utc" + INTERVAL '15' MINUTE
    ) AS BIGINT)) AS "valid_sessions",
    SUM(CAST("t53"."start_day" <> "t53"."end_day" AS BIGINT)) AS "cross_day_sessions"
  FROM (
    SELECT
      "t52"."session_id",
      "t52"."host_id",
      "t52"."start_utc",
      "t52"."end_utc",
      "t52"."start_day",
      "t52"."end_day"
    FROM "t51" AS "t52"
    WHERE
      "t52"."_problem" IS NULL
      AND "t52"."start_day" IN (
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
  ) AS "t53"
  GROUP BY
    1,
    2
) AS "t58"
FULL OUTER JOIN (
  SELECT
    "t64"."host_id",
    "t64"."day",
    COUNT(*) AS "live_buyers"
  FROM (
    SELECT DISTINCT
      "t63"."host_id",
      "t63"."buyer_id",
      "t63"."day"
    FROM (
      SELECT
        "t62"."host_id",
        "t62"."buyer_id",
        "t62"."view_utc",
        "t62"."day",
        "t49"."last_paid"
      FROM (
        SELECT
          "t60"."_host" AS "host_id",
          "t60"."buyer_id",
          "t60"."view_utc",
          "t60"."view_day" AS "day"
        FROM (
          SELECT
            "t59"."session_id",
            "t59"."buyer_id",
            "t59"."viewed_at",
            "t59"."_part",
            "t59"."_scope",
            "t59"."view_utc",
            "t59"."view_day",
            "t59"."_host",
            "t59"."_seen",
            "t59"."_paid",
            CASE
              WHEN COALESCE((
                "t59"."session_id" IS NULL
              ) OR (
                "t59"."buyer_id" IS NULL
              ), FALSE)
              THEN 'missing_id'
              WHEN COALESCE("t59"."view_utc" IS NULL, FALSE)
              THEN 'unparseable_timestamp'
              WHEN COALESCE("t59"."_seen" IS NULL, FALSE)
              THEN 'unknown_session'
              WHEN COALESCE("t59"."_host" IS NULL, FALSE)
              THEN 'session_rejected'
              WHEN COALESCE((
                "t59"."_part" IS NOT NULL
              ) AND (
                "t59"."_part" <> "t59"."view_day"
              ), FALSE)
              THEN 'wrong_partition'
              ELSE NULL
            END AS "_problem"
          FROM (
            SELECT
              "t36"."session_id",
              "t36"."buyer_id",
              "t36"."viewed_at",
              "t36"."_part",
              "t36"."_scope",
              "t36"."view_utc",
              "t36"."view_day",
              "t56"."_host",
              "t56"."_seen",
              "t48"."_paid"
            FROM (
              SELECT
                "t29"."session_id",
                "t29"."buyer_id",
                "t29"."viewed_at",
                "t29"."_part",
                "t29"."_scope",
                CASE
                  WHEN "t29"."_absolute"
                  THEN "t29"."_wall" - TO_SECONDS("t29"."_offset")
                  ELSE "t29"."_wall" - TO_SECONDS(28800)
                END AS "view_utc",
                CAST(CASE
                  WHEN "t29"."_absolute"
                  THEN CASE
                    WHEN "t29"."_absolute"
                    THEN "t29"."_wall" - TO_SECONDS("t29"."_offset")
                    ELSE "t29"."_wall" - TO_SECONDS(28800)
                  END + TO_SECONDS(28800)
                  ELSE "t29"."_wall"
                END AS DATE) AS "view_day"
              FROM (
                SELECT
                  "t15"."session_id",
                  "t15"."buyer_id",
                  "t15"."viewed_at",
                  "t15"."_part",
                  "t15"."_scope",
                  "t15"."_wall",
                  "t15"."_suffix",
                  LENGTH("t15"."_suffix") > 0 AS "_absolute",
                  COALESCE(
                    CASE
                      WHEN UPPER("t15"."_suffix") = 'Z'
                      THEN 0
                      ELSE CASE WHEN STARTS_WITH(REPLACE("t15"."_suffix", ':', ''), '-') THEN -1 ELSE 1 END * (
                        (
                          TRY_CAST(SUBSTRING(
                            REPLACE("t15"."_suffix", ':', ''),
                            CASE
                              WHEN (
                                1 + 1
                              ) >= 1
                              THEN 1 + 1
                              ELSE 1 + 1 + LENGTH(REPLACE("t15"."_suffix", ':', ''))
                            END,
                            2
                          ) AS BIGINT) * 3600
                        ) + (
                          CASE
                            WHEN LENGTH(REPLACE("t15"."_suffix", ':', '')) >= 5
                            THEN TRY_CAST(SUBSTRING(
                              REPLACE("t15"."_suffix", ':', ''),
                              CASE
                                WHEN (
                                  3 + 1
                                ) >= 1
                                THEN 3 + 1
                                ELSE 3 + 1 + LENGTH(REPLACE("t15"."_suffix", ':', ''))
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
                    "t4"."session_id",
                    "t4"."buyer_id",
                    "t4"."viewed_at",
                    "t4"."_part",
                    "t4"."_scope",
                    TRY_CAST(REGEXP_EXTRACT(
                      TRIM("t4"."viewed_at", ' 	
'),
                      '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
                      1
                    ) || ' ' || REGEXP_EXTRACT(
                      TRIM("t4"."viewed_at", ' 	
'),
                      '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
                      2
                    ) || COALESCE(
                      REGEXP_EXTRACT(
                        TRIM("t4"."viewed_at", ' 	
'),
                        '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
                        3
                      ),
                      ''
                    ) AS TIMESTAMP) AS "_wall",
                    REGEXP_EXTRACT(
                      TRIM("t4"."viewed_at", ' 	
'),
                      '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
                      4
                    ) AS "_suffix"
                  FROM (
                    SELECT
                      "t0"."session_id",
                      "t0"."buyer_id",
                      NULLIF(TRIM("t0"."viewed_at", ' 	
'), '') AS "viewed_at",
                      CAST(NULL AS DATE) AS "_part",
                      COALESCE(CAST(NULL AS DATE), MAKE_DATE(1, 1, 1)) AS "_scope"
                    FROM "ibis_read_csv" AS "t0"
                  ) AS "t4"
                ) AS "t15"
              ) AS "t29"
            ) AS "t36"
            LEFT OUTER JOIN (
              SELECT
                "t54"."session_id",
                "t54"."_host",
                TRUE AS "_seen"
              FROM (
                SELECT DISTINCT
                  "t52"."session_id",
                  CASE WHEN "t52"."_problem" IS NULL THEN "t52"."host_id" ELSE NULL END AS "_host"
                FROM "t51" AS "t52"
              ) AS "t54"
            ) AS "t56"
              ON "t36"."session_id" = "t56"."session_id"
            LEFT OUTER JOIN (
              SELECT
                "t44"."_host",
                "t44"."buyer_id",
                "t44"."view_day",
                TRUE AS "_paid"
              FROM (
                SELECT DISTINCT
                  "t42"."host_id" AS "_host",
                  "t42"."buyer_id",
                  "t42"."paid_day" AS "view_day"
                FROM "t41" AS "t42"
                WHERE
                  "t42"."_problem" IS NULL AND "t42"."paid_utc" IS NOT NULL
              ) AS "t44"
            ) AS "t48"
              ON "t56"."_host" = "t48"."_host"
              AND "t36"."buyer_id" = "t48"."buyer_id"
              AND "t36"."view_day" = "t48"."view_day"
          ) AS "t59"
        ) AS "t60"
        WHERE
          (
            (
              "t60"."_problem" IS NOT NULL
            ) OR (
              "t60"."_paid" IS NOT NULL
            )
          )
          AND "t60"."_problem" IS NULL
      ) AS "t62"
      INNER JOIN (
        SELECT
          "t43"."host_id",
          "t43"."buyer_id",
          "t43"."paid_day" AS "day",
          MAX("t43"."paid_utc") AS "last_paid"
        FROM (
          SELECT
            "t42"."host_id",
            "t42"."buyer_id",
            "t42"."paid_utc",
            "t42"."paid_day"
          FROM "t41" AS "t42"
          WHERE
            "t42"."_problem" IS NULL
            AND "t42"."paid_utc" IS NOT NULL
            AND "t42"."paid_day" IN (
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
          2,
          3
      ) AS "t49"
        ON "t62"."host_id" = "t49"."host_id"
        AND "t62"."buyer_id" = "t49"."buyer_id"
        AND "t62"."day" = "t49"."day"
    ) AS "t63"
    WHERE
      "t63"."view_utc" <= "t63"."last_paid"
  ) AS "t64"
  GROUP BY
    1,
    2
) AS "t66"
  ON "t58"."host_id" = "t66"."host_id" AND "t58"."day" = "t66"."day"
