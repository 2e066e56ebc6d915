@gate
Feature: Promotion and NO-GO rollback
  A stage gate's verdict moves the live router: GO promotes to the next stage's percentage,
  NO-GO rolls back at once (every request to the previous engine, v1) and records why. Moving to
  100 % also needs a passed rollback rehearsal.

  Background:
    Given the agreed latency p95 SLA is 5000ms
    And the baseline correction rate is 12%

  Scenario: GO at 10 % promotes the router to 25 %
    Given the router is in canary mode at 10%
    When the stage 10 gate replays "stages/stage10_raw1.json", "stages/stage10_raw2.json"
    And the gate verdict is applied to the router
    Then the rollout is promoted
    And the router is in canary mode at 25% with the kill switch off
    And the settings history since then reads:
      | actor        | reason contains                          |
      | release-gate | release gate stage 10 GO: promoted to 25 |

  Scenario: NO-GO at 25 % rolls every request back to v1
    Given the router is in canary mode at 25%
    When the stage 25 gate replays "stages/stage25_role_parity_raw1.json", "stages/stage25_role_parity_raw2.json"
    And the gate verdict is applied to the router
    Then the rollout is rolled back
    And the promotion says "NO-GO (role_parity): assistant_engine=v2"
    And the router is in canary mode at 0% with the kill switch on
    And every request now goes to v1 because of the kill switch

  Scenario: GO towards 100 % without a rollback rehearsal keeps the router at 50 %
    Given the router is in canary mode at 50%
    When the stage 50 gate replays "stages/stage50_raw1.json", "stages/stage50_raw2.json"
    And the gate verdict is applied to the router
    Then the rollout is blocked
    And the promotion says "a passed rollback rehearsal is required before 100 %"
    And the router is in canary mode at 50% with the kill switch off
