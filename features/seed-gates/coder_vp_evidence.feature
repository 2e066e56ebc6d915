@seedgates @evidence
Feature: Coder VP: revert on fallbacks or a sustained vp.mission.failed pattern
  The coder VP evidence log (seed 002) keeps the broadened rollout under guardrails: auto-revert if
  the fallback rate exceeds 10 % over a rolling 20-mission window or any sustained vp.mission.failed
  pattern appears; keep the cancellation recovery monitor active (active_runs back to 0 after a
  cancel); record at least 10 missions before promotion. Missions take about 36 s.
  The policy fixtures/policies/coder-vp-evidence.json declares these checks. "Sustained" is written
  down there: more than 2 of the last 10 missions failed (rate > 0.2) in every evaluation for 10
  minutes; a single failure is not a pattern. The app reports mission_failed and stuck_after_cancel
  (a cancel that left active_runs above 0) on every mission.

  Background:
    Given the detector policy from "fixtures/policies/coder-vp-evidence.json"
    And the router is in canary mode at 25%
    And each engine serves 2 runs per minute
    And v1 answers in 36s at p95
    And v2 answers in 36s at p95
    And the runs report:
      | engine | metric             | share |
      | both   | mission_failed     | 0%    |
      | both   | stuck_after_cancel | 0%    |

  Scenario: Fewer than 10 recorded missions are not enough to judge
    When traffic runs for 4 min, evaluated every minute
    Then the verdict is "insufficient_data" with action "none"
    And the verdict counted 8 v1 and 8 v2 samples

  Scenario: Ten clean missions of about 36 s pass
    When traffic runs for 5 min, evaluated every minute
    Then the verdict is "pass" with action "none"
    And the verdict counted 10 v1 and 10 v2 samples
    And no rollback happened

  Scenario: 3 fallbacks in the last 20 missions (15 %) revert
    Given v2 falls back to v1 on 15% of its runs
    When traffic runs for 10 min, evaluated every minute
    Then the check "fallback_rate" breached with 15%
    And the check "fallback_rate" breached with action "rollback"
    And the router settings show kill switch on at 0%

  Scenario: 2 fallbacks in the last 20 missions (exactly 10 %) do not revert
    Given v2 falls back to v1 on 10% of its runs
    When traffic runs for 30 min, evaluated every minute
    Then the check "fallback_rate" did not breach
    And the verdict is "pass" with action "none"
    And no rollback happened

  Scenario: A single failed mission is not a pattern
    Given the runs report:
      | engine | metric         | share |
      | v2     | mission_failed | 10%   |
    When traffic runs for 30 min, evaluated every minute
    Then the check "mission_failed_pattern" did not breach
    And the verdict is "pass" with action "none"
    And no rollback happened

  Scenario: 3 of every 10 missions failing for 10 minutes is a sustained pattern: revert
    Given the runs report:
      | engine | metric         | share |
      | v2     | mission_failed | 30%   |
    When traffic runs for 20 min, evaluated every minute
    Then the first "rollback" came after 15 min of traffic
    And the router settings show kill switch on at 0%

  Scenario: A burst of failures that stops within 10 minutes only holds
    Given the runs report:
      | engine | metric         | share |
      | v2     | mission_failed | 30%   |
    When traffic runs for 8 min, evaluated every minute
    Then the verdict is "inconclusive" with action "hold"
    And "mission_failed_pattern" is breached but not yet sustained
    When the runs start reporting:
      | engine | metric         | share |
      | v2     | mission_failed | 0%    |
    And traffic runs for 10 min, evaluated every minute
    Then no rollback happened
    And the verdict is "pass" with action "none"

  Scenario: A cancel that leaves active_runs above 0 reverts
    Given the runs report:
      | engine | metric             | share |
      | v2     | stuck_after_cancel | 50%   |
    When traffic runs for 1 min, evaluated every minute
    Then the check "cancel_recovery" breached with 1
    And the check "cancel_recovery" breached with action "rollback"
    And the router settings show kill switch on at 0%

  Scenario: Missions slower than 60 s at p95 hold the rollout
    Given v2 answers in 70s at p95
    When traffic runs for 5 min, evaluated every minute
    Then the check "mission_latency_p95" breached with 70000
    And the check "mission_latency_p95" breached with action "hold"
    And no rollback happened
