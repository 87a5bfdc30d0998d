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
  ) AS "t7"
  GROUP BY
    1,
    2,
    3,
    4,
    5,
    6,
    7
), "t15" AS (
  SELECT
    "t12"."host_id",
    "t12"."snapshot_date",
    "t12"."category_line",
    "t12"."enterprise_member",
    "t12"."risk_assessment_passed",
    "t12"."major_tax_violation",
    "t12"."prohibited_goods_violation",
    "t12"."compliance_violation",
    "t12"."severe_infringement_penalty",
    "t12"."business_status_abnormal",
    "t12"."dishonest_record",
    "t12"."competitiveness_passed",
    "t12"."category",
    "t12"."trade_medal",
    "t12"."bsr_description",
    "t12"."bsr_shipping",
    "t12"."fans",
    COUNT(*) AS "_copies"
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
  ) AS "t12"
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
), "t29" AS (
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
  FROM "t15" AS "t21"
  LEFT OUTER JOIN (
    SELECT
      "t22"."host_id",
      "t22"."snapshot_date",
      TRUE AS "_conflict"
    FROM (
      SELECT
        "t19"."host_id",
        "t19"."snapshot_date",
        COUNT(*) AS "_versions"
      FROM "t15" AS "t19"
      GROUP BY
        1,
        2
    ) AS "t22"
    WHERE
      "t22"."_versions" > 1
  ) AS "t27"
    ON "t21"."host_id" = "t27"."host_id"
    AND "t21"."snapshot_date" = "t27"."snapshot_date"
), "t33" AS (
  SELECT DISTINCT
    "t31"."host_id"
  FROM "t29" AS "t31"
  WHERE
    "t31"."host_id" IS NOT NULL
), "t48" AS (
  SELECT
    "t46"."order_id",
    "t46"."host_id",
    "t46"."buyer_id",
    "t46"."paid_at",
    "t46"."_part",
    "t46"."_scope",
    "t46"."_copies",
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
      WHEN COALESCE((
        "t46"."_part" IS NOT NULL
      ) AND (
        "t46"."_part" <> "t46"."paid_day"
      ), FALSE)
      THEN 'wrong_partition'
      WHEN COALESCE(NOT (
        "t46"."host_id" IN (
          SELECT
            *
          FROM "t33"
        )
      ), FALSE)
      THEN 'unknown_host'
      ELSE NULL
    END AS "_problem"
  FROM (
    SELECT
      "t44"."order_id",
      "t44"."host_id",
      "t44"."buyer_id",
      "t44"."paid_at",
      "t44"."_part",
      "t44"."_scope",
      "t44"."_copies",
      "t44"."_conflict",
      CASE
        WHEN "t44"."_absolute"
        THEN "t44"."_wall" - TO_SECONDS("t44"."_offset")
        ELSE "t44"."_wall" - TO_SECONDS(28800)
      END AS "paid_utc",
      CAST(CASE
        WHEN "t44"."_absolute"
        THEN CASE
          WHEN "t44"."_absolute"
          THEN "t44"."_wall" - TO_SECONDS("t44"."_offset")
          ELSE "t44"."_wall" - TO_SECONDS(28800)
        END + TO_SECONDS(28800)
        ELSE "t44"."_wall"
      END AS DATE) AS "paid_day"
    FROM (
      SELECT
        "t32"."order_id",
        "t32"."host_id",
        "t32"."buyer_id",
        "t32"."paid_at",
        "t32"."_part",
        "t32"."_scope",
        "t32"."_copies",
        "t32"."_conflict",
        "t32"."_wall",
        "t32"."_suffix",
        LENGTH("t32"."_suffix") > 0 AS "_absolute",
        COALESCE(
          CASE
            WHEN UPPER("t32"."_suffix") = 'Z'
            THEN 0
            ELSE CASE WHEN STARTS_WITH(REPLACE("t32"."_suffix", ':', ''), '-') THEN -1 ELSE 1 END * (
              (
                TRY_CAST(SUBSTRING(
                  REPLACE("t32"."_suffix", ':', ''),
                  CASE
                    WHEN (
                      1 + 1
                    ) >= 1
                    THEN 1 + 1
                    ELSE 1 + 1 + LENGTH(REPLACE("t32"."_suffix", ':', ''))
                  END,
                  2
                ) AS BIGINT) * 3600
              ) + (
                CASE
                  WHEN LENGTH(REPLACE("t32"."_suffix", ':', '')) >= 5
                  THEN TRY_CAST(SUBSTRING(
                    REPLACE("t32"."_suffix", ':', ''),
                    CASE
                      WHEN (
                        3 + 1
                      ) >= 1
                      THEN 3 + 1
                      ELSE 3 + 1 + LENGTH(REPLACE("t32"."_suffix", ':', ''))
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
      ) AS "t32"
    ) AS "t44"
  ) AS "t46"
), "t58" AS (
  SELECT
    "t57"."session_id",
    "t57"."host_id",
    "t57"."started_at",
    "t57"."ended_at",
    "t57"."deleted",
    "t57"."_part",
    "t57"."_scope",
    "t57"."_copies",
    "t57"."_conflict",
    "t57"."start_utc",
    "t57"."start_day",
    "t57"."end_utc",
    "t57"."end_day",
    CASE
      WHEN COALESCE((
        "t57"."session_id" IS NULL
      ) OR (
        "t57"."host_id" IS NULL
      ), FALSE)
      THEN 'missing_id'
      WHEN COALESCE("t57"."start_utc" IS NULL, FALSE)
      THEN 'unparseable_timestamp'
      WHEN COALESCE("t57"."end_utc" IS NULL, FALSE)
      THEN 'unparseable_timestamp'
      WHEN COALESCE("t57"."end_utc" < "t57"."start_utc", FALSE)
      THEN 'ends_before_start'
      WHEN COALESCE("t57"."_conflict", FALSE)
      THEN 'conflicting_duplicate'
      WHEN COALESCE(NOT (
        "t57"."host_id" IN (
          SELECT
            *
          FROM "t33"
        )
      ), FALSE)
      THEN 'unknown_host'
      WHEN COALESCE(
        (
          "t57"."_part" IS NOT NULL
        ) AND (
          "t57"."_part" <> "t57"."start_day"
        ),
        FALSE
      )
      THEN 'wrong_partition'
      ELSE NULL
    END AS "_problem"
  FROM (
    SELECT
      "t53"."session_id",
      "t53"."host_id",
      "t53"."started_at",
      "t53"."ended_at",
      "t53"."deleted",
      "t53"."_part",
      "t53"."_scope",
      "t53"."_copies",
      "t53"."_conflict",
      "t53"."start_utc",
      "t53"."start_day",
      CASE
        WHEN "t53"."_absolute"
        THEN "t53"."_wall" - TO_SECONDS("t53"."_offset")
        ELSE "t53"."_wall" - TO_SECONDS(28800)
      END AS "end_utc",
      CAST(CASE
        WHEN "t53"."_absolute"
        THEN CASE
          WHEN "t53"."_absolute"
          THEN "t53"."_wall" - TO_SECONDS("t53"."_offset")
          ELSE "t53"."_wall" - TO_SECONDS(28800)
        END + TO_SECONDS(28800)
        ELSE "t53"."_wall"
      END AS DATE) AS "end_day"
    FROM (
      SELECT
        "t47"."session_id",
        "t47"."host_id",
        "t47"."started_at",
        "t47"."ended_at",
        "t47"."deleted",
        "t47"."_part",
        "t47"."_scope",
        "t47"."_copies",
        "t47"."_conflict",
        "t47"."start_utc",
        "t47"."start_day",
        "t47"."_wall",
        "t47"."_suffix",
        LENGTH("t47"."_suffix") > 0 AS "_absolute",
        COALESCE(
          CASE
            WHEN UPPER("t47"."_suffix") = 'Z'
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
          "t45"."session_id",
          "t45"."host_id",
          "t45"."started_at",
          "t45"."ended_at",
          "t45"."deleted",
          "t45"."_part",
          "t45"."_scope",
          "t45"."_copies",
          "t45"."_conflict",
          CASE
            WHEN "t45"."_absolute"
            THEN "t45"."_wall" - TO_SECONDS("t45"."_offset")
            ELSE "t45"."_wall" - TO_SECONDS(28800)
          END AS "start_utc",
          CAST(CASE
            WHEN "t45"."_absolute"
            THEN CASE
              WHEN "t45"."_absolute"
              THEN "t45"."_wall" - TO_SECONDS("t45"."_offset")
              ELSE "t45"."_wall" - TO_SECONDS(28800)
            END + TO_SECONDS(28800)
            ELSE "t45"."_wall"
          END AS DATE) AS "start_day",
          TRY_CAST(REGEXP_EXTRACT(
            TRIM("t45"."ended_at", ' 	
'),
            '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
            1
          ) || ' ' || REGEXP_EXTRACT(
            TRIM("t45"."ended_at", ' 	
'),
            '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
            2
          ) || COALESCE(
            REGEXP_EXTRACT(
              TRIM("t45"."ended_at", ' 	
'),
              '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
              3
            ),
            ''
          ) AS TIMESTAMP) AS "_wall",
          REGEXP_EXTRACT(
            TRIM("t45"."ended_at", ' 	
'),
            '^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$',
            4
          ) AS "_suffix"
        FROM (
          SELECT
            "t36"."session_id",
            "t36"."host_id",
            "t36"."started_at",
            "t36"."ended_at",
            "t36"."deleted",
            "t36"."_part",
            "t36"."_scope",
            "t36"."_copies",
            "t36"."_conflict",
            "t36"."_wall",
            "t36"."_suffix",
            LENGTH("t36"."_suffix") > 0 AS "_absolute",
            COALESCE(
              CASE
                WHEN UPPER("t36"."_suffix") = 'Z'
                THEN 0
                ELSE CASE WHEN STARTS_WITH(REPLACE("t36"."_suffix", ':', ''), '-') THEN -1 ELSE 1 END * (
                  (
                    TRY_CAST(SUBSTRING(
                      REPLACE("t36"."_suffix", ':', ''),
                      CASE
                        WHEN (
                          1 + 1
                        ) >= 1
                        THEN 1 + 1
                        ELSE 1 + 1 + LENGTH(REPLACE("t36"."_suffix", ':', ''))
                      END,
                      2
                    ) AS BIGINT) * 3600
                  ) + (
                    CASE
                      WHEN LENGTH(REPLACE("t36"."_suffix", ':', '')) >= 5
                      THEN TRY_CAST(SUBSTRING(
                        REPLACE("t36"."_suffix", ':', ''),
                        CASE
                          WHEN (
                            3 + 1
                          ) >= 1
                          THEN 3 + 1
                          ELSE 3 + 1 + LENGTH(REPLACE("t36"."_suffix", ':', ''))
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
                  "t17"."session_id",
                  "t17"."_scope",
                  TRUE AS "_conflict"
                FROM (
                  SELECT
                    "t13"."session_id",
                    "t13"."_scope",
                    COUNT(*) AS "_versions"
                  FROM "t10" AS "t13"
                  GROUP BY
                    1,
                    2
                ) AS "t17"
                WHERE
                  "t17"."_versions" > 1
              ) AS "t24"
                ON "t14"."session_id" = "t24"."session_id" AND "t14"."_scope" = "t24"."_scope"
            ) AS "t28"
          ) AS "t36"
        ) AS "t45"
      ) AS "t47"
    ) AS "t53"
  ) AS "t57"
), "t75" AS (
  SELECT
    *
  FROM (
    SELECT
      COALESCE("t65"."host_id", "t73"."host_id") AS "host_id",
      COALESCE("t65"."day", "t73"."day") AS "day",
      COALESCE("t65"."valid_sessions", 0) AS "valid_sessions",
      COALESCE("t73"."live_buyers", 0) AS "live_buyers",
      COALESCE("t65"."cross_day_sessions", 0) AS "cross_day_sessions"
    FROM (
      SELECT
        "t60"."host_id",
        "t60"."start_day" AS "day",
        SUM(CAST("t60"."end_utc" > (
          "t60"."start_utc" + INTERVAL '15' MINUTE
        ) AS BIGINT)) AS "valid_sessions",
        SUM(CAST("t60"."start_day" <> "t60"."end_day" AS BIGINT)) AS "cross_day_sessions"
      FROM (
        SELECT
          "t59"."session_id",
          "t59"."host_id",
          "t59"."start_utc",
          "t59"."end_utc",
          "t59"."start_day",
          "t59"."end_day"
        FROM "t58" AS "t59"
        WHERE
          "t59"."_problem" IS NULL
          AND "t59"."start_day" IN (
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
      ) AS "t60"
      GROUP BY
        1,
        2
    ) AS "t65"
    FULL OUTER JOIN (
      SELECT
        "t71"."host_id",
        "t71"."day",
        COUNT(*) AS "live_buyers"
      FROM (
        SELECT DISTINCT
          "t70"."host_id",
          "t70"."buyer_id",
          "t70"."day"
        FROM (
          SELECT
            "t69"."host_id",
            "t69"."buyer_id",
            "t69"."view_utc",
            "t69"."day",
            "t56"."last_paid"
          FROM (
            SELECT
              "t67"."_host" AS "host_id",
              "t67"."buyer_id",
              "t67"."view_utc",
              "t67"."view_day" AS "day"
            FROM (
              SELECT
                "t66"."session_id",
                "t66"."buyer_id",
                "t66"."viewed_at",
                "t66"."_part",
                "t66"."_scope",
                "t66"."view_utc",
                "t66"."view_day",
                "t66"."_host",
                "t66"."_seen",
                "t66"."_paid",
                CASE
                  WHEN COALESCE((
                    "t66"."session_id" IS NULL
                  ) OR (
                    "t66"."buyer_id" IS NULL
                  ), FALSE)
                  THEN 'missing_id'
                  WHEN COALESCE("t66"."view_utc" IS NULL, FALSE)
                  THEN 'unparseable_timestamp'
                  WHEN COALESCE("t66"."_seen" IS NULL, FALSE)
                  THEN 'unknown_session'
                  WHEN COALESCE("t66"."_host" IS NULL, FALSE)
                  THEN 'session_rejected'
                  WHEN COALESCE((
                    "t66"."_part" IS NOT NULL
                  ) AND (
                    "t66"."_part" <> "t66"."view_day"
                  ), FALSE)
                  THEN 'wrong_partition'
                  ELSE NULL
                END AS "_problem"
              FROM (
                SELECT
                  "t41"."session_id",
                  "t41"."buyer_id",
                  "t41"."viewed_at",
                  "t41"."_part",
                  "t41"."_scope",
                  "t41"."view_utc",
                  "t41"."view_day",
                  "t63"."_host",
                  "t63"."_seen",
                  "t55"."_paid"
                FROM (
                  SELECT
                    "t30"."session_id",
                    "t30"."buyer_id",
                    "t30"."viewed_at",
                    "t30"."_part",
                    "t30"."_scope",
                    CASE
                      WHEN "t30"."_absolute"
                      THEN "t30"."_wall" - TO_SECONDS("t30"."_offset")
                      ELSE "t30"."_wall" - TO_SECONDS(28800)
                    END AS "view_utc",
                    CAST(CASE
                      WHEN "t30"."_absolute"
                      THEN CASE
                        WHEN "t30"."_absolute"
                        THEN "t30"."_wall" - TO_SECONDS("t30"."_offset")
                        ELSE "t30"."_wall" - TO_SECONDS(28800)
                      END + TO_SECONDS(28800)
                      ELSE "t30"."_wall"
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
                          "t1"."session_id",
                          "t1"."buyer_id",
                          NULLIF(TRIM("t1"."viewed_at", ' 	
'), '') AS "viewed_at",
                          CAST(NULL AS DATE) AS "_part",
                          COALESCE(CAST(NULL AS DATE), MAKE_DATE(1, 1, 1)) AS "_scope"
                        FROM "ibis_read_csv" AS "t1"
                      ) AS "t4"
                    ) AS "t16"
                  ) AS "t30"
                ) AS "t41"
                LEFT OUTER JOIN (
                  SELECT
                    "t61"."session_id",
                    "t61"."_host",
                    TRUE AS "_seen"
                  FROM (
                    SELECT DISTINCT
                      "t59"."session_id",
                      CASE WHEN "t59"."_problem" IS NULL THEN "t59"."host_id" ELSE NULL END AS "_host"
                    FROM "t58" AS "t59"
                  ) AS "t61"
                ) AS "t63"
                  ON "t41"."session_id" = "t63"."session_id"
                LEFT OUTER JOIN (
                  SELECT
                    "t51"."_host",
                    "t51"."buyer_id",
                    "t51"."view_day",
                    TRUE AS "_paid"
                  FROM (
                    SELECT DISTINCT
                      "t49"."host_id" AS "_host",
                      "t49"."buyer_id",
                      "t49"."paid_day" AS "view_day"
                    FROM "t48" AS "t49"
                    WHERE
                      "t49"."_problem" IS NULL AND "t49"."paid_utc" IS NOT NULL
                  ) AS "t51"
                ) AS "t55"
                  ON "t63"."_host" = "t55"."_host"
                  AND "t41"."buyer_id" = "t55"."buyer_id"
                  AND "t41"."view_day" = "t55"."view_day"
              ) AS "t66"
            ) AS "t67"
            WHERE
              (
                (
                  "t67"."_problem" IS NOT NULL
                ) OR (
                  "t67"."_paid" IS NOT NULL
                )
              )
              AND "t67"."_problem" IS NULL
          ) AS "t69"
          INNER JOIN (
            SELECT
              "t50"."host_id",
              "t50"."buyer_id",
              "t50"."paid_day" AS "day",
              MAX("t50"."paid_utc") AS "last_paid"
            FROM (
              SELECT
                "t49"."host_id",
                "t49"."buyer_id",
                "t49"."paid_utc",
                "t49"."paid_day"
              FROM "t48" AS "t49"
              WHERE
                "t49"."_problem" IS NULL
                AND "t49"."paid_utc" IS NOT NULL
                AND "t49"."paid_day" IN (
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
            ) AS "t50"
            GROUP BY
              1,
              2,
              3
          ) AS "t56"
            ON "t69"."host_id" = "t56"."host_id"
            AND "t69"."buyer_id" = "t56"."buyer_id"
            AND "t69"."day" = "t56"."day"
        ) AS "t70"
        WHERE
          "t70"."view_utc" <= "t70"."last_paid"
      ) AS "t71"
      GROUP BY
        1,
        2
    ) AS "t73"
      ON "t65"."host_id" = "t73"."host_id" AND "t65"."day" = "t73"."day"
  ) AS "t74"
  WHERE
    "t74"."day" BETWEEN MAKE_DATE(2026, 10, 27) AND MAKE_DATE(2026, 11, 25)
), "t82" AS (
  SELECT
    "t81"."host_id",
    "t81"."snapshot_date",
    "t81"."category_line",
    "t81"."enterprise_member",
    "t81"."risk_assessment_passed",
    "t81"."major_tax_violation",
    "t81"."prohibited_goods_violation",
    "t81"."compliance_violation",
    "t81"."severe_infringement_penalty",
    "t81"."business_status_abnormal",
    "t81"."dishonest_record",
    "t81"."competitiveness_passed",
    "t81"."category",
    "t81"."trade_medal",
    "t81"."bsr_description",
    "t81"."bsr_shipping",
    "t81"."fans",
    "t81"."live_sessions_30d",
    "t81"."live_buyers_30d",
    "t81"."cross_day_sessions_30d",
    CASE
      WHEN TRUE
      AND COALESCE("t81"."enterprise_member" = TRUE, FALSE)
      AND COALESCE("t81"."risk_assessment_passed" = TRUE, FALSE)
      AND COALESCE("t81"."major_tax_violation" = FALSE, FALSE)
      AND COALESCE("t81"."prohibited_goods_violation" = FALSE, FALSE)
      AND COALESCE("t81"."compliance_violation" = FALSE, FALSE)
      AND COALESCE("t81"."severe_infringement_penalty" = FALSE, FALSE)
      AND COALESCE("t81"."business_status_abnormal" = FALSE, FALSE)
      AND COALESCE("t81"."dishonest_record" = FALSE, FALSE)
      AND COALESCE("t81"."competitiveness_passed" = TRUE, FALSE)
      AND COALESCE(
        NOT (
          "t81"."category" IN ('adult_health', 'pharmaceutical', 'health_care', 'e_cigarette')
        ),
        FALSE
      )
      AND (
        TRUE
        AND COALESCE("t81"."trade_medal" >= 3, FALSE)
        AND COALESCE("t81"."bsr_description" >= 4.7, FALSE)
        AND COALESCE("t81"."bsr_shipping" >= 4.3, FALSE)
        AND COALESCE("t81"."fans" >= 500, FALSE)
        AND COALESCE("t81"."live_sessions_30d" >= 15, FALSE)
        AND COALESCE("t81"."live_buyers_30d" >= 300, FALSE)
      )
      THEN 'honor'
      WHEN TRUE
      AND COALESCE("t81"."enterprise_member" = TRUE, FALSE)
      AND COALESCE("t81"."risk_assessment_passed" = TRUE, FALSE)
      AND COALESCE("t81"."major_tax_violation" = FALSE, FALSE)
      AND COALESCE("t81"."prohibited_goods_violation" = FALSE, FALSE)
      AND COALESCE("t81"."compliance_violation" = FALSE, FALSE)
      AND COALESCE("t81"."severe_infringement_penalty" = FALSE, FALSE)
      AND COALESCE("t81"."business_status_abnormal" = FALSE, FALSE)
      AND COALESCE("t81"."dishonest_record" = FALSE, FALSE)
      AND COALESCE("t81"."competitiveness_passed" = TRUE, FALSE)
      AND COALESCE(
        NOT (
          "t81"."category" IN ('adult_health', 'pharmaceutical', 'health_care', 'e_cigarette')
        ),
        FALSE
      )
      AND (
        TRUE
        AND COALESCE("t81"."trade_medal" >= 2, FALSE)
        AND COALESCE("t81"."bsr_description" >= 4.6, FALSE)
        AND COALESCE("t81"."bsr_shipping" >= 4.3, FALSE)
        AND (
          FALSE
          OR COALESCE("t81"."live_sessions_30d" >= 5, FALSE)
          OR COALESCE("t81"."live_buyers_30d" >= 50, FALSE)
        )
      )
      THEN 'expert'
      WHEN TRUE
      AND COALESCE("t81"."enterprise_member" = TRUE, FALSE)
      AND COALESCE("t81"."risk_assessment_passed" = TRUE, FALSE)
      AND COALESCE("t81"."major_tax_violation" = FALSE, FALSE)
      AND COALESCE("t81"."prohibited_goods_violation" = FALSE, FALSE)
      AND COALESCE("t81"."compliance_violation" = FALSE, FALSE)
      AND COALESCE("t81"."severe_infringement_penalty" = FALSE, FALSE)
      AND COALESCE("t81"."business_status_abnormal" = FALSE, FALSE)
      AND COALESCE("t81"."dishonest_record" = FALSE, FALSE)
      AND COALESCE("t81"."competitiveness_passed" = TRUE, FALSE)
      AND COALESCE(
        NOT (
          "t81"."category" IN ('adult_health', 'pharmaceutical', 'health_care', 'e_cigarette')
        ),
        FALSE
      )
      AND TRUE
      THEN 'ordinary'
      ELSE 'none'
    END AS "tier",
    COALESCE("t81"."enterprise_member" = TRUE, FALSE) AS "met__basic_0",
    CASE WHEN COALESCE("t81"."enterprise_member" = TRUE, FALSE) THEN 1.0 ELSE 0.0 END AS "progress__basic_0",
    COALESCE("t81"."risk_assessment_passed" = TRUE, FALSE) AS "met__basic_1",
    CASE
      WHEN COALESCE("t81"."risk_assessment_passed" = TRUE, FALSE)
      THEN 1.0
      ELSE 0.0
    END AS "progress__basic_1",
    COALESCE("t81"."major_tax_violation" = FALSE, FALSE) AS "met__basic_2",
    CASE WHEN COALESCE("t81"."major_tax_violation" = FALSE, FALSE) THEN 1.0 ELSE 0.0 END AS "progress__basic_2",
    COALESCE("t81"."prohibited_goods_violation" = FALSE, FALSE) AS "met__basic_3",
    CASE
      WHEN COALESCE("t81"."prohibited_goods_violation" = FALSE, FALSE)
      THEN 1.0
      ELSE 0.0
    END AS "progress__basic_3",
    COALESCE("t81"."compliance_violation" = FALSE, FALSE) AS "met__basic_4",
    CASE
      WHEN COALESCE("t81"."compliance_violation" = FALSE, FALSE)
      THEN 1.0
      ELSE 0.0
    END AS "progress__basic_4",
    COALESCE("t81"."severe_infringement_penalty" = FALSE, FALSE) AS "met__basic_5",
    CASE
      WHEN COALESCE("t81"."severe_infringement_penalty" = FALSE, FALSE)
      THEN 1.0
      ELSE 0.0
    END AS "progress__basic_5",
    COALESCE("t81"."business_status_abnormal" = FALSE, FALSE) AS "met__basic_6",
    CASE
      WHEN COALESCE("t81"."business_status_abnormal" = FALSE, FALSE)
      THEN 1.0
      ELSE 0.0
    END AS "progress__basic_6",
    COALESCE("t81"."dishonest_record" = FALSE, FALSE) AS "met__basic_7",
    CASE WHEN COALESCE("t81"."dishonest_record" = FALSE, FALSE) THEN 1.0 ELSE 0.0 END AS "progress__basic_7",
    COALESCE("t81"."competitiveness_passed" = TRUE, FALSE) AS "met__basic_8",
    CASE
      WHEN COALESCE("t81"."competitiveness_passed" = TRUE, FALSE)
      THEN 1.0
      ELSE 0.0
    END AS "progress__basic_8",
    COALESCE(
      NOT (
        "t81"."category" IN ('adult_health', 'pharmaceutical', 'health_care', 'e_cigarette')
      ),
      FALSE
    ) AS "met__basic_9",
    CASE
      WHEN COALESCE(
        NOT (
          "t81"."category" IN ('adult_health', 'pharmaceutical', 'health_care', 'e_cigarette')
        ),
        FALSE
      )
      THEN 1.0
      ELSE 0.0
    END AS "progress__basic_9",
    TRUE
    AND COALESCE("t81"."enterprise_member" = TRUE, FALSE)
    AND COALESCE("t81"."risk_assessment_passed" = TRUE, FALSE)
    AND COALESCE("t81"."major_tax_violation" = FALSE, FALSE)
    AND COALESCE("t81"."prohibited_goods_violation" = FALSE, FALSE)
    AND COALESCE("t81"."compliance_violation" = FALSE, FALSE)
    AND COALESCE("t81"."severe_infringement_penalty" = FALSE, FALSE)
    AND COALESCE("t81"."business_status_abnormal" = FALSE, FALSE)
    AND COALESCE("t81"."dishonest_record" = FALSE, FALSE)
    AND COALESCE("t81"."competitiveness_passed" = TRUE, FALSE)
    AND COALESCE(
      NOT (
        "t81"."category" IN ('adult_health', 'pharmaceutical', 'health_care', 'e_cigarette')
      ),
      FALSE
    ) AS "met__basic",
    (
      0.0 + CASE WHEN COALESCE("t81"."enterprise_member" = TRUE, FALSE) THEN 1.0 ELSE 0.0 END + CASE
        WHEN COALESCE("t81"."risk_assessment_passed" = TRUE, FALSE)
        THEN 1.0
        ELSE 0.0
      END + CASE WHEN COALESCE("t81"."major_tax_violation" = FALSE, FALSE) THEN 1.0 ELSE 0.0 END + CASE
        WHEN COALESCE("t81"."prohibited_goods_violation" = FALSE, FALSE)
        THEN 1.0
        ELSE 0.0
      END + CASE
        WHEN COALESCE("t81"."compliance_violation" = FALSE, FALSE)
        THEN 1.0
        ELSE 0.0
      END + CASE
        WHEN COALESCE("t81"."severe_infringement_penalty" = FALSE, FALSE)
        THEN 1.0
        ELSE 0.0
      END + CASE
        WHEN COALESCE("t81"."business_status_abnormal" = FALSE, FALSE)
        THEN 1.0
        ELSE 0.0
      END + CASE WHEN COALESCE("t81"."dishonest_record" = FALSE, FALSE) THEN 1.0 ELSE 0.0 END + CASE
        WHEN COALESCE("t81"."competitiveness_passed" = TRUE, FALSE)
        THEN 1.0
        ELSE 0.0
      END + CASE
        WHEN COALESCE(
          NOT (
            "t81"."category" IN ('adult_health', 'pharmaceutical', 'health_care', 'e_cigarette')
          ),
          FALSE
        )
        THEN 1.0
        ELSE 0.0
      END
    ) / 10 AS "progress__basic",
    TRUE AS "met__ordinary",
    1.0 AS "progress__ordinary",
    COALESCE("t81"."trade_medal" >= 2, FALSE) AS "met__expert_0",
    CASE
      WHEN COALESCE("t81"."trade_medal" >= 2, FALSE)
      THEN 1.0
      ELSE GREATEST(LEAST(COALESCE(CAST("t81"."trade_medal" AS DOUBLE) / 2.0, 0.0), 1.0), 0.0)
    END AS "progress__expert_0",
    COALESCE("t81"."bsr_description" >= 4.6, FALSE) AS "met__expert_1",
    CASE
      WHEN COALESCE("t81"."bsr_description" >= 4.6, FALSE)
      THEN 1.0
      ELSE GREATEST(LEAST(COALESCE("t81"."bsr_description" / 4.6, 0.0), 1.0), 0.0)
    END AS "progress__expert_1",
    COALESCE("t81"."bsr_shipping" >= 4.3, FALSE) AS "met__expert_2",
    CASE
      WHEN COALESCE("t81"."bsr_shipping" >= 4.3, FALSE)
      THEN 1.0
      ELSE GREATEST(LEAST(COALESCE("t81"."bsr_shipping" / 4.3, 0.0), 1.0), 0.0)
    END AS "progress__expert_2",
    COALESCE("t81"."live_sessions_30d" >= 5, FALSE) AS "met__expert_3_0",
    CASE
      WHEN COALESCE("t81"."live_sessions_30d" >= 5, FALSE)
      THEN 1.0
      ELSE GREATEST(LEAST(COALESCE(CAST("t81"."live_sessions_30d" AS DOUBLE) / 5.0, 0.0), 1.0), 0.0)
    END AS "progress__expert_3_0",
    COALESCE("t81"."live_buyers_30d" >= 50, FALSE) AS "met__expert_3_1",
    CASE
      WHEN COALESCE("t81"."live_buyers_30d" >= 50, FALSE)
      THEN 1.0
      ELSE GREATEST(LEAST(COALESCE(CAST("t81"."live_buyers_30d" AS DOUBLE) / 50.0, 0.0), 1.0), 0.0)
    END AS "progress__expert_3_1",
    CASE
      WHEN CASE
        WHEN COALESCE("t81"."live_sessions_30d" >= 5, FALSE)
        THEN 1.0
        ELSE GREATEST(LEAST(COALESCE(CAST("t81"."live_sessions_30d" AS DOUBLE) / 5.0, 0.0), 1.0), 0.0)
      END = GREATEST(
        CASE
          WHEN COALESCE("t81"."live_sessions_30d" >= 5, FALSE)
          THEN 1.0
          ELSE GREATEST(LEAST(COALESCE(CAST("t81"."live_sessions_30d" AS DOUBLE) / 5.0, 0.0), 1.0), 0.0)
        END,
        CASE
          WHEN COALESCE("t81"."live_buyers_30d" >= 50, FALSE)
          THEN 1.0
          ELSE GREATEST(LEAST(COALESCE(CAST("t81"."live_buyers_30d" AS DOUBLE) / 50.0, 0.0), 1.0), 0.0)
        END
      )
      THEN 0
      WHEN CASE
        WHEN COALESCE("t81"."live_buyers_30d" >= 50, FALSE)
        THEN 1.0
        ELSE GREATEST(LEAST(COALESCE(CAST("t81"."live_buyers_30d" AS DOUBLE) / 50.0, 0.0), 1.0), 0.0)
      END = GREATEST(
        CASE
          WHEN COALESCE("t81"."live_sessions_30d" >= 5, FALSE)
          THEN 1.0
          ELSE GREATEST(LEAST(COALESCE(CAST("t81"."live_sessions_30d" AS DOUBLE) / 5.0, 0.0), 1.0), 0.0)
        END,
        CASE
          WHEN COALESCE("t81"."live_buyers_30d" >= 50, FALSE)
          THEN 1.0
          ELSE GREATEST(LEAST(COALESCE(CAST("t81"."live_buyers_30d" AS DOUBLE) / 50.0, 0.0), 1.0), 0.0)
        END
      )
      THEN 1
      ELSE 0
    END AS "closest__expert_3",
    FALSE
    OR COALESCE("t81"."live_sessions_30d" >= 5, FALSE)
    OR COALESCE("t81"."live_buyers_30d" >= 50, FALSE) AS "met__expert_3",
    GREATEST(
      CASE
        WHEN COALESCE("t81"."live_sessions_30d" >= 5, FALSE)
        THEN 1.0
        ELSE GREATEST(LEAST(COALESCE(CAST("t81"."live_sessions_30d" AS DOUBLE) / 5.0, 0.0), 1.0), 0.0)
      END,
      CASE
        WHEN COALESCE("t81"."live_buyers_30d" >= 50, FALSE)
        THEN 1.0
        ELSE GREATEST(LEAST(COALESCE(CAST("t81"."live_buyers_30d" AS DOUBLE) / 50.0, 0.0), 1.0), 0.0)
      END
    ) AS "progress__expert_3",
    TRUE
    AND COALESCE("t81"."trade_medal" >= 2, FALSE)
    AND COALESCE("t81"."bsr_description" >= 4.6, FALSE)
    AND COALESCE("t81"."bsr_shipping" >= 4.3, FALSE)
    AND (
      FALSE
      OR COALESCE("t81"."live_sessions_30d" >= 5, FALSE)
      OR COALESCE("t81"."live_buyers_30d" >= 50, FALSE)
    ) AS "met__expert",
    (
      0.0 + CASE
        WHEN COALESCE("t81"."trade_medal" >= 2, FALSE)
        THEN 1.0
        ELSE GREATEST(LEAST(COALESCE(CAST("t81"."trade_medal" AS DOUBLE) / 2.0, 0.0), 1.0), 0.0)
      END + CASE
        WHEN COALESCE("t81"."bsr_description" >= 4.6, FALSE)
        THEN 1.0
        ELSE GREATEST(LEAST(COALESCE("t81"."bsr_description" / 4.6, 0.0), 1.0), 0.0)
      END + CASE
        WHEN COALESCE("t81"."bsr_shipping" >= 4.3, FALSE)
        THEN 1.0
        ELSE GREATEST(LEAST(COALESCE("t81"."bsr_shipping" / 4.3, 0.0), 1.0), 0.0)
      END + GREATEST(
        CASE
          WHEN COALESCE("t81"."live_sessions_30d" >= 5, FALSE)
          THEN 1.0
          ELSE GREATEST(LEAST(COALESCE(CAST("t81"."live_sessions_30d" AS DOUBLE) / 5.0, 0.0), 1.0), 0.0)
        END,
        CASE
          WHEN COALESCE("t81"."live_buyers_30d" >= 50, FALSE)
          THEN 1.0
          ELSE GREATEST(LEAST(COALESCE(CAST("t81"."live_buyers_30d" AS DOUBLE) / 50.0, 0.0), 1.0), 0.0)
        END
      )
    ) / 4 AS "progress__expert",
    COALESCE("t81"."trade_medal" >= 3, FALSE) AS "met__honor_0",
    CASE
      WHEN COALESCE("t81"."trade_medal" >= 3, FALSE)
      THEN 1.0
      ELSE GREATEST(LEAST(COALESCE(CAST("t81"."trade_medal" AS DOUBLE) / 3.0, 0.0), 1.0), 0.0)
    END AS "progress__honor_0",
    COALESCE("t81"."bsr_description" >= 4.7, FALSE) AS "met__honor_1",
    CASE
      WHEN COALESCE("t81"."bsr_description" >= 4.7, FALSE)
      THEN 1.0
      ELSE GREATEST(LEAST(COALESCE("t81"."bsr_description" / 4.7, 0.0), 1.0), 0.0)
    END AS "progress__honor_1",
    COALESCE("t81"."bsr_shipping" >= 4.3, FALSE) AS "met__honor_2",
    CASE
      WHEN COALESCE("t81"."bsr_shipping" >= 4.3, FALSE)
      THEN 1.0
      ELSE GREATEST(LEAST(COALESCE("t81"."bsr_shipping" / 4.3, 0.0), 1.0), 0.0)
    END AS "progress__honor_2",
    COALESCE("t81"."fans" >= 500, FALSE) AS "met__honor_3",
    CASE
      WHEN COALESCE("t81"."fans" >= 500, FALSE)
      THEN 1.0
      ELSE GREATEST(LEAST(COALESCE(CAST("t81"."fans" AS DOUBLE) / 500.0, 0.0), 1.0), 0.0)
    END AS "progress__honor_3",
    COALESCE("t81"."live_sessions_30d" >= 15, FALSE) AS "met__honor_4",
    CASE
      WHEN COALESCE("t81"."live_sessions_30d" >= 15, FALSE)
      THEN 1.0
      ELSE GREATEST(LEAST(COALESCE(CAST("t81"."live_sessions_30d" AS DOUBLE) / 15.0, 0.0), 1.0), 0.0)
    END AS "progress__honor_4",
    COALESCE("t81"."live_buyers_30d" >= 300, FALSE) AS "met__honor_5",
    CASE
      WHEN COALESCE("t81"."live_buyers_30d" >= 300, FALSE)
      THEN 1.0
      ELSE GREATEST(LEAST(COALESCE(CAST("t81"."live_buyers_30d" AS DOUBLE) / 300.0, 0.0), 1.0), 0.0)
    END AS "progress__honor_5",
    TRUE
    AND COALESCE("t81"."trade_medal" >= 3, FALSE)
    AND COALESCE("t81"."bsr_description" >= 4.7, FALSE)
    AND COALESCE("t81"."bsr_shipping" >= 4.3, FALSE)
    AND COALESCE("t81"."fans" >= 500, FALSE)
    AND COALESCE("t81"."live_sessions_30d" >= 15, FALSE)
    AND COALESCE("t81"."live_buyers_30d" >= 300, FALSE) AS "met__honor",
    (
      0.0 + CASE
        WHEN COALESCE("t81"."trade_medal" >= 3, FALSE)
        THEN 1.0
        ELSE GREATEST(LEAST(COALESCE(CAST("t81"."trade_medal" AS DOUBLE) / 3.0, 0.0), 1.0), 0.0)
      END + CASE
        WHEN COALESCE("t81"."bsr_description" >= 4.7, FALSE)
        THEN 1.0
        ELSE GREATEST(LEAST(COALESCE("t81"."bsr_description" / 4.7, 0.0), 1.0), 0.0)
      END + CASE
        WHEN COALESCE("t81"."bsr_shipping" >= 4.3, FALSE)
        THEN 1.0
        ELSE GREATEST(LEAST(COALESCE("t81"."bsr_shipping" / 4.3, 0.0), 1.0), 0.0)
      END + CASE
        WHEN COALESCE("t81"."fans" >= 500, FALSE)
        THEN 1.0
        ELSE GREATEST(LEAST(COALESCE(CAST("t81"."fans" AS DOUBLE) / 500.0, 0.0), 1.0), 0.0)
      END + CASE
        WHEN COALESCE("t81"."live_sessions_30d" >= 15, FALSE)
        THEN 1.0
        ELSE GREATEST(LEAST(COALESCE(CAST("t81"."live_sessions_30d" AS DOUBLE) / 15.0, 0.0), 1.0), 0.0)
      END + CASE
        WHEN COALESCE("t81"."live_buyers_30d" >= 300, FALSE)
        THEN 1.0
        ELSE GREATEST(LEAST(COALESCE(CAST("t81"."live_buyers_30d" AS DOUBLE) / 300.0, 0.0), 1.0), 0.0)
      END
    ) / 6 AS "progress__honor"
  FROM (
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
      CASE WHEN ISNAN("t80"."bsr_description") THEN NULL ELSE "t80"."bsr_description" END AS "bsr_description",
      CASE WHEN ISNAN("t80"."bsr_shipping") THEN NULL ELSE "t80"."bsr_shipping" END AS "bsr_shipping",
      "t80"."fans",
      COALESCE("t80"."live_sessions_30d", 0) AS "live_sessions_30d",
      COALESCE("t80"."live_buyers_30d", 0) AS "live_buyers_30d",
      COALESCE("t80"."cross_day_sessions_30d", 0) AS "cross_day_sessions_30d"
    FROM (
      SELECT
        "t43"."host_id",
        "t43"."snapshot_date",
        "t43"."category_line",
        "t43"."enterprise_member",
        "t43"."risk_assessment_passed",
        "t43"."major_tax_violation",
        "t43"."prohibited_goods_violation",
        "t43"."compliance_violation",
        "t43"."severe_infringement_penalty",
        "t43"."business_status_abnormal",
        "t43"."dishonest_record",
        "t43"."competitiveness_passed",
        "t43"."category",
        "t43"."trade_medal",
        "t43"."bsr_description",
        "t43"."bsr_shipping",
        "t43"."fans",
        "t79"."live_sessions_30d",
        "t79"."live_buyers_30d",
        "t79"."cross_day_sessions_30d"
      FROM (
        SELECT
          "t39"."host_id",
          "t39"."snapshot_date",
          "t39"."category_line",
          "t39"."enterprise_member",
          "t39"."risk_assessment_passed",
          "t39"."major_tax_violation",
          "t39"."prohibited_goods_violation",
          "t39"."compliance_violation",
          "t39"."severe_infringement_penalty",
          "t39"."business_status_abnormal",
          "t39"."dishonest_record",
          "t39"."competitiveness_passed",
          "t39"."category",
          "t39"."trade_medal",
          "t39"."bsr_description",
          "t39"."bsr_shipping",
          "t39"."fans"
        FROM (
          SELECT
            "t31"."host_id",
            "t31"."snapshot_date",
            "t31"."category_line",
            "t31"."enterprise_member",
            "t31"."risk_assessment_passed",
            "t31"."major_tax_violation",
            "t31"."prohibited_goods_violation",
            "t31"."compliance_violation",
            "t31"."severe_infringement_penalty",
            "t31"."business_status_abnormal",
            "t31"."dishonest_record",
            "t31"."competitiveness_passed",
            "t31"."category",
            "t31"."trade_medal",
            "t31"."bsr_description",
            "t31"."bsr_shipping",
            "t31"."fans",
            "t31"."_copies",
            CASE
              WHEN COALESCE("t31"."host_id" IS NULL, FALSE)
              THEN 'missing_id'
              WHEN COALESCE("t31"."snapshot_date" IS NULL, FALSE)
              THEN 'missing_snapshot_date'
              WHEN COALESCE(
                NOT (
                  "t31"."category_line" IN ('consumer', 'industrial')
                )
                OR (
                  "t31"."category_line" IS NULL
                ),
                FALSE
              )
              THEN 'unknown_category_line'
              WHEN COALESCE(COALESCE("t31"."_conflict", FALSE), FALSE)
              THEN 'conflicting_duplicate'
              ELSE NULL
            END AS "_problem"
          FROM "t29" AS "t31"
        ) AS "t39"
        WHERE
          "t39"."_problem" IS NULL
      ) AS "t43"
      INNER JOIN (
        SELECT
          "t34"."host_id",
          MAX("t34"."snapshot_date") AS "snapshot_date"
        FROM (
          SELECT DISTINCT
            "t31"."host_id",
            "t31"."snapshot_date"
          FROM "t29" AS "t31"
          WHERE
            "t31"."host_id" IS NOT NULL
            AND "t31"."snapshot_date" IS NOT NULL
            AND "t31"."snapshot_date" <= MAKE_DATE(2026, 11, 25)
        ) AS "t34"
        GROUP BY
          1
      ) AS "t38"
        ON "t43"."host_id" = "t38"."host_id"
        AND "t43"."snapshot_date" = "t38"."snapshot_date"
      LEFT OUTER JOIN (
        SELECT
          "t76"."host_id",
          SUM("t76"."valid_sessions") AS "live_sessions_30d",
          SUM("t76"."live_buyers") AS "live_buyers_30d",
          SUM("t76"."cross_day_sessions") AS "cross_day_sessions_30d"
        FROM "t75" AS "t76"
        GROUP BY
          1
      ) AS "t79"
        ON "t43"."host_id" = "t79"."host_id"
    ) AS "t80"
    WHERE
      "t80"."category_line" = 'consumer'
  ) AS "t81"
)
SELECT
  "t99"."host_id",
  DATE_DIFF('DAY', MAKE_DATE(2026, 11, 26), "t99"."lost_day") + 30 AS "holds_days"
FROM (
  SELECT
    "t85"."host_id",
    "t98"."lost_day"
  FROM (
    SELECT
      "t83"."host_id"
    FROM "t82" AS "t83"
    WHERE
      "t83"."tier" <> 'none'
  ) AS "t85"
  LEFT OUTER JOIN (
    SELECT
      "t96"."host_id",
      MIN("t96"."day") AS "lost_day"
    FROM (
      SELECT
        "t95"."host_id",
        "t95"."snapshot_date",
        "t95"."category_line",
        "t95"."enterprise_member",
        "t95"."risk_assessment_passed",
        "t95"."major_tax_violation",
        "t95"."prohibited_goods_violation",
        "t95"."compliance_violation",
        "t95"."severe_infringement_penalty",
        "t95"."business_status_abnormal",
        "t95"."dishonest_record",
        "t95"."competitiveness_passed",
        "t95"."category",
        "t95"."trade_medal",
        CASE WHEN ISNAN("t95"."bsr_description") THEN NULL ELSE "t95"."bsr_description" END AS "bsr_description",
        CASE WHEN ISNAN("t95"."bsr_shipping") THEN NULL ELSE "t95"."bsr_shipping" END AS "bsr_shipping",
        "t95"."fans",
        "t95"."live_sessions_30d" - "t95"."_gone_valid_sessions" AS "live_sessions_30d",
        "t95"."live_buyers_30d" - "t95"."_gone_live_buyers" AS "live_buyers_30d",
        "t95"."cross_day_sessions_30d" - "t95"."_gone_cross_day_sessions" AS "cross_day_sessions_30d",
        "t95"."tier",
        "t95"."met__basic_0",
        "t95"."progress__basic_0",
        "t95"."met__basic_1",
        "t95"."progress__basic_1",
        "t95"."met__basic_2",
        "t95"."progress__basic_2",
        "t95"."met__basic_3",
        "t95"."progress__basic_3",
        "t95"."met__basic_4",
        "t95"."progress__basic_4",
        "t95"."met__basic_5",
        "t95"."progress__basic_5",
        "t95"."met__basic_6",
        "t95"."progress__basic_6",
        "t95"."met__basic_7",
        "t95"."progress__basic_7",
        "t95"."met__basic_8",
        "t95"."progress__basic_8",
        "t95"."met__basic_9",
        "t95"."progress__basic_9",
        "t95"."met__basic",
        "t95"."progress__basic",
        "t95"."met__ordinary",
        "t95"."progress__ordinary",
        "t95"."met__expert_0",
        "t95"."progress__expert_0",
        "t95"."met__expert_1",
        "t95"."progress__expert_1",
        "t95"."met__expert_2",
        "t95"."progress__expert_2",
        "t95"."met__expert_3_0",
        "t95"."progress__expert_3_0",
        "t95"."met__expert_3_1",
        "t95"."progress__expert_3_1",
        "t95"."closest__expert_3",
        "t95"."met__expert_3",
        "t95"."progress__expert_3",
        "t95"."met__expert",
        "t95"."progress__expert",
        "t95"."met__honor_0",
        "t95"."progress__honor_0",
        "t95"."met__honor_1",
        "t95"."progress__honor_1",
        "t95"."met__honor_2",
        "t95"."progress__honor_2",
        "t95"."met__honor_3",
        "t95"."progress__honor_3",
        "t95"."met__honor_4",
        "t95"."progress__honor_4",
        "t95"."met__honor_5",
        "t95"."progress__honor_5",
        "t95"."met__honor",
        "t95"."progress__honor",
        "t95"."_rank_now",
        "t95"."fixed__basic",
        "t95"."fixed__ordinary",
        "t95"."fixed__expert_0",
        "t95"."fixed__expert_1",
        "t95"."fixed__expert_2",
        "t95"."fixed__honor_0",
        "t95"."fixed__honor_1",
        "t95"."fixed__honor_2",
        "t95"."fixed__honor_3",
        "t95"."day",
        "t95"."_gone_valid_sessions",
        "t95"."_gone_live_buyers",
        "t95"."_gone_cross_day_sessions",
        CASE
          WHEN "t95"."fixed__basic"
          AND (
            "t95"."fixed__honor_0"
            AND "t95"."fixed__honor_1"
            AND "t95"."fixed__honor_2"
            AND "t95"."fixed__honor_3"
            AND COALESCE((
              "t95"."live_sessions_30d" - "t95"."_gone_valid_sessions"
            ) >= 15, FALSE)
            AND COALESCE((
              "t95"."live_buyers_30d" - "t95"."_gone_live_buyers"
            ) >= 300, FALSE)
          )
          THEN 3
          WHEN "t95"."fixed__basic"
          AND (
            "t95"."fixed__expert_0"
            AND "t95"."fixed__expert_1"
            AND "t95"."fixed__expert_2"
            AND (
              COALESCE((
                "t95"."live_sessions_30d" - "t95"."_gone_valid_sessions"
              ) >= 5, FALSE)
              OR COALESCE((
                "t95"."live_buyers_30d" - "t95"."_gone_live_buyers"
              ) >= 50, FALSE)
            )
          )
          THEN 2
          WHEN "t95"."fixed__basic" AND "t95"."fixed__ordinary"
          THEN 1
          ELSE 0
        END AS "_rank"
      FROM (
        SELECT
          "t88"."host_id",
          "t88"."snapshot_date",
          "t88"."category_line",
          "t88"."enterprise_member",
          "t88"."risk_assessment_passed",
          "t88"."major_tax_violation",
          "t88"."prohibited_goods_violation",
          "t88"."compliance_violation",
          "t88"."severe_infringement_penalty",
          "t88"."business_status_abnormal",
          "t88"."dishonest_record",
          "t88"."competitiveness_passed",
          "t88"."category",
          "t88"."trade_medal",
          "t88"."bsr_description",
          "t88"."bsr_shipping",
          "t88"."fans",
          "t88"."live_sessions_30d",
          "t88"."live_buyers_30d",
          "t88"."cross_day_sessions_30d",
          "t88"."tier",
          "t88"."met__basic_0",
          "t88"."progress__basic_0",
          "t88"."met__basic_1",
          "t88"."progress__basic_1",
          "t88"."met__basic_2",
          "t88"."progress__basic_2",
          "t88"."met__basic_3",
          "t88"."progress__basic_3",
          "t88"."met__basic_4",
          "t88"."progress__basic_4",
          "t88"."met__basic_5",
          "t88"."progress__basic_5",
          "t88"."met__basic_6",
          "t88"."progress__basic_6",
          "t88"."met__basic_7",
          "t88"."progress__basic_7",
          "t88"."met__basic_8",
          "t88"."progress__basic_8",
          "t88"."met__basic_9",
          "t88"."progress__basic_9",
          "t88"."met__basic",
          "t88"."progress__basic",
          "t88"."met__ordinary",
          "t88"."progress__ordinary",
          "t88"."met__expert_0",
          "t88"."progress__expert_0",
          "t88"."met__expert_1",
          "t88"."progress__expert_1",
          "t88"."met__expert_2",
          "t88"."progress__expert_2",
          "t88"."met__expert_3_0",
          "t88"."progress__expert_3_0",
          "t88"."met__expert_3_1",
          "t88"."progress__expert_3_1",
          "t88"."closest__expert_3",
          "t88"."met__expert_3",
          "t88"."progress__expert_3",
          "t88"."met__expert",
          "t88"."progress__expert",
          "t88"."met__honor_0",
          "t88"."progress__honor_0",
          "t88"."met__honor_1",
          "t88"."progress__honor_1",
          "t88"."met__honor_2",
          "t88"."progress__honor_2",
          "t88"."met__honor_3",
          "t88"."progress__honor_3",
          "t88"."met__honor_4",
          "t88"."progress__honor_4",
          "t88"."met__honor_5",
          "t88"."progress__honor_5",
          "t88"."met__honor",
          "t88"."progress__honor",
          "t88"."_rank_now",
          "t88"."fixed__basic",
          "t88"."fixed__ordinary",
          "t88"."fixed__expert_0",
          "t88"."fixed__expert_1",
          "t88"."fixed__expert_2",
          "t88"."fixed__honor_0",
          "t88"."fixed__honor_1",
          "t88"."fixed__honor_2",
          "t88"."fixed__honor_3",
          "t94"."day",
          "t94"."_gone_valid_sessions",
          "t94"."_gone_live_buyers",
          "t94"."_gone_cross_day_sessions"
        FROM (
          SELECT
            "t83"."host_id",
            "t83"."snapshot_date",
            "t83"."category_line",
            "t83"."enterprise_member",
            "t83"."risk_assessment_passed",
            "t83"."major_tax_violation",
            "t83"."prohibited_goods_violation",
            "t83"."compliance_violation",
            "t83"."severe_infringement_penalty",
            "t83"."business_status_abnormal",
            "t83"."dishonest_record",
            "t83"."competitiveness_passed",
            "t83"."category",
            "t83"."trade_medal",
            "t83"."bsr_description",
            "t83"."bsr_shipping",
            "t83"."fans",
            "t83"."live_sessions_30d",
            "t83"."live_buyers_30d",
            "t83"."cross_day_sessions_30d",
            "t83"."tier",
            "t83"."met__basic_0",
            "t83"."progress__basic_0",
            "t83"."met__basic_1",
            "t83"."progress__basic_1",
            "t83"."met__basic_2",
            "t83"."progress__basic_2",
            "t83"."met__basic_3",
            "t83"."progress__basic_3",
            "t83"."met__basic_4",
            "t83"."progress__basic_4",
            "t83"."met__basic_5",
            "t83"."progress__basic_5",
            "t83"."met__basic_6",
            "t83"."progress__basic_6",
            "t83"."met__basic_7",
            "t83"."progress__basic_7",
            "t83"."met__basic_8",
            "t83"."progress__basic_8",
            "t83"."met__basic_9",
            "t83"."progress__basic_9",
            "t83"."met__basic",
            "t83"."progress__basic",
            "t83"."met__ordinary",
            "t83"."progress__ordinary",
            "t83"."met__expert_0",
            "t83"."progress__expert_0",
            "t83"."met__expert_1",
            "t83"."progress__expert_1",
            "t83"."met__expert_2",
            "t83"."progress__expert_2",
            "t83"."met__expert_3_0",
            "t83"."progress__expert_3_0",
            "t83"."met__expert_3_1",
            "t83"."progress__expert_3_1",
            "t83"."closest__expert_3",
            "t83"."met__expert_3",
            "t83"."progress__expert_3",
            "t83"."met__expert",
            "t83"."progress__expert",
            "t83"."met__honor_0",
            "t83"."progress__honor_0",
            "t83"."met__honor_1",
            "t83"."progress__honor_1",
            "t83"."met__honor_2",
            "t83"."progress__honor_2",
            "t83"."met__honor_3",
            "t83"."progress__honor_3",
            "t83"."met__honor_4",
            "t83"."progress__honor_4",
            "t83"."met__honor_5",
            "t83"."progress__honor_5",
            "t83"."met__honor",
            "t83"."progress__honor",
            CASE
              WHEN "t83"."tier" = 'none'
              THEN 0
              WHEN "t83"."tier" = 'ordinary'
              THEN 1
              WHEN "t83"."tier" = 'expert'
              THEN 2
              WHEN "t83"."tier" = 'honor'
              THEN 3
              ELSE 0
            END AS "_rank_now",
            COALESCE("t83"."enterprise_member" = TRUE, FALSE)
            AND COALESCE("t83"."risk_assessment_passed" = TRUE, FALSE)
            AND COALESCE("t83"."major_tax_violation" = FALSE, FALSE)
            AND COALESCE("t83"."prohibited_goods_violation" = FALSE, FALSE)
            AND COALESCE("t83"."compliance_violation" = FALSE, FALSE)
            AND COALESCE("t83"."severe_infringement_penalty" = FALSE, FALSE)
            AND COALESCE("t83"."business_status_abnormal" = FALSE, FALSE)
            AND COALESCE("t83"."dishonest_record" = FALSE, FALSE)
            AND COALESCE("t83"."competitiveness_passed" = TRUE, FALSE)
            AND COALESCE(
              NOT (
                "t83"."category" IN ('adult_health', 'pharmaceutical', 'health_care', 'e_cigarette')
              ),
              FALSE
            ) AS "fixed__basic",
            TRUE AS "fixed__ordinary",
            COALESCE("t83"."trade_medal" >= 2, FALSE) AS "fixed__expert_0",
            COALESCE("t83"."bsr_description" >= 4.6, FALSE) AS "fixed__expert_1",
            COALESCE("t83"."bsr_shipping" >= 4.3, FALSE) AS "fixed__expert_2",
            COALESCE("t83"."trade_medal" >= 3, FALSE) AS "fixed__honor_0",
            COALESCE("t83"."bsr_description" >= 4.7, FALSE) AS "fixed__honor_1",
            COALESCE("t83"."bsr_shipping" >= 4.3, FALSE) AS "fixed__honor_2",
            COALESCE("t83"."fans" >= 500, FALSE) AS "fixed__honor_3"
          FROM "t82" AS "t83"
          WHERE
            "t83"."tier" <> 'none'
        ) AS "t88"
        SEMI JOIN (
          SELECT
            "t87"."host_id"
          FROM (
            SELECT
              "t83"."host_id",
              "t83"."snapshot_date",
              "t83"."category_line",
              "t83"."enterprise_member",
              "t83"."risk_assessment_passed",
              "t83"."major_tax_violation",
              "t83"."prohibited_goods_violation",
              "t83"."compliance_violation",
              "t83"."severe_infringement_penalty",
              "t83"."business_status_abnormal",
              "t83"."dishonest_record",
              "t83"."competitiveness_passed",
              "t83"."category",
              "t83"."trade_medal",
              CASE WHEN ISNAN("t83"."bsr_description") THEN NULL ELSE "t83"."bsr_description" END AS "bsr_description",
              CASE WHEN ISNAN("t83"."bsr_shipping") THEN NULL ELSE "t83"."bsr_shipping" END AS "bsr_shipping",
              "t83"."fans",
              0 AS "live_sessions_30d",
              0 AS "live_buyers_30d",
              0 AS "cross_day_sessions_30d",
              "t83"."tier",
              "t83"."met__basic_0",
              "t83"."progress__basic_0",
              "t83"."met__basic_1",
              "t83"."progress__basic_1",
              "t83"."met__basic_2",
              "t83"."progress__basic_2",
              "t83"."met__basic_3",
              "t83"."progress__basic_3",
              "t83"."met__basic_4",
              "t83"."progress__basic_4",
              "t83"."met__basic_5",
              "t83"."progress__basic_5",
              "t83"."met__basic_6",
              "t83"."progress__basic_6",
              "t83"."met__basic_7",
              "t83"."progress__basic_7",
              "t83"."met__basic_8",
              "t83"."progress__basic_8",
              "t83"."met__basic_9",
              "t83"."progress__basic_9",
              "t83"."met__basic",
              "t83"."progress__basic",
              "t83"."met__ordinary",
              "t83"."progress__ordinary",
              "t83"."met__expert_0",
              "t83"."progress__expert_0",
              "t83"."met__expert_1",
              "t83"."progress__expert_1",
              "t83"."met__expert_2",
              "t83"."progress__expert_2",
              "t83"."met__expert_3_0",
              "t83"."progress__expert_3_0",
              "t83"."met__expert_3_1",
              "t83"."progress__expert_3_1",
              "t83"."closest__expert_3",
              "t83"."met__expert_3",
              "t83"."progress__expert_3",
              "t83"."met__expert",
              "t83"."progress__expert",
              "t83"."met__honor_0",
              "t83"."progress__honor_0",
              "t83"."met__honor_1",
              "t83"."progress__honor_1",
              "t83"."met__honor_2",
              "t83"."progress__honor_2",
              "t83"."met__honor_3",
              "t83"."progress__honor_3",
              "t83"."met__honor_4",
              "t83"."progress__honor_4",
              "t83"."met__honor_5",
              "t83"."progress__honor_5",
              "t83"."met__honor",
              "t83"."progress__honor",
              CASE
                WHEN "t83"."tier" = 'none'
                THEN 0
                WHEN "t83"."tier" = 'ordinary'
                THEN 1
                WHEN "t83"."tier" = 'expert'
                THEN 2
                WHEN "t83"."tier" = 'honor'
                THEN 3
                ELSE 0
              END AS "_rank_now",
              COALESCE("t83"."enterprise_member" = TRUE, FALSE)
              AND COALESCE("t83"."risk_assessment_passed" = TRUE, FALSE)
              AND COALESCE("t83"."major_tax_violation" = FALSE, FALSE)
              AND COALESCE("t83"."prohibited_goods_violation" = FALSE, FALSE)
              AND COALESCE("t83"."compliance_violation" = FALSE, FALSE)
              AND COALESCE("t83"."severe_infringement_penalty" = FALSE, FALSE)
              AND COALESCE("t83"."business_status_abnormal" = FALSE, FALSE)
              AND COALESCE("t83"."dishonest_record" = FALSE, FALSE)
              AND COALESCE("t83"."competitiveness_passed" = TRUE, FALSE)
              AND COALESCE(
                NOT (
                  "t83"."category" IN ('adult_health', 'pharmaceutical', 'health_care', 'e_cigarette')
                ),
                FALSE
              ) AS "fixed__basic",
              TRUE AS "fixed__ordinary",
              COALESCE("t83"."trade_medal" >= 2, FALSE) AS "fixed__expert_0",
              COALESCE("t83"."bsr_description" >= 4.6, FALSE) AS "fixed__expert_1",
              COALESCE("t83"."bsr_shipping" >= 4.3, FALSE) AS "fixed__expert_2",
              COALESCE("t83"."trade_medal" >= 3, FALSE) AS "fixed__honor_0",
              COALESCE("t83"."bsr_description" >= 4.7, FALSE) AS "fixed__honor_1",
              COALESCE("t83"."bsr_shipping" >= 4.3, FALSE) AS "fixed__honor_2",
              COALESCE("t83"."fans" >= 500, FALSE) AS "fixed__honor_3"
            FROM "t82" AS "t83"
            WHERE
              "t83"."tier" <> 'none' AND "t83"."category_line" = 'consumer'
          ) AS "t87"
          WHERE
            CASE
              WHEN "t87"."fixed__basic"
              AND (
                "t87"."fixed__honor_0"
                AND "t87"."fixed__honor_1"
                AND "t87"."fixed__honor_2"
                AND "t87"."fixed__honor_3"
                AND COALESCE("t87"."live_sessions_30d" >= 15, FALSE)
                AND COALESCE("t87"."live_buyers_30d" >= 300, FALSE)
              )
              THEN 3
              WHEN "t87"."fixed__basic"
              AND (
                "t87"."fixed__expert_0"
                AND "t87"."fixed__expert_1"
                AND "t87"."fixed__expert_2"
                AND (
                  COALESCE("t87"."live_sessions_30d" >= 5, FALSE)
                  OR COALESCE("t87"."live_buyers_30d" >= 50, FALSE)
                )
              )
              THEN 2
              WHEN "t87"."fixed__basic" AND "t87"."fixed__ordinary"
              THEN 1
              ELSE 0
            END < "t87"."_rank_now"
        ) AS "t90"
          ON "t88"."host_id" = "t90"."host_id"
        INNER JOIN (
          SELECT
            "t77"."host_id",
            "t77"."day",
            SUM("t77"."valid_sessions") OVER (
              PARTITION BY "t77"."host_id"
              ORDER BY "t77"."day" ASC
              ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
            ) AS "_gone_valid_sessions",
            SUM("t77"."live_buyers") OVER (
              PARTITION BY "t77"."host_id"
              ORDER BY "t77"."day" ASC
              ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
            ) AS "_gone_live_buyers",
            SUM("t77"."cross_day_sessions") OVER (
              PARTITION BY "t77"."host_id"
              ORDER BY "t77"."day" ASC
              ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
            ) AS "_gone_cross_day_sessions"
          FROM "t75" AS "t77"
          SEMI JOIN (
            SELECT
              "t88"."host_id",
              "t88"."snapshot_date",
              "t88"."category_line",
              "t88"."enterprise_member",
              "t88"."risk_assessment_passed",
              "t88"."major_tax_violation",
              "t88"."prohibited_goods_violation",
              "t88"."compliance_violation",
              "t88"."severe_infringement_penalty",
              "t88"."business_status_abnormal",
              "t88"."dishonest_record",
              "t88"."competitiveness_passed",
              "t88"."category",
              "t88"."trade_medal",
              "t88"."bsr_description",
              "t88"."bsr_shipping",
              "t88"."fans",
              "t88"."live_sessions_30d",
              "t88"."live_buyers_30d",
              "t88"."cross_day_sessions_30d",
              "t88"."tier",
              "t88"."met__basic_0",
              "t88"."progress__basic_0",
              "t88"."met__basic_1",
              "t88"."progress__basic_1",
              "t88"."met__basic_2",
              "t88"."progress__basic_2",
              "t88"."met__basic_3",
              "t88"."progress__basic_3",
              "t88"."met__basic_4",
              "t88"."progress__basic_4",
              "t88"."met__basic_5",
              "t88"."progress__basic_5",
              "t88"."met__basic_6",
              "t88"."progress__basic_6",
              "t88"."met__basic_7",
              "t88"."progress__basic_7",
              "t88"."met__basic_8",
              "t88"."progress__basic_8",
              "t88"."met__basic_9",
              "t88"."progress__basic_9",
              "t88"."met__basic",
              "t88"."progress__basic",
              "t88"."met__ordinary",
              "t88"."progress__ordinary",
              "t88"."met__expert_0",
              "t88"."progress__expert_0",
              "t88"."met__expert_1",
              "t88"."progress__expert_1",
              "t88"."met__expert_2",
              "t88"."progress__expert_2",
              "t88"."met__expert_3_0",
              "t88"."progress__expert_3_0",
              "t88"."met__expert_3_1",
              "t88"."progress__expert_3_1",
              "t88"."closest__expert_3",
              "t88"."met__expert_3",
              "t88"."progress__expert_3",
              "t88"."met__expert",
              "t88"."progress__expert",
              "t88"."met__honor_0",
              "t88"."progress__honor_0",
              "t88"."met__honor_1",
              "t88"."progress__honor_1",
              "t88"."met__honor_2",
              "t88"."progress__honor_2",
              "t88"."met__honor_3",
              "t88"."progress__honor_3",
              "t88"."met__honor_4",
              "t88"."progress__honor_4",
              "t88"."met__honor_5",
              "t88"."progress__honor_5",
              "t88"."met__honor",
              "t88"."progress__honor",
              "t88"."_rank_now",
              "t88"."fixed__basic",
              "t88"."fixed__ordinary",
              "t88"."fixed__expert_0",
              "t88"."fixed__expert_1",
              "t88"."fixed__expert_2",
              "t88"."fixed__honor_0",
              "t88"."fixed__honor_1",
              "t88"."fixed__honor_2",
              "t88"."fixed__honor_3"
            FROM (
              SELECT
                "t83"."host_id",
                "t83"."snapshot_date",
                "t83"."category_line",
                "t83"."enterprise_member",
                "t83"."risk_assessment_passed",
                "t83"."major_tax_violation",
                "t83"."prohibited_goods_violation",
                "t83"."compliance_violation",
                "t83"."severe_infringement_penalty",
                "t83"."business_status_abnormal",
                "t83"."dishonest_record",
                "t83"."competitiveness_passed",
                "t83"."category",
                "t83"."trade_medal",
                "t83"."bsr_description",
                "t83"."bsr_shipping",
                "t83"."fans",
                "t83"."live_sessions_30d",
                "t83"."live_buyers_30d",
                "t83"."cross_day_sessions_30d",
                "t83"."tier",
                "t83"."met__basic_0",
                "t83"."progress__basic_0",
                "t83"."met__basic_1",
                "t83"."progress__basic_1",
                "t83"."met__basic_2",
                "t83"."progress__basic_2",
                "t83"."met__basic_3",
                "t83"."progress__basic_3",
                "t83"."met__basic_4",
                "t83"."progress__basic_4",
                "t83"."met__basic_5",
                "t83"."progress__basic_5",
                "t83"."met__basic_6",
                "t83"."progress__basic_6",
                "t83"."met__basic_7",
                "t83"."progress__basic_7",
                "t83"."met__basic_8",
                "t83"."progress__basic_8",
                "t83"."met__basic_9",
                "t83"."progress__basic_9",
                "t83"."met__basic",
                "t83"."progress__basic",
                "t83"."met__ordinary",
                "t83"."progress__ordinary",
                "t83"."met__expert_0",
                "t83"."progress__expert_0",
                "t83"."met__expert_1",
                "t83"."progress__expert_1",
                "t83"."met__expert_2",
                "t83"."progress__expert_2",
                "t83"."met__expert_3_0",
                "t83"."progress__expert_3_0",
                "t83"."met__expert_3_1",
                "t83"."progress__expert_3_1",
                "t83"."closest__expert_3",
                "t83"."met__expert_3",
                "t83"."progress__expert_3",
                "t83"."met__expert",
                "t83"."progress__expert",
                "t83"."met__honor_0",
                "t83"."progress__honor_0",
                "t83"."met__honor_1",
                "t83"."progress__honor_1",
                "t83"."met__honor_2",
                "t83"."progress__honor_2",
                "t83"."met__honor_3",
                "t83"."progress__honor_3",
                "t83"."met__honor_4",
                "t83"."progress__honor_4",
                "t83"."met__honor_5",
                "t83"."progress__honor_5",
                "t83"."met__honor",
                "t83"."progress__honor",
                CASE
                  WHEN "t83"."tier" = 'none'
                  THEN 0
                  WHEN "t83"."tier" = 'ordinary'
                  THEN 1
                  WHEN "t83"."tier" = 'expert'
                  THEN 2
                  WHEN "t83"."tier" = 'honor'
                  THEN 3
                  ELSE 0
                END AS "_rank_now",
                COALESCE("t83"."enterprise_member" = TRUE, FALSE)
                AND COALESCE("t83"."risk_assessment_passed" = TRUE, FALSE)
                AND COALESCE("t83"."major_tax_violation" = FALSE, FALSE)
                AND COALESCE("t83"."prohibited_goods_violation" = FALSE, FALSE)
                AND COALESCE("t83"."compliance_violation" = FALSE, FALSE)
                AND COALESCE("t83"."severe_infringement_penalty" = FALSE, FALSE)
                AND COALESCE("t83"."business_status_abnormal" = FALSE, FALSE)
                AND COALESCE("t83"."dishonest_record" = FALSE, FALSE)
                AND COALESCE("t83"."competitiveness_passed" = TRUE, FALSE)
                AND COALESCE(
                  NOT (
                    "t83"."category" IN ('adult_health', 'pharmaceutical', 'health_care', 'e_cigarette')
                  ),
                  FALSE
                ) AS "fixed__basic",
                TRUE AS "fixed__ordinary",
                COALESCE("t83"."trade_medal" >= 2, FALSE) AS "fixed__expert_0",
                COALESCE("t83"."bsr_description" >= 4.6, FALSE) AS "fixed__expert_1",
                COALESCE("t83"."bsr_shipping" >= 4.3, FALSE) AS "fixed__expert_2",
                COALESCE("t83"."trade_medal" >= 3, FALSE) AS "fixed__honor_0",
                COALESCE("t83"."bsr_description" >= 4.7, FALSE) AS "fixed__honor_1",
                COALESCE("t83"."bsr_shipping" >= 4.3, FALSE) AS "fixed__honor_2",
                COALESCE("t83"."fans" >= 500, FALSE) AS "fixed__honor_3"
              FROM "t82" AS "t83"
              WHERE
                "t83"."tier" <> 'none'
            ) AS "t88"
            SEMI JOIN (
              SELECT
                "t87"."host_id"
              FROM (
                SELECT
                  "t83"."host_id",
                  "t83"."snapshot_date",
                  "t83"."category_line",
                  "t83"."enterprise_member",
                  "t83"."risk_assessment_passed",
                  "t83"."major_tax_violation",
                  "t83"."prohibited_goods_violation",
                  "t83"."compliance_violation",
                  "t83"."severe_infringement_penalty",
                  "t83"."business_status_abnormal",
                  "t83"."dishonest_record",
                  "t83"."competitiveness_passed",
                  "t83"."category",
                  "t83"."trade_medal",
                  CASE WHEN ISNAN("t83"."bsr_description") THEN NULL ELSE "t83"."bsr_description" END AS "bsr_description",
                  CASE WHEN ISNAN("t83"."bsr_shipping") THEN NULL ELSE "t83"."bsr_shipping" END AS "bsr_shipping",
                  "t83"."fans",
                  0 AS "live_sessions_30d",
                  0 AS "live_buyers_30d",
                  0 AS "cross_day_sessions_30d",
                  "t83"."tier",
                  "t83"."met__basic_0",
                  "t83"."progress__basic_0",
                  "t83"."met__basic_1",
                  "t83"."progress__basic_1",
                  "t83"."met__basic_2",
                  "t83"."progress__basic_2",
                  "t83"."met__basic_3",
                  "t83"."progress__basic_3",
                  "t83"."met__basic_4",
                  "t83"."progress__basic_4",
                  "t83"."met__basic_5",
                  "t83"."progress__basic_5",
                  "t83"."met__basic_6",
                  "t83"."progress__basic_6",
                  "t83"."met__basic_7",
                  "t83"."progress__basic_7",
                  "t83"."met__basic_8",
                  "t83"."progress__basic_8",
                  "t83"."met__basic_9",
                  "t83"."progress__basic_9",
                  "t83"."met__basic",
                  "t83"."progress__basic",
                  "t83"."met__ordinary",
                  "t83"."progress__ordinary",
                  "t83"."met__expert_0",
                  "t83"."progress__expert_0",
                  "t83"."met__expert_1",
                  "t83"."progress__expert_1",
                  "t83"."met__expert_2",
                  "t83"."progress__expert_2",
                  "t83"."met__expert_3_0",
                  "t83"."progress__expert_3_0",
                  "t83"."met__expert_3_1",
                  "t83"."progress__expert_3_1",
                  "t83"."closest__expert_3",
                  "t83"."met__expert_3",
                  "t83"."progress__expert_3",
                  "t83"."met__expert",
                  "t83"."progress__expert",
                  "t83"."met__honor_0",
                  "t83"."progress__honor_0",
                  "t83"."met__honor_1",
                  "t83"."progress__honor_1",
                  "t83"."met__honor_2",
                  "t83"."progress__honor_2",
                  "t83"."met__honor_3",
                  "t83"."progress__honor_3",
                  "t83"."met__honor_4",
                  "t83"."progress__honor_4",
                  "t83"."met__honor_5",
                  "t83"."progress__honor_5",
                  "t83"."met__honor",
                  "t83"."progress__honor",
                  CASE
                    WHEN "t83"."tier" = 'none'
                    THEN 0
                    WHEN "t83"."tier" = 'ordinary'
                    THEN 1
                    WHEN "t83"."tier" = 'expert'
                    THEN 2
                    WHEN "t83"."tier" = 'honor'
                    THEN 3
                    ELSE 0
                  END AS "_rank_now",
                  COALESCE("t83"."enterprise_member" = TRUE, FALSE)
                  AND COALESCE("t83"."risk_assessment_passed" = TRUE, FALSE)
                  AND COALESCE("t83"."major_tax_violation" = FALSE, FALSE)
                  AND COALESCE("t83"."prohibited_goods_violation" = FALSE, FALSE)
                  AND COALESCE("t83"."compliance_violation" = FALSE, FALSE)
                  AND COALESCE("t83"."severe_infringement_penalty" = FALSE, FALSE)
                  AND COALESCE("t83"."business_status_abnormal" = FALSE, FALSE)
                  AND COALESCE("t83"."dishonest_record" = FALSE, FALSE)
                  AND COALESCE("t83"."competitiveness_passed" = TRUE, FALSE)
                  AND COALESCE(
                    NOT (
                      "t83"."category" IN ('adult_health', 'pharmaceutical', 'health_care', 'e_cigarette')
                    ),
                    FALSE
                  ) AS "fixed__basic",
                  TRUE AS "fixed__ordinary",
                  COALESCE("t83"."trade_medal" >= 2, FALSE) AS "fixed__expert_0",
                  COALESCE("t83"."bsr_description" >= 4.6, FALSE) AS "fixed__expert_1",
                  COALESCE("t83"."bsr_shipping" >= 4.3, FALSE) AS "fixed__expert_2",
                  COALESCE("t83"."trade_medal" >= 3, FALSE) AS "fixed__honor_0",
                  COALESCE("t83"."bsr_description" >= 4.7, FALSE) AS "fixed__honor_1",
                  COALESCE("t83"."bsr_shipping" >= 4.3, FALSE) AS "fixed__honor_2",
                  COALESCE("t83"."fans" >= 500, FALSE) AS "fixed__honor_3"
                FROM "t82" AS "t83"
                WHERE
                  "t83"."tier" <> 'none' AND "t83"."category_line" = 'consumer'
              ) AS "t87"
              WHERE
                CASE
                  WHEN "t87"."fixed__basic"
                  AND (
                    "t87"."fixed__honor_0"
                    AND "t87"."fixed__honor_1"
                    AND "t87"."fixed__honor_2"
                    AND "t87"."fixed__honor_3"
                    AND COALESCE("t87"."live_sessions_30d" >= 15, FALSE)
                    AND COALESCE("t87"."live_buyers_30d" >= 300, FALSE)
                  )
                  THEN 3
                  WHEN "t87"."fixed__basic"
                  AND (
                    "t87"."fixed__expert_0"
                    AND "t87"."fixed__expert_1"
                    AND "t87"."fixed__expert_2"
                    AND (
                      COALESCE("t87"."live_sessions_30d" >= 5, FALSE)
                      OR COALESCE("t87"."live_buyers_30d" >= 50, FALSE)
                    )
                  )
                  THEN 2
                  WHEN "t87"."fixed__basic" AND "t87"."fixed__ordinary"
                  THEN 1
                  ELSE 0
                END < "t87"."_rank_now"
            ) AS "t90"
              ON "t88"."host_id" = "t90"."host_id"
          ) AS "t92"
            ON "t77"."host_id" = "t92"."host_id"
        ) AS "t94"
          ON "t88"."host_id" = "t94"."host_id"
      ) AS "t95"
      WHERE
        "t95"."category_line" = 'consumer'
        AND CASE
          WHEN "t95"."fixed__basic"
          AND (
            "t95"."fixed__honor_0"
            AND "t95"."fixed__honor_1"
            AND "t95"."fixed__honor_2"
            AND "t95"."fixed__honor_3"
            AND COALESCE((
              "t95"."live_sessions_30d" - "t95"."_gone_valid_sessions"
            ) >= 15, FALSE)
            AND COALESCE((
              "t95"."live_buyers_30d" - "t95"."_gone_live_buyers"
            ) >= 300, FALSE)
          )
          THEN 3
          WHEN "t95"."fixed__basic"
          AND (
            "t95"."fixed__expert_0"
            AND "t95"."fixed__expert_1"
            AND "t95"."fixed__expert_2"
            AND (
              COALESCE((
                "t95"."live_sessions_30d" - "t95"."_gone_valid_sessions"
              ) >= 5, FALSE)
              OR COALESCE((
                "t95"."live_buyers_30d" - "t95"."_gone_live_buyers"
              ) >= 50, FALSE)
            )
          )
          THEN 2
          WHEN "t95"."fixed__basic" AND "t95"."fixed__ordinary"
          THEN 1
          ELSE 0
        END < "t95"."_rank_now"
    ) AS "t96"
    GROUP BY
      1
  ) AS "t98"
    ON "t85"."host_id" = "t98"."host_id"
) AS "t99"
