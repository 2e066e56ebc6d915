@gate
Feature: Stage gates over recorded UAT artifacts
  Each stage of the canary (10 → 25 → 50 → 100 %) is gated by replaying the recorded raw UAT
  artifacts of that stage through the release gate. Only first runs count; diagnostic reruns
  never do. GO names the next stage, NO-GO names the rollback action and opens one defect per
  failed check.

  Background:
    Given the agreed latency p95 SLA is 5000ms
    And the baseline correction rate is 12%

  Scenario Outline: Stage <stage> is GO and names the next stage
    When the stage <stage> gate replays "stages/stage<stage>_raw1.json", "stages/stage<stage>_raw2.json"
    Then the gate says GO
    And the failed checks are none
    And the next stage is "<next>"
    And the gate report is written as JSON and Markdown

    Examples:
      | stage | next                |
      | 10    | 25                  |
      | 25    | 50                  |
      | 50    | 100                 |
      | 100   | hold_100pct_monitor |

  Scenario: Diagnostic reruns and late first runs are not scored
    When the stage 10 gate replays "stages/stage10_raw1.json", "stages/stage10_raw2.json"
    Then the gate scored 32 first runs, ignored 2 diagnostic reruns and 1 superseded result
    And the checks read:
      | check            | status |
      | role_parity      | pass   |
      | output_shape     | pass   |
      | write_safety     | pass   |
      | latency_p95      | pass   |
      | correction_trend | pass   |

  Scenario Outline: A failed <check> check is NO-GO with a rollback and a defect
    When the stage <stage> gate replays <artifacts>
    Then the gate says NO-GO
    And the failed checks are <check>
    And the rollback action is "assistant_engine=v2"
    And one defect is opened per failed check
    And the gate report is written as JSON and Markdown

    Examples:
      | check            | stage | artifacts                                                                                    |
      | role_parity      | 25    | "stages/stage25_role_parity_raw1.json", "stages/stage25_role_parity_raw2.json"               |
      | role_parity      | 10    | "stages/stage10_both_roles_failed_raw1.json", "stages/stage10_raw2.json"                     |
      | write_safety     | 50    | "stages/stage50_write_safety_raw1.json", "stages/stage50_write_safety_raw2.json"             |
      | correction_trend | 100   | "stages/stage100_correction_trend_raw1.json", "stages/stage100_correction_trend_raw2.json"   |

  Scenario: A slow stage fails its latency SLA; without a baseline the correction trend is skipped
    Given no baseline correction rate is known
    When the stage 50 gate replays "stages/stage50_latency_breach_raw.json"
    Then the gate says NO-GO
    And the checks read:
      | check            | status  |
      | role_parity      | pass    |
      | latency_p95      | fail    |
      | correction_trend | skipped |

  Scenario: A looser SLA lets the same slow stage through
    Given the agreed latency p95 SLA is 7000ms
    When the stage 50 gate replays "stages/stage50_latency_breach_raw.json"
    Then the checks read:
      | check       | status |
      | latency_p95 | pass   |

  Scenario Outline: The earliest first run counts, whatever the file order; a later first run does not rescue it
    FIN-03 failed its first run as ai.reader at 10:03; the same case was queued again by hand as a
    "first" run at 12:40 and passed. Only the 10:03 run is scored, so the roles disagree.
    When the stage 25 gate replays <artifacts>
    Then the gate says NO-GO
    And the failed checks are role_parity
    And the gate scored 32 first runs, ignored 1 diagnostic rerun and 1 superseded result
    And case "FIN-03" as "ai.reader" was scored from its failed first run

    Examples:
      | order     | artifacts                                                                                      |
      | as run    | "stages/stage25_late_first_run_raw1.json", "stages/stage25_late_first_run_raw2.json"           |
      | reversed  | "stages/stage25_late_first_run_raw2.json", "stages/stage25_late_first_run_raw1.json"           |

  Scenario Outline: The latency SLA is inclusive: a p95 exactly at the SLA passes
    The slow stage's nearest-rank p95 is 6700 ms (the 30th of 31 first-run latencies).
    Given the agreed latency p95 SLA is <sla>
    When the stage 50 gate replays "stages/stage50_latency_breach_raw.json"
    Then the checks read:
      | check       | status   |
      | latency_p95 | <status> |

    Examples:
      | sla    | status |
      | 6700ms | pass   |
      | 6699ms | fail   |
