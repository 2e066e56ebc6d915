@gate
Feature: Pre-canary shadow diff
  Before the canary starts, the candidate's shadow run is compared case by case with the
  baseline. Any regressed critical scenario means the canary must not start.

  Scenario: Only non-critical regressions: the canary may start
    When the shadow diff compares "shadow/v2_baseline.json" with "shadow/v3_shadow.json"
    Then the shadow diff says "START CANARY"
    And the blocking regressions are none
    And 2 cases regressed and 2 improved

  Scenario: A critical regression blocks the canary
    When the shadow diff compares "shadow/v2_baseline.json" with "shadow/v3_shadow_critical_regression.json"
    Then the shadow diff says "DO NOT START CANARY"
    And the blocking regressions are FIN-02 ai.operator
