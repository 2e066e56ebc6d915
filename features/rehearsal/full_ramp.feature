@rehearsal @gate @wiremock
Feature: A whole staged rollout, gate by gate
  The runbook end to end: each stage is gated by its recorded UAT artifacts and promoted on GO;
  the rollback rehearsal runs before 100 %; at 100 % the rollout holds and is monitored.

  Scenario: 10 % → 25 % → 50 % → rehearsal → 100 % → hold and monitor
    Given the planner engines are stubbed with WireMock
    And the agreed latency p95 SLA is 5000ms
    And the baseline correction rate is 12%
    And the router is in canary mode at 10%
    When the stage 10 gate replays "stages/stage10_raw1.json", "stages/stage10_raw2.json"
    And the gate verdict is applied to the router
    Then the router is in canary mode at 25% with the kill switch off
    When the stage 25 gate replays "stages/stage25_raw1.json", "stages/stage25_raw2.json"
    And the gate verdict is applied to the router
    Then the router is in canary mode at 50% with the kill switch off
    When the rollback rehearsal runs
    And the stage 50 gate replays "stages/stage50_raw1.json", "stages/stage50_raw2.json"
    And the gate verdict is applied to the router
    Then the router is in canary mode at 100% with the kill switch off
    When the stage 100 gate replays "stages/stage100_raw1.json", "stages/stage100_raw2.json"
    And the gate verdict is applied to the router
    Then the rollout is held
    And the promotion says "hold_100pct_monitor"
    And the settings history since then reads:
      | actor              | reason contains                           |
      | release-gate       | release gate stage 10 GO: promoted to 25  |
      | release-gate       | release gate stage 25 GO: promoted to 50  |
      | rollback-rehearsal | engine set to v1                          |
      | rollback-rehearsal | previous stage restored                   |
      | release-gate       | release gate stage 50 GO: promoted to 100 |
