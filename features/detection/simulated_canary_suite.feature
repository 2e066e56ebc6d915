@detection
Feature: Simulated canary suite
  The regression detector compares v2 with v1 and rolls back on its own when v2 regresses:
  quality drop above 5 points, p95 latency above 1600 ms, or mean cost above 3 cents per run,
  judged once v2 has at least 30 runs. The metrics come from a fake metrics store holding exactly
  the numbers below; the detector, the rollback controller and the router are the real ones.

  Background:
    Given the router is in canary mode at 10%

  # --- healthy ---------------------------------------------------------------

  Scenario: A healthy canary is not rolled back
    Given the metrics store holds:
      | engine | quality | latency_ms | cost_cents | samples |
      | v1     | 95      | 800        | 1.0        | 100     |
      | v2     | 94      | 900        | 1.2        | 50      |
    When the regression detector evaluates
    Then the verdict is "pass" with action "none"
    And no check breached
    And no rollback happened
    And the router settings show kill switch off at 10%

  Scenario: v2 doing better than v1 is not a regression
    Given the metrics store holds:
      | engine | quality | latency_ms | cost_cents | samples |
      | v1     | 90      | 1200       | 2.0        | 100     |
      | v2     | 97      | 600        | 0.8        | 50      |
    When the regression detector evaluates
    Then the verdict is "pass" with action "none"
    And no rollback happened

  Scenario: Exactly at every threshold is not a breach
    Given the metrics store holds:
      | engine | quality | latency_ms | cost_cents | samples |
      | v1     | 95      | 800        | 1.0        | 100     |
      | v2     | 90      | 1600       | 3.0        | 50      |
    When the regression detector evaluates
    Then the verdict is "pass" with action "none"
    And no rollback happened

  # --- regressions -----------------------------------------------------------

  Scenario Outline: A <regression> regression rolls back to v1
    Given the metrics store holds:
      | engine | quality      | latency_ms   | cost_cents   | samples |
      | v1     | 95           | 800          | 1.0          | 100     |
      | v2     | <v2_quality> | <v2_latency> | <v2_cost>    | 50      |
    When the regression detector evaluates
    Then the verdict is "fail" with action "rollback"
    And the breaches are <breaches>
    And the router settings show kill switch on at 0%
    And the settings history holds 1 automatic rollback

    Examples:
      | regression | v2_quality | v2_latency | v2_cost | breaches               |
      | quality    | 85         | 800        | 1.0     | "quality"              |
      | latency    | 95         | 1700       | 1.0     | "latency"              |
      | cost       | 95         | 800        | 4.0     | "cost", "cost_spike"   |

  Scenario: Several simultaneous regressions are all reported
    Given the metrics store holds:
      | engine | quality | latency_ms | cost_cents | samples |
      | v1     | 95      | 800        | 1.0        | 100     |
      | v2     | 82      | 1850       | 4.0        | 50      |
    When the regression detector evaluates
    Then the verdict is "fail" with action "rollback"
    And the breaches are "quality", "latency", "cost" and "cost_spike"
    And the "quality" breach reads "quality (V1: 95.0, V2: 82.0, drop: 13.0)"
    And the "latency" breach reads "latency (V2 p95: 1850ms > 1600ms)"
    And the last settings change is:
      | field    | value |
      | actor    | auto  |
      | kind     | rollback |
      | breaches | 4     |

  Scenario: A single breach rolls back with exactly one reason
    Given the metrics store holds:
      | engine | quality | latency_ms | cost_cents | samples |
      | v1     | 95      | 800        | 1.0        | 100     |
      | v2     | 94      | 1601       | 1.0        | 50      |
    When the regression detector evaluates
    Then the breaches are "latency"
    And the "latency" breach reads "latency (V2 p95: 1601ms > 1600ms)"
    And the last settings change is:
      | field           | value   |
      | breaches        | 1       |
      | reason contains | latency (V2 p95: 1601ms > 1600ms) |

  Scenario: Gradual degradation is caught once the drop passes 5 points
    Given v1 scores quality 95
    And v2 scores quality 95
    And v2 loses 1 quality points every minute
    When traffic runs for 10 min, evaluated every minute
    Then the first "rollback" came after 7 min of traffic
    And the router settings show kill switch on at 0%
    And the settings history holds 1 automatic rollback

  # --- not enough data -------------------------------------------------------

  Scenario: Too few v2 samples are not judged, however bad they look
    Given the metrics store holds:
      | engine | quality | latency_ms | cost_cents | samples |
      | v1     | 95      | 800        | 1.0        | 100     |
      | v2     | 50      | 9000       | 9.0        | 29      |
    When the regression detector evaluates
    Then the verdict is "insufficient_data" with action "none"
    And the verdict counted 100 v1 and 29 v2 samples
    And no rollback happened

  Scenario: Zero samples for both engines
    Given the metrics store holds no samples
    When the regression detector evaluates
    Then the verdict is "insufficient_data" with action "none"
    And the verdict counted 0 v1 and 0 v2 samples
    And no rollback happened

  Scenario Outline: The minimum of v2 samples is enforced exactly
    Given the detector needs at least 30 v2 samples
    And the metrics store holds:
      | engine | quality | latency_ms | cost_cents | samples      |
      | v1     | 95      | 800        | 1.0        | 100          |
      | v2     | 85      | 800        | 1.0        | <v2_samples> |
    When the regression detector evaluates
    Then the verdict is "<verdict>" with action "<action>"

    Examples:
      | v2_samples | verdict           | action   |
      | 29         | insufficient_data | none     |
      | 30         | fail              | rollback |
      | 31         | fail              | rollback |

  # --- the rollback itself ---------------------------------------------------

  Scenario: The rollback records who, why, when and the settings before and after
    Given the metrics store holds:
      | engine | quality | latency_ms | cost_cents | samples |
      | v1     | 95      | 800        | 1.0        | 100     |
      | v2     | 85      | 800        | 1.0        | 50      |
    When the regression detector evaluates
    Then the last settings change is:
      | field              | value                |
      | actor              | auto                 |
      | kind               | rollback             |
      | canary_pct_before  | 10%                  |
      | kill_switch_before | off                  |
      | canary_pct_after   | 0%                   |
      | kill_switch_after  | on                   |
      | at                 | 2026-02-19T10:00:00Z |
      | reason contains    | quality (V1: 95.0, V2: 85.0, drop: 10.0) |
    And the audit log holds 1 "rollback" event
    And the last "rollback" audit event mentions "quality (V1: 95.0, V2: 85.0, drop: 10.0)"
    And the stored settings match what the router reads

  Scenario: After the rollback the router serves v1 to every session
    Given the metrics store holds:
      | engine | quality | latency_ms | cost_cents | samples |
      | v1     | 95      | 800        | 1.0        | 100     |
      | v2     | 85      | 800        | 1.0        | 50      |
    When the regression detector evaluates
    And 2000 synthetic requests are routed
    Then every synthetic request went to v1

  Scenario: The settings history keeps every change in order
    Given the metrics store holds:
      | engine | quality | latency_ms | cost_cents | samples |
      | v1     | 95      | 800        | 1.0        | 100     |
      | v2     | 85      | 800        | 1.0        | 50      |
    When the regression detector evaluates
    And "alice" re-enables the canary at 5% because "fix_applied"
    Then the settings history is:
      | actor | kind      | canary_pct | kill_switch |
      | qa    | config    | 10         | off         |
      | auto  | rollback  | 0          | on          |
      | alice | re_enable | 5          | off         |
    And the stored settings match what the router reads

  # --- recovery --------------------------------------------------------------

  Scenario: Healthy metrics after a rollback never re-trigger it
    Given the metrics store holds:
      | engine | quality | latency_ms | cost_cents | samples |
      | v1     | 95      | 800        | 1.0        | 100     |
      | v2     | 85      | 800        | 1.0        | 50      |
    When the regression detector evaluates
    And 100 more v2 runs with quality 95, latency 800ms and cost 1.0 cents arrive
    And the regression detector evaluates 3 times
    Then the verdict is "pass" with action "none"
    And the settings history holds 1 automatic rollback
    And the router settings show kill switch on at 0%

  Scenario: Re-enabling after a rollback is a manual, audited act
    Given the metrics store holds:
      | engine | quality | latency_ms | cost_cents | samples |
      | v1     | 95      | 800        | 1.0        | 100     |
      | v2     | 85      | 800        | 1.0        | 50      |
    When the regression detector evaluates
    And 100 more v2 runs with quality 95, latency 800ms and cost 1.0 cents arrive
    And "alice" re-enables the canary at 5% because "fix_applied"
    And the regression detector evaluates
    Then the router settings show kill switch off at 5%
    And the verdict is "pass" with action "none"
    And the last settings change is:
      | field           | value       |
      | actor           | alice       |
      | kind            | re_enable   |
      | reason contains | fix_applied |
    And the rollout is active

  # --- traffic splits --------------------------------------------------------

  Scenario Outline: At <pct>% the canary takes its share and a regression still rolls back
    Given the router is in canary mode at <pct>%
    When 6000 synthetic requests are routed
    Then between <low>% and <high>% of the synthetic sessions went to v2
    And every synthetic session stayed on one engine
    Given the metrics store holds:
      | engine | quality | latency_ms | cost_cents | samples |
      | v1     | 95      | 800        | 1.0        | 100     |
      | v2     | 85      | 800        | 1.0        | 50      |
    When the regression detector evaluates
    Then the router settings show kill switch on at 0%

    Examples:
      | pct | low | high |
      | 5   | 3   | 7    |
      | 50  | 46  | 54   |
      | 95  | 93  | 97   |

  # --- storage failure -------------------------------------------------------

  Scenario: A settings store that is down loses nothing already recorded
    Given the metrics store holds:
      | engine | quality | latency_ms | cost_cents | samples |
      | v1     | 95      | 800        | 1.0        | 100     |
      | v2     | 85      | 800        | 1.0        | 50      |
    And the settings store fails on the next write
    When the regression detector evaluates
    Then the evaluation failed with an error mentioning "nothing was written"
    And the settings history holds 1 change
    And the router settings show kill switch on at 0%
