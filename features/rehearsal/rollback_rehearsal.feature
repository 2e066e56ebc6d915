@rehearsal @wiremock
Feature: Rollback rehearsal before 100 %
  Before the canary may go to 100 %, the team proves it can get back: the engine is set to v1,
  the smoke scenarios FIN-01, SAL-01, STK-01 and WR-02 run against the stubbed engines, the
  evidence is recorded, and only when every smoke scenario passed is the previous stage restored.

  Background:
    Given the planner engines are stubbed with WireMock
    And the router is in canary mode at 50%

  Scenario: A passing rehearsal records its evidence and restores the stage
    When the rollback rehearsal runs
    Then the rehearsal passed
    And smoke scenarios "FIN-01", "SAL-01", "STK-01", "WR-02" were served by v1 because of the kill switch
    And the v1 planner stub received 4 requests
    And the v2 planner stub received 0 requests
    And the evidence path is recorded in the audit log
    And the previous stage is restored
    And the router is in canary mode at 50% with the kill switch off
    And the settings history since then reads:
      | actor              | reason contains                           |
      | rollback-rehearsal | engine set to v1                          |
      | rollback-rehearsal | rollback rehearsal passed                 |

  Scenario: A failing smoke scenario leaves the engine on v1
    Given the v1 planner stub fails smoke scenario "SAL-01" with HTTP 500
    When the rollback rehearsal runs
    Then the rehearsal failed
    And smoke scenario "SAL-01" failed with "answered 500"
    And the evidence path is recorded in the audit log
    And the previous stage is not restored
    And every request now goes to v1 because of the kill switch
    And the settings history since then reads:
      | actor              | reason contains  |
      | rollback-rehearsal | engine set to v1 |

  Scenario: A rehearsal with a chosen smoke list
    When the rollback rehearsal runs with smoke scenarios "FIN-01", "WR-02"
    Then the rehearsal passed
    And smoke scenarios "FIN-01", "WR-02" were served by v1 because of the kill switch
    And the v1 planner stub received 2 requests

  Scenario: A passed rehearsal unlocks the promotion to 100 %
    Given the agreed latency p95 SLA is 5000ms
    And the baseline correction rate is 12%
    When the stage 50 gate replays "stages/stage50_raw1.json", "stages/stage50_raw2.json"
    And the gate verdict is applied to the router
    Then the rollout is blocked
    When the rollback rehearsal runs
    And the gate verdict is applied to the router
    Then the rollout is promoted
    And the router is in canary mode at 100% with the kill switch off

  Scenario: A failed rehearsal keeps the promotion to 100 % blocked
    Given the agreed latency p95 SLA is 5000ms
    And the baseline correction rate is 12%
    And the v1 planner stub fails smoke scenario "STK-01" with HTTP 503
    When the stage 50 gate replays "stages/stage50_raw1.json", "stages/stage50_raw2.json"
    And the rollback rehearsal runs
    And the gate verdict is applied to the router
    Then the rollout is blocked
    And the promotion says "the rollout is rolled back"
